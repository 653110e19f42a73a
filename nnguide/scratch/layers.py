"""The building blocks of the NumPy network, each with a hand-written backward pass.

Every layer has ``forward(x)``, which remembers what its backward pass will
need, and ``backward(grad)``, which takes the gradient of the loss with respect
to the layer's output and returns the gradient with respect to its input.
A batch is a 2-D array, one example per row, so each formula below is the
single-example formula of Nielsen's book applied to all rows at once.
"""

from __future__ import annotations

import numpy as np

from nnguide.checks import check_choice

#: Weight initialisation schemes, PyTorch's ``nn.Linear`` default or Nielsen's N(0, 1).
INITS = ("pytorch", "nielsen")


def init_params(fan_in: int, fan_out: int, *, scheme: str, rng: np.random.Generator, dtype):
    """Initial ``(W, b)`` of a linear layer, ``W`` of shape (fan_in, fan_out).

    ``"pytorch"`` draws both from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), the
    distribution ``torch.nn.Linear`` uses by default; ``"nielsen"`` draws both
    from the standard normal N(0, 1), as ``network.py`` in Nielsen's book does.
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


class Linear:
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
        Gradients of the loss with respect to ``W`` and ``b``, set by :meth:`backward`.
    """

    def __init__(self, W: np.ndarray, b: np.ndarray):
        self.W, self.b = W, b
        self.dW, self.db = np.zeros_like(W), np.zeros_like(b)

    def forward(self, x: np.ndarray) -> np.ndarray:
        self.x = x
        out = x @ self.W
        out += self.b  # in place: saves a temporary the size of the output
        return out

    def backward(self, grad: np.ndarray, *, input_grad: bool = True) -> np.ndarray | None:
        """Store ``dW``, ``db``; return dLoss/dx unless ``input_grad`` is false.

        The first layer's input is the data, whose gradient nobody needs:
        skipping it saves a matrix product as large as the forward one.
        """
        np.matmul(self.x.T, grad, out=self.dW)  # sum over the batch of outer(x_i, grad_i)
        np.sum(grad, axis=0, out=self.db)
        return grad @ self.W.T if input_grad else None

    def params(self) -> list[np.ndarray]:
        return [self.W, self.b]

    def grads(self) -> list[np.ndarray]:
        return [self.dW, self.db]

    def __repr__(self) -> str:
        return f"Linear(in_features={self.W.shape[0]}, out_features={self.W.shape[1]})"


class Sigmoid:
    """The logistic function, ``1 / (1 + exp(-x))``, applied elementwise."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        # Four in-place passes over one new array. (This exp form is about a third
        # faster than the tanh form, (1 + tanh(x / 2)) / 2.) Below about -88 in
        # float32 (-709 in float64), exp(-x) overflows to inf and 1 / (1 + inf)
        # is the right answer, 0: the overflow warning would be noise.
        out = np.negative(x)
        with np.errstate(over="ignore"):
            np.exp(out, out=out)
        out += 1
        np.reciprocal(out, out=out)
        self.out = out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # d sigmoid / dx = sigmoid(x) * (1 - sigmoid(x)), from the saved output.
        s = self.out
        return grad * s * (1 - s)

    def params(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []

    def __repr__(self) -> str:
        return "Sigmoid()"


class ReLU:
    """The rectified linear unit, ``max(x, 0)``, applied elementwise."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        out = np.maximum(x, 0)
        self.out = out
        return out

    def backward(self, grad: np.ndarray) -> np.ndarray:
        # The slope is 1 where the unit was active and 0 elsewhere (0 at x = 0, as PyTorch).
        return grad * (self.out > 0)

    def params(self) -> list[np.ndarray]:
        return []

    def grads(self) -> list[np.ndarray]:
        return []

    def __repr__(self) -> str:
        return "ReLU()"


#: The hidden-layer activations, by name.
ACTIVATIONS = {"sigmoid": Sigmoid, "relu": ReLU}
