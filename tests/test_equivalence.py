"""The two implementations, given the same weights and batches, agree step by step."""

import numpy as np
import pytest
import torch

from nnguide import bridge, pytorch, scratch
from nnguide.data import to_features
from nnguide.lab.experiment import TrainConfig, build, run


def to_tensors(images, labels, dtype=torch.float64):
    return torch.from_numpy(to_features(images, np.float64)).to(dtype), torch.from_numpy(labels)


STEPS = 200
# Measured: after 200 float64 steps the largest relative difference of any
# parameter is about 1e-14 (SGD) and 1e-13 (Adam); the bound leaves room for
# other BLAS builds while still failing on any real difference.
STEP_TOL = 1e-10


def test_weights_round_trip_exactly():
    model = scratch.MLP((784, 128, 10), "relu", seed=3, dtype=np.float64)
    twin = bridge.to_pytorch(model)
    assert twin.layers[0].weight.shape == (128, 784)  # nn.Linear's (out, in) layout
    assert bridge.max_difference(model, twin) == 0
    back = bridge.to_scratch(twin)
    for p, q in zip(model.parameters(), back.parameters()):
        np.testing.assert_array_equal(p, q)
    x = np.random.default_rng(0).random((5, 784))
    torch_logits = twin(torch.from_numpy(x)).detach().numpy()
    np.testing.assert_allclose(model.forward(x), torch_logits, rtol=1e-12, atol=1e-12)


def test_float32_round_trip_keeps_dtype():
    model = scratch.MLP((784, 16, 10), seed=1)
    twin = bridge.to_pytorch(model)
    assert next(twin.parameters()).dtype == torch.float32
    assert bridge.to_scratch(twin).dtype == np.float32


def test_pytorch_init_schemes_have_the_right_spread():
    model = pytorch.MLP((784, 128, 10), seed=0)
    bound = 1 / 784**0.5
    w = model.layers[0].weight
    assert w.abs().max() <= bound and w.abs().max() > 0.99 * bound
    nielsen = pytorch.MLP((784, 128, 10), seed=0, init="nielsen")
    assert nielsen.layers[0].weight.std().item() == pytest.approx(1.0, abs=0.01)
    same = pytorch.MLP((784, 128, 10), seed=0)
    assert torch.equal(same.layers[0].weight, w)


def test_scratch_init_schemes_have_the_right_spread():
    w = scratch.MLP((784, 128, 10), seed=0).parameters()[0]
    assert np.abs(w).max() <= 1 / 784**0.5
    w = scratch.MLP((784, 128, 10), seed=0, init="nielsen").parameters()[0]
    assert w.std() == pytest.approx(1.0, abs=0.01)


@pytest.mark.parametrize(
    ("optimizer", "lr", "activation", "loss"),
    [
        ("sgd", 0.1, "sigmoid", "cross_entropy"),
        ("adam", 1e-3, "relu", "cross_entropy"),
        ("sgd", 0.5, "relu", "quadratic"),
        ("adam", 1e-3, "sigmoid", "quadratic"),
    ],
)
def test_training_agrees_step_by_step(mnist, optimizer, lr, activation, loss):
    images, labels = mnist.train
    x, y = to_features(images[: STEPS * 32], np.float64), labels[: STEPS * 32]
    tx, ty = to_tensors(images[: STEPS * 32], labels[: STEPS * 32])

    model = scratch.MLP((784, 128, 10), activation, seed=0, dtype=np.float64)
    twin = bridge.to_pytorch(model)
    momentum = 0.9 if optimizer == "sgd" else None  # Adam takes none
    opt = scratch.make_optimizer(optimizer, model.parameters(), lr, momentum)
    twin_opt = pytorch.make_optimizer(optimizer, twin.parameters(), lr, momentum)

    worst_loss = worst_param = 0.0
    order = scratch.batch_order(len(x), 0, 0)
    for step, i in enumerate(range(0, len(order), 32), start=1):
        idx = order[i : i + 32]
        loss_value = scratch.train_step(model, opt, x[idx], y[idx], loss)
        twin_value = pytorch.train_step(twin, twin_opt, tx[idx], ty[idx], loss)
        worst_loss = max(worst_loss, abs(loss_value - twin_value) / abs(twin_value))
        worst_param = max(worst_param, bridge.max_difference(model, twin))
        assert worst_param < STEP_TOL, f"parameters drifted apart at step {step}"
    assert step == STEPS
    assert worst_loss < STEP_TOL
    print(
        f"{optimizer}/{activation}/{loss}: max relative difference over {STEPS} steps: "
        f"parameters {worst_param:.1e}, losses {worst_loss:.1e}"
    )


def test_fit_sees_the_same_batches_on_both_sides(mnist):
    """The whole training loops, not just one step: equal step losses over an epoch."""
    images, labels = mnist.train
    train_x, train_y = to_features(images[:6400], np.float64), labels[:6400]
    test_x, test_y = to_features(mnist.test[0][:1000], np.float64), mnist.test[1][:1000]
    model = scratch.MLP((784, 64, 10), "relu", seed=2, dtype=np.float64)
    twin = bridge.to_pytorch(model)
    kwargs = dict(epochs=2, batch_size=100, seed=9)
    a = scratch.fit(
        model,
        scratch.SGD(model.parameters(), 0.1, momentum=0.9),
        (train_x, train_y),
        (test_x, test_y),
        **kwargs,
    )
    b = pytorch.fit(
        twin,
        torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9),
        to_tensors(images[:6400], labels[:6400]),
        to_tensors(mnist.test[0][:1000], mnist.test[1][:1000]),
        **kwargs,
    )
    a_losses = [v for e in a for v in e["step_losses"]]
    b_losses = [v for e in b for v in e["step_losses"]]
    assert len(a_losses) == len(b_losses) == 128
    np.testing.assert_allclose(a_losses, b_losses, rtol=1e-10)
    assert a[-1]["test_accuracy"] == b[-1]["test_accuracy"]


def test_both_sides_draw_one_batch_order():
    """Each epoch's order is ``default_rng([seed, epoch]).permutation(n)``, on both sides."""
    orders = []
    for epoch in range(3):
        expected = np.random.default_rng([5, epoch]).permutation(1000)
        np.testing.assert_array_equal(scratch.batch_order(1000, 5, epoch), expected)
        np.testing.assert_array_equal(pytorch.batch_order(1000, 5, epoch), expected)
        orders.append(tuple(expected))
    assert len(set(orders)) == 3  # each epoch has its own order


def test_runs_of_both_sides_start_from_identical_weights():
    """What every comparison run uses: lab.experiment.build, for each side."""
    for settings in (dict(), dict(init="nielsen", activation="relu", hidden=(32, 16))):
        model, _ = build(TrainConfig(impl="scratch", seed=4, dtype="float64", **settings))
        twin, _ = build(TrainConfig(impl="pytorch", seed=4, dtype="float64", **settings))
        assert bridge.max_difference(model, twin) == 0


@pytest.mark.slow
def test_one_full_epoch_through_the_pages_entry_point_agrees(mnist):
    """In float64, one full MNIST epoch run through lab.experiment.run on each side:
    equal test accuracy and losses that agree to 1e-9."""
    settings = dict(epochs=1, batch_size=64, lr=0.1, momentum=0.9, dtype="float64", seed=0)
    a = run(TrainConfig(impl="scratch", **settings), mnist, log=None)
    b = run(TrainConfig(impl="pytorch", **settings), mnist, log=None)
    assert len(a.step_losses) == len(b.step_losses) == 938
    np.testing.assert_allclose(a.step_losses, b.step_losses, rtol=1e-9)
    for x, y in zip(a.epochs, b.epochs):
        assert x.test_accuracy == y.test_accuracy
        assert x.test_loss == pytest.approx(y.test_loss, rel=1e-9)


def test_the_two_sides_mirror_each_other_name_for_name():
    """Same public names, parameter names and defaults (PyTorch adds only ``device``)."""
    import inspect

    assert set(scratch.__all__) - {"SGD", "Adam"} == set(pytorch.__all__)
    for name in ("fit", "train_step", "evaluate", "batch_order", "make_optimizer"):
        a = inspect.signature(getattr(scratch, name)).parameters
        b = inspect.signature(getattr(pytorch, name)).parameters
        assert [(p.name, p.default) for p in a.values()] == [
            (p.name, p.default) for p in b.values()
        ], name
    a = inspect.signature(scratch.MLP).parameters
    b = inspect.signature(pytorch.MLP).parameters
    assert [(p.name, p.default) for p in a.values()] == [
        (p.name, p.default) for p in b.values() if p.name != "device"
    ]
    # The checks, by the same names (PyTorch adds check_device), raise the same classes.
    a, b = ({n for n in dir(side.checks) if n.startswith("check_")} for side in (scratch, pytorch))
    assert a == b - {"check_device"}
    for side in (scratch, pytorch):
        assert issubclass(side.checks.TrainingDivergedError, FloatingPointError)


def test_relu_slope_at_zero_is_pytorchs():
    from nnguide.scratch.layers import ReLU

    x = np.array([[-1.0, 0.0, 2.0]])
    layer = ReLU()
    layer.forward(x)
    t = torch.tensor(x, requires_grad=True)
    torch.relu(t).sum().backward()
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), t.grad.numpy())


def test_pytorch_weights_do_not_depend_on_the_global_random_state():
    torch.manual_seed(1)
    a = pytorch.MLP((784, 16, 10), seed=5)
    torch.manual_seed(2)
    b = pytorch.MLP((784, 16, 10), seed=5)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)
