"""Loss functions, by the same names as :mod:`nnguide.scratch.losses`.

PyTorch needs only the forward formula: autograd derives the gradient.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from nnguide.checks import check_choice


def mse(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean squared error between softmax probabilities and one-hot targets."""
    target = F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return F.mse_loss(torch.softmax(logits, dim=1), target)


#: The losses, by name.
LOSSES = {"cross_entropy": F.cross_entropy, "mse": mse}


def get_loss(name: str):
    """The loss function called ``name`` (see :data:`LOSSES`)."""
    check_choice("loss", name, LOSSES)
    return LOSSES[name]
