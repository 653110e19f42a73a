"""Loss functions, by the same names as :mod:`nnguide.scratch.losses`.

PyTorch needs only the forward formula: autograd derives the gradient.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .checks import check_choice


def quadratic(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """The quadratic cost of Nielsen's book, on a sigmoid output layer.

    ``mean_i( ½ ‖sigmoid(logits_i) - onehot(y_i)‖² )``.
    """
    target = F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return 0.5 * ((torch.sigmoid(logits) - target) ** 2).sum(dim=1).mean()


#: The losses, by name.
LOSSES = {"cross_entropy": F.cross_entropy, "quadratic": quadratic}


def get_loss(name: str):
    """The loss function called ``name`` (see :data:`LOSSES`)."""
    check_choice("loss", name, LOSSES)
    return LOSSES[name]
