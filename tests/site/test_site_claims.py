"""The claims page on a phone: each claim one compact block, its verdict in reach.

At 390 px (a phone's width; 844 px is the same phone's height) every claim
card (``.nnguide-claim``, made by :func:`nnguide.lab.claims.cards`) must fit
one screen, so that a reader sees a claim, its verdict and its evidence
together, and the verdict (the card's paragraph with the bold word) must lie
within the window, not behind a sideways scroll.
"""

from __future__ import annotations

import pytest
from chromium import NARROW, View

pytestmark = pytest.mark.executed  # the cards are a cell's output: a quick build has none

PAGE = "claims.html"
SCREEN_HEIGHT = 844  # CSS pixels of a 390 px-wide phone held upright

CARDS_JS = """
const width = document.documentElement.clientWidth;
return [...document.querySelectorAll('.nnguide-claim')].map((card) => {
  const title = card.querySelector('.sd-card-title');
  const bold = card.querySelector('.sd-card-body p strong');
  const verdict = bold ? bold.closest('p') : null;
  let clipped = null;
  if (verdict) {
    const r = verdict.getBoundingClientRect();
    if (r.left < 0 || r.right > width + 0.5) {
      clipped = `the window (${Math.round(r.left)} to ${Math.round(r.right)} px of ${width})`;
    }
    for (let el = verdict.parentElement; el && !clipped; el = el.parentElement) {
      if (getComputedStyle(el).overflowX === 'visible') continue;
      const a = el.getBoundingClientRect();
      if (r.left < a.left - 0.5 || r.right > a.right + 0.5) {
        clipped = `a scrolling ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
      }
    }
  }
  return {
    claim: title ? title.textContent.trim() : card.textContent.trim().slice(0, 60),
    height: card.getBoundingClientRect().height,
    verdict: bold ? bold.textContent.trim() : null,
    clipped: clipped,
  };
});
"""


@pytest.fixture(scope="module")
def cards(browser, site) -> list[dict]:
    """Each claim card of the page at 390 px: its claim, height, verdict and any clipping."""
    if not site.exists(PAGE):
        pytest.fail(f"the build has no {PAGE}")
    visit = browser.visit(View(PAGE, NARROW, "light"), inspect=False, tabs=False, audit=None)
    if visit.error:
        pytest.fail(f"{PAGE} at {NARROW} px: {visit.error}")
    found = browser.driver.execute_script(CARDS_JS)
    if not found:
        pytest.fail(f"{PAGE} shows no claim card (.nnguide-claim): did its cell run?")
    return found


def test_each_claim_fits_one_phone_screen(cards):
    tall = [f"{c['claim']!r}: {c['height']:.0f} px" for c in cards if c["height"] > SCREEN_HEIGHT]
    assert not tall, f"claim cards taller than one {SCREEN_HEIGHT} px screen at {NARROW} px: {tall}"


def test_each_verdict_shows_without_sideways_scrolling(cards):
    problems = [
        f"{c['claim']!r}: " + ("no verdict in bold" if c["verdict"] is None else c["clipped"])
        for c in cards
        if c["verdict"] is None or c["clipped"]
    ]
    assert not problems, f"at {NARROW} px, verdicts out of sight: {problems}"
