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
DTYPES = {"float32": torch.float32, "float64": torch.float64}


def check_dtype(dtype) -> torch.dtype:
    """The torch dtype of :data:`DTYPES` that ``dtype`` names: ``"float32"``, ``torch.float64``."""
    name = str(dtype).removeprefix("torch.")
    if not isinstance(dtype, (str, torch.dtype)) or name not in DTYPES:
        raise ValueError(f"unknown dtype {dtype!r}; choose one of 'float32', 'float64'.")
    return DTYPES[name]


def check_device(device) -> None:
    """Raise ``ValueError`` unless ``device`` (``None`` for the default) is usable here."""
    if device is None:
        return
    try:
        kind = torch.device(device).type
    except (RuntimeError, TypeError):
        raise ValueError(
            f"device {device!r} is not one PyTorch knows; use 'cpu', or 'cuda' with an NVIDIA GPU."
        ) from None
    if kind == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device {device!r} needs a CUDA GPU, and PyTorch sees none here; use 'cpu'."
        )


def check_parameters(params) -> list:
    """The tensors an optimizer will update, as a list: ``model.parameters()``, not empty."""
    if isinstance(params, (torch.Tensor, torch.nn.Module)):
        params = None  # one tensor, or the model itself
    try:
        params = list(params)
    except TypeError:
        params = None
    if params is None or not all(isinstance(p, (torch.Tensor, dict)) for p in params):
        raise TypeError("params must be a list of tensors: pass model.parameters().")
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
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"x must be a tensor, got {type(x).__name__}: use torch.as_tensor(x).")
    if x.ndim != 2 or x.shape[1] != n_inputs:
        hint = ""
        if x.ndim == 3:
            hint = " Flatten images first: x.reshape(len(x), -1)."
        elif tuple(x.shape) == (n_inputs,):
            hint = " For one example, use x.reshape(1, -1)."
        raise ValueError(f"x must have shape (N, {n_inputs}), got {tuple(x.shape)}.{hint}")
    if len(x) == 0:
        raise ValueError("x is empty: it has no rows.")
    if x.is_complex():
        raise TypeError(f"x is complex ({_dtype_name(x.dtype)}): the network takes real numbers.")
    if x.dtype != dtype:
        fix = f"x.to({dtype})"
        if x.dtype == torch.uint8:  # raw images: scale their pixels too
            fix += " / 255 (pixels of 0..255 scaled to [0, 1])"
        raise TypeError(
            f"x has dtype {_dtype_name(x.dtype)} but the model computes in {_dtype_name(dtype)}: "
            f"convert it with {fix}."
        )


def check_labels(y, n: int, n_classes: int) -> None:
    """Check labels ``y``: int64 class indices in range, one per input row."""
    if not isinstance(y, torch.Tensor):
        raise TypeError(f"y must be a tensor, got {type(y).__name__}: use torch.as_tensor(y).")
    if y.dtype != torch.int64:
        raise TypeError(
            f"labels must be int64 class indices, got dtype {_dtype_name(y.dtype)}: "
            "use y.long() if they are whole numbers."
        )
    if tuple(y.shape) != (n,):
        hint = (
            " For one-hot labels, use y.argmax(dim=1)." if tuple(y.shape) == (n, n_classes) else ""
        )
        raise ValueError(
            f"y must hold one integer label per row of x, shape ({n},), got {tuple(y.shape)}.{hint}"
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


def _dtype_name(dtype: torch.dtype) -> str:
    """``"float32"`` for ``torch.float32``: dtypes named as NumPy names them, in messages."""
    return str(dtype).removeprefix("torch.")


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
