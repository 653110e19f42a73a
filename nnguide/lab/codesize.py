"""Counting lines of code, so the site can compare the two implementations' size."""

from __future__ import annotations

import ast
import inspect
import io
import textwrap
import tokenize


def code_lines(obj) -> int:
    """The number of lines of ``obj``'s source that hold code.

    Blank lines, comments and docstrings are not counted; a statement spread
    over three lines counts three.

    Parameters
    ----------
    obj : object
        A module, class or function: anything :func:`inspect.getsource` accepts.
    """
    source = textwrap.dedent(inspect.getsource(obj))
    docstring_lines = set()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and _is_docstring(body[0]):
            docstring_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
    code = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in (
            tokenize.COMMENT,
            tokenize.NL,
            tokenize.NEWLINE,
            tokenize.INDENT,
            tokenize.DEDENT,
            tokenize.ENDMARKER,
        ):
            code.update(range(token.start[0], token.end[0] + 1))
    return len(code - docstring_lines)


def _is_docstring(node) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )
