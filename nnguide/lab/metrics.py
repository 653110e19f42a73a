"""Scores computed from predicted and true labels, the same for both implementations."""

from __future__ import annotations

import numpy as np


def accuracy(y_true, y_pred) -> float:
    """The fraction of labels predicted correctly."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in shape.")
    return float(np.mean(y_true == y_pred))


def confusion_matrix(y_true, y_pred, n_classes: int = 10) -> np.ndarray:
    """Counts of (true, predicted) label pairs.

    Returns
    -------
    numpy.ndarray
        ``C[i, j]`` is the number of examples of class ``i`` predicted as ``j``;
        the diagonal holds the correct predictions.
    """
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true {y_true.shape} and y_pred {y_pred.shape} differ in shape.")
    pairs = y_true * n_classes + y_pred  # each (i, j) pair as one integer
    return np.bincount(pairs, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def top_confusions(matrix: np.ndarray, k: int = 3) -> list[tuple[int, int, int]]:
    """The ``k`` most frequent mistakes in a confusion matrix.

    Returns
    -------
    list of tuple
        ``(count, true_class, predicted_class)``, most frequent first.
    """
    mistakes = np.array(matrix, copy=True)
    np.fill_diagonal(mistakes, 0)
    n = len(mistakes)
    order = np.argsort(-mistakes, axis=None, kind="stable")[:k]
    return [(int(mistakes.flat[i]), int(i // n), int(i % n)) for i in order]
