"""The order in which both implementations see the training examples.

Each side's ``fit`` draws an epoch's order as
``np.random.default_rng([seed, epoch]).permutation(n)``
(:func:`nnguide.scratch.batch_order`, :func:`nnguide.pytorch.batch_order`),
so two runs with the same seed, one in NumPy and one in PyTorch, see exactly
the same batches in the same order. This module gives the same batches to the
code around the guide (the lab's benchmarks, the tests), and a test checks
that all three agree.
"""

from __future__ import annotations

import numpy as np


def epoch_order(n: int, *, seed: int, epoch: int) -> np.ndarray:
    """The permutation of ``range(n)`` that epoch ``epoch`` (counted from 0) visits."""
    return np.random.default_rng([seed, epoch]).permutation(n)


def epoch_batches(n: int, batch_size: int, *, seed: int, epoch: int) -> list[np.ndarray]:
    """The index arrays of one epoch's mini-batches.

    The last batch is smaller when ``batch_size`` does not divide ``n``.

    Parameters
    ----------
    n : int
        Number of training examples.
    batch_size : int
        Examples per batch.
    seed : int
        The run's seed.
    epoch : int
        The epoch, counted from 0.

    Returns
    -------
    list of numpy.ndarray
        One int64 array of indices per batch; together they cover ``range(n)`` once.
    """
    if batch_size <= 0:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size}.")
    order = epoch_order(n, seed=seed, epoch=epoch)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]
