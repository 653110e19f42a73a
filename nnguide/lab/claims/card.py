"""A claim as the claims page shows it, and the cards that show the claims."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Claim:
    """One claim as the page shows it.

    Attributes
    ----------
    claim : str
        The claim, as write-ups make it (one line).
    verdict : str
        Markdown that starts with the verdict in bold, then why.
    evidence : str
        What was measured, with its figures.
    pages : tuple of str
        The documents (``{doc}`` targets) that show the measurement.
    """

    claim: str
    verdict: str
    evidence: str
    pages: tuple[str, ...] = ()


def cards(claims: Sequence[Claim]) -> str:
    """MyST markup: a sphinx-design grid with a card per claim.

    One column on a phone, two from a tablet's width on. Each card's title is
    the claim; its body the verdict, then what was measured, then the pages
    that show it. Cards carry the class ``nnguide-claim`` (the site's tests
    find them by it).
    """
    blocks = []
    for c in claims:
        if "\n" in c.claim:
            raise ValueError(f"a claim is one line (a card's title), got {c.claim!r}")
        pages = ", ".join(f"{{doc}}`{page}`" for page in c.pages)
        body = [c.verdict, f"*Measured:* {c.evidence}"]
        if pages:
            body.append(f"*Shown on:* {pages}")
        blocks.append(
            f":::{{grid-item-card}} {c.claim}\n:class-card: nnguide-claim\n\n"
            + "\n\n".join(body)
            + "\n:::"
        )
    return "::::{grid} 1 1 2 2\n:gutter: 3\n\n" + "\n\n".join(blocks) + "\n::::\n"
