"""The building blocks of the NumPy network, each with a hand-written backward pass.

Every layer has ``forward(x)``, which remembers what its backward pass will
need, and ``backward(grad)``, which takes the gradient of the loss with respect
to the layer's output and returns the gradient with respect to its input.
A batch is a 2-D array, one example per row, so each formula below is the
single-example formula of Nielsen's book applied to all rows at once.
"""

from __future__ import annotations

import numpy as np

from .checks import check_choice

#: Weight initialisation schemes, PyTorch's ``nn.Linear`` default or Nielsen's N(0, 1).
INITS = ("pytorch", "nielsen")


def sigmoid(z: np.ndarray) -> np.ndarray:
    """The logistic function, ``1 / (1 + exp(-z))``."""
    # For z below about -88 (float32), exp(-z) overflows to inf, and
    # 1 / (1 + inf) is the right answer, 0: the overflow warning is noise.
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-z))


def init_params(fan_in: int, fan_out: int, *, scheme: str, rng: np.random.Generator, dtype):
    """Initial ``(W, b)`` of a linear layer, ``W`` of shape (fan_in, fan_out).

    ``"pytorch"`` draws both from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the
    distribution ``torch.nn.Linear`` uses by default; ``"nielsen"`` draws both
    from the standard normal N(0, 1), as Nielsen's book does.
    """
    check_choice("init", scheme, INITS)
    if scheme == "pytorch":
        bound = 1 / np.sqrt(fan_in)
        W = rng.uniform(-bound, bound, size=(fan_in, fan_out))
        b = rng.uniform(-bound, bound, size=fan_out)
    else:
        W = rng.standard_normal((fan_in, fan_out))
        b = rng.standard_normal(fan_out)
    return W.astype(dtype), b.astype(dtype)


class Module:
    """What every layer and network has: parameters, their gradients, a name.

    A layer without parameters (an activation) keeps the empty lists.
    """

    def parameters(self) -> list[np.ndarray]:
        """The arrays an optimizer updates."""
        return []

    def grads(self) -> list[np.ndarray]:
        """The gradients of the last ``backward``, lined up with :meth:`parameters`."""
        return []

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Module):
    """An affine layer, ``y = x @ W + b``.

    Parameters
    ----------
    W : numpy.ndarray
        Weights of shape (fan_in, fan_out).
    b : numpy.ndarray
        Biases of shape (fan_out,).

    Attributes
    ----------
    dW, db : numpy.ndarray
        Gradients of the loss with respect to ``W`` and ``b``, new arrays on
        every :meth:`backward`.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b
        self.dW, self.db = None, None

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        return x @ self.W + self.b

    def backward(
        self,
        grad: np.ndarray,
        *,
        input_grad: bool = True,
    ) -> np.ndarray | None:
        """Set ``dW`` and ``db``; return dLoss/dx unless ``input_grad`` is false.

        The first layer's input is the data, whose gradient nobody needs:
        skipping it saves a matrix product as large as the forward one.
        """
        self.dW = self.x.T @ grad  # the sum over the batch of outer(x_i, g_i)
        self.db = grad.sum(axis=0)
        return grad @ self.W.T if input_grad else None

    def parameters(self) -> list[np.ndarray]:
        return [self.W, self.b]

    def grads(self) -> list[np.ndarray]:
        return [self.dW, self.db]

    def __repr__(self) -> str:
        return f"Linear(in_features={self.W.shape[0]}, out_features={self.W.shape[1]})"


class Sigmoid(Module):
    """The logistic function, applied elementwise."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = sigmoid(x)
        return self.out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # d sigmoid / dx = sigmoid(x) * (1 - sigmoid(x)), from the saved output.
        s = self.out
        return grad * s * (1 - s)


class ReLU(Module):
    """The rectified linear unit, ``max(x, 0)``, applied elementwise."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.out = np.maximum(x, 0)
        return self.out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # The slope is 1 where the unit was active and 0 elsewhere (0 at x = 0, as PyTorch).
        return grad * (self.out > 0)


#: The hidden-layer activations, by name.
ACTIVATIONS = {"sigmoid": Sigmoid, "relu": ReLU}
