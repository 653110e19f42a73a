"""Loss functions: each returns the batch-mean loss and its gradient with
respect to the logits (the last layer's output)."""

from __future__ import annotations

import numpy as np

from .checks import check_choice
from .layers import sigmoid


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log(softmax(logits))``, computed without overflow."""
    # Subtracting each row's maximum changes nothing mathematically and keeps exp() <= 1.
    shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax: each row becomes probabilities that sum to 1."""
    return np.exp(log_softmax(logits))


def one_hot(y: np.ndarray, n_classes: int, dtype) -> np.ndarray:
    """Rows of zeros with a 1 in column ``y[i]``."""
    onehot = np.zeros((len(y), n_classes), dtype=dtype)
    onehot[np.arange(len(y)), y] = 1
    return onehot


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy, as :func:`torch.nn.functional.cross_entropy`.

    ``loss = mean_i( -log softmax(logits_i)[y_i] )``; its gradient with
    respect to the logits is the famously simple
    ``(softmax(logits) - onehot(y)) / n``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        dLoss/dlogits, the same shape as ``logits``.
    """
    n = len(y)
    log_probs = log_softmax(logits)
    loss = -log_probs[np.arange(n), y].mean()
    probs = np.exp(log_probs)
    grad = (probs - one_hot(y, logits.shape[1], logits.dtype)) / n
    return float(loss), grad


def quadratic(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """The quadratic cost of Nielsen's book, on a sigmoid output layer.

    ``loss = mean_i( ½ ‖sigmoid(logits_i) - onehot(y_i)‖² )``: the output
    layer's activation is the sigmoid, as in the book, and ``a = sigmoid(z)``
    is compared with the one-hot target. Its gradient with respect to ``z`` is
    the book's output error ``δ = (a - y) ⊙ σ'(z)``, divided by the batch size.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        dLoss/dlogits, the same shape as ``logits``.
    """
    n = len(y)
    a = sigmoid(logits)
    diff = a - one_hot(y, logits.shape[1], logits.dtype)
    loss = 0.5 * (diff**2).sum() / n
    grad = diff * a * (1 - a) / n
    return float(loss), grad


#: The losses, by name.
LOSSES = {"cross_entropy": cross_entropy, "quadratic": quadratic}


def get_loss(name: str):
    """The loss function called ``name`` (see :data:`LOSSES`)."""
    check_choice("loss", name, LOSSES)
    return LOSSES[name]
