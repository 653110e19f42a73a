"""Optimizers: update the parameters in place from their gradients.

Both follow the update rules of :mod:`torch.optim` to the letter, so that the
two implementations stay equal step by step, to rounding error.
"""

from __future__ import annotations

import numpy as np

from .checks import (
    check_choice,
    check_fraction,
    check_momentum,
    check_parameters,
    check_positive,
)


class SGD:
    """Stochastic gradient descent with optional momentum, as :class:`torch.optim.SGD`.

    ``v = momentum * v + g`` (``v = g`` on the first step), then ``p -= lr * v``.

    Parameters
    ----------
    params : list of numpy.ndarray
        The arrays to update in place (``model.parameters()``).
    lr : float
        Learning rate, positive.
    momentum : float
        Momentum factor in [0, 1).
    """

    def __init__(self, params: list[np.ndarray], lr: float, momentum: float = 0.0):
        self.params = check_parameters(params)
        check_positive("lr", lr)
        check_fraction("momentum", momentum)
        self.lr, self.momentum = lr, momentum
        self.velocity = [None] * len(self.params)

    def step(self, grads: list[np.ndarray]) -> None:
        """Move every parameter against its gradient."""
        for i, (p, g) in enumerate(zip(self.params, grads)):
            if self.momentum:
                if self.velocity[i] is not None:
                    g = self.momentum * self.velocity[i] + g
                self.velocity[i] = g
            p -= self.lr * g  # in place: the model holds these very arrays


class Adam:
    """Adam, as :class:`torch.optim.Adam` (no weight decay).

    Keeps running averages of the gradient ``m`` and of its square ``v``,
    corrects their bias towards zero, and steps by ``lr * m_hat / (sqrt(v_hat) + eps)``.
    """

    def __init__(self, params, lr: float = 1e-3, betas=(0.9, 0.999), eps: float = 1e-8):
        self.params = check_parameters(params)
        check_positive("lr", lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(
                f"betas must be a pair (beta1, beta2), such as (0.9, 0.999), got {betas!r}."
            )
        for i, beta in enumerate(betas):
            check_fraction(f"betas[{i}]", beta)
        check_positive("eps", eps)
        self.lr, self.betas, self.eps = lr, tuple(betas), eps
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.t = 0

    def step(self, grads: list[np.ndarray]) -> None:
        """Move every parameter by its bias-corrected, scaled running average."""
        self.t += 1
        beta1, beta2 = self.betas
        bias1 = 1 - beta1**self.t
        bias2 = 1 - beta2**self.t
        for i, (p, g) in enumerate(zip(self.params, grads)):
            self.m[i] = beta1 * self.m[i] + (1 - beta1) * g
            self.v[i] = beta2 * self.v[i] + (1 - beta2) * g * g
            # The order of operations of torch.optim.Adam, so the two agree to rounding
            # error (torch updates m with lerp_, so the last bits can differ).
            denom = np.sqrt(self.v[i]) / np.sqrt(bias2) + self.eps
            p -= (self.lr / bias1) * (self.m[i] / denom)


#: The optimizers, by name.
OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def make_optimizer(name: str, params, lr: float, momentum: float | None = None):
    """Build the optimizer called ``name`` over ``params``.

    Parameters
    ----------
    name : {"sgd", "adam"}
    params : list of numpy.ndarray
        ``model.parameters()``.
    lr : float
        Learning rate, positive.
    momentum : float, optional
        SGD's momentum, in [0, 1); not given, plain SGD (0). Adam takes none:
        passing it raises ``ValueError`` rather than being ignored.
    """
    check_choice("optimizer", name, OPTIMIZERS)
    check_momentum(name, momentum)
    if name == "sgd":
        return SGD(params, lr, momentum=0.0 if momentum is None else momentum)
    return Adam(params, lr)
