"""What the install page says about the package's requirements is what pyproject.toml declares."""

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = Path(__file__).resolve().parents[1]


def lower_bounds(declared: list[str], python: str) -> dict[str, str]:
    """Each dependency's lower bound on one Python version: the highest ``>=`` that applies."""
    from packaging.requirements import Requirement
    from packaging.version import Version

    bounds = {}
    for text in declared:
        requirement = Requirement(text)
        if requirement.marker and not requirement.marker.evaluate({"python_version": python}):
            continue
        for spec in requirement.specifier:
            if spec.operator == ">=":
                known = bounds.get(requirement.name)
                if known is None or Version(spec.version) > Version(known):
                    bounds[requirement.name] = spec.version
    return bounds


def test_lower_bounds_follow_the_markers():
    declared = ["torch>=2.2", "torch>=2.4; python_version >= '3.12'", "numpy>=1.24"]
    assert lower_bounds(declared, "3.11") == {"torch": "2.2", "numpy": "1.24"}
    assert lower_bounds(declared, "3.12") == {"torch": "2.4", "numpy": "1.24"}


def test_the_install_page_quotes_the_declared_lower_bounds():
    """NumPy's and torchvision's bounds, and PyTorch's on each Python version it differs on."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = project["dependencies"]
    lowest = int(re.fullmatch(r">=3\.(\d+)", project["requires-python"]).group(1))
    pythons = [f"3.{minor}" for minor in range(lowest, lowest + 10)]
    by_python = {python: lower_bounds(declared, python) for python in pythons}
    first = by_python[pythons[0]]
    torch = f"PyTorch {first['torch']}"
    for before, python in zip(pythons, pythons[1:]):
        if by_python[python]["torch"] != by_python[before]["torch"]:
            torch += f", from Python {python} PyTorch {by_python[python]['torch']}"
    expected = f"lower bounds (NumPy {first['numpy']}; {torch}; torchvision {first['torchvision']};"
    page = " ".join((ROOT / "docs" / "install.md").read_text().split())
    assert expected in page, f"the install page does not say: {expected}"


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
