"""The multi-layer perceptron: linear layers with an activation between them."""

from __future__ import annotations

import numpy as np

from nnguide.checks import check_batch, check_choice, check_sizes
from nnguide.scratch.layers import ACTIVATIONS, Linear, init_params
from nnguide.scratch.losses import get_loss, softmax


class MLP:
    """A fully connected network written with NumPy alone.

    ``sizes=(784, 128, 10)`` gives ``Linear(784, 128) -> activation -> Linear(128, 10)``.
    The last layer has no activation: it outputs logits, and the loss applies
    softmax (as PyTorch's ``cross_entropy`` does).

    Parameters
    ----------
    sizes : sequence of int
        Width of each layer, inputs first, classes last.
    activation : {"sigmoid", "relu"}
        The hidden layers' activation.
    seed : int
        Seed of the weight initialisation.
    init : {"pytorch", "nielsen"}
        Initialisation scheme; see :func:`nnguide.scratch.layers.init_params`.
    dtype : numpy dtype
        ``np.float32`` (fast) or ``np.float64`` (for exact comparisons).

    Examples
    --------
    >>> model = MLP((784, 128, 10), "sigmoid", seed=0)
    >>> model.layers
    [Linear(in_features=784, out_features=128), Sigmoid(), Linear(in_features=128, out_features=10)]
    >>> [p.shape for p in model.params()]
    [(784, 128), (128,), (128, 10), (10,)]
    """

    def __init__(
        self,
        sizes=(784, 128, 10),
        activation: str = "sigmoid",
        *,
        seed: int = 0,
        init: str = "pytorch",
        dtype=np.float32,
    ):
        self.sizes = check_sizes(sizes)
        check_choice("activation", activation, ACTIVATIONS)
        self.activation = activation
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype}.")
        rng = np.random.default_rng(seed)
        self.layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            W, b = init_params(fan_in, fan_out, scheme=init, rng=rng, dtype=self.dtype)
            self.layers += [Linear(W, b), ACTIVATIONS[activation]()]
        self.layers.pop()  # no activation after the output layer

    def params(self) -> list[np.ndarray]:
        """The parameters, ``[W1, b1, W2, b2, ...]``; each ``W`` is (fan_in, fan_out)."""
        return [p for layer in self.layers for p in layer.params()]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The logits, shape (N, sizes[-1]), for inputs ``x`` of shape (N, sizes[0])."""
        check_batch(x, None, self.sizes[0], self.sizes[-1])
        x = np.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    __call__ = forward

    def backward(self, grad: np.ndarray) -> list[np.ndarray]:
        """Backpropagate dLoss/dlogits through every layer; return the parameter gradients."""
        for layer in reversed(self.layers[1:]):
            grad = layer.backward(grad)
        self.layers[0].backward(grad, input_grad=False)
        return [g for layer in self.layers for g in layer.grads()]

    def loss_and_grads(self, x, y, loss: str = "cross_entropy"):
        """The batch-mean loss and its gradient with respect to every parameter.

        Parameters
        ----------
        x : numpy.ndarray
            Inputs of shape (N, sizes[0]).
        y : numpy.ndarray
            Integer labels of shape (N,).
        loss : {"cross_entropy", "mse"}
            See :mod:`nnguide.scratch.losses`.

        Returns
        -------
        loss : float
        grads : list of numpy.ndarray
            Lines up with :meth:`params`. The arrays are reused by the next
            call: copy them to keep them.
        """
        loss_fn = get_loss(loss)
        check_batch(x, y, self.sizes[0], self.sizes[-1])
        value, grad = loss_fn(self.forward(x), y)
        return value, self.backward(grad)

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        """Class probabilities, shape (N, sizes[-1])."""
        return softmax(self.forward(x))

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most likely class of each row of ``x``."""
        return self.forward(x).argmax(axis=1)

    def __repr__(self) -> str:
        return f"MLP({', '.join(map(repr, self.layers))})"
