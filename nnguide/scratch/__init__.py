"""The network from scratch: NumPy only, every gradient derived by hand.

Modules: :mod:`~nnguide.scratch.layers` (linear layer and activations),
:mod:`~nnguide.scratch.losses`, :mod:`~nnguide.scratch.optimizers`,
:mod:`~nnguide.scratch.model` (the :class:`MLP`), :mod:`~nnguide.scratch.train`
(the training loop), :mod:`~nnguide.scratch.checks` (argument checks),
:mod:`~nnguide.scratch.gradcheck` (finite differences),
:mod:`~nnguide.scratch.autograd` (a small reverse-mode autodiff engine),
:mod:`~nnguide.scratch.autograd_nn` (the network on that engine) and
:mod:`~nnguide.scratch.reference` (the network of Nielsen's book).

The folder imports NumPy and itself, nothing else: copied into another project
as ``scratch/``, it works there as it is.
"""

from .model import MLP
from .optimizers import SGD, Adam, make_optimizer
from .train import batch_order, evaluate, fit, train_step

__all__ = ["MLP", "SGD", "Adam", "make_optimizer", "fit", "train_step", "evaluate", "batch_order"]
