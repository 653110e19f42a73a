"""Loss functions: each returns the batch-mean loss and its gradient with
respect to the logits (the last layer's output, before softmax)."""

from __future__ import annotations

import numpy as np

from nnguide.checks import check_choice


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise ``log(softmax(logits))``, computed without overflow."""
    # Subtracting each row's maximum changes nothing mathematically and keeps exp() <= 1.
    shifted = logits - logits.max(axis=1, keepdims=True)
    shifted -= np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return shifted


def softmax(logits: np.ndarray) -> np.ndarray:
    """Row-wise softmax: each row becomes probabilities that sum to 1."""
    return np.exp(log_softmax(logits))


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Softmax cross-entropy, as :func:`torch.nn.functional.cross_entropy`.

    ``loss = mean_i( -log softmax(logits_i)[y_i] )``, and its gradient with
    respect to the logits is the famously simple ``(softmax(logits) - onehot(y)) / N``.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        dLoss/dlogits, the same shape as ``logits``.
    """
    n = len(y)
    rows = np.arange(n)
    # Subtracting each row's maximum changes nothing mathematically and keeps exp() <= 1.
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted)
    sums = probs.sum(axis=1, keepdims=True)
    # -log softmax(z)[y] = log(sum_j exp(z_j)) - z[y]: the mean over the batch.
    loss = (np.log(sums).sum() - shifted[rows, y].sum()) / n
    # The gradient, in place in the probabilities' buffer: (probs / sums - onehot(y)) / n.
    sums *= n
    probs /= sums
    probs[rows, y] -= 1 / n
    return float(loss), probs


def mse(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error between softmax probabilities and one-hot targets.

    ``loss = mean over all N x C entries of (softmax(logits) - onehot(y))**2``,
    as ``torch.nn.functional.mse_loss(softmax(logits), onehot(y))``: the
    quadratic cost of Nielsen's book, on a softmax output.

    Returns
    -------
    loss : float
    grad : numpy.ndarray
        dLoss/dlogits, the same shape as ``logits``.
    """
    probs = softmax(logits)
    diff = probs.copy()
    diff[np.arange(len(y)), y] -= 1
    loss = np.mean(diff**2)
    dprobs = diff * (2 / diff.size)
    # Back through softmax: dL/dz_j = p_j * (dL/dp_j - sum_k dL/dp_k * p_k).
    grad = probs * (dprobs - (dprobs * probs).sum(axis=1, keepdims=True))
    return float(loss), grad


#: The losses, by name.
LOSSES = {"cross_entropy": cross_entropy, "mse": mse}


def get_loss(name: str):
    """The loss function called ``name`` (see :data:`LOSSES`)."""
    check_choice("loss", name, LOSSES)
    return LOSSES[name]
