"""nnguide: a neural network from scratch in NumPy, side by side with PyTorch.

Subpackages: :mod:`nnguide.scratch` (NumPy) and :mod:`nnguide.pytorch`, which
mirror each other module for module. Shared pieces: :mod:`nnguide.data`
(MNIST), :mod:`nnguide.batching`, :mod:`nnguide.training` (the epoch loop),
:mod:`nnguide.history`, :mod:`nnguide.checks`, :mod:`nnguide.seeding`,
:mod:`nnguide.environment` and :mod:`nnguide.experiment` (one call per run).
"""

__version__ = "0.1.0"
