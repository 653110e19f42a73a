"""Checking hand-written gradients against finite differences.

A gradient is a claim about how the loss changes when one number moves. The
check moves each number by a tiny ``eps`` (1e-5) both ways and measures:
``(f(x + eps) - f(x - eps)) / (2 * eps)`` approximates df/dx with an error
of order ``eps**2``. In float64 a correct backward pass agrees to about 1e-8;
a wrong one misses by orders of magnitude.
"""

from __future__ import annotations

import numpy as np


def numerical_gradient(f, x: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central-difference gradient of the scalar function ``f()`` with respect to ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored; ``f``
    must read ``x`` (for example, a closure over a model's weights).
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + eps
        plus = f()
        x[i] = original - eps
        minus = f()
        x[i] = original
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    """``max|a - b| / max(max|a|, max|b|)``: 0 for equal arrays, about 1 for unrelated ones."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = max(np.abs(a).max(), np.abs(b).max())
    return float(np.abs(a - b).max() / scale) if scale > 0 else 0.0


def check_model(model, x, y, loss: str = "cross_entropy", eps: float = 1e-5) -> list[dict]:
    """Compare every parameter gradient of ``model`` with finite differences.

    Use a float64 model and a small batch: the check evaluates the loss twice
    per parameter.

    Returns
    -------
    list of dict
        One row per parameter: ``name``, ``shape`` and ``relative_error``.
    """
    _, grads = model.loss_and_grads(x, y, loss)
    rows = []
    for i, (p, g) in enumerate(zip(model.parameters(), grads)):
        numeric = numerical_gradient(lambda: model.loss_and_grads(x, y, loss)[0], p, eps)
        name = f"{'W' if p.ndim == 2 else 'b'}{i // 2 + 1}"
        rows.append({"name": name, "shape": p.shape, "relative_error": relative_error(g, numeric)})
    return rows
