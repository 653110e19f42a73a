"""Every "one-line change" the comparison page shows runs and trains.

The snippets are read from the page's source (docs/comparison.md, its
Flexibility section), not retyped here: each line of each tab runs on its own
against the page's baseline (a sigmoid network trained by SGD with momentum),
must change the model or the optimizer it assigns, and the result must train
one step that moves the weights.
"""

import ast
import re
from pathlib import Path

import numpy as np
import pytest
import torch

from nnguide import pytorch, scratch

PAGE = Path(__file__).resolve().parents[1] / "docs" / "comparison.md"
SECTION = "## Flexibility"
TAB = re.compile(r":sync: (\w+)\s*\n\s*```python\n(.*?)```", re.DOTALL)


def shown_snippets() -> dict[str, list[str]]:
    """The code lines of each tab ("numpy", "pytorch") of the page's Flexibility section."""
    text = PAGE.read_text(encoding="utf-8")
    if SECTION not in text:
        raise AssertionError(f"{PAGE.name} has no '{SECTION}' section")
    section = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    tabs = {
        side: [line for line in code.splitlines() if line.strip()]
        for side, code in TAB.findall(section)
    }
    if set(tabs) != {"numpy", "pytorch"}:
        raise AssertionError(f"{PAGE.name}'s '{SECTION}' shows code for {sorted(tabs)}")
    return tabs


SNIPPETS = [(side, line) for side, lines in shown_snippets().items() for line in lines]


def sgd(side: str, model):
    """The baseline's optimizer for ``model``: SGD with momentum."""
    if side == "numpy":
        return scratch.SGD(model.parameters(), 0.1, momentum=0.9)
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)


def baseline(side: str) -> dict:
    """The page's baseline on ``side``: the names a snippet uses, and the model and optimizer."""
    model = (scratch if side == "numpy" else pytorch).MLP((784, 128, 10), "sigmoid")
    return dict(
        scratch=scratch, pytorch=pytorch, torch=torch, model=model, optimizer=sgd(side, model)
    )


def describe(name: str, value) -> tuple:
    """What a change can change: a model's class, sizes and activation; an optimizer's class."""
    if name == "model":
        return type(value), tuple(value.sizes), value.activation
    return (type(value),)


def weights(side: str, model) -> list[np.ndarray]:
    params = model.parameters()
    return [(p.detach().numpy() if side == "pytorch" else p).copy() for p in params]


@pytest.mark.parametrize(("side", "snippet"), SNIPPETS, ids=[f"{s}: {c}" for s, c in SNIPPETS])
def test_snippet_changes_what_it_says_and_trains(side, snippet):
    targets = [t.id for node in ast.parse(snippet).body for t in node.targets]
    assert targets in (["model"], ["optimizer"]), f"{snippet!r} assigns {targets}, not one change"
    name = targets[0]
    space = baseline(side)
    before = describe(name, space[name])
    exec(snippet, space)
    assert describe(name, space[name]) != before, f"{snippet!r} leaves the {name} as it was"
    model, optimizer = space["model"], space["optimizer"]
    if name == "model":  # the baseline optimizer holds the old model's parameters
        optimizer = sgd(side, model)
    rng = np.random.default_rng(0)
    x = rng.random((8, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=8)
    start = weights(side, model)
    if side == "numpy":
        loss = scratch.train_step(model, optimizer, x, y)
    else:
        loss = pytorch.train_step(model, optimizer, torch.from_numpy(x), torch.from_numpy(y))
    assert np.isfinite(loss), f"{snippet!r}: the step's loss is {loss}"
    moved = [not np.array_equal(a, b) for a, b in zip(start, weights(side, model))]
    assert all(moved), f"{snippet!r}: one step left parameters {moved} unchanged"


def test_both_sides_show_the_same_changes():
    """Each change appears on both tabs, in the same order (the comments name it)."""
    tabs = shown_snippets()
    comments = {
        side: [line.split("#", 1)[-1].strip() for line in lines] for side, lines in tabs.items()
    }
    assert comments["numpy"] == comments["pytorch"], f"the tabs show different changes: {comments}"
