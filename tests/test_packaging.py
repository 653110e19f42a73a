"""What the install page says about the package's requirements is what pyproject.toml declares."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def test_the_install_page_quotes_the_declared_lower_bounds():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    bounds = {}
    for requirement in declared:
        name, version = re.match(r"([a-z]+)>=([\d.]+)$", requirement.split(";")[0].strip()).groups()
        bounds.setdefault(name, version)  # the first: the bound without an environment marker
    page = " ".join((ROOT / "docs" / "install.md").read_text().split())
    quoted = re.search(
        r"lower bounds \((NumPy [\d.]+), (PyTorch [\d.]+), (torchvision [\d.]+)", page
    )
    assert quoted, "the install page no longer quotes the lower bounds"
    assert quoted.groups() == (
        f"NumPy {bounds['numpy']}",
        f"PyTorch {bounds['torch']}",
        f"torchvision {bounds['torchvision']}",
    )


def test_the_build_is_pinned_and_the_package_is_not():
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any("==" in d for d in declared)
    pins = (ROOT / "constraints.txt").read_text()
    assert re.search(r"(?m)^torch==2\.14\.1$", pins) and re.search(
        r"(?m)^torchvision==0\.29\.1$", pins
    )
