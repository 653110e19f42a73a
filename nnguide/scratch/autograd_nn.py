"""The MNIST network on the autograd engine: the forward pass only, the gradients found.

What :mod:`nnguide.scratch.autograd` is to micrograd's ``engine.py``, this module
is to its ``nn.py``: the network built on the engine. The forward pass of
:class:`nnguide.scratch.MLP` is written once with :class:`~nnguide.scratch.autograd.Tensor`
operations and no backward pass is written; ``backward()`` finds the gradients
that the hand-written layers derive by hand.
"""

from __future__ import annotations

import numpy as np

from .autograd import Tensor
from .checks import check_loss


def cross_entropy(logits: Tensor, labels) -> Tensor:
    """Mean softmax cross-entropy of ``logits`` (N, C) for integer ``labels`` (N,)."""
    labels = np.asarray(labels)
    onehot = np.zeros(logits.shape, dtype=logits.data.dtype)
    onehot[np.arange(len(labels)), labels] = 1
    return -(logits.log_softmax(axis=1) * onehot).sum() / len(labels)


def loss_and_grads(model, x, y, loss: str = "cross_entropy"):
    """``model.loss_and_grads(x, y)``, with the gradients found by the engine.

    The forward pass is written once, with Tensors; no backward pass is written.
    The Tensors wrap ``model.parameters()`` without copying, so an optimizer built on
    the model updates the same arrays.
    """
    if loss != "cross_entropy":
        raise ValueError(f"the engine's MNIST network supports 'cross_entropy' only, got {loss!r}.")
    params = [Tensor(p, requires_grad=True) for p in model.parameters()]
    h = Tensor(x)
    n_layers = len(params) // 2
    for i, (W, b) in enumerate(zip(params[0::2], params[1::2])):
        h = h @ W + b
        if i < n_layers - 1:
            h = getattr(h, model.activation)()  # .sigmoid() or .relu()
    value = cross_entropy(h, y)
    value.backward()
    return value.item(), [p.grad for p in params]


def train_step(
    model, optimizer, x, y, loss="cross_entropy", *, first_loss=None, epoch=1, step=1
) -> float:
    """:func:`nnguide.scratch.train_step`, with the gradients found by the engine."""
    value, grads = loss_and_grads(model, x, y, loss)
    start = value if first_loss is None else first_loss
    check_loss(value, start=start, epoch=epoch, step=step, lr=optimizer.lr)
    optimizer.step(grads)
    return value
