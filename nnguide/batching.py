"""The order in which both implementations see the training examples.

Both training loops draw their mini-batches from :func:`epoch_batches`, so two
runs with the same seed, one in NumPy and one in PyTorch, see exactly the same
batches in the same order. That is what lets the tests and the site compare
them step by step.
"""

from __future__ import annotations

import numpy as np


def epoch_batches(n: int, batch_size: int, *, seed: int, epoch: int) -> list[np.ndarray]:
    """The index arrays of one epoch's mini-batches.

    The examples are shuffled by a generator seeded from ``(seed, epoch)``, so
    each epoch has its own order and any epoch can be reproduced on its own.
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
    order = np.random.default_rng([seed, epoch]).permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


class Batches:
    """The mini-batches ``(x[idx], y[idx])`` of one epoch, gathered as they are used.

    Gathering lazily means an epoch's timing includes the cost of copying each
    batch out of the dataset, which every real training loop pays. Each batch is
    copied into the same two buffers, so a batch is valid only until the next
    one is drawn: use it (train on it), then let it go.
    """

    def __init__(self, x, y, batch_size: int, *, seed: int, epoch: int):
        self.x, self.y = x, y
        self.order = epoch_batches(len(x), batch_size, seed=seed, epoch=epoch)

    def __len__(self) -> int:
        return len(self.order)

    def __iter__(self):
        x_buffer = np.empty((len(self.order[0]), *self.x.shape[1:]), dtype=self.x.dtype)
        y_buffer = np.empty(len(self.order[0]), dtype=self.y.dtype)
        for idx in self.order:
            n = len(idx)  # the last batch may be smaller
            # np.take with out= fills the buffer in place; mode="clip" stops it from
            # first copying into a hidden buffer of its own (the indices are valid anyway).
            np.take(self.x, idx, axis=0, out=x_buffer[:n], mode="clip")
            np.take(self.y, idx, axis=0, out=y_buffer[:n], mode="clip")
            yield x_buffer[:n], y_buffer[:n]
