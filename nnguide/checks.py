"""Argument checks shared by both implementations.

Every check raises an error that names what was wrong and how to fix it, so a
mistake fails at the line that made it rather than as a NaN three epochs later.
"""

from __future__ import annotations

import math


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during training."""


def check_choice(name: str, value, choices) -> None:
    """Raise ``ValueError`` unless ``value`` is one of ``choices``."""
    if value not in choices:
        raise ValueError(
            f"unknown {name} {value!r}; choose one of {', '.join(map(repr, choices))}."
        )


def check_positive(name: str, value, *, integer: bool = False) -> None:
    """Raise ``ValueError`` unless ``value`` is a positive (integer) number."""
    kind = "integer" if integer else "number"
    valid_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not valid_type or not value > 0 or not math.isfinite(value):
        raise ValueError(f"{name} must be a positive {kind}, got {value!r}.")


def check_sizes(sizes) -> tuple[int, ...]:
    """Validate layer sizes such as ``(784, 128, 10)`` and return them as a tuple."""
    sizes = tuple(sizes)
    if len(sizes) < 2 or not all(isinstance(s, int) and s > 0 for s in sizes):
        raise ValueError(
            f"sizes must list at least two positive integers (inputs, ..., outputs), got {sizes}."
        )
    return sizes


def check_batch(x, y, n_inputs: int, n_classes: int) -> None:
    """Check a batch of inputs ``x`` (N, n_inputs) and, if given, labels ``y`` (N,).

    Works on NumPy arrays and PyTorch tensors alike (both have ``.shape``).
    """
    if len(x.shape) != 2 or x.shape[1] != n_inputs:
        hint = " Flatten images first: x.reshape(len(x), -1)." if len(x.shape) == 3 else ""
        raise ValueError(f"x must have shape (N, {n_inputs}), got {tuple(x.shape)}.{hint}")
    if y is None:
        return
    if tuple(y.shape) != (x.shape[0],):
        raise ValueError(
            f"y must hold one integer label per row of x, shape ({x.shape[0]},), "
            f"got {tuple(y.shape)}."
        )
    if x.shape[0] and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(
            f"labels must lie in 0..{n_classes - 1}, got values from {int(y.min())} to "
            f"{int(y.max())}."
        )


def check_finite_loss(loss: float, *, epoch: int, step: int, lr: float) -> None:
    """Raise :class:`TrainingDivergedError` if ``loss`` is NaN or infinite."""
    if not math.isfinite(loss):
        raise TrainingDivergedError(
            f"the loss became {loss} at epoch {epoch}, step {step}: training diverged. "
            f"Lower the learning rate (now {lr}), or check the inputs for NaN or inf."
        )
