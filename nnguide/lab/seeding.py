"""One call that seeds every random number generator a run touches."""

from __future__ import annotations

import random

import numpy as np


def seed_everything(seed: int) -> np.random.Generator:
    """Seed Python's, NumPy's and PyTorch's global generators.

    Parameters
    ----------
    seed : int
        The seed. The same seed gives the same run, on each side.

    Returns
    -------
    numpy.random.Generator
        A fresh generator seeded with ``seed``, for code that prefers an
        explicit generator to the global state.
    """
    import torch  # imported here so that the NumPy side never needs PyTorch

    random.seed(seed)
    np.random.seed(seed)  # noqa: NPY002 (the legacy global state, for code that uses it)
    torch.manual_seed(seed)  # seeds the CPU and every CUDA device
    return np.random.default_rng(seed)
