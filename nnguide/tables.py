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
