"""Each gallery cell shows only its last expression: a table or prose before it would vanish."""

import ast
import re
from pathlib import Path

import pytest

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
SHOWN = {"Prose", "Table", "SideBySide", "Listing"}  # objects that display themselves


def hidden_displays(source: str) -> list[int]:
    """Lines of display objects that a cell (``# %%``) computes but does not end with."""
    lines, offset = [], 0
    for cell in re.split(r"(?m)^# %%.*\n", source):
        for stmt in ast.parse(cell).body[:-1]:
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                name = getattr(func, "id", None) or getattr(func, "attr", "")
                if name in SHOWN or name.endswith("_table"):
                    lines.append(offset + stmt.lineno)
        offset += cell.count("\n") + 1
    return lines


@pytest.mark.parametrize("script", sorted(GALLERY.glob("plot_*.py")), ids=lambda p: p.stem)
def test_every_table_and_prose_ends_its_cell(script):
    assert hidden_displays(script.read_text(encoding="utf-8")) == []


def test_a_table_before_the_end_of_a_cell_is_found():
    cell = "# %%\nProse('shown?')\nTable(['a'], [[1]])\n"
    assert hidden_displays("x = 1\n" + cell) == [3]
