"""What the site computes and draws from results: metrics, tables, code size, figures."""

import re
from html.parser import HTMLParser

import numpy as np
import pytest

from nnguide.lab import codesize, metrics
from nnguide.lab.tables import Table, markdown_table


def test_confusion_matrix_counts_pairs():
    true = np.array([0, 0, 1, 2, 2, 2])
    pred = np.array([0, 1, 1, 2, 0, 0])
    matrix = metrics.confusion_matrix(true, pred, n_classes=3)
    assert matrix.tolist() == [[1, 1, 0], [0, 1, 0], [2, 0, 1]]
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


class Cells(HTMLParser):
    """The text of every header and body cell of an HTML table, and the wrapper's attributes."""

    def __init__(self):
        super().__init__()
        self.header, self.rows, self.wrapper, self._cell = [], [], None, None
        self.numbers = []  # the text of each cell marked as a number

    def handle_starttag(self, tag, attrs):
        if tag == "div" and self.wrapper is None:
            self.wrapper = dict(attrs)
        elif tag == "tr" and self.header:
            self.rows.append([])
        elif tag in ("th", "td"):
            self._cell = tag
            self._number = "nnguide-number" in (dict(attrs).get("class") or "").split()

    def handle_data(self, data):
        if self._cell and self._number:
            self.numbers.append(data)
        if self._cell == "th":
            self.header.append(data)
        elif self._cell == "td":
            self.rows[-1].append(data)
        self._cell = None


def test_tables_as_markdown_and_html():
    assert markdown_table(["a", "b"], [[1, "<x>"]]) == "| a | b |\n| --- | --- |\n| 1 | <x> |"
    table = Table(["a", "b"], [[1, "<x>"]])
    assert str(table) == markdown_table(["a", "b"], [[1, "<x>"]])
    cells = Cells()
    cells.feed(table._repr_html_())
    assert cells.header == ["a", "b"]
    assert cells.rows == [["1", "<x>"]]  # escaped in the HTML: the parser reads the cell back
    assert "&lt;x&gt;" in table._repr_html_()
    # The theme's wrapper: a wide table scrolls on its own, reachable by keyboard.
    assert cells.wrapper == {"class": "pst-scrollable-table-container", "tabindex": "0"}


def test_numeric_columns_align_right_and_text_columns_left():
    rows = [
        ["NumPy", "0.44 [0.40, 0.46]", "1,000 bytes", "2.14.1", 3, "–"],
        ["PyTorch, eager", "1.20 [1.09, 1.43]", "12 bytes", "torch 2.14", 0.5, "–"],
        ["onnxruntime", "–", "", "1.2", "(1 thr.)", "–"],
    ]
    table = Table(["route", "ratio", "size", "version", "mixed", "nothing"], rows)
    cells = Cells()
    cells.feed(table._repr_html_())
    # a dash or an empty cell does not make a column text; a version or a word does
    assert cells.numbers == [
        "ratio", "size", "0.44 [0.40, 0.46]", "1,000 bytes", "1.20 [1.09, 1.43]",
        "12 bytes", "–",
    ]  # fmt: skip
    assert 'class="table nnguide-table"' in table._repr_html_()  # the stylesheet's hook


def test_the_stylesheet_aligns_table_text_left_and_numbers_right():
    from pathlib import Path

    css = (Path(__file__).parents[1] / "docs" / "_static" / "nnguide.css").read_text()
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    rules = {" ".join(k.split()): " ".join(v.split()) for k, v in rules.items()}
    assert rules["table.nnguide-table th, table.nnguide-table td"] == "text-align: left;"
    number = "table.nnguide-table th.nnguide-number, table.nnguide-table td.nnguide-number"
    assert rules[number] == "text-align: right;"


def test_prose_shows_a_paragraph_per_blank_line_separated_block():
    from nnguide.lab.tables import Prose

    prose = Prose("**One** <first>\nstill the first.\n\n  The second.\n \nThe third.\n\n")
    paragraphs = re.findall(r'<p class="nnguide-prose">(.*?)</p>', prose._repr_html_(), re.S)
    assert paragraphs == [
        "<strong>One</strong> &lt;first&gt;\nstill the first.",
        "The second.",
        "The third.",
    ]
    assert "".join(f'<p class="nnguide-prose">{p}</p>' for p in paragraphs) == prose._repr_html_()
    assert prose._repr_markdown_() == prose.text  # Markdown reads the blank lines itself


@pytest.fixture
def pyplot():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    yield plt
    plt.close("all")


def test_learning_curves_draw_each_epochs_figures(pyplot):
    from nnguide.lab import plots
    from nnguide.lab.history import EpochRecord, History

    history = History(
        config={},
        dataset="MNIST",
        epochs=[EpochRecord(1, 0.5, 0.4, 0.9, 1.0), EpochRecord(2, 0.3, 0.3, 0.95, 1.0)],
    )
    loss_ax, accuracy_ax = plots.learning_curves({"run": history}).axes
    (loss,), (accuracy,) = loss_ax.lines, accuracy_ax.lines
    assert list(loss.get_xdata()) == [1, 2] and list(loss.get_ydata()) == [0.5, 0.3]
    assert list(accuracy.get_xdata()) == [1, 2] and list(accuracy.get_ydata()) == [90, 95]
    assert loss_ax.get_yscale() == "log"
    assert [t.get_text() for t in accuracy_ax.get_legend().get_texts()] == ["run"]


def test_step_losses_are_a_moving_average(pyplot):
    from nnguide.lab import plots
    from nnguide.lab.history import History

    losses = np.linspace(1, 0.1, 120)  # falling by 0.9 / 119 a step
    history = History(config={}, dataset="MNIST", step_losses=list(losses))
    (line,) = plots.step_losses({"run": history}, window=50).axes[0].lines
    # Each point averages the 50 steps up to it: on a straight line, the value 24.5 steps back.
    np.testing.assert_array_equal(line.get_xdata(), np.arange(50, 121))
    np.testing.assert_allclose(line.get_ydata(), losses[49:] + 24.5 * 0.9 / 119, rtol=1e-12)


def test_confusion_matrix_figure_writes_every_count(pyplot):
    from nnguide.lab import plots

    matrix = np.arange(9).reshape(3, 3)
    (ax,) = plots.confusion(matrix).axes
    assert [t.get_text() for t in ax.texts] == [str(n) for n in range(9)]  # row by row
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("predicted", "true")
    np.testing.assert_allclose(ax.images[0].get_array(), np.log1p(matrix))


def test_digits_are_captioned_true_then_predicted(pyplot):
    from nnguide.lab import plots

    axes = plots.digits(np.zeros((3, 28, 28)), [1, 2, 3], [1, 2, 4]).axes
    assert len(axes) == 8  # one row of 8 columns
    assert [ax.get_title() for ax in axes[:3]] == ["1 → 1", "2 → 2", "3 → 4"]
    assert [len(ax.images) for ax in axes] == [1, 1, 1, 0, 0, 0, 0, 0]


def test_computation_graph_draws_every_node_and_edge(pyplot):
    from nnguide.lab import plots
    from nnguide.scratch.autograd import Tensor

    w = Tensor(np.ones((2, 2)), requires_grad=True)
    loss = (w * 3).sum()
    loss.backward()
    ax = plots.computation_graph(loss).axes[0]
    boxes = sorted(t.get_text() for t in ax.texts if t.get_text())
    assert boxes == [
        "constant  = 3\ngrad —",
        "leaf  value (2, 2)\ngrad (2, 2)",
        "mul  value (2, 2)\ngrad —",
        "sum  = 12\ngrad —",
    ]
    arrows = [t for t in ax.texts if not t.get_text()]
    assert len(arrows) == 3  # w -> mul, 3 -> mul, mul -> sum


def test_computation_graph_names_the_tensors_it_is_given(pyplot):
    from nnguide.lab import plots
    from nnguide.scratch.autograd import Tensor

    w = Tensor(np.ones((2, 2)), requires_grad=True)
    ax = plots.computation_graph((w * 3).sum(), names={"W": w}).axes[0]
    boxes = [t.get_text() for t in ax.texts if t.get_text()]
    assert "W (leaf)  value (2, 2)\ngrad —" in boxes, boxes
