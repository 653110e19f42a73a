"""Tables of results as Markdown, for the site's pages and the command line."""

from __future__ import annotations

import re

#: A cell that reads as a number: it starts with one ("0.44 [0.40, 0.46]",
#: "407,000 bytes", "93.9%", "1e-06"), not with a word or a version ("2.14.1").
_NUMERIC = re.compile(r"[-+−]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?(?![\d.,])")
#: Cells that stand for "nothing here": they do not decide a column's kind.
_EMPTY = {"", "–", "—", "-"}


def markdown_table(header, rows) -> str:
    """A Markdown (pipe) table.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : iterable of sequence
        One sequence of cells per row; each cell is formatted with :class:`str`.

    Examples
    --------
    >>> print(markdown_table(["side", "lines"], [["NumPy", 120], ["PyTorch", 60]]))
    | side | lines |
    | --- | --- |
    | NumPy | 120 |
    | PyTorch | 60 |
    """
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def is_number(cell) -> bool:
    """Whether a cell reads as a number: a number, or text that starts with one.

    Examples
    --------
    >>> [is_number(c) for c in (3, 0.5, "0.44 [0.40, 0.46]", "1,000 bytes", "2.14.1", True)]
    [True, True, True, True, False, False]
    """
    if isinstance(cell, bool):
        return False
    if isinstance(cell, (int, float)):
        return True
    return _NUMERIC.match(str(cell).strip()) is not None


def numeric_columns(rows, width: int) -> list[bool]:
    """For each of ``width`` columns, whether all its cells (the empty ones aside) are numbers.

    A column with no cell but empty ones is text.
    """
    kinds = []
    for column in range(width):
        cells = [row[column] for row in rows if column < len(row)]
        cells = [c for c in cells if str(c).strip() not in _EMPTY]
        kinds.append(bool(cells) and all(is_number(c) for c in cells))
    return kinds


class Table:
    """A table that shows as HTML in notebooks and gallery pages, and as Markdown as text.

    In HTML, text columns align left and numeric columns (:func:`numeric_columns`)
    right, so that their digits line up: the cells of a numeric column carry the
    class ``nnguide-number``, which the site's stylesheet aligns right.

    Parameters
    ----------
    header : sequence of str
        Column titles.
    rows : iterable of sequence
        One sequence of cells per row.
    """

    def __init__(self, header, rows):
        self.header = list(header)
        self.rows = [list(row) for row in rows]

    def __str__(self) -> str:
        return markdown_table(self.header, self.rows)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from html import escape

        numeric = numeric_columns(self.rows, len(self.header))

        def cell(tag, value, column):
            number = column < len(numeric) and numeric[column]
            opening = f'<{tag} class="nnguide-number">' if number else f"<{tag}>"
            return f"{opening}{escape(str(value))}</{tag}>"

        head = "".join(cell("th", value, i) for i, value in enumerate(self.header))
        body = "".join(
            "<tr>" + "".join(cell("td", value, i) for i, value in enumerate(row)) + "</tr>"
            for row in self.rows
        )
        table = (
            f'<table class="table nnguide-table"><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>"
        )
        # The theme's wrapper: a wide table scrolls on its own, reachable by keyboard.
        return f'<div class="pst-scrollable-table-container" tabindex="0">{table}</div>'


class Prose:
    """Paragraphs a page computes, shown as text rather than as ``print`` lines.

    Gallery pages and notebooks show them as HTML (they wrap to the column's
    width, on a phone too), one ``<p>`` per paragraph: paragraphs are
    separated by a blank line, as in Markdown. ``**bold**`` is the only markup
    it reads.

    Parameters
    ----------
    text : str
        The paragraphs.
    """

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return self.text

    def paragraphs(self) -> list[str]:
        """The text's paragraphs, each stripped (blank lines separate them)."""
        return [p.strip() for p in re.split(r"\n[ \t]*\n", self.text) if p.strip()]

    def _repr_html_(self) -> str:
        from html import escape

        return "".join(
            '<p class="nnguide-prose">'
            + re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escape(paragraph))
            + "</p>"
            for paragraph in self.paragraphs()
        )
