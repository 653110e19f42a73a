"""Training the NumPy network: one step, one evaluation, and the epoch loop."""

from __future__ import annotations

import numpy as np
from tqdm import tqdm

from nnguide.batching import Batches
from nnguide.checks import check_batch, check_positive
from nnguide.data import FULL
from nnguide.history import History
from nnguide.scratch.losses import get_loss
from nnguide.training import run_epochs


def train_step(model, optimizer, x, y, loss: str = "cross_entropy") -> float:
    """Forward, backward and update on one mini-batch; return its loss."""
    value, grads = model.loss_and_grads(x, y, loss)
    optimizer.step(grads)
    return value


def evaluate(model, x, y, loss: str = "cross_entropy") -> tuple[float, float]:
    """The mean loss and the accuracy (a fraction) of ``model`` on ``(x, y)``."""
    logits = model.forward(x)
    value, _ = get_loss(loss)(logits, y)
    return value, float(np.mean(logits.argmax(axis=1) == y))


def fit(
    model,
    optimizer,
    train,
    test,
    *,
    epochs: int,
    batch_size: int,
    loss: str = "cross_entropy",
    seed: int = 0,
    progress: bool = True,
    log=tqdm.write,
    config: dict | None = None,
    dataset: str = FULL,
) -> History:
    """Train ``model`` with ``optimizer`` and return the run's :class:`~nnguide.history.History`.

    Parameters
    ----------
    model : nnguide.scratch.MLP
    optimizer : nnguide.scratch.optimizers.SGD or nnguide.scratch.optimizers.Adam
        Built over ``model.params()``.
    train, test : tuple of numpy.ndarray
        ``(x, y)``: features (N, 784) in the model's dtype and int labels (N,).
    epochs, batch_size : int
    loss : {"cross_entropy", "mse"}
    seed : int
        Fixes the batch order (:func:`nnguide.batching.epoch_batches`).
    progress : bool
        Show a progress bar.
    log : callable or None
        Receives one line per epoch.
    config : dict, optional
        Settings to record in the history.
    dataset : str
        The dataset's name, recorded in the history.
    """
    (x_train, y_train), (x_test, y_test) = train, test
    check_positive("batch_size", batch_size, integer=True)
    get_loss(loss)  # fail now, not after the first epoch, if the name is wrong
    for x, y in (train, test):
        check_batch(x, y, model.sizes[0], model.sizes[-1])

    history = History(config=dict(config or {}, impl="scratch"), dataset=dataset)
    # A diverging run overflows; run_epochs raises a clear error on the first
    # non-finite loss, so NumPy's own overflow warnings would only add noise.
    with np.errstate(over="ignore", invalid="ignore"):
        return run_epochs(
            lambda x, y: train_step(model, optimizer, x, y, loss),
            lambda: evaluate(model, x_test, y_test, loss),
            lambda epoch: Batches(x_train, y_train, batch_size, seed=seed, epoch=epoch),
            history,
            epochs=epochs,
            lr=optimizer.lr,
            progress=progress,
            log=log,
        )
