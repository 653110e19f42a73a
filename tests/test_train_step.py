"""Bad input fails at once, with a message that says what was wrong."""

import numpy as np
import pytest
import torch

from nnguide import pytorch, scratch
from nnguide.lab.experiment import TrainConfig

SIDES = ["scratch", "pytorch"]


def make(side, activation="relu", sizes=(784, 16, 10)):
    if side == "scratch":
        return scratch.MLP(sizes, activation, seed=0, dtype=np.float64)
    return pytorch.MLP(sizes, activation, seed=0, dtype=torch.float64)


def batch(side, n=8, width=784, labels=None):
    x = np.random.default_rng(0).random((n, width))
    y = np.arange(n) % 10 if labels is None else np.asarray(labels)
    return (x, y) if side == "scratch" else (torch.from_numpy(x), torch.from_numpy(y))


def step(side, model, x, y, lr=0.1, optimizer="sgd", loss="cross_entropy"):
    lib = scratch if side == "scratch" else pytorch
    params = model.parameters()
    return lib.train_step(model, lib.make_optimizer(optimizer, params, lr), x, y, loss)


@pytest.mark.parametrize("side", SIDES)
def test_wrong_input_width(side):
    x, y = batch(side, width=100)
    with pytest.raises(ValueError, match=r"x must have shape \(N, 784\), got \(8, 100\)"):
        step(side, make(side), x, y)


@pytest.mark.parametrize("side", SIDES)
def test_unflattened_images_get_a_hint(side):
    x = np.zeros((8, 28, 28))
    x = x if side == "scratch" else torch.from_numpy(x)
    with pytest.raises(ValueError, match=r"Flatten images first"):
        make(side)(x)


@pytest.mark.parametrize("side", SIDES)
def test_label_count_must_match(side):
    x, _ = batch(side)
    _, y = batch(side, n=5)
    with pytest.raises(ValueError, match=r"one integer label per row of x, shape \(8,\)"):
        step(side, make(side), x, y)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("bad_label", [10, -1])
def test_labels_out_of_range(side, bad_label):
    x, y = batch(side, labels=[0, 1, 2, 3, 4, 5, 6, bad_label])
    with pytest.raises(ValueError, match=r"labels must lie in 0..9"):
        step(side, make(side), x, y)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_learning_rate_must_be_positive(side, lr):
    x, y = batch(side)
    with pytest.raises(ValueError, match="lr must be a positive number"):
        step(side, make(side), x, y, lr=lr)


@pytest.mark.parametrize("side", SIDES)
def test_unknown_names(side):
    lib = scratch if side == "scratch" else pytorch
    with pytest.raises(ValueError, match=r"unknown activation 'tanh'; choose one of"):
        lib.MLP((784, 16, 10), "tanh")
    with pytest.raises(ValueError, match=r"unknown optimizer 'rmsprop'"):
        lib.make_optimizer("rmsprop", [], 0.1)
    x, y = batch(side)
    with pytest.raises(ValueError, match=r"unknown loss 'hinge'"):
        step(side, make(side), x, y, loss="hinge")


@pytest.mark.parametrize("sizes", [(784,), (784, 0, 10), (784, 12.5, 10)])
def test_bad_sizes(sizes):
    for lib in (scratch, pytorch):
        with pytest.raises(ValueError, match="sizes must list at least two positive integers"):
            lib.MLP(sizes)


@pytest.mark.parametrize("side", SIDES)
def test_batch_size_and_epochs_must_be_positive(side, mnist_tiny):
    lib = scratch if side == "scratch" else pytorch
    model = make(side)
    params = model.parameters()
    opt = lib.make_optimizer("sgd", params, 0.1)
    train = mnist_tiny[side]
    with pytest.raises(ValueError, match="batch_size must be a positive integer, got 0"):
        lib.fit(model, opt, train, train, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="epochs must be a positive integer, got -1"):
        lib.fit(model, opt, train, train, epochs=-1, batch_size=8)


@pytest.fixture
def mnist_tiny():
    x = np.random.default_rng(0).random((64, 784))
    y = np.arange(64) % 10
    return {"scratch": (x, y), "pytorch": (torch.from_numpy(x), torch.from_numpy(y))}


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_nan_in_the_data_is_refused_before_training(side, mnist_tiny, bad):
    lib = scratch if side == "scratch" else pytorch
    x, y = mnist_tiny[side]
    x = x.clone() if side == "pytorch" else x.copy()
    x[40, 3] = bad
    model = make(side)
    opt = lib.make_optimizer("sgd", model.parameters(), 0.1)
    with pytest.raises(ValueError, match=r"x holds 1 NaN or infinite values"):
        lib.fit(model, opt, (x, y), (x, y), epochs=1, batch_size=8)


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("lr", [1e3, 1e6])
def test_divergence_stops_training_before_the_bad_update(side, mnist_tiny, lr):
    lib = scratch if side == "scratch" else pytorch
    x, y = mnist_tiny[side]
    model = make(side, "sigmoid", sizes=(784, 64, 10))
    opt = lib.make_optimizer("sgd", model.parameters(), lr)
    seen = []

    def snapshot(*_):
        seen.append(
            [
                (p.detach().numpy().copy() if side == "pytorch" else p.copy())
                for p in model.parameters()
            ]
        )

    original_step = opt.step

    def step(*args):  # remember the weights after every update
        original_step(*args)
        snapshot()

    opt.step = step
    snapshot()
    error = lib.checks.TrainingDivergedError
    with pytest.raises(error, match=r"diverged at epoch \d+, step \d+") as err:
        lib.fit(model, opt, (x, y), (x, y), epochs=50, batch_size=8)
    assert f"such as {lr / 10:g}" in str(err.value)
    now = [
        (p.detach().numpy().copy() if side == "pytorch" else p.copy()) for p in model.parameters()
    ]
    for p, q in zip(now, seen[-1]):  # the weights are those of before the bad step
        np.testing.assert_array_equal(p, q)
        assert np.isfinite(p).all()


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


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(impl="jax"), "unknown impl 'jax'"),
        (dict(batch_size=0), "batch_size must be a positive integer"),
        (dict(lr=-1.0), "lr must be a positive number"),
        (dict(hidden=(128, 0)), "hidden width must be a positive integer"),
        (dict(optimizer="lbfgs"), "unknown optimizer"),
        (dict(dtype="float16"), "unknown dtype"),
        (dict(impl="scratch", device="cuda"), "CPU only"),
    ],
)
def test_train_config_checks(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainConfig(**kwargs)
