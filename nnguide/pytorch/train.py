"""Training the PyTorch network: one step, one evaluation, and the epoch loop."""

from __future__ import annotations

import torch
from tqdm import tqdm

from nnguide.checks import check_batch, check_positive
from nnguide.data import FULL
from nnguide.history import History
from nnguide.pytorch.data import in_memory_loader
from nnguide.pytorch.losses import get_loss
from nnguide.training import run_epochs


def train_step(model, optimizer, x, y, loss: str = "cross_entropy") -> float:
    """Forward, backward and update on one mini-batch; return its loss."""
    check_batch(x, y, model.sizes[0], model.sizes[-1])
    optimizer.zero_grad()
    value = get_loss(loss)(model(x), y)
    value.backward()  # autograd fills every parameter's .grad
    optimizer.step()
    return value.item()


@torch.no_grad()
def evaluate(model, x, y, loss: str = "cross_entropy") -> tuple[float, float]:
    """The mean loss and the accuracy (a fraction) of ``model`` on ``(x, y)``."""
    logits = model(x)
    value = get_loss(loss)(logits, y).item()
    return value, (logits.argmax(dim=1) == y).double().mean().item()


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
    model : nnguide.pytorch.MLP
    optimizer : torch.optim.Optimizer
        Built over ``model.parameters()``.
    train, test : tuple of torch.Tensor
        ``(x, y)``: features (N, 784) in the model's dtype and int64 labels (N,).
        They are moved to the model's device once, before training.
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
    check_positive("batch_size", batch_size, integer=True)
    get_loss(loss)  # fail now, not after the first epoch, if the name is wrong
    device = next(model.parameters()).device
    (x_train, y_train), (x_test, y_test) = [(x.to(device), y.to(device)) for x, y in (train, test)]
    for x, y in ((x_train, y_train), (x_test, y_test)):
        check_batch(x, y, model.sizes[0], model.sizes[-1])
    loader = in_memory_loader(x_train, y_train, batch_size, seed=seed)

    def batches(epoch):
        model.train()
        loader.sampler.set_epoch(epoch)
        return loader

    def test_metrics():
        model.eval()
        return evaluate(model, x_test, y_test, loss)

    history = History(config=dict(config or {}, impl="pytorch"), dataset=dataset)
    lr = optimizer.param_groups[0]["lr"]
    return run_epochs(
        lambda x, y: train_step(model, optimizer, x, y, loss),
        test_metrics,
        batches,
        history,
        epochs=epochs,
        lr=lr,
        progress=progress,
        log=log,
    )
