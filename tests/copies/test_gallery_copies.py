"""A page downloaded from the site runs with nothing of this repository.

Each downloadable notebook runs from a copy in an empty folder, in a fresh
virtualenv that starts with nothing but the kernel; its own first cell
installs nnguide from the built wheel. Each downloadable script is the
gallery's source (the one the docs build ran) and holds its notebook's code,
so the notebook's run is the script's too; ``--scripts`` also runs the scripts.
"""

import ast

import pytest
from copy_runs import GALLERY, PAGE_IMPORTS, PAGES, code_cells, the_download

SETUP_MARKER = "# Setup: this notebook needs the nnguide package"
NO_SOURCE_MESSAGE = "This notebook needs nnguide[gallery]"


def without_docstring(tree: ast.Module) -> ast.Module:
    """``tree`` less its docstring, which becomes the notebook's first text cell."""
    body = tree.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        tree.body = body[1:]
    return tree


@pytest.mark.parametrize("page", PAGES)
def test_script_is_the_gallery_source(page, script):
    assert script.read_bytes() == (GALLERY / script.name).read_bytes(), (
        f"the site's {script.name} is not gallery/{script.name}: rebuild the docs"
    )


@pytest.mark.parametrize("page", PAGES)
def test_script_holds_its_notebook_code(page, script, notebook):
    """Compared as syntax trees: comments and prose do not count; the setup cell is extra."""
    tree = without_docstring(ast.parse(script.read_text(encoding="utf-8")))
    cells = ast.parse("\n".join(code_cells(notebook)[1:]))
    assert ast.dump(cells) == ast.dump(tree), (
        f"{notebook.name} does not hold the code of {script.name}: rebuild the docs"
    )


@pytest.mark.parametrize("page", PAGES)
def test_first_cell_is_the_one_setup_cell(page, notebook, downloads):
    setup = code_cells(notebook)[0]
    assert setup.startswith(SETUP_MARKER), f"{notebook.name} has no setup cell: rebuild the docs"
    first = the_download(downloads, f"{PAGES[0]}.ipynb")
    assert setup == code_cells(first)[0], (
        f"{notebook.name}'s setup cell differs from {first.name}'s: rebuild the docs"
    )


def test_fresh_virtualenv_lacks_what_the_pages_import(fresh_venv):
    assert fresh_venv.present_at_start == [], (
        f"the fresh virtualenv already has {fresh_venv.present_at_start} of {PAGE_IMPORTS}"
    )


def test_without_install_source_the_first_cell_stops_with_one_line(no_source_run):
    assert no_source_run.error is not None, "the notebook ran on with no install source"
    errors = [o for o in no_source_run.notebook.cells[0].outputs if o.output_type == "error"]
    assert len(errors) == 1, f"the setup cell did not stop:\n{no_source_run.error}"
    shown = errors[0].traceback  # what Jupyter shows: one line, no traceback
    assert len(shown) == 1 and NO_SOURCE_MESSAGE in shown[0], f"the setup cell showed {shown}"


@pytest.mark.parametrize("page", PAGES)
def test_notebook_runs_from_a_copy(page, notebook_runs):
    run = notebook_runs[page]
    assert run.error is None, f"{run.name} failed from a copy:\n{run.error}"


@pytest.mark.parametrize("page", PAGES)
def test_script_runs_from_a_copy(page, script_runs):
    run = script_runs[page]
    assert run.error is None, f"{run.name} failed from a copy:\n{run.error}"


# -- A short run says what ran --------------------------------------------------------------


def short_value(source: str, name: str):
    """The value ``name`` takes in a short run: ``NAME = SHORT if settings.short_run() else ...``.

    A ``slice(n)`` gives ``n``. Read from the page's own source, never retyped here.
    """
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == name:
            value = node.value
            if isinstance(value, ast.IfExp) and "short_run" in ast.unparse(value.test):
                short = value.body
                if isinstance(short, ast.Call) and ast.unparse(short.func) == "slice":
                    short = short.args[0]
                return ast.literal_eval(short)
    raise AssertionError(f"no short-run value of {name} in the page")


def module_constant(path, name: str):
    """A module-level constant of a source file (one of a tuple assignment too)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            names = [ast.unparse(t) for t in getattr(node.targets[0], "elts", [node.targets[0]])]
            if name in names:
                values = ast.literal_eval(node.value)
                return values[names.index(name)] if len(names) > 1 else values
    raise AssertionError(f"no constant {name} in {path}")


def what_a_short_run_says(page: str) -> list[str]:
    """The words the outputs of ``page`` hold when it ran short (NNGUIDE_SHORT_RUN=1)."""
    source = (GALLERY / f"{page}.py").read_text(encoding="utf-8")
    if page == "plot_07_same_network_twice":
        return [f"{short_value(source, 'TRAIN'):,} of the", "a short run"]
    if page in ("plot_05_mnist_scratch", "plot_06_mnist_pytorch"):
        return [f"After {short_value(source, 'EPOCHS')} epoch", "(a short run"]
    if page == "plot_11_nielsens_network":
        return [f"{short_value(source, 'EPOCHS')} (a short run)"]
    if page == "plot_10_inside_backward":
        return [f"of a {short_value(source, 'BUDGET'):.0f} s budget"]
    if page == "plot_12_more_processes":
        scale = GALLERY.parent / "nnguide" / "lab" / "scale" / "record.py"
        return [f"a short run: {module_constant(scale, 'SHORT_ROUNDS')} round"]
    if page == "plot_13_after_training":
        deploy = GALLERY.parent / "nnguide" / "lab" / "deploy_bench.py"
        images = f"{module_constant(deploy, 'SHORT_TRAIN_IMAGES'):,} images"
        budget = f"{module_constant(deploy, 'SHORT_BUDGET'):g} s"
        return [f"on {images} of", "(a short run)", f"trained on {images}, the routes timed "
                f"within {budget}"]  # fmt: skip
    runner = GALLERY.parent / "nnguide" / "lab" / "bench" / "runner.py"
    return [f"of a {module_constant(runner, 'SHORT_BUDGET'):.0f} s budget"]  # the speed page


def printed(notebook) -> str:
    """Everything a notebook's cells showed: streams and each output's text or Markdown."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            data = output.get("data", {})
            parts.append(data.get("text/markdown", "") or data.get("text/plain", ""))
    return "\n".join(parts)


SHORTENED = [
    "plot_05_mnist_scratch",
    "plot_06_mnist_pytorch",
    "plot_07_same_network_twice",
    "plot_09_speed",
    "plot_10_inside_backward",
    "plot_11_nielsens_network",
    "plot_12_more_processes",
    "plot_13_after_training",
]


@pytest.mark.parametrize("page", SHORTENED)
def test_a_short_run_says_what_ran(page, notebook_runs):
    run = notebook_runs[page]
    assert run.error is None, f"{run.name} failed from a copy:\n{run.error}"
    shown = printed(run.notebook)
    missing = [words for words in what_a_short_run_says(page) if words not in shown]
    assert not missing, f"{run.name}, run short, does not say {missing}"
