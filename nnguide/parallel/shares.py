"""Each process's share of a global batch, and its weight in the batch's mean gradient."""

from __future__ import annotations

import numpy as np


def share(batch: np.ndarray, rank: int, world: int) -> tuple[np.ndarray, float]:
    """The examples of ``batch`` that process ``rank`` of ``world`` computes, and its weight.

    The batch is cut into ``world`` consecutive pieces, as even as can be
    (``np.array_split``: a batch that does not divide gives its first pieces one
    more example). The weight is the piece's size over the batch's, so that the
    weighted sum of the pieces' mean gradients is the whole batch's mean
    gradient, and one process and several take the same step.

    A piece left empty (a batch smaller than ``world``) computes the batch's
    first example with weight 0: every process still takes part in the
    all-reduce, and adds nothing to it.

    Examples
    --------
    >>> batch = np.arange(5)
    >>> share(batch, 0, 2), share(batch, 1, 2)
    ((array([0, 1, 2]), 0.6), (array([3, 4]), 0.4))
    >>> share(np.arange(1), 1, 2)
    (array([0]), 0.0)
    """
    piece = np.array_split(batch, world)[rank]
    if len(piece) == 0:
        return batch[:1], 0.0
    return piece, len(piece) / len(batch)
