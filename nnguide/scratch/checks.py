"""Argument checks for the NumPy network, at its public edge.

Each check raises an error that names what was wrong and how to fix it, so a
mistake fails at the line that made it rather than as a NaN three epochs later.
A dataset is checked once, when it enters :func:`~nnguide.scratch.train.fit` or
:func:`~nnguide.scratch.train.evaluate` (:func:`check_dataset`, which also scans
for NaN and inf); a training step checks only its batch's shape and type
(:func:`check_inputs`, :func:`check_labels`), which costs nothing next to the step.
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


def check_momentum(optimizer: str, momentum) -> None:
    """Raise ``ValueError`` unless ``momentum`` suits ``optimizer``.

    SGD takes a momentum in [0, 1); Adam has none (its ``betas`` play that
    part), so there it must be left out (``None``), not silently ignored.
    """
    if momentum is None:
        return
    if optimizer != "sgd":
        raise ValueError(f"momentum applies to SGD only: leave it out for optimizer {optimizer!r}.")
    check_fraction("momentum", momentum)


def check_sizes(sizes) -> tuple[int, ...]:
    """Validate layer sizes such as ``(784, 128, 10)`` and return them as a tuple."""
    try:
        sizes = (sizes,) if isinstance(sizes, str) else tuple(sizes)
    except TypeError:  # a single number, or None
        sizes = (sizes,)
    if len(sizes) < 2 or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s > 0 for s in sizes
    ):
        raise ValueError(
            f"sizes must list at least two positive integers (inputs, ..., outputs), got {sizes}."
        )
    return tuple(int(s) for s in sizes)


def check_seed(seed) -> None:
    """Raise ``ValueError`` unless ``seed`` is an integer in [0, 2**32), as NumPy's seeds are."""
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or not 0 <= seed < 2**32:
        raise ValueError(f"seed must be a non-negative integer below 2**32, got {seed!r}.")


#: The floating-point types the network computes in.
DTYPES = ("float32", "float64")


def check_dtype(dtype) -> np.dtype:
    """The NumPy dtype of :data:`DTYPES` that ``dtype`` names: ``"float32"``, ``np.float64``."""
    try:
        valid = dtype is not None and np.dtype(dtype).name in DTYPES
    except (TypeError, ValueError):  # not a data type at all
        valid = False
    if not valid:
        raise ValueError(f"unknown dtype {dtype!r}; choose one of 'float32', 'float64'.")
    return np.dtype(dtype)


def check_parameters(params) -> list:
    """The arrays an optimizer will update, as a list: ``model.parameters()``, not empty."""
    if isinstance(params, np.ndarray) or hasattr(params, "parameters"):
        params = None  # one array, or the model itself
    try:
        params = list(params)
    except TypeError:
        params = None
    if params is None or not all(isinstance(p, np.ndarray) for p in params):
        raise TypeError("params must be a list of arrays: pass model.parameters().")
    if not params:
        raise ValueError("the optimizer got no parameters: pass model.parameters().")
    return params


def check_pair(name: str, pair) -> None:
    """Raise ``TypeError`` unless ``pair`` is ``(x, y)``, features and labels."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        got = f"{len(pair)} items" if isinstance(pair, (tuple, list)) else type(pair).__name__
        raise TypeError(f"{name} must be a pair (x, y) of features and labels, got {got}.")


def check_inputs(x, n_inputs: int, dtype) -> None:
    """Check the shape and type of inputs ``x`` (N, n_inputs): cheap enough for every step."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"x must be a NumPy array, got {type(x).__name__}: use np.asarray(x).")
    if x.dtype.kind not in "biufc":
        raise TypeError(f"x must hold numbers, got dtype {x.dtype}.")
    if x.ndim != 2 or x.shape[1] != n_inputs:
        hint = ""
        if x.ndim == 3:
            hint = " Flatten images first: x.reshape(len(x), -1)."
        elif x.shape == (n_inputs,):
            hint = " For one example, use x.reshape(1, -1)."
        raise ValueError(f"x must have shape (N, {n_inputs}), got {x.shape}.{hint}")
    if len(x) == 0:
        raise ValueError("x is empty: it has no rows.")
    if x.dtype.kind == "c":
        raise TypeError(f"x is complex ({x.dtype}): the network takes real numbers.")
    if x.dtype != dtype:
        fix = f"x.astype(np.{dtype})"
        if x.dtype == np.uint8:  # raw images: scale their pixels too
            fix += " / 255 (pixels of 0..255 scaled to [0, 1])"
        raise TypeError(
            f"x has dtype {x.dtype} but the model computes in {dtype}: convert it with {fix}."
        )


def check_labels(y, n: int, n_classes: int) -> None:
    """Check labels ``y``: integer class indices in range, one per input row."""
    if not isinstance(y, np.ndarray):
        raise TypeError(f"y must be a NumPy array, got {type(y).__name__}: use np.asarray(y).")
    if y.dtype.kind not in "iu":
        raise TypeError(
            f"labels must be integer class indices, got dtype {y.dtype}: "
            "use y.astype(np.int64) if they are whole numbers."
        )
    if y.shape != (n,):
        hint = " For one-hot labels, use y.argmax(axis=1)." if y.shape == (n, n_classes) else ""
        raise ValueError(
            f"y must hold one integer label per row of x, shape ({n},), got {y.shape}.{hint}"
        )
    low, high = int(y.min()), int(y.max())
    if low < 0 or high >= n_classes:
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from {low} to {high}.")


def check_dataset(x, y, n_inputs: int, n_classes: int, dtype) -> None:
    """Inputs, labels and every input value finite: run once per dataset."""
    check_inputs(x, n_inputs, dtype)
    check_labels(y, len(x), n_classes)
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
