"""Numbers in the site's prose that repeat a constant of the code (tests/test_prose_numbers.py).

A page's prose is what a reader reads as text: a gallery script's docstring
and comments, a MyST page's text outside its code, the README. A number in it
(digits, or words: "ten", "a fifth", "three times") that equals a constant of
the code is a copy, which goes stale when the code changes: it must be
formatted from the constant where the code prints, or the sentence rewritten
so that it needs none.

The constants are those of the page's own code (literals assigned to a name,
literal arguments of calls, parameter defaults and slice bounds) and the
module-level constants of every ``nnguide`` module that code imports; a page
without code (the README, the install page) is held to the whole package's.
Not counted: 0, 1 and 2 (a pair, a step, a first), years, version numbers,
anything inside code, math, links or HTML, and the sizes of figures.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Values too common in prose to be copies of anything.
IGNORED = {0, 1, 2}

WORDS = {
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "dozen": 12,
}  # fmt: skip
FRACTIONS = {
    "half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
}  # fmt: skip
#: Names after which a number is a version ("Python 3.11", "PyTorch 2.2", "Keras 3").
VERSIONED = r"(?:Python|PyTorch|torch|NumPy|numpy|torchvision|Keras|keras|matplotlib|SciPy|scipy|Sphinx|CUDA|Chromium|pip|setuptools|ruff|nox|pytest|myst-nb|sphinx-gallery)"  # noqa: E501

_NUMBER = re.compile(
    r"(?<![\w.])(?P<num>\d{1,3}(?:,\d{3})+(?![\d])|\d+(?:_\d{3})*)(?P<frac>\.\d+)?"
    r"(?P<exp>e-?\d+)?(?![\w.]\d)(?P<pct>\s?%)?"
)
_WORD = re.compile(
    r"\b(?:(?P<article>a|one) (?P<fraction>" + "|".join(FRACTIONS) + r")\b"
    r"|(?P<word>" + "|".join(WORDS) + r")\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Hit:
    """A number of a page's prose that equals a constant of the code."""

    page: str
    number: str
    value: float
    sentence: str
    constant: str

    def __str__(self) -> str:
        return f'{self.page}: "{self.number}" equals {self.constant}, in: {self.sentence}'


# --- prose -------------------------------------------------------------------------------


def gallery_prose(source: str) -> str:
    """A gallery script's docstring and comments (its text blocks are comments)."""
    tree = ast.parse(source)
    parts = [ast.get_docstring(tree, clean=False) or ""]
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        text = token.string[1:].removeprefix(" ")  # keeps the indentation of a directive
        if text.startswith(("%%", "sphinx_gallery_", "noqa", "fmt:", "type:")):
            continue
        parts.append(text)
    return rst_text("\n".join(parts))


def rst_text(text: str) -> str:
    """reStructuredText less its code, math, roles' targets and links; headings end in a stop."""
    text = re.sub(r"(?m)^(.+)\n[=\-~^]{3,}$", r"\1.", text)
    text = re.sub(r"(?ms)^(\.\. (?:math|code-block|code)::.*?)(?=^\S|\Z)", "", text)
    text = re.sub(r":\w+:`[^`]*`", " ", text)  # :math:`...`, :func:`...`
    text = re.sub(r"``[^`]*``", " ", text)
    text = re.sub(r"`[^`<]*<[^>]*>`_+", " ", text)  # `text <url>`_
    return re.sub(r"https?://\S+", " ", text)


def markdown_prose(source: str) -> str:
    """A Markdown (MyST) page's text: no front matter, fenced blocks, code, math or links."""
    source = re.sub(r"\A---\n.*?\n---\n", "", source, flags=re.S)
    lines, fence = [], None
    for line in source.splitlines():
        opening = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence is None and opening:
            fence = opening.group(1)
            continue
        if fence is not None:
            if line.strip() == fence:
                fence = None
            continue
        if re.match(r"^\s*:[\w-]+:", line):  # a directive's option
            continue
        lines.append(line)
    text = "\n".join(lines)
    text = re.sub(r"(?m)^#+ (.*)$", r"\1.", text)  # a heading: a sentence of its own
    text = re.sub(r"(?s)\$\$.*?\$\$", " ", text)
    text = re.sub(r"\$[^$\n]+\$", " ", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", " ", text)  # {doc}`...`, {math}`...`
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)  # [text](url)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"https?://\S+", " ", text)


def markdown_code(source: str) -> str:
    """The code of a MyST page's code cells (IPython's magics left out)."""
    cells = re.findall(r"(?ms)^```\{code-cell\}[^\n]*\n(.*?)^```", source)
    code = []
    for cell in cells:
        code += [ln for ln in cell.splitlines() if not re.match(r"\s*(:\w+:|[%!])", ln)]
    return "\n".join(code)


# --- numbers -----------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """The sentences of ``text``, paragraph by paragraph."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text):
        paragraph = " ".join(paragraph.split())
        out += [s for s in re.split(r"(?<=[.!?:;])\s+(?=[A-Z(*])", paragraph) if s]
    return out


def numbers(sentence: str) -> list[tuple[str, float]]:
    """``(as written, value)`` of each number in a sentence, digits or words, in order.

    A percentage counts as itself and as a fraction ("20%": 20 and 0.2).
    """
    found = []
    for m in _NUMBER.finditer(sentence):
        before = sentence[: m.start()]
        if re.search(VERSIONED + r"\s*(?:>=|==|<)?\s*$", before) or before.endswith(("v", "V")):
            continue
        if re.search(r"[A-Za-z]-$", before):
            continue  # part of a name: SHA-256
        if m.group("frac") and re.match(r"\.\d", sentence[m.end() :]):
            continue  # 3.11.2: a version
        written = m.group(0).strip()
        value = float(m.group("num").replace(",", "").replace("_", "") + (m.group("frac") or ""))
        if m.group("exp"):
            value *= 10.0 ** int(m.group("exp")[1:])
        if not m.group("frac") and not m.group("pct") and 1900 <= value <= 2100:
            continue  # a year
        found.append((m.start(), written, value))
        if m.group("pct"):
            found.append((m.start(), written, value / 100))
    for m in _WORD.finditer(sentence):
        if m.group("fraction"):
            found.append((m.start(), m.group(0), 1 / FRACTIONS[m.group("fraction").lower()]))
        else:
            found.append((m.start(), m.group(0), float(WORDS[m.group("word").lower()])))
    return [(w, v) for _, w, v in sorted(found) if v not in IGNORED]


# --- constants ---------------------------------------------------------------------------

#: Matplotlib's drawing calls and styling arguments: sizes of a figure, not of a computation.
DRAWING = {
    "subplots", "plot", "semilogy", "barh", "bar", "text", "set", "axhline", "axvline",
    "imshow", "legend", "grid", "scatter", "hist", "set_xticks", "set_yticks", "figure",
}  # fmt: skip
STYLE = {"figsize", "markersize", "linewidth", "fontsize", "alpha", "precision", "dpi"}


def _literals(node: ast.AST) -> list[float]:
    """The numbers of a literal: a number, a negated one, a tuple or list of literals, or a
    choice between literals (``1 if short else 10``); nothing for any other expression."""
    if isinstance(node, ast.Constant):
        return [node.value] if _is_number(node.value) else []
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return [-v for v in _literals(node.operand)]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return [v for element in node.elts for v in _literals(element)]
    if isinstance(node, ast.Dict):
        return [v for value in node.values for v in _literals(value)]
    if isinstance(node, ast.IfExp):
        return _literals(node.body) + _literals(node.orelse)
    return []


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def code_constants(source: str, where: str) -> dict[float, str]:
    """A page's constants: literals assigned to a name, call arguments, defaults, slice bounds."""
    tree = ast.parse(source)
    found: dict[float, str] = {}

    def add(values, what):
        for v in values:
            found.setdefault(float(v), what)

    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            add(_literals(node.value), f"{where}'s {ast.unparse(target)}")
        elif isinstance(node, ast.Call):
            call = ast.unparse(node.func)
            if getattr(node.func, "attr", None) in DRAWING:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg not in STYLE)]:
                add(_literals(arg), f"an argument of {call}() in {where}")
        elif isinstance(node, (ast.FunctionDef, ast.Lambda)):
            args = node.args
            for default in [*args.defaults, *(d for d in args.kw_defaults if d)]:
                add(_literals(default), f"a default in {where}")
        elif isinstance(node, ast.Slice):
            for bound in (node.lower, node.upper, node.step):
                if bound is not None:
                    add(_literals(bound), f"a slice bound in {where}")
    return found


def _module_path(name: str) -> Path | None:
    """The file of an ``nnguide`` module or package, or None."""
    base = ROOT.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imported(tree: ast.AST) -> set[str]:
    """The ``nnguide`` modules a piece of code imports, with their parent packages."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}  # a submodule, maybe
    found = set()
    for name in names:
        parts = name.split(".")
        found |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return {n for n in found if n.split(".")[0] == "nnguide" and _module_path(n)}


def imported_modules(code: str) -> set[str]:
    """Every ``nnguide`` module that running ``code`` imports, directly or not."""
    todo, seen = list(_imported(ast.parse(code))), set()
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += _imported(ast.parse(_module_path(name).read_text(encoding="utf-8")))
    return seen


def all_modules() -> set[str]:
    """Every module of the package."""
    return {
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in (ROOT / "nnguide").rglob("*.py")
    }


def module_constants(names: set[str]) -> dict[float, str]:
    """The module-level constants of the named ``nnguide`` modules, by value."""
    found: dict[float, str] = {}
    for name in sorted(names):
        for stmt in ast.parse(_module_path(name).read_text(encoding="utf-8")).body:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                target = stmt.targets[0] if isinstance(stmt, ast.Assign) else stmt.target
                for v in _literals(stmt.value):
                    found.setdefault(float(v), f"{name}.{ast.unparse(target)}")
    return found


# --- pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    name: str
    prose: str
    code: str


def pages() -> list[Page]:
    """Every page a reader reads: gallery scripts, MyST pages, the README and headers."""
    out = []
    for path in sorted((ROOT / "gallery").glob("*.py")):
        source = path.read_text(encoding="utf-8")
        out.append(Page(f"gallery/{path.name}", gallery_prose(source), source))
    for path in sorted((ROOT / "gallery").glob("*.rst")):
        out.append(Page(f"gallery/{path.name}", rst_text(path.read_text(encoding="utf-8")), ""))
    for path in [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md"]:
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(ROOT))
        out.append(Page(name, markdown_prose(source), markdown_code(source)))
    return out


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b))


def constants(page: Page) -> dict[float, str]:
    """What a page's prose may not copy: its code's constants and those of the modules that
    code imports; for a page without code, which speaks of the whole package, the package's."""
    if not page.code.strip():
        return module_constants(all_modules())
    return {**module_constants(imported_modules(page.code)), **code_constants(page.code, page.name)}


def page_hits(page: Page) -> list[Hit]:
    """Each number of ``page``'s prose that equals a constant of its code (:func:`constants`)."""
    known = constants(page)
    hits = []
    for sentence in sentences(page.prose):
        for written, value in numbers(sentence):
            for constant, what in known.items():
                if close(value, constant):
                    hits.append(Hit(page.name, written, value, sentence, what))
                    break
    return hits
