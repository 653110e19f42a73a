"""Optimizers, by the same names as :mod:`nnguide.scratch.optimizers`: PyTorch's own."""

from __future__ import annotations

import torch

from .checks import check_choice, check_fraction, check_parameters, check_positive

#: The optimizers, by name.
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}


def make_optimizer(name: str, params, lr: float, momentum: float = 0.0) -> torch.optim.Optimizer:
    """Build the :mod:`torch.optim` optimizer called ``name`` over ``params``.

    ``momentum`` applies to SGD only.
    """
    check_choice("optimizer", name, OPTIMIZERS)
    params = check_parameters(params)
    check_positive("lr", lr)
    if name == "sgd":
        check_fraction("momentum", momentum)
        return torch.optim.SGD(params, lr=lr, momentum=momentum)
    return torch.optim.Adam(params, lr=lr)
