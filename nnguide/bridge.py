"""The bridge between the two sides: one network's weights copied into the other.

The one module beside the guide that imports both :mod:`nnguide.scratch` and
:mod:`nnguide.pytorch` (the lab, which measures them, uses both too).
``nn.Linear`` stores its weight as (fan_out, fan_in), the transpose of the
scratch layout, so each ``W`` is transposed on the way; biases cross as they
are. The copies are exact: no arithmetic touches a value.
"""

from __future__ import annotations

import numpy as np
import torch

from nnguide import pytorch, scratch


def to_pytorch(model: scratch.MLP, device=None) -> pytorch.MLP:
    """A :class:`nnguide.pytorch.MLP` with exactly the weights of ``model``."""
    if not isinstance(model, scratch.MLP):
        raise TypeError(
            f"to_pytorch copies a nnguide.scratch.MLP, got {kind(model)}; "
            "to_scratch copies the other way."
        )
    twin = pytorch.MLP(model.sizes, model.activation, dtype=model.dtype.name, device=device)
    with torch.no_grad():
        for p, q in zip(twin.parameters(), model.parameters()):
            p.copy_(torch.from_numpy(q.T if q.ndim == 2 else q))
    return twin


def to_scratch(model: pytorch.MLP) -> scratch.MLP:
    """A :class:`nnguide.scratch.MLP` with exactly the weights of ``model``."""
    if not isinstance(model, pytorch.MLP):
        raise TypeError(
            f"to_scratch copies a nnguide.pytorch.MLP, got {kind(model)}; "
            "to_pytorch copies the other way."
        )
    dtype = str(model.dtype).removeprefix("torch.")
    twin = scratch.MLP(model.sizes, model.activation, dtype=dtype)
    for q, p in zip(twin.parameters(), model.parameters()):
        value = p.detach().cpu().numpy()
        q[...] = value.T if value.ndim == 2 else value
    return twin


def kind(value) -> str:
    """The full name of ``value``'s class, for messages: ``nnguide.scratch.model.MLP``."""
    return f"{type(value).__module__}.{type(value).__qualname__}"


def max_difference(model: scratch.MLP, twin: pytorch.MLP) -> float:
    """The largest relative difference between the two networks' parameters."""
    worst = 0.0
    for p, q in zip(model.parameters(), twin.parameters()):
        q = q.detach().cpu().numpy()
        q = q.T if q.ndim == 2 else q
        scale = max(np.abs(p).max(), np.abs(q).max())
        worst = max(worst, float(np.abs(p - q).max() / scale) if scale else 0.0)
    return worst
