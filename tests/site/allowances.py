"""Every exception the site's checks allow, each with its reason: the one place a check is relaxed.

An accessibility exception names one page and one CSS selector: axe-core's
violations inside an element that selector matches on that page are allowed.
No rule is switched off for the whole site. An exception that no longer
matches a violation fails ``test_every_accessibility_exception_is_used``.
"""

# (page, CSS selector) -> why axe-core's violations inside that element are accepted.
ACCESSIBILITY: dict[tuple[str, str], str] = {}

# (page glob, text the box contains) -> why an output box's text may be wider
# than the box at 1400 px (it scrolls sideways).
OVERFLOW: dict[tuple[str, str], str] = {}
