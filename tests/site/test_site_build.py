"""What the build executed: every gallery example ran, and the pages show its results.

These tests need a build that executed the pages (``nox -s docs``): after
``nox -s docs -- quick`` deselect them with ``-m "not executed"``.

Whether an example ran comes from sphinx-gallery itself. It writes the run
time of the run a page shows at the foot of that page, and no time when it did
not execute the script; it rewrites the page whenever the script changed since
its last successful run, so a time on the page is the time of a run of the
script as the build found it. Its JUnit report (``docs/_build/gallery-junit.xml``,
the ``junit`` setting in conf.py) lists the scripts this build ran, with any
failure; a script unchanged since an earlier run is not listed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.executed

RUNNING_TIME = re.compile(
    r"Total running time of the script:\s*(?:</strong>)?\s*\((\d+) minutes ([\d.]+) seconds\)"
)


@pytest.fixture(scope="module")
def junit(site) -> dict[str, ET.Element]:
    """sphinx-gallery's report of the scripts this build ran: stem -> test case."""
    path = site.root.parent / "gallery-junit.xml"  # conf.py: "junit": "../gallery-junit.xml"
    if not path.is_file():
        pytest.fail(f"{path} is missing: this build executed no gallery script (a quick build?)")
    return {case.get("classname"): case for case in ET.parse(path).getroot().iter("testcase")}


def test_example_ran(site, junit, example):
    case = junit.get(example)
    if case is not None:
        failure = case.find("failure")
        assert failure is None, f"{example}.py failed: {failure.get('message')}"
        assert float(case.get("time", 0)) > 0, f"{example}.py reports a running time of zero"
    page = site.root / "auto_examples" / f"{example}.html"
    assert page.is_file(), f"{page} is missing"
    match = RUNNING_TIME.search(page.read_text(encoding="utf-8"))
    assert match, f"{page.name} shows no run of {example}.py (the build did not execute it)"
    assert 60 * int(match[1]) + float(match[2]) > 0, f"{page.name} shows a run of zero seconds"


def test_autograd_page_shows_its_numbers(site):
    """The first gallery page's outputs: out = mean(3 (x + 2)^2) at x = 1, and its gradient."""
    x = 1.0  # the page's x: torch.ones(2, 2)
    out = 3 * (x + 2) ** 2  # every entry of z is the same: their mean is one of them
    grad = 3 / 2 * (x + 2)  # d out / d x_i = 6 (x_i + 2) / 4, over the 4 entries
    page = site.root / "auto_examples" / "plot_01_autograd_basics.html"
    text = page.read_text(encoding="utf-8")
    for shown in (f"out = {out}", f"{grad:.4f}"):  # NumPy's print, and torch's 4 decimals
        assert shown in text, f"{page.name} does not show {shown!r}"
