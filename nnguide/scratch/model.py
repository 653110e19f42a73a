"""The multi-layer perceptron: linear layers with an activation between them."""

from __future__ import annotations

import numpy as np

from .checks import check_choice, check_dtype, check_inputs, check_labels, check_seed, check_sizes
from .layers import ACTIVATIONS, Linear, Module, init_params
from .losses import get_loss


class MLP(Module):
    """A fully connected network written with NumPy alone.

    ``sizes=(784, 128, 10)`` gives ``Linear(784, 128) -> activation -> Linear(128, 10)``.
    The last layer has no activation: it outputs logits, and the loss applies
    the output function (softmax for cross-entropy, as PyTorch's
    ``cross_entropy`` does; the sigmoid for Nielsen's quadratic cost).

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
    dtype : {"float32", "float64"}
        ``"float32"`` (fast) or ``"float64"`` (for exact comparisons).

    Examples
    --------
    >>> model = MLP((784, 128, 10), "sigmoid", seed=0)
    >>> model
    MLP(
      Linear(in_features=784, out_features=128)
      Sigmoid()
      Linear(in_features=128, out_features=10)
    )
    >>> [p.shape for p in model.parameters()]
    [(784, 128), (128,), (128, 10), (10,)]
    """

    def __init__(
        self,
        sizes=(784, 128, 10),
        activation: str = "sigmoid",
        *,
        seed: int = 0,
        init: str = "pytorch",
        dtype="float32",
    ):
        self.sizes = check_sizes(sizes)
        check_choice("activation", activation, ACTIVATIONS)
        check_seed(seed)
        self.activation = activation
        self.dtype = check_dtype(dtype)
        rng = np.random.default_rng(seed)
        self.layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            W, b = init_params(fan_in, fan_out, scheme=init, rng=rng, dtype=self.dtype)
            self.layers += [Linear(W, b), ACTIVATIONS[activation]()]
        self.layers.pop()  # no activation after the output layer

    def parameters(self) -> list[np.ndarray]:
        """The parameters, ``[W1, b1, W2, b2, ...]``; each ``W`` is (fan_in, fan_out)."""
        return [p for layer in self.layers for p in layer.parameters()]

    def grads(self) -> list[np.ndarray]:
        """The gradients of the last :meth:`backward`, lined up with :meth:`parameters`."""
        return [g for layer in self.layers for g in layer.grads()]

    def forward(self, x: np.ndarray) -> np.ndarray:
        """The logits, shape (N, sizes[-1]), for inputs ``x`` of shape (N, sizes[0]).

        Checks ``x`` first (its type, shape and dtype), as the PyTorch side's
        ``forward`` does: a wrong batch fails here, with a message, rather than
        inside a matrix product.
        """
        check_inputs(x, self.sizes[0], self.dtype)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """:meth:`forward`: ``model(x)``, as calling an ``nn.Module`` does."""
        return self.forward(x)

    def backward(self, grad: np.ndarray) -> list[np.ndarray]:
        """Backpropagate dLoss/dlogits through every layer; return the parameter gradients."""
        for layer in reversed(self.layers[1:]):
            grad = layer.backward(grad)
        self.layers[0].backward(grad, input_grad=False)
        return self.grads()

    def loss_and_grads(self, x, y, loss: str = "cross_entropy"):
        """The batch-mean loss and its gradient with respect to every parameter.

        Parameters
        ----------
        x : numpy.ndarray
            Inputs of shape (N, sizes[0]), in the model's dtype.
        y : numpy.ndarray
            Integer labels of shape (N,).
        loss : {"cross_entropy", "quadratic"}
            See :mod:`nnguide.scratch.losses`.

        Returns
        -------
        loss : float
        grads : list of numpy.ndarray
            Lines up with :meth:`parameters`; new arrays on every call.
        """
        loss_fn = get_loss(loss)
        logits = self.forward(x)  # checks x
        check_labels(y, len(x), self.sizes[-1])
        value, grad = loss_fn(logits, y)
        return value, self.backward(grad)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """The most likely class of each row of ``x``."""
        return self(x).argmax(axis=1)

    def __repr__(self) -> str:
        # One layer a line, as PyTorch prints a module.
        return "MLP(\n" + "".join(f"  {layer!r}\n" for layer in self.layers) + ")"
