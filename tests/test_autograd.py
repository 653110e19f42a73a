"""The from-scratch autograd engine: every operation against finite differences
and torch.autograd, PyTorch's semantics, and the MNIST network's gradients."""

import numpy as np
import pytest
import torch

from nnguide import scratch
from nnguide.scratch import autograd as ag
from nnguide.scratch import autograd_nn
from nnguide.scratch.autograd import Tensor
from nnguide.scratch.gradcheck import numerical_gradient, relative_error

rng = np.random.default_rng(0)
A = rng.standard_normal((4, 3))
B_ROW = rng.standard_normal((1, 3))  # broadcast over rows
B_VEC = rng.standard_normal(3)  # broadcast from 1-D
POS = rng.random((4, 3)) + 0.5  # for log, division and fractional powers
M = rng.standard_normal((3, 5))

# name: (the operation, written once for both engines, its inputs)
OPS = {
    "add (broadcast row)": (lambda a, b: a + b, [A, B_ROW]),
    "sub (broadcast 1-D)": (lambda a, b: a - b, [A, B_VEC]),
    "mul (broadcast)": (lambda a, b: a * b, [A, B_ROW]),
    "div": (lambda a, b: a / b, [A, POS]),
    "rdiv by scalar": (lambda a: 2.0 / a, [POS]),
    "pow": (lambda a: a**3, [A]),
    "fractional pow": (lambda a: a**0.5, [POS]),
    "neg": (lambda a: -a, [A]),
    "matmul": (lambda a, m: a @ m, [A, M]),
    "sum": (lambda a: a.sum(), [A]),
    "sum axis 0": (lambda a: a.sum(axis=0), [A]),
    "sum axis 1 keepdims": (lambda a: a.sum(axis=1, keepdims=True), [A]),
    "mean": (lambda a: a.mean(), [A]),
    "mean axis 1": (lambda a: a.mean(axis=1), [A]),
    "reshape": (lambda a: a.reshape(3, 4), [A]),
    "transpose": (lambda a: a.T, [A]),
    "exp": (lambda a: a.exp(), [A]),
    "log": (lambda a: a.log(), [POS]),
    "relu": (lambda a: a.relu(), [A + np.sign(A) * 0.05]),
    "sigmoid": (lambda a: a.sigmoid(), [A]),
    "tanh": (lambda a: a.tanh(), [A]),
    "log_softmax": (lambda a: a.log_softmax(axis=1), [A]),
}


def engine_grads(fn, arrays, upstream):
    inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    out = fn(*inputs)
    out.backward(upstream)
    return out.data, [t.grad for t in inputs]


def torch_grads(fn, arrays, upstream):
    inputs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = fn(*inputs)
    out.backward(torch.from_numpy(np.asarray(upstream)))
    return out.detach().numpy(), [t.grad.numpy() for t in inputs]


@pytest.mark.parametrize("name", OPS)
def test_operation_gradients(name):
    fn, arrays = OPS[name]
    value = fn(*[Tensor(a) for a in arrays]).data
    upstream = np.random.default_rng(1).standard_normal(np.shape(value))
    out, grads = engine_grads(fn, arrays, upstream)
    torch_out, torch_grad_list = torch_grads(fn, arrays, upstream)
    np.testing.assert_allclose(out, torch_out, rtol=1e-12, atol=1e-12)
    for i, (g, t) in enumerate(zip(grads, torch_grad_list)):
        assert g.shape == arrays[i].shape
        assert relative_error(g, t) < 1e-12, f"{name}: input {i} differs from torch.autograd"
        work = [a.copy() for a in arrays]
        numeric = numerical_gradient(
            lambda work=work: float(np.sum(fn(*[Tensor(a) for a in work]).data * upstream)),
            work[i],
        )
        assert relative_error(g, numeric) < 1e-7, f"{name}: input {i} fails finite differences"


def test_cross_entropy_matches_torch():
    logits = rng.standard_normal((6, 10))
    labels = rng.integers(0, 10, 6)
    x = Tensor(logits.copy(), requires_grad=True)
    loss = autograd_nn.cross_entropy(x, labels)
    loss.backward()
    t = torch.tensor(logits, requires_grad=True)
    torch_loss = torch.nn.functional.cross_entropy(t, torch.from_numpy(labels))
    torch_loss.backward()
    assert loss.item() == pytest.approx(torch_loss.item(), rel=1e-13)
    assert relative_error(x.grad, t.grad.numpy()) < 1e-12


def test_a_wrong_backward_is_caught(monkeypatch):
    """Swap tanh's derivative for sigmoid's formula: the finite-difference check fails."""
    original = Tensor.tanh

    def wrong_tanh(self):
        out = original(self)
        out.grad_fn = lambda g: (g * out.data * (1 - out.data),)
        return out

    monkeypatch.setattr(Tensor, "tanh", wrong_tanh)
    x = A.copy()
    t = Tensor(x, requires_grad=True)
    t.tanh().sum().backward()
    numeric = numerical_gradient(lambda: float(np.tanh(x).sum()), x)
    assert relative_error(t.grad, numeric) > 0.1


def test_classic_examples_give_pytorchs_numbers():
    x = Tensor(2.0, requires_grad=True)
    (x**2).backward()
    assert x.grad == 4.0
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
    assert out.item() == 27.0
    np.testing.assert_array_equal(x.grad, np.full((2, 2), 4.5))


def test_errors_match_pytorch():
    x = Tensor(np.ones((2, 2)), requires_grad=True)
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar"):
        (x * 2).backward()
    with pytest.raises(RuntimeError, match="does not require grad and does not have a grad_fn"):
        (Tensor(np.ones(2)) * 2).sum().backward()
    with pytest.raises(TypeError, match="constant exponent"):
        x ** Tensor(2.0)


def test_accumulation_zero_grad_and_no_grad():
    x = Tensor(np.ones(3), requires_grad=True)
    (x * 2).sum().backward()
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad, [5.0, 5.0, 5.0])  # accumulated, as in PyTorch
    ag.zero_grad([x])
    assert x.grad is None
    with ag.no_grad():
        y = x * 2
    assert not y.requires_grad and y.is_leaf
    assert (x * 2).requires_grad  # recording resumes after the block


def test_intermediate_gradients_only_when_retained():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x * 2
    z = x * 3
    z.retain_grad()
    (y + z).sum().backward()
    assert y.grad is None
    np.testing.assert_array_equal(z.grad, [1.0, 1.0, 1.0])


class MyReLU(ag.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.maximum(x, 0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0)


def test_custom_function_matches_the_builtin():
    data = A + np.sign(A) * 0.05
    a = Tensor(data.copy(), requires_grad=True)
    b = Tensor(data.copy(), requires_grad=True)
    (MyReLU.apply(a) * B_ROW).sum().backward()
    (b.relu() * B_ROW).sum().backward()
    np.testing.assert_array_equal(a.grad, b.grad)
    assert MyReLU.apply(Tensor(data)).requires_grad is False


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_mnist_network_gradients_equal_hand_written_backprop(activation):
    x = rng.random((64, 784))
    y = rng.integers(0, 10, 64)
    model = scratch.MLP((784, 128, 10), activation, seed=3, dtype=np.float64)
    value, grads = model.loss_and_grads(x, y)
    grads = [g.copy() for g in grads]
    engine_value, engine_grads_ = autograd_nn.loss_and_grads(model, x, y)
    assert engine_value == pytest.approx(value, rel=1e-12)
    for g, e in zip(grads, engine_grads_):
        assert relative_error(g, e) < 1e-10


def test_one_epoch_with_the_engine_matches_hand_written_training(mnist):
    from nnguide.data import to_features

    x, y = to_features(mnist.train[0], np.float64), mnist.train[1]
    x_test, y_test = to_features(mnist.test[0], np.float64), mnist.test[1]
    accuracies = []
    for step in (scratch.train_step, autograd_nn.train_step):
        model = scratch.MLP((784, 128, 10), "sigmoid", seed=0, dtype=np.float64)
        optimizer = scratch.SGD(model.parameters(), 0.1, momentum=0.9)
        order = scratch.batch_order(len(x), 0, 0)
        for i in range(0, len(order), 64):
            idx = order[i : i + 64]
            step(model, optimizer, x[idx], y[idx])
        accuracies.append(np.mean(model.predict(x_test) == y_test))
    assert accuracies[0] == accuracies[1] and accuracies[0] > 0.9


def test_a_chain_of_10000_operations_backpropagates():
    """The backward pass sorts the graph with a stack, not recursion: a chain of
    10,000 operations gives torch's gradient."""

    def chain(x):
        for _ in range(2_500):  # four operations each, and x used twice: 10,000 in all
            x = x * 1.0005 + x.tanh() * 0.001
        return x.sum()

    start = np.array([0.5, -0.3, 1.2])
    x = Tensor(start.copy(), requires_grad=True)
    out = chain(x)
    assert len(ag.topological_order(out)) > 10_000  # Python's recursion limit is 1,000
    out.backward()
    t = torch.tensor(start, requires_grad=True)
    t_out = chain(t)
    t_out.backward()
    assert out.data == pytest.approx(t_out.item(), rel=1e-12)
    assert relative_error(x.grad, t.grad.numpy()) < 1e-10
