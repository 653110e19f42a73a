"""The network of Nielsen's book, as the book defines it, one example at a time.

Chapter 1 of Michael Nielsen's *Neural Networks and Deep Learning* trains a
network of sigmoid neurons, every layer including the output, with the
quadratic cost ``C = ½ ‖a - y‖²`` per example, by mini-batch stochastic
gradient descent. Chapter 2 derives backpropagation as four equations
(BP1-BP4); :meth:`Network.backprop` computes them for one example, as column
vectors. This is the project's own code, written from the book's equations,
with the book's interface so a reader can follow the book line by line.

The vectorized :class:`nnguide.scratch.MLP`, with the ``"quadratic"`` loss,
takes the same steps on a whole batch at once, to 1e-12 in float64: the tests
(tests/test_reference.py, tests/test_nielsen_page.py) prove it.
"""

from __future__ import annotations

import numpy as np

from .checks import check_positive, check_sizes
from .layers import sigmoid


def sigmoid_prime(z: np.ndarray) -> np.ndarray:
    """The derivative of the sigmoid, ``σ(z) (1 - σ(z))``."""
    s = sigmoid(z)
    return s * (1 - s)


class Network:
    """A network of sigmoid layers with the book's quadratic cost.

    Parameters
    ----------
    sizes : sequence of int
        Neurons per layer, inputs first; the book's MNIST network is ``[784, 30, 10]``.
    seed : int
        Seed of the initial weights and biases, drawn from N(0, 1) as in the book.

    Attributes
    ----------
    weights : list of numpy.ndarray
        ``weights[l]`` has shape (sizes[l + 1], sizes[l]): row ``j`` holds the
        weights into neuron ``j`` of the next layer.
    biases : list of numpy.ndarray
        ``biases[l]`` has shape (sizes[l + 1], 1).
    """

    def __init__(self, sizes, *, seed: int = 0):
        self.sizes = list(check_sizes(sizes))
        self.num_layers = len(self.sizes)
        rng = np.random.default_rng(seed)
        self.biases = [rng.standard_normal((n, 1)) for n in self.sizes[1:]]
        self.weights = [
            rng.standard_normal((n, m)) for m, n in zip(self.sizes[:-1], self.sizes[1:])
        ]

    def feedforward(self, a: np.ndarray) -> np.ndarray:
        """The output for the input column ``a``: ``a ← σ(w a + b)``, layer after layer."""
        for b, w in zip(self.biases, self.weights):
            a = sigmoid(w @ a + b)
        return a

    def backprop(self, x: np.ndarray, y: np.ndarray):
        """The gradient of ``C_x = ½ ‖a - y‖²`` for one example, as ``(nabla_b, nabla_w)``.

        ``x`` is an input column (sizes[0], 1) and ``y`` its one-hot target
        (sizes[-1], 1); the lists line up with :attr:`biases` and :attr:`weights`.
        """
        # Forward, keeping every weighted input z and activation a.
        activation, activations, zs = x, [x], []
        for b, w in zip(self.biases, self.weights):
            z = w @ activation + b
            zs.append(z)
            activation = sigmoid(z)
            activations.append(activation)
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        # BP1: the output error, δ = (a - y) ⊙ σ'(z).
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
        for layer in range(1, self.num_layers):
            if layer > 1:
                # BP2: the error one layer back, δ = (wᵀ δ) ⊙ σ'(z).
                delta = (self.weights[-layer + 1].T @ delta) * sigmoid_prime(zs[-layer])
            nabla_b[-layer] = delta  # BP3: ∂C/∂b = δ
            nabla_w[-layer] = delta @ activations[-layer - 1].T  # BP4: ∂C/∂w = a_in δ
        return nabla_b, nabla_w

    def update_mini_batch(self, mini_batch, eta: float) -> None:
        """One step of gradient descent: ``w ← w - (η/m) Σ ∇C_x`` over the ``m`` pairs.

        ``mini_batch`` is a list of ``(x, y)`` column-vector pairs, ``y`` one-hot.
        """
        check_positive("eta", eta)
        nabla_b = [np.zeros_like(b) for b in self.biases]
        nabla_w = [np.zeros_like(w) for w in self.weights]
        for x, y in mini_batch:
            delta_b, delta_w = self.backprop(x, y)
            nabla_b = [nb + db for nb, db in zip(nabla_b, delta_b)]
            nabla_w = [nw + dw for nw, dw in zip(nabla_w, delta_w)]
        m = len(mini_batch)
        self.weights = [w - (eta / m) * nw for w, nw in zip(self.weights, nabla_w)]
        self.biases = [b - (eta / m) * nb for b, nb in zip(self.biases, nabla_b)]

    def SGD(self, training_data, epochs: int, mini_batch_size: int, eta: float, *, seed=0):
        """Train by mini-batch SGD: ``epochs`` passes over ``training_data``, a list of pairs."""
        rng = np.random.default_rng(seed)
        n = len(training_data)
        for _ in range(epochs):
            order = rng.permutation(n)
            for k in range(0, n, mini_batch_size):
                batch = [training_data[i] for i in order[k : k + mini_batch_size]]
                self.update_mini_batch(batch, eta)

    def evaluate(self, test_data) -> int:
        """How many ``(x, label)`` pairs the network classifies right (the book's score)."""
        return sum(int(np.argmax(self.feedforward(x)) == label) for x, label in test_data)


def as_pairs(x: np.ndarray, y: np.ndarray, n_classes: int = 10, *, one_hot: bool = True):
    """Rows ``x`` (N, 784) and labels ``y`` (N,) as the book's list of column pairs.

    With ``one_hot`` the targets are one-hot columns (the training data's form);
    without, plain labels (the book's test data).
    """
    eye = np.eye(n_classes, dtype=x.dtype)
    return [
        (row.reshape(-1, 1), eye[label].reshape(-1, 1) if one_hot else int(label))
        for row, label in zip(x, y)
    ]
