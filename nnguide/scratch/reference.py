"""The slow reference: backpropagation one example at a time, as in Nielsen's book.

This is the loop that ``network.py`` in *Neural Networks and Deep Learning*
runs: for each example, a forward pass over vectors, then the four equations
of backpropagation, then the gradients summed over the mini-batch. It is kept
to prove the vectorized :class:`nnguide.scratch.MLP` right (the tests compare
them) and to measure how much vectorizing buys (the speed page times it).
"""

from __future__ import annotations

import numpy as np

from nnguide.checks import check_batch, check_choice
from nnguide.scratch.losses import LOSSES


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1 - s)


def _relu(z):
    return np.maximum(z, 0)


def _relu_prime(z):
    return (z > 0).astype(z.dtype)


#: Each activation and its derivative.
ACTIVATIONS = {"sigmoid": (_sigmoid, _sigmoid_prime), "relu": (_relu, _relu_prime)}


def backprop(weights, biases, activation: str, x, y: int, loss: str = "cross_entropy"):
    """The loss and gradients of one example.

    Parameters
    ----------
    weights, biases : list of numpy.ndarray
        ``W`` of shape (fan_in, fan_out) and ``b`` of shape (fan_out,), per layer.
    activation : {"sigmoid", "relu"}
    x : numpy.ndarray
        One input vector.
    y : int
        Its label.
    loss : {"cross_entropy", "mse"}

    Returns
    -------
    loss : float
    nabla_w, nabla_b : list of numpy.ndarray
        The gradients, shaped like ``weights`` and ``biases``.
    """
    f, f_prime = ACTIVATIONS[activation]
    # Forward pass, remembering each layer's weighted input z and activation a.
    a, activations, zs = x, [x], []
    for i, (W, b) in enumerate(zip(weights, biases)):
        z = a @ W + b
        zs.append(z)
        a = z if i == len(weights) - 1 else f(z)  # the output layer gives logits
        activations.append(a)

    # The output error delta = dLoss/dz of the last layer.
    p = np.exp(a - a.max())
    p /= p.sum()
    target = np.zeros_like(p)
    target[y] = 1
    if loss == "cross_entropy":
        value = -np.log(p[y])
        delta = p - target
    else:
        value = np.mean((p - target) ** 2)
        dp = 2 * (p - target) / len(p)
        delta = p * (dp - dp @ p)  # back through softmax

    # Backward pass: delta of layer l from delta of layer l+1 (equation BP2).
    nabla_w = [None] * len(weights)
    nabla_b = [None] * len(biases)
    nabla_w[-1] = np.outer(activations[-2], delta)
    nabla_b[-1] = delta
    for l in range(2, len(weights) + 1):  # noqa: E741 (l for layer, as in the book)
        delta = (weights[-l + 1] @ delta) * f_prime(zs[-l])
        nabla_w[-l] = np.outer(activations[-l - 1], delta)
        nabla_b[-l] = delta
    return float(value), nabla_w, nabla_b


def loss_and_grads(model, x, y, loss: str = "cross_entropy"):
    """The same result as ``model.loss_and_grads(x, y, loss)``, one example at a time.

    Parameters
    ----------
    model : nnguide.scratch.MLP
        Supplies the weights and the activation.
    x, y : numpy.ndarray
        A batch of inputs (N, n_inputs) and labels (N,).

    Returns
    -------
    loss : float
        The batch mean.
    grads : list of numpy.ndarray
        ``[dW1, db1, dW2, db2, ...]``, batch means, lined up with ``model.params()``.
    """
    check_choice("loss", loss, tuple(LOSSES))
    check_batch(x, y, model.sizes[0], model.sizes[-1])
    params = model.params()
    weights, biases = params[0::2], params[1::2]
    sum_w = [np.zeros_like(W) for W in weights]
    sum_b = [np.zeros_like(b) for b in biases]
    total = 0.0
    for xi, yi in zip(np.asarray(x, dtype=model.dtype), y):
        value, nabla_w, nabla_b = backprop(weights, biases, model.activation, xi, int(yi), loss)
        total += value
        for acc, g in zip(sum_w + sum_b, nabla_w + nabla_b):
            acc += g
    n = len(y)
    grads = [g / n for pair in zip(sum_w, sum_b) for g in pair]
    return total / n, grads


def train_step(model, optimizer, x, y, loss: str = "cross_entropy") -> float:
    """:func:`nnguide.scratch.train_step`, with the gradients computed one example at a time."""
    value, grads = loss_and_grads(model, x, y, loss)
    optimizer.step(grads)
    return value
