"""Argument checks for the NumPy network, at its public edge.

Each check raises an error that names what was wrong and how to fix it, so a
mistake fails at the line that made it rather than as a NaN three epochs later.
A dataset is checked once, when it enters :func:`~nnguide.scratch.train.fit` or
:func:`~nnguide.scratch.train.evaluate`; a training step checks only its batch's
shape and type, which costs nothing next to the step.
"""

from __future__ import annotations

import math
import numbers

import numpy as np


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN, infinite, or far larger than where training started."""


def check_choice(name: str, value, choices) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(
            f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}."
        )


def check_positive(name: str, value, *, integer: bool = False) -> None:
    """Raise ``ValueError`` unless ``value`` is a positive (integer) number."""
    kind = "integer" if integer else "number"
    valid_type = isinstance(value, numbers.Integral if integer else numbers.Real)
    if isinstance(value, bool) or not valid_type or not math.isfinite(value) or not value > 0:
        raise ValueError(f"{name} must be a positive {kind}, got {value!r}.")


def check_fraction(name: str, value) -> None:
    """Raise ``ValueError`` unless ``value`` is a number in [0, 1)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}.")


def check_sizes(sizes) -> tuple[int, ...]:
    """Validate layer sizes such as ``(784, 128, 10)`` and return them as a tuple."""
    sizes = tuple(sizes) if isinstance(sizes, (list, tuple)) else (sizes,)
    if len(sizes) < 2 or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        raise ValueError(
            f"sizes must list at least two positive integers (inputs, ..., outputs), got {sizes}."
        )
    return tuple(int(s) for s in sizes)


def check_batch(x, y, n_inputs: int, n_classes: int, dtype) -> None:
    """Check the shape and type of inputs ``x`` (N, n_inputs) and, if given, labels ``y`` (N,).

    Cheap enough for every step: it reads shapes and dtypes, never the values
    (except the labels' range, which indexing would otherwise get wrong silently).
    """
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be a NumPy array, got {type(x).__name__}: use np.asarray(x).")
    if x.ndim != 2 or x.shape[1] != n_inputs:
        hint = " Flatten images first: x.reshape(len(x), -1)." if x.ndim == 3 else ""
        raise ValueError(f"x must have shape (N, {n_inputs}), got {x.shape}.{hint}")
    if x.dtype != dtype:
        hint = " Scale images with nnguide.data.to_features." if x.dtype == np.uint8 else ""
        raise TypeError(
            f"x has dtype {x.dtype} but the model computes in {dtype}: "
            f"convert it with x.astype(np.{dtype}).{hint}"
        )
    if len(x) == 0:
        raise ValueError("the batch is empty: x has no rows.")
    if y is None:
        return
    if not isinstance(y, np.ndarray):
        raise TypeError(f"y must be a NumPy array, got {type(y).__name__}: use np.asarray(y).")
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"labels must be integers (class indices), got dtype {y.dtype}: "
            "use y.astype(np.int64) if they are whole numbers."
        )
    if y.shape != (len(x),):
        raise ValueError(
            f"y must hold one integer label per row of x, shape ({len(x)},), got {y.shape}."
        )
    low, high = int(y.min()), int(y.max())
    if low < 0 or high >= n_classes:
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from {low} to {high}.")


def check_dataset(x, y, n_inputs: int, n_classes: int, dtype) -> None:
    """:func:`check_batch`, and every input value finite: run once per dataset."""
    check_batch(x, y, n_inputs, n_classes, dtype)
    if not np.isfinite(x).all():
        bad = int(np.count_nonzero(~np.isfinite(x)))
        raise ValueError(f"x holds {bad} NaN or infinite values: clean the data first.")


def check_loss(loss: float, *, start: float, epoch: int, step: int, lr: float) -> None:
    """Stop a diverging run before its update: raise :class:`TrainingDivergedError`.

    The rule: a loss that is NaN or infinite, or more than ten times the run's
    first loss (or 10, whichever is larger). A healthy run's loss falls from its
    start; one ten times above it has left the basin it started in.
    """
    if not math.isfinite(loss) or loss > 10 * max(start, 1.0):
        raise TrainingDivergedError(
            f"training diverged at epoch {epoch}, step {step}: the loss is {loss:.4g}, "
            f"against {start:.4g} at the first step. Try a smaller learning rate, "
            f"such as {lr / 10:g} (now {lr:g})."
        )
