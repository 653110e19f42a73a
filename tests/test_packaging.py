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


def test_the_build_pins_each_dependency_within_its_declared_bounds():
    """The package declares ranges, never pins; constraints.txt pins each inside its range.

    Raising a pin on purpose keeps this test green; a pin below a declared
    lower bound, or a dependency the build leaves unpinned, fails it.
    """
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any("==" in d for d in declared), "pyproject.toml pins a dependency"
    pins = {
        canonicalize_name(name): Version(version)
        for name, version in re.findall(
            r"(?m)^([A-Za-z0-9_.-]+)==(\S+)$", (ROOT / "constraints.txt").read_text()
        )
    }
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"constraints.txt pins no version of {requirement.name}"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"constraints.txt pins {name}=={pins[name]}, outside {text!r}"
        )
