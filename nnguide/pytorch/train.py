"""Training the PyTorch network: one step, one evaluation, and the epoch loop."""

from __future__ import annotations

import time

import numpy as np
import torch

from .checks import (
    check_dataset,
    check_labels,
    check_loss,
    check_pair,
    check_positive,
    check_seed,
)
from .losses import get_loss


def batch_order(n: int, seed: int, epoch: int) -> np.ndarray:
    """The order in which one epoch visits the ``n`` training examples.

    Drawn by NumPy, ``np.random.default_rng([seed, epoch]).permutation(n)``,
    exactly as :func:`nnguide.scratch.train.batch_order` draws it, so both
    sides see the same batches (``torch.randperm`` would draw another order).
    """
    return np.random.default_rng([seed, epoch]).permutation(n)


def train_step(model, optimizer, x, y, loss: str = "cross_entropy") -> float:
    """Forward, backward and update on one mini-batch; return its loss."""
    loss_fn = get_loss(loss)
    optimizer.zero_grad()
    logits = model(x)  # the model's forward checks x
    check_labels(y, len(x), model.sizes[-1])
    value = loss_fn(logits, y)
    value.backward()  # autograd fills every parameter's .grad
    optimizer.step()
    return value.item()


@torch.no_grad()
def evaluate(model, x, y, loss: str = "cross_entropy") -> tuple[float, float]:
    """The mean loss and the accuracy (a fraction) of ``model`` on ``(x, y)``."""
    check_dataset(x, y, model.sizes[0], model.sizes[-1], model.dtype)
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
    on_epoch=None,
) -> list[dict]:
    """Train ``model`` with ``optimizer``; return one record per epoch.

    Parameters
    ----------
    model : nnguide.pytorch.MLP
    optimizer : torch.optim.Optimizer
        Built over ``model.parameters()``.
    train, test : tuple of torch.Tensor
        ``(x, y)``: features (N, 784) in the model's dtype and int64 labels (N,),
        on the model's device.
    epochs, batch_size : int
    loss : {"cross_entropy", "quadratic"}
    seed : int
        Fixes the batch order (:func:`batch_order`).
    on_epoch : callable, optional
        Called with each epoch's record as soon as the epoch ends.

    Returns
    -------
    list of dict
        Per epoch: ``epoch`` (from 1), ``train_loss`` (the mean of its steps'
        losses), ``test_loss``, ``test_accuracy``, ``seconds`` (of its training
        steps) and ``step_losses``.

    Raises
    ------
    nnguide.pytorch.checks.TrainingDivergedError
        Before the update of a step whose loss is not finite or far above the
        first step's (see :func:`~nnguide.pytorch.checks.check_loss`); the
        weights are left as they were before that step.
    """
    check_pair("train", train)
    check_pair("test", test)
    (x_train, y_train), (x_test, y_test) = train, test
    check_positive("epochs", epochs, integer=True)
    check_positive("batch_size", batch_size, integer=True)
    check_seed(seed)
    loss_fn = get_loss(loss)
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be a function or None, got {type(on_epoch).__name__}.")
    for x, y in (train, test):
        check_dataset(x, y, model.sizes[0], model.sizes[-1], model.dtype)
    lr = optimizer.param_groups[0]["lr"]

    records, start_loss = [], None
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.from_numpy(batch_order(len(x_train), seed, epoch - 1)).to(x_train.device)
        losses, start = [], time.perf_counter()
        for step, i in enumerate(range(0, len(order), batch_size), start=1):
            idx = order[i : i + batch_size]
            # Forward and backward: autograd fills every parameter's .grad.
            optimizer.zero_grad()
            value = loss_fn(model(x_train[idx]), y_train[idx])
            value.backward()
            loss_value = value.item()
            start_loss = loss_value if start_loss is None else start_loss
            check_loss(loss_value, start=start_loss, epoch=epoch, step=step, lr=lr)
            # Update.
            optimizer.step()
            losses.append(loss_value)
        seconds = time.perf_counter() - start
        model.eval()
        test_loss, test_accuracy = evaluate(model, x_test, y_test, loss)
        records.append(
            dict(
                epoch=epoch,
                train_loss=float(np.mean(losses)),
                test_loss=test_loss,
                test_accuracy=test_accuracy,
                seconds=seconds,
                step_losses=losses,
            )
        )
        if on_epoch is not None:
            on_epoch(records[-1])
    return records
