"""The network from scratch: NumPy only, every gradient derived by hand.

Modules: :mod:`~nnguide.scratch.layers` (linear layer and activations),
:mod:`~nnguide.scratch.losses`, :mod:`~nnguide.scratch.optimizers`,
:mod:`~nnguide.scratch.model` (the :class:`MLP`), :mod:`~nnguide.scratch.train`,
and :mod:`~nnguide.scratch.reference`, the slow per-example backpropagation.
"""

from nnguide.scratch.model import MLP
from nnguide.scratch.optimizers import SGD, Adam, make_optimizer
from nnguide.scratch.train import evaluate, fit, train_step

__all__ = ["MLP", "SGD", "Adam", "make_optimizer", "fit", "train_step", "evaluate"]
