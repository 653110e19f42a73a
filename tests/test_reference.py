"""Nielsen's network as the book defines it, against torch.autograd and the guide network."""

import numpy as np
import pytest
import torch

from nnguide import scratch
from nnguide.scratch.reference import Network, as_pairs


def book_batch(n=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784))
    y = rng.integers(0, 10, size=n)
    return x, y


def test_the_book_network_has_the_book_shapes():
    net = Network([784, 30, 10], seed=0)
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    assert net.weights[0].std() == pytest.approx(1.0, abs=0.01)  # N(0, 1)
    x, y = book_batch(3)
    pairs = as_pairs(x, y)
    assert pairs[0][0].shape == (784, 1) and pairs[0][1].shape == (10, 1)
    assert net.feedforward(pairs[0][0]).shape == (10, 1)


def book_step_by_autograd(net, x, y, eta):
    """The same step from the book's cost, ½‖σ(z) − y‖² summed over the batch, by autograd."""
    ws = [torch.tensor(w, requires_grad=True) for w in net.weights]
    bs = [torch.tensor(b, requires_grad=True) for b in net.biases]
    a = torch.from_numpy(x).T  # columns, as the book
    for w, b in zip(ws, bs):
        a = torch.sigmoid(w @ a + b)
    target = torch.nn.functional.one_hot(torch.from_numpy(y), 10).double().T
    cost = 0.5 * ((a - target) ** 2).sum()  # sum over examples: the book's Σ∇C_x
    cost.backward()
    m = len(x)
    return (
        [(w - eta / m * w.grad).detach().numpy() for w in ws],
        [(b - eta / m * b.grad).detach().numpy() for b in bs],
    )


def test_update_mini_batch_equals_autograd_on_the_books_cost():
    net = Network([784, 30, 10], seed=1)
    x, y = book_batch(10, seed=2)
    weights, biases = book_step_by_autograd(net, x, y, eta=3.0)
    net.update_mini_batch(as_pairs(x, y), 3.0)
    for a, b in zip(net.weights + net.biases, weights + biases):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_the_guide_network_with_the_books_cost_takes_the_same_step():
    """scratch.MLP with the quadratic loss and plain SGD, vectorized over the batch."""
    net = Network([784, 30, 10], seed=3)
    model = scratch.MLP((784, 30, 10), "sigmoid", dtype="float64")
    for layer, w, b in zip(model.layers[::2], net.weights, net.biases):
        layer.W[...] = w.T  # the guide stores W as (fan_in, fan_out)
        layer.b[...] = b[:, 0]
    x, y = book_batch(10, seed=4)
    net.update_mini_batch(as_pairs(x, y), 3.0)
    scratch.train_step(model, scratch.SGD(model.parameters(), lr=3.0), x, y, "quadratic")
    for layer, w, b in zip(model.layers[::2], net.weights, net.biases):
        np.testing.assert_allclose(layer.W, w.T, rtol=0, atol=1e-12)
        np.testing.assert_allclose(layer.b, b[:, 0], rtol=0, atol=1e-12)


def test_evaluate_counts_correct_answers():
    net = Network([784, 30, 10], seed=5)
    x, y = book_batch(20, seed=6)
    predicted = [int(np.argmax(net.feedforward(col))) for col, _ in as_pairs(x, y)]
    expected = sum(p == label for p, label in zip(predicted, y))
    assert net.evaluate(as_pairs(x, y, one_hot=False)) == expected
