"""The built site as a reader meets it: in headless Chromium, offline, at 1400 and 390 px.

Every page but Sphinx's search and index pages and the ``_modules/`` source
pages is loaded at both widths in the theme's default (light) mode; the
audited pages (conftest.audited_pages) in dark mode too. Each test reads
what one load collected (the ``visit`` fixture): its id names the page, the
width and the theme.
"""

from __future__ import annotations

import fnmatch

import pytest
from allowances import OVERFLOW
from chromium import NARROW, WIDE

wide = pytest.mark.views(width=WIDE, theme="light")
narrow = pytest.mark.views(width=NARROW, theme="light")


def test_no_request_leaves_the_site(visit):
    """The browser resolves no other host, so this holds with or without a network."""
    assert not visit.outside_requests, (
        f"requests outside the local server: {visit.outside_requests}"
    )


def test_no_console_error(visit):
    assert not visit.console_errors, f"console errors: {visit.console_errors}"


@wide
def test_math_is_typeset(visit):
    """A page with math has MathJax output, and no raw ``\\(`` or ``\\[`` in its text."""
    found = visit.inspection
    assert not found["hasMath"] or found["mjx"], "math not typeset (no mjx-container)"
    assert not found["rawTex"], f"raw TeX in the text: {found['rawTex']}"


@wide
def test_headings_do_not_skip_a_level(visit):
    problems, previous = [], 0
    for level, title in visit.inspection["headings"]:
        if level > previous + 1:
            problems.append(f"h{level} {title!r} follows h{previous}")
        previous = level
    assert not problems, problems


@wide
def test_tables_sit_in_the_scrolling_wrapper(visit):
    """The theme's div.pst-scrollable-table-container scrolls and takes keyboard focus."""
    bare = visit.inspection["bareTables"]
    assert not bare, f"tables outside the theme's scrolling wrapper: {bare}"


@wide
def test_no_output_shows_a_figure_repr(visit):
    reprs = visit.inspection["figureReprs"]
    assert not reprs, f"output boxes showing '<Figure size ...>': {reprs}"


def overflow_allowed(page: str, text: str) -> bool:
    return any(fnmatch.fnmatch(page, glob) and needle in text for glob, needle in OVERFLOW)


@wide
def test_output_fits_its_box(visit):
    over = [
        f"{pixels} px: {line!r}"
        for pixels, text, line in visit.inspection["overflowing"]
        if not overflow_allowed(visit.view.page, text)
    ]
    assert not over, f"output boxes whose text is wider than the box: {over}"


@wide
def test_section_navigation_is_not_empty(visit):
    assert not visit.inspection["emptySectionNav"], "empty 'Section Navigation' sidebar"


@wide
def test_synced_tabs_follow_a_click(visit):
    """A click on a tab of a synced tab set switches every tab set of its group."""
    assert not visit.tab_problems, visit.tab_problems


@narrow
def test_tab_labels_fit_one_row(visit):
    rows = visit.inspection["tabRows"]
    assert not rows, f"tab sets whose labels take more than one row: {rows}"


@narrow
def test_output_scrolls_rather_than_clips(visit):
    """Text wider than its box on a phone has a scrollbar, in the box or around it."""
    hidden = [f"{pixels} px: {line!r}" for pixels, line in visit.inspection["hiddenOverflow"]]
    assert not hidden, f"output boxes hiding text without a scrollbar: {hidden}"


@narrow
def test_page_does_not_scroll_sideways(visit):
    width, viewport = visit.inspection["pageWidth"], visit.inspection["viewport"]
    assert width <= viewport + 1, f"the page is {width} px wide in a {viewport} px window"


@pytest.mark.views(theme="dark")
def test_transparent_figures_get_a_light_backdrop(visit):
    """In dark mode a transparent figure's dark text needs the theme's light backdrop."""
    assert not visit.transparent_figures, visit.transparent_figures
