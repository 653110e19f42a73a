"""The figures the site draws from training runs (matplotlib, imported on use)."""

from __future__ import annotations

import numpy as np


def _plt():
    import matplotlib.pyplot as plt

    return plt


def learning_curves(histories: dict, *, title: str | None = None):
    """Train loss and test accuracy per epoch, one line per run.

    Parameters
    ----------
    histories : dict
        Label of each run to its :class:`nnguide.lab.history.History`.
    title : str, optional
        The figure's title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, (loss_ax, acc_ax) = _plt().subplots(1, 2, figsize=(9, 3.4))
    for label, history in histories.items():
        epochs = [e.epoch for e in history.epochs]
        loss_ax.plot(epochs, [e.train_loss for e in history.epochs], "o-", label=label)
        acc_ax.plot(epochs, [100 * e.test_accuracy for e in history.epochs], "o-", label=label)
    loss_ax.set(xlabel="epoch", ylabel="mean training loss", yscale="log")
    acc_ax.set(xlabel="epoch", ylabel="test accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.grid(alpha=0.3)
        ax.xaxis.get_major_locator().set_params(integer=True)
    acc_ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def step_losses(histories: dict, *, window: int = 50, title: str | None = None):
    """The loss of every training step, smoothed by a moving average of ``window`` steps."""
    fig, ax = _plt().subplots(figsize=(9, 3.2))
    for label, history in histories.items():
        losses = np.asarray(history.step_losses)
        smooth = np.convolve(losses, np.ones(window) / window, mode="valid")
        ax.plot(np.arange(window, len(losses) + 1), smooth, label=label, linewidth=1.2)
    ax.set(xlabel="training step", ylabel=f"loss ({window}-step average)", yscale="log")
    ax.grid(alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def confusion(matrix: np.ndarray, *, title: str | None = None):
    """A confusion matrix (see :func:`nnguide.lab.metrics.confusion_matrix`) as a heat map."""
    fig, ax = _plt().subplots(figsize=(5, 4.4))
    # Log colours: the diagonal holds ~1000 per class, mistakes a handful.
    image = ax.imshow(np.log1p(matrix), cmap="Blues")
    n = len(matrix)
    for i in range(n):
        for j in range(n):
            color = "white" if i == j else "black"
            ax.text(j, i, matrix[i, j], ha="center", va="center", fontsize=7, color=color)
    ax.set(xticks=range(n), yticks=range(n), xlabel="predicted", ylabel="true")
    image.set_clim(0, np.log1p(matrix.max()))
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def digits(images, true, predicted, *, n: int = 24, columns: int = 8, title: str | None = None):
    """A grid of digit images, each captioned 'true -> predicted'."""
    n = min(n, len(images))
    rows = -(-n // columns)
    fig, axes = _plt().subplots(rows, columns, figsize=(1.1 * columns, 1.3 * rows))
    for k, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if k < n:
            ax.imshow(images[k], cmap="gray_r")
            ax.set_title(f"{true[k]} → {predicted[k]}", fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def computation_graph(tensor, *, title: str | None = None, names: dict | None = None):
    """Draw the graph an :mod:`nnguide.scratch.autograd` tensor was computed by.

    Each box is a node: its name where ``names`` (name -> tensor) gives one,
    its operation (or "leaf"/"constant"), its value (a
    single number) or its value's shape, and its gradient's shape once
    ``backward`` has run (leaves keep theirs, other nodes only after
    ``retain_grad()``). The leaves are at the top and the output at the bottom;
    arrows show the forward direction, and the backward pass runs against them.
    """
    plt = _plt()
    depth, order = {}, []
    named = {id(t): n for n, t in (names or {}).items()}  # by identity: tensors are arrays

    def visit(node, d):  # depth = the longest path from the output
        if depth.get(id(node), -1) < d:
            if id(node) not in depth:
                order.append(node)
            depth[id(node)] = d
            for parent in node.parents:
                visit(parent, d + 1)

    visit(tensor, 0)
    levels = max(depth.values()) + 1
    rows: dict[int, int] = {}
    position = {}
    for node in order:
        column = levels - 1 - depth[id(node)]
        position[id(node)] = (column, rows.get(column, 0))
        rows[column] = rows.get(column, 0) + 1
    width = max(rows.values())
    # Drawn top to bottom, leaves first and the output last: a tall, narrow
    # figure stays readable in a page's column and on a phone.
    fig, ax = plt.subplots(figsize=(2.4 * width + 0.6, 1.25 * levels + 0.4))
    for node in order:
        x, y = position[id(node)]
        for parent in node.parents:
            px, py = position[id(parent)]
            ax.annotate(
                "",
                xy=(y, -x + 0.3),
                xytext=(py, -px - 0.3),
                arrowprops=dict(arrowstyle="->", color="gray"),
            )
        name = node.op or ("leaf" if node.requires_grad else "constant")
        if id(node) in named:
            name = f"{named[id(node)]} ({name})"
        value = f"= {node.data.item():.4g}" if node.data.size == 1 else f"value {node.shape}"
        grad = "grad —" if node.grad is None else f"grad {node.grad.shape}"
        color = "#cfe3f7" if node.requires_grad else "#eeeeee"
        ax.text(
            y,
            -x,
            f"{name}  {value}\n{grad}",
            ha="center",
            va="center",
            fontsize=10,
            color="black",
            bbox=dict(boxstyle="round", facecolor=color, edgecolor="gray"),
        )
    ax.set_xlim(-0.7, width - 0.3)
    ax.set_ylim(-levels + 0.5, 0.5)
    ax.axis("off")
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
