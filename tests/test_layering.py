"""The guide's layering: each side imports its own library and folder, nothing else.

The NumPy side runs on NumPy alone, even copied out of the package; neither
side imports the other, the lab, the data loader or the bridge.
"""

import ast
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "nnguide"

# What each folder of the guide may import, besides the standard library and itself.
ALLOWED = {"scratch": {"numpy"}, "pytorch": {"numpy", "torch"}}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of absolute imports; relative imports must stay in the folder."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level > 1:
                names.add("." * node.level + (node.module or ""))  # leaves the folder
            elif node.level == 0:
                names.add(node.module)
    return names


@pytest.mark.parametrize("side", sorted(ALLOWED))
def test_each_side_imports_its_library_and_itself(side):
    stdlib = sys.stdlib_module_names
    for path in sorted((PACKAGE / side).glob("*.py")):
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert not name.startswith(".."), f"{path.name} imports {name} outside its folder"
            assert top in ALLOWED[side] or top in stdlib or top == "__future__", (
                f"nnguide/{side}/{path.name} imports {name}"
            )


def run_python(code: str, cwd=None) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


FORBIDDEN = (
    "('nnguide.data', 'nnguide.lab', 'nnguide.pytorch', 'torch', 'pooch', 'tqdm', 'matplotlib')"
)


def test_importing_the_numpy_side_loads_numpy_only():
    out = run_python(
        f"""
        import sys
        import nnguide.scratch
        loaded = [m for m in sys.modules if m.split('.')[0] in ('torch', 'pooch', 'tqdm',
                  'matplotlib', 'scipy') or m.startswith({FORBIDDEN})]
        print(sorted(loaded))
        """
    )
    assert out.strip() == "[]"


def test_importing_the_pytorch_side_loads_neither_numpy_side_nor_lab():
    # (torch itself imports tqdm, so tqdm is not on this list.)
    out = run_python(
        """
        import sys
        import nnguide.pytorch
        print(sorted(m for m in sys.modules if m.startswith(('nnguide.scratch', 'nnguide.lab',
              'nnguide.data', 'nnguide.bridge', 'pooch', 'matplotlib'))))
        """
    )
    assert out.strip() == "[]"


def test_the_numpy_side_copied_anywhere_trains(tmp_path):
    shutil.copytree(PACKAGE / "scratch", tmp_path / "scratch")
    out = run_python(
        """
        import sys
        sys.modules['nnguide'] = None  # any import of the package would now fail
        import numpy as np
        import scratch

        rng = np.random.default_rng(0)
        x = rng.random((64, 784)).astype(np.float32)
        y = rng.integers(0, 10, size=64)
        model = scratch.MLP((784, 32, 10), "sigmoid", seed=0)
        optimizer = scratch.SGD(model.parameters(), lr=0.5, momentum=0.9)
        losses = [scratch.train_step(model, optimizer, x, y) for _ in range(20)]
        records = scratch.fit(model, optimizer, (x, y), (x, y), epochs=2, batch_size=16)
        others = [m for m in sys.modules if m.split('.')[0] in ('torch', 'pooch', 'tqdm',
                  'matplotlib', 'scipy')]
        print(losses[-1] < losses[0], len(records), others)
        """,
        cwd=tmp_path,
    )
    assert out.strip() == "True 2 []"
