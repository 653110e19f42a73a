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


def train_step(
    model,
    optimizer,
    x,
    y,
    loss: str = "cross_entropy",
    *,
    first_loss: float | None = None,
    epoch: int = 1,
    step: int = 1,
) -> float:
    """One step on one mini-batch: loss and gradients, the divergence check, the update.

    Puts the model in training mode first (``model.train()``), which layers
    such as dropout need; it stays in that mode after the step.

    Parameters
    ----------
    model : nnguide.pytorch.MLP
    optimizer : torch.optim.Optimizer
    x, y : torch.Tensor
        The batch: features (N, 784) in the model's dtype and int64 labels (N,),
        on the model's device.
    loss : {"cross_entropy", "quadratic"}
    first_loss : float, optional
        The loss of the run's first step, which this step's loss is checked
        against (:func:`~nnguide.pytorch.checks.check_loss`); not given, the
        step is the first, and only a NaN or infinite loss stops it.
    epoch, step : int
        Where the step is in the run, for the message of a diverging step.

    Returns
    -------
    float
        The batch's loss, before the update.

    Raises
    ------
    nnguide.pytorch.checks.TrainingDivergedError
        Before the update, when the loss is not finite or far above
        ``first_loss``; the weights are left as they were.
    """
    loss_fn = get_loss(loss)
    model.train()
    # Forward and backward: autograd fills every parameter's .grad.
    optimizer.zero_grad()
    logits = model(x)  # the model's forward checks x
    check_labels(y, len(x), model.sizes[-1])
    value = loss_fn(logits, y)
    value.backward()
    # Stop before an update that would carry the weights off.
    loss_value = value.item()
    start = loss_value if first_loss is None else first_loss
    lr = optimizer.param_groups[0]["lr"]
    check_loss(loss_value, start=start, epoch=epoch, step=step, lr=lr)
    # Update: the gradients, in each parameter's .grad, meet the optimizer only here.
    optimizer.step()
    return loss_value


@torch.no_grad()
def evaluate(model, x, y, loss: str = "cross_entropy") -> tuple[float, float]:
    """The mean loss and the accuracy (a fraction) of ``model`` on ``(x, y)``.

    Puts the model in evaluation mode (``model.eval()``) and leaves it there:
    the next :func:`train_step` puts it back in training mode.
    """
    check_dataset(x, y, model.sizes[0], model.sizes[-1], model.dtype)
    model.eval()
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
        From :func:`train_step`, before the update of a step whose loss is not
        finite or far above the first step's (see
        :func:`~nnguide.pytorch.checks.check_loss`); the weights are left as
        they were before that step.
    """
    check_pair("train", train)
    check_pair("test", test)
    (x_train, y_train), (x_test, y_test) = train, test
    check_positive("epochs", epochs, integer=True)
    check_positive("batch_size", batch_size, integer=True)
    check_seed(seed)
    get_loss(loss)  # fail now, not after the first epoch, if the name is wrong
    if on_epoch is not None and not callable(on_epoch):
        raise TypeError(f"on_epoch must be a function or None, got {type(on_epoch).__name__}.")
    for x, y in (train, test):
        check_dataset(x, y, model.sizes[0], model.sizes[-1], model.dtype)

    records, first_loss = [], None
    for epoch in range(1, epochs + 1):
        order = torch.from_numpy(batch_order(len(x_train), seed, epoch - 1)).to(x_train.device)
        losses, start = [], time.perf_counter()
        for step, i in enumerate(range(0, len(order), batch_size), start=1):
            idx = order[i : i + batch_size]
            x, y = x_train[idx], y_train[idx]
            value = train_step(
                model, optimizer, x, y, loss, first_loss=first_loss, epoch=epoch, step=step
            )
            first_loss = value if first_loss is None else first_loss
            losses.append(value)
        seconds = time.perf_counter() - start
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
