"""Counting code, so the site can compare the size of implementations: lines and names called."""

from __future__ import annotations

import ast
import builtins
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
        A module, class or function: anything :func:`inspect.getsource` accepts;
        or its source, a str.
    """
    source = textwrap.dedent(obj if isinstance(obj, str) else inspect.getsource(obj))
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


def called_names(*objects) -> set[str]:
    """The distinct names that the source of ``objects`` calls from elsewhere.

    A call's name is its last part: ``keras.layers.Dense(...)`` calls
    ``Dense``, ``model.fit(...)`` calls ``fit``. Left out are Python's built-in
    functions and whatever the sources define themselves: functions, classes
    and methods, arguments, variables and attributes they assign, and names they
    import from their own package (a relative import). What is left is what the
    code asks of its libraries: the names a reader of it must know.

    Parameters
    ----------
    *objects : object
        Modules, classes or functions: anything :func:`inspect.getsource` accepts.

    Examples
    --------
    >>> import numpy as np
    >>> def normalise(x):
    ...     scale = x.std
    ...     return (x - np.mean(x)) / scale()
    >>> sorted(called_names(normalise))
    ['mean']
    """
    names, attributes = set(), set()  # called as ``name(...)`` and as ``x.attribute(...)``
    own_names, own_attributes = set(), set()  # what the sources define, in each form
    for obj in objects:
        tree = ast.parse(textwrap.dedent(inspect.getsource(obj)))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                own_names.add(node.name)
                own_attributes.add(node.name)  # a method, called on its object
            elif isinstance(node, ast.arg):
                own_names.add(node.arg)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                own_names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                own_attributes.add(node.attr)
            elif isinstance(node, ast.ImportFrom) and node.level > 0:
                own_names.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name):
                    names.add(node.func.id)
                elif isinstance(node.func, ast.Attribute):
                    attributes.add(node.func.attr)
    return (names - own_names - set(dir(builtins))) | (attributes - own_attributes)


def _is_docstring(node) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )
