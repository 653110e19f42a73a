"""Optimizers, by the same names as :mod:`nnguide.scratch.optimizers`: PyTorch's own."""

from __future__ import annotations

import torch

from .checks import check_choice, check_momentum, check_parameters, check_positive

#: The optimizers, by name.
OPTIMIZERS = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}


def make_optimizer(
    name: str, params, lr: float, momentum: float | None = None
) -> torch.optim.Optimizer:
    """Build the :mod:`torch.optim` optimizer called ``name`` over ``params``.

    Parameters
    ----------
    name : {"sgd", "adam"}
    params : iterable of torch.Tensor
        ``model.parameters()``.
    lr : float
        Learning rate, positive.
    momentum : float, optional
        SGD's momentum, in [0, 1); not given, plain SGD (0). Adam takes none:
        passing it raises ``ValueError`` rather than being ignored.
    """
    check_choice("optimizer", name, OPTIMIZERS)
    check_momentum(name, momentum)
    params = check_parameters(params)
    check_positive("lr", lr)
    if name == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=0.0 if momentum is None else momentum)
    return torch.optim.Adam(params, lr=lr)
