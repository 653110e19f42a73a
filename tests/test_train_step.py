"""The training step a reader is shown is the step that runs, on both sides alike.

Each side's ``train_step`` computes the loss and gradients, checks the loss
against the run's first, then updates; ``fit`` runs exactly that step. A
diverging step raises before its update and leaves the weights (and the
optimizer's state) as they were. The PyTorch step and evaluation set the
module's mode themselves.
"""

import importlib
import re

import numpy as np
import pytest
import torch

from nnguide import pytorch, scratch

SIDES = ["scratch", "pytorch"]
LIBS = {"scratch": scratch, "pytorch": pytorch}


def make(side, activation="relu", sizes=(784, 16, 10)):
    if side == "scratch":
        return scratch.MLP(sizes, activation, seed=0, dtype=np.float64)
    return pytorch.MLP(sizes, activation, seed=0, dtype=torch.float64)


def batch(side, n=16, scale=1.0):
    x = np.random.default_rng(0).random((n, 784)) * scale
    y = np.arange(n) % 10
    return (x, y) if side == "scratch" else (torch.from_numpy(x), torch.from_numpy(y))


def weights(side, model):
    return [(p.detach().numpy() if side == "pytorch" else p).copy() for p in model.parameters()]


def optimizer_state(side, optimizer):
    """What an update would change besides the weights: momentum buffers, Adam's moments."""
    if side == "pytorch":
        return {k: {n: v.clone() for n, v in s.items()} for k, s in optimizer.state.items()}
    return {k: getattr(optimizer, k) for k in ("velocity", "m", "v", "t") if hasattr(optimizer, k)}


# Each way a step diverges: (what is tried, the batch's scale, first_loss, what the error says).
DIVERGING = [
    ("a NaN loss", float("nan"), None, "the loss is nan"),
    ("a loss far above the first", 1e4, 0.5, r"the loss is [\d.e+]+, against 0\.5 at the first"),
]


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize(
    ("name", "scale", "first_loss", "loss"), DIVERGING, ids=[d[0] for d in DIVERGING]
)
@pytest.mark.parametrize("side", SIDES)
def test_a_diverging_step_raises_before_its_update(side, name, scale, first_loss, loss, optimizer):
    lib = LIBS[side]
    model = make(side)
    momentum = 0.9 if optimizer == "sgd" else None
    opt = lib.make_optimizer(optimizer, model.parameters(), 0.1, momentum)
    lib.train_step(model, opt, *batch(side))  # a healthy step first: the optimizer has state
    before, state = weights(side, model), optimizer_state(side, opt)
    x, y = batch(side, scale=scale)
    with pytest.raises(lib.checks.TrainingDivergedError) as err:
        lib.train_step(model, opt, x, y, first_loss=first_loss, epoch=3, step=7)
    assert re.match(f"training diverged at epoch 3, step 7: {loss}", str(err.value))
    assert "such as 0.01 (now 0.1)" in str(err.value)  # a smaller learning rate to try
    for p, q in zip(weights(side, model), before):
        np.testing.assert_array_equal(p, q)
    after = optimizer_state(side, opt)
    assert after.keys() == state.keys()
    for key in state:
        a, b = state[key], after[key]
        if isinstance(a, dict):
            for n in a:
                torch.testing.assert_close(a[n], b[n], rtol=0, atol=0)
        elif isinstance(a, list):
            for u, v in zip(a, b):
                np.testing.assert_array_equal(u, v)
        else:
            assert a == b


@pytest.mark.parametrize("side", SIDES)
def test_the_check_compares_with_the_first_loss(side):
    """The loss that stops a run started at 0.5 is within bounds of a run started higher."""
    lib = LIBS[side]
    model = make(side)
    opt = lib.make_optimizer("sgd", model.parameters(), 1e-12)
    x, y = batch(side, scale=1e4)
    with pytest.raises(lib.checks.TrainingDivergedError):
        lib.train_step(model, opt, x, y, first_loss=0.5)
    value = lib.train_step(model, opt, x, y, first_loss=1e12)
    assert 10 < value < 1e13


@pytest.mark.parametrize("side", SIDES)
def test_a_step_within_bounds_updates_and_returns_its_loss(side):
    lib = LIBS[side]
    model = make(side)
    opt = lib.make_optimizer("sgd", model.parameters(), 0.1)
    before = weights(side, model)
    x, y = batch(side)
    value = lib.train_step(model, opt, x, y, first_loss=2.0, epoch=2, step=5)
    # The loss it returns is that of the weights before the update: a fresh model's.
    fresh = make(side)
    if side == "scratch":
        expected = fresh.loss_and_grads(x, y)[0]
    else:
        expected = torch.nn.functional.cross_entropy(fresh(x), y).item()
    assert value == pytest.approx(expected, rel=1e-12)
    assert all(not np.array_equal(p, q) for p, q in zip(weights(side, model), before))


@pytest.mark.parametrize("side", SIDES)
def test_fit_runs_its_sides_train_step(side, monkeypatch):
    """A wrapped ``train_step`` sees every step of ``fit``, with where it is in the run."""
    module = importlib.import_module(f"nnguide.{side}.train")
    calls, step = [], module.train_step

    def wrapped(*args, **kwargs):
        value = step(*args, **kwargs)
        calls.append((kwargs["epoch"], kwargs["step"], kwargs["first_loss"], value))
        return value

    monkeypatch.setattr(module, "train_step", wrapped)
    lib, model = LIBS[side], make(side)
    train = batch(side)
    records = lib.fit(
        model, lib.make_optimizer("sgd", model.parameters(), 0.1), train, train,
        epochs=2, batch_size=8,
    )  # fmt: skip
    first = calls[0][3]
    assert [c[:3] for c in calls] == [(1, 1, None), (1, 2, first), (2, 1, first), (2, 2, first)]
    assert [v for r in records for v in r["step_losses"]] == [c[3] for c in calls]


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("lr", [1e3, 1e6])
def test_fit_stops_a_diverging_run_before_the_bad_update(side, lr):
    lib = LIBS[side]
    x, y = batch(side, n=64)
    model = make(side, "sigmoid", sizes=(784, 64, 10))
    opt = lib.make_optimizer("sgd", model.parameters(), lr)
    seen = []
    original_step = opt.step

    def step(*args):  # remember the weights after every update
        original_step(*args)
        seen.append(weights(side, model))

    opt.step = step
    seen.append(weights(side, model))
    with pytest.raises(lib.checks.TrainingDivergedError, match=r"diverged at epoch \d+, step \d+"):
        lib.fit(model, opt, (x, y), (x, y), epochs=50, batch_size=8)
    for p, q in zip(weights(side, model), seen[-1]):  # the weights of before the bad step
        np.testing.assert_array_equal(p, q)
        assert np.isfinite(p).all()


def test_the_pytorch_step_trains_and_evaluate_evaluates():
    """``train_step`` sets training mode and ``evaluate`` evaluation mode, on every submodule."""
    model = make("pytorch")
    opt = pytorch.make_optimizer("sgd", model.parameters(), 0.1)
    x, y = batch("pytorch")
    model.eval()
    pytorch.train_step(model, opt, x, y)
    assert all(m.training for m in model.modules())
    pytorch.evaluate(model, x, y)
    assert not any(m.training for m in model.modules())  # and it stays so
    pytorch.train_step(model, opt, x, y)
    assert all(m.training for m in model.modules())


def test_dropout_acts_in_the_step_and_not_in_evaluate():
    """Why the mode matters: a dropout layer drops in training and passes all in evaluation."""
    model = make("pytorch")
    model.layers.insert(1, torch.nn.Dropout(p=0.5))
    opt = pytorch.make_optimizer("sgd", model.parameters(), 1e-9)
    x, y = batch("pytorch")
    model.train()
    logits = model(x).detach()
    loss, accuracy = pytorch.evaluate(model, x, y)
    expected = torch.nn.functional.cross_entropy(model(x), y).item()  # model is now in eval
    assert loss == pytest.approx(expected, rel=1e-12)
    assert not torch.equal(model(x), logits)  # in training, dropout changed the logits
    value = pytorch.train_step(model, opt, x, y)
    assert value != pytest.approx(expected, rel=1e-6)  # the step ran with dropout on


def test_two_calls_give_fresh_gradients():
    """No aliasing: a second call neither reuses nor changes the first call's arrays."""
    x, y = batch("scratch")
    model = make("scratch")
    _, first = model.loss_and_grads(x, y)
    kept = [g.copy() for g in first]
    _, second = model.loss_and_grads(x[::-1].copy(), y[::-1].copy())
    assert all(a is not b and not np.shares_memory(a, b) for a, b in zip(first, second))
    for g, k in zip(first, kept):
        np.testing.assert_array_equal(g, k)
