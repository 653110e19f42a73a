"""The same network in PyTorch: ``nn.Module``, autograd and ``torch.optim``.

Modules mirror :mod:`nnguide.scratch`: :mod:`~nnguide.pytorch.model`,
:mod:`~nnguide.pytorch.losses`, :mod:`~nnguide.pytorch.optimizers`,
:mod:`~nnguide.pytorch.train`, plus :mod:`~nnguide.pytorch.data` for the
torchvision dataset and its loaders.
"""

from nnguide.pytorch.model import MLP
from nnguide.pytorch.optimizers import make_optimizer
from nnguide.pytorch.train import evaluate, fit, train_step

__all__ = ["MLP", "make_optimizer", "fit", "train_step", "evaluate"]
