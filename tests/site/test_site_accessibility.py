"""axe-core's WCAG 2 A and AA rules on every page the site's sources make, and one
API page (conftest.audited_pages), at 1400 and 390 px, light and dark.

axe-core is injected from the npm package's ``axe.min.js`` (the page never
fetches it). Its only exceptions are in allowances.ACCESSIBILITY, one page and
one selector each.
"""

from __future__ import annotations

import pytest
from allowances import ACCESSIBILITY
from chromium import NARROW, WIDE, View


def describe(node: dict) -> str:
    return (
        f"{node['rule']} ({node['impact']}): {node['help']}\n"
        f"    at {node['target']}: {node['html']}\n    {node['summary']}"
        + (
            f"\n    (colour, opacity after the run: {node['colors']})"
            if node["rule"] == "color-contrast" and node["colors"]
            else ""
        )
    )


@pytest.mark.views(audited=True)
def test_no_accessibility_violation(visit, pytestconfig):
    if visit.axe is None:
        pytest.fail(
            f"no axe-core at {pytestconfig.getoption('--axe-js')}: "
            "npm install --prefix .nox/axe axe-core (nox -s browser does)"
        )
    assert "error" not in visit.axe, f"axe-core failed: {visit.axe['error']}"
    assert "color-contrast" in visit.axe["rules"], "axe-core ran without its contrast rule"
    violations = [node for node in visit.axe["nodes"] if not node["excepted"]]
    if violations:
        listed = "\n".join(describe(node) for node in violations)
        pytest.fail(f"{len(violations)} WCAG 2 A/AA violations:\n{listed}", pytrace=False)


@pytest.mark.parametrize("excepted_page, selector", sorted(ACCESSIBILITY))
def test_every_accessibility_exception_is_used(load, excepted_page, selector):
    """An exception that no view needs any more is removed, not kept."""
    used = any(
        node["excepted"] == selector
        for width in (WIDE, NARROW)
        for theme in ("light", "dark")
        for node in (load(View(excepted_page, width, theme)).axe or {}).get("nodes", [])
    )
    assert used, f"no violation on {excepted_page} lies in {selector!r}: remove its exception"
