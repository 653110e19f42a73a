"""The hand-written gradients of the NumPy network, checked two ways:
finite differences and torch.autograd (Nielsen's per-example network has its
own tests, in test_reference.py)."""

import warnings

import numpy as np
import pytest
import torch

from nnguide import bridge, scratch
from nnguide.pytorch.losses import get_loss as torch_loss
from nnguide.scratch.gradcheck import check_model, numerical_gradient, relative_error
from nnguide.scratch.layers import Linear, ReLU, Sigmoid
from nnguide.scratch.losses import cross_entropy, quadratic

FD_TOL = 1e-7  # central differences (eps=1e-5, float64) of a correct gradient agree to ~1e-9


def layer_gradients_match(layer, x, params=()):
    """Check a layer's backward against finite differences of sum(forward(x) * r)."""
    rng = np.random.default_rng(0)
    r = rng.standard_normal(layer.forward(x).shape)  # a random linear loss: L = sum(out * r)

    def f():
        return float(np.sum(layer.forward(x) * r))

    layer.forward(x)
    dx = layer.backward(r.copy())
    analytic = [dx] + [g.copy() for g in layer.grads()]
    numeric = [numerical_gradient(f, x)] + [numerical_gradient(f, p) for p in params]
    return [relative_error(a, n) for a, n in zip(analytic, numeric)]


def test_linear_layer(small_batch):
    x, _ = small_batch
    rng = np.random.default_rng(2)
    layer = Linear(rng.standard_normal((20, 7)), rng.standard_normal(7))
    errors = layer_gradients_match(layer, x, layer.parameters())
    assert len(errors) == 3 and max(errors) < FD_TOL  # dx, dW, db


@pytest.mark.parametrize("activation", [Sigmoid, ReLU])
def test_activation_layers(small_batch, activation):
    x, _ = small_batch
    x = x + np.sign(x) * 0.01  # keep ReLU inputs away from its kink at 0
    assert max(layer_gradients_match(activation(), x)) < FD_TOL


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_at_extreme_inputs(dtype):
    # exp(-x) overflows for x < -88 in float32: the layer must still give 0, silently.
    x = np.array([[-1e4, -100.0, -20.0, 0.0, 20.0, 100.0, 1e4]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = Sigmoid().forward(x)
    expected = torch.sigmoid(torch.from_numpy(x)).numpy()
    assert out.dtype == dtype
    np.testing.assert_allclose(out, expected, rtol=1e-6, atol=0)


def test_cross_entropy_at_extreme_logits():
    # Logits far apart overflow a naive softmax; the shifted one stays finite and exact.
    logits = np.array([[1e4, 0.0, -1e4], [0.0, 0.0, 0.0]])
    y = np.array([1, 2])
    loss, grad = cross_entropy(logits, y)
    t = torch.tensor(logits, requires_grad=True)
    expected = torch.nn.functional.cross_entropy(t, torch.from_numpy(y))
    expected.backward()
    assert loss == pytest.approx(expected.item(), rel=1e-12)
    np.testing.assert_allclose(grad, t.grad.numpy(), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("loss_fn", [cross_entropy, quadratic])
def test_losses(small_batch, loss_fn):
    rng = np.random.default_rng(3)
    logits = rng.standard_normal((16, 5)) * 3
    _, y = small_batch
    _, grad = loss_fn(logits, y)
    numeric = numerical_gradient(lambda: loss_fn(logits, y)[0], logits)
    assert relative_error(grad, numeric) < FD_TOL


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("loss", ["cross_entropy", "quadratic"])
def test_whole_model_finite_differences(small_batch, activation, loss):
    x, y = small_batch
    model = scratch.MLP((20, 8, 6, 5), activation, seed=4, dtype=np.float64)
    rows = check_model(model, x, y, loss)
    assert [r["name"] for r in rows] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert max(r["relative_error"] for r in rows) < FD_TOL


def test_check_catches_a_wrong_gradient(small_batch, monkeypatch):
    """Break sigmoid's derivative (drop the (1 - s) factor): the check must fail."""
    x, y = small_batch
    model = scratch.MLP((20, 8, 5), "sigmoid", seed=4, dtype=np.float64)
    monkeypatch.setattr(Sigmoid, "backward", lambda self, grad: grad * self.out)
    rows = check_model(model, x, y)
    errors = {r["name"]: r["relative_error"] for r in rows}
    assert errors["W2"] < FD_TOL  # the output layer does not go through the sigmoid
    assert errors["W1"] > 1e-2 and errors["b1"] > 1e-2


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
@pytest.mark.parametrize("loss", ["cross_entropy", "quadratic"])
def test_gradients_equal_torch_autograd(activation, loss):
    rng = np.random.default_rng(5)
    x = rng.random((64, 784))
    y = rng.integers(0, 10, size=64)
    model = scratch.MLP((784, 128, 10), activation, seed=6, dtype=np.float64)
    value, grads = model.loss_and_grads(x, y, loss)

    twin = bridge.to_pytorch(model)
    torch_value = torch_loss(loss)(twin(torch.from_numpy(x)), torch.from_numpy(y))
    torch_value.backward()
    torch_grads = [p.grad.numpy() for p in twin.parameters()]
    torch_grads = [
        g.T if g.ndim == 2 else g for g in torch_grads
    ]  # nn.Linear stores W as (out, in)

    assert abs(value - torch_value.item()) <= 1e-12 * abs(value)
    for g, t in zip(grads, torch_grads):
        assert g.shape == t.shape
        assert relative_error(g, t) < 1e-8
