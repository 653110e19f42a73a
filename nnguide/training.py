"""The epoch loop both implementations share.

Each side supplies a ``step`` (one mini-batch: forward, backward, update) and
an ``evaluate``; this loop does the rest the same way for both, so their logs,
timings and failure modes are directly comparable.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sized

import numpy as np
from tqdm import tqdm

from nnguide.checks import check_finite_loss, check_positive
from nnguide.history import EpochRecord, History


def run_epochs(
    step: Callable[[object, object], float],
    evaluate: Callable[[], tuple[float, float]],
    batches: Callable[[int], Iterable],
    history: History,
    *,
    epochs: int,
    lr: float,
    progress: bool = True,
    log: Callable[[str], object] | None = tqdm.write,
) -> History:
    """Train for ``epochs`` epochs, recording each in ``history``.

    Parameters
    ----------
    step : callable
        ``step(x, y)`` trains on one mini-batch and returns its loss as a float.
    evaluate : callable
        ``evaluate()`` returns ``(test_loss, test_accuracy)``.
    batches : callable
        ``batches(epoch)`` returns that epoch's mini-batches as ``(x, y)`` pairs.
    history : nnguide.history.History
        Filled in place and returned.
    epochs : int
        Number of passes over the training data.
    lr : float
        The learning rate, quoted if the loss diverges.
    progress : bool
        Show a progress bar over each epoch's batches.
    log : callable or None
        Called with one line per epoch; ``None`` for silence.

    Raises
    ------
    TrainingDivergedError
        As soon as a step's loss is NaN or infinite.
    """
    check_positive("epochs", epochs, integer=True)
    for epoch in range(1, epochs + 1):
        epoch_batches = batches(epoch - 1)
        total = len(epoch_batches) if isinstance(epoch_batches, Sized) else None
        bar = tqdm(
            epoch_batches,
            total=total,
            desc=f"epoch {epoch}/{epochs}",
            unit="batch",
            leave=False,
            disable=not progress,
        )
        losses = []
        start = time.perf_counter()
        for i, (x, y) in enumerate(bar, start=1):
            loss = step(x, y)
            check_finite_loss(loss, epoch=epoch, step=i, lr=lr)
            losses.append(loss)
        seconds = time.perf_counter() - start
        test_loss, test_accuracy = evaluate()
        record = EpochRecord(epoch, float(np.mean(losses)), test_loss, test_accuracy, seconds)
        history.epochs.append(record)
        history.step_losses.extend(losses)
        if log is not None:
            log(record.log_line(epochs))
    return history
