"""Argument checks for the PyTorch network, at its public edge.

The same checks, by the same names and messages, as :mod:`nnguide.scratch.checks`,
written for tensors. PyTorch would catch most of these mistakes itself, but
deep inside a matrix product and with a message about "mat1 and mat2".
"""

from __future__ import annotations

import math
import numbers

import torch


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


def check_inputs(x, n_inputs: int, dtype) -> None:
    """Check the shape and type of inputs ``x`` (N, n_inputs): cheap enough for every step."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a tensor, got {type(x).__name__}: use torch.as_tensor(x).")
    if x.ndim != 2 or x.shape[1] != n_inputs:
        hint = " Flatten images first: x.reshape(len(x), -1)." if x.ndim == 3 else ""
        raise ValueError(f"x must have shape (N, {n_inputs}), got {tuple(x.shape)}.{hint}")
    if x.dtype != dtype:
        raise TypeError(
            f"x has dtype {x.dtype} but the model computes in {dtype}: "
            f"convert it with x.to({dtype})."
        )
    if len(x) == 0:
        raise ValueError("the batch is empty: x has no rows.")


def check_labels(y, n: int, n_classes: int) -> None:
    """Check labels ``y``: int64 class indices in range, one per input row."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"y must be a tensor, got {type(y).__name__}: use torch.as_tensor(y).")
    if y.dtype != torch.int64:
        raise TypeError(f"labels must be int64 class indices, got dtype {y.dtype}: use y.long().")
    if tuple(y.shape) != (n,):
        raise ValueError(
            f"y must hold one integer label per row of x, shape ({n},), got {tuple(y.shape)}."
        )
    low, high = int(y.min()), int(y.max())
    if low < 0 or high >= n_classes:
        raise ValueError(f"labels must lie in 0..{n_classes - 1}, got values from {low} to {high}.")


def check_dataset(x, y, n_inputs: int, n_classes: int, dtype) -> None:
    """Inputs, labels and every input value finite: run once per dataset."""
    check_inputs(x, n_inputs, dtype)
    check_labels(y, len(x), n_classes)
    if not torch.isfinite(x).all():
        bad = int((~torch.isfinite(x)).sum())
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
