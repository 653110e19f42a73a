"""What the site computes and draws from results: metrics, tables, code size, figures."""

import numpy as np
import pytest

from nnguide.lab import codesize, metrics
from nnguide.lab.tables import Table, markdown_table


def test_confusion_matrix_counts_pairs():
    true = np.array([0, 0, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 0, 0])
    matrix = metrics.confusion_matrix(true, pred, n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [2, 0, 1]]
    assert matrix.sum() == 6 and np.trace(matrix) == 3
    assert metrics.accuracy(true, pred) == 0.5
    assert metrics.top_confusions(matrix, k=2) == [(2, 2, 0), (1, 0, 1)]
    with pytest.raises(ValueError, match="differ in shape"):
        metrics.confusion_matrix(true, pred[:3])


def documented_function(x):
    """A docstring of
    two lines."""
    # a comment
    y = sum(
        [x, 1]
    )  # fmt: skip

    return y


def test_code_lines_skips_docstrings_comments_and_blanks():
    # the def line, the three lines of the continued statement, the return
    assert codesize.code_lines(documented_function) == 5


def test_tables_as_markdown_and_html():
    assert markdown_table(["a", "b"], [[1, "<x>"]]) == "| a | b |\n| --- | --- |\n| 1 | <x> |"
    table = Table(["a", "b"], [[1, "<x>"]])
    assert str(table) == markdown_table(["a", "b"], [[1, "<x>"]])
    assert "<td>&lt;x&gt;</td>" in table._repr_html_()  # cells are escaped


def test_figures_are_drawn():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from nnguide.lab import plots
    from nnguide.lab.history import EpochRecord, History
    from nnguide.scratch.autograd import Tensor

    history = History(
        config={},
        dataset="MNIST",
        epochs=[EpochRecord(1, 0.5, 0.4, 0.9, 1.0), EpochRecord(2, 0.3, 0.3, 0.95, 1.0)],
        step_losses=list(np.linspace(1, 0.1, 120)),
    )
    figures = [
        plots.learning_curves({"run": history}),
        plots.step_losses({"run": history}),
        plots.confusion(np.eye(10, dtype=int) * 5),
        plots.digits(np.zeros((3, 28, 28)), [1, 2, 3], [1, 2, 4]),
    ]
    w = Tensor(np.ones((2, 2)), requires_grad=True)
    loss = (w * 3).sum()
    loss.backward()
    figures.append(plots.computation_graph(loss))
    for fig in figures:
        assert fig.axes
