"""Source code shown on a page: the functions a page compares, read from the package itself.

A page that quotes code it also runs should quote the code that ran: these
objects take their text from :func:`inspect.getsource`, so the listing and
the measurement cannot drift apart.
"""

from __future__ import annotations

import inspect
import textwrap
from html import escape


class Listing:
    """The source of some functions, highlighted in gallery pages and notebooks.

    Parameters
    ----------
    *objects : callable or type
        What to show, in order, separated by a blank line.
    title : str, optional
        A line above the code.
    """

    def __init__(self, *objects, title: str | None = None):
        self.source = "\n\n".join(textwrap.dedent(inspect.getsource(o)).strip() for o in objects)
        self.title = title

    def __str__(self) -> str:
        return f"{self.title}\n\n{self.source}" if self.title else self.source

    __repr__ = __str__

    @property
    def lines(self) -> int:
        return len(self.source.splitlines())

    def _repr_html_(self) -> str:
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer
        except ImportError:  # plain, where Pygments is not installed
            code = f'<div class="highlight"><pre>{escape(self.source)}</pre></div>'
        else:
            code = highlight(self.source, PythonLexer(), HtmlFormatter())
        title = f"<p><strong>{escape(self.title)}</strong></p>" if self.title else ""
        # Smaller than the theme's code, so that an 80-character line fits the
        # page's column on a desktop screen without scrolling.
        return f'<div class="nnguide-listing" style="font-size: 0.8em">{title}{code}</div>'


class SideBySide:
    """Listings in columns, as many as fit: one under the other on a phone or a laptop.

    Each column needs 48em, room for an 80-character line, so the page's
    column of a desktop theme holds one listing per row; a wide notebook
    shows them side by side.

    Parameters
    ----------
    *listings : Listing
    """

    def __init__(self, *listings: Listing):
        self.listings = listings

    def __str__(self) -> str:
        return "\n\n".join(map(str, self.listings))

    __repr__ = __str__

    def _repr_html_(self) -> str:
        column = 'style="flex: 1 1 48em; min-width: 0; overflow-x: auto"'
        columns = "".join(f"<div {column}>{x._repr_html_()}</div>" for x in self.listings)
        return f'<div style="display: flex; flex-wrap: wrap; gap: 1em">{columns}</div>'
