"""The same network in PyTorch: ``nn.Module``, autograd and ``torch.optim``.

Modules mirror :mod:`nnguide.scratch` name for name:
:mod:`~nnguide.pytorch.model`, :mod:`~nnguide.pytorch.losses`,
:mod:`~nnguide.pytorch.optimizers`, :mod:`~nnguide.pytorch.train` and
:mod:`~nnguide.pytorch.checks`. The folder imports PyTorch, NumPy and itself.
"""

from .model import MLP
from .optimizers import make_optimizer
from .train import batch_order, evaluate, fit, train_step

__all__ = ["MLP", "make_optimizer", "fit", "train_step", "evaluate", "batch_order"]
