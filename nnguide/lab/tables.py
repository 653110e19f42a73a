"""Tables of results as Markdown, for the site's pages and the command line."""

from __future__ import annotations


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


class Table:
    """A table that shows as HTML in notebooks and gallery pages, and as Markdown as text.

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

        head = "".join(f"<th>{escape(str(cell))}</th>" for cell in self.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(str(cell))}</td>" for cell in row) + "</tr>"
            for row in self.rows
        )
        table = f'<table class="table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        # The theme's wrapper: a wide table scrolls on its own, reachable by keyboard.
        return f'<div class="pst-scrollable-table-container" tabindex="0">{table}</div>'


class Prose:
    """A paragraph a page computes, shown as text rather than as a ``print`` line.

    Gallery pages and notebooks show it as HTML (it wraps to the column's
    width, on a phone too); ``**bold**`` is the only markup it reads.

    Parameters
    ----------
    text : str
        The paragraph.
    """

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    __repr__ = __str__

    def _repr_markdown_(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        import re
        from html import escape

        html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", escape(self.text))
        return f'<p class="nnguide-prose">{html}</p>'
