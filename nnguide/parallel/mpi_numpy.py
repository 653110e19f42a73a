"""The guide's NumPy network on several processes: gradients averaged by MPI.

Launched with ``mpiexec -n 2 python -m nnguide train --impl scratch``: every
process holds the whole network, computes the gradients of its share of each
batch (:func:`nnguide.parallel.shares.share`) with the guide's own
``loss_and_grads``, and then, in :func:`average`, MPI sums every process's
weighted gradients in one buffer (one ``Allreduce`` on a NumPy array, in
place, no pickling). Every process then holds the batch's mean gradient and
takes the same update with the guide's optimizer, so the copies stay identical.
"""

from __future__ import annotations

import time

import numpy as np
from mpi4py import MPI

from nnguide.parallel.shares import share
from nnguide.scratch.checks import check_loss
from nnguide.scratch.train import batch_order, evaluate


def average(grads: list[np.ndarray], value: float, weight: float, comm) -> float:
    """Replace each gradient by the sum over every process of ``weight`` times it.

    With each process's weight its share of the batch, the gradients of the
    shares' mean losses become the gradient of the whole batch's mean loss.
    Returns the same sum of the processes' losses ``value``: the batch's loss.
    """
    # One buffer, one message per step (as DDP's bucket): every gradient, then the loss.
    buffer = np.concatenate([g.ravel() for g in grads] + [[value]], dtype=grads[0].dtype)
    buffer *= weight
    comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)  # in place, on the array's own memory
    start = 0
    for g in grads:
        g[...] = buffer[start : start + g.size].reshape(g.shape)
        start += g.size
    return float(buffer[-1])


def train_step(
    model,
    optimizer,
    x,
    y,
    loss: str = "cross_entropy",
    *,
    weight: float,
    comm,
    first_loss: float | None = None,
    epoch: int = 1,
    step: int = 1,
) -> float:
    """:func:`nnguide.scratch.train_step` on this process's share ``(x, y)`` of a batch.

    ``weight`` is the share's size over the batch's; the returned loss is the
    whole batch's, the same on every process, so all of them stop together
    when it diverges.
    """
    # Forward and backward on this process's share: the guide's own code.
    value, grads = model.loss_and_grads(x, y, loss)
    # The one step one process does not need: average the gradients (and the loss) over
    # every process, each weighted by its share of the batch.
    value = average(grads, value, weight, comm)
    start = value if first_loss is None else first_loss
    check_loss(value, start=start, epoch=epoch, step=step, lr=optimizer.lr)
    # Update: the same mean gradient on every process, the same new weights.
    optimizer.step(grads)
    return value


class Timed:
    """``comm`` with a clock around each ``Allreduce``, as a DDP communication hook has.

    Given to :func:`train_step` in place of the communicator, it appends to
    ``timings`` the seconds and the bytes of each ``Allreduce``; everything
    else goes to ``comm`` unchanged. Timing is the lab's business, kept out of
    the training code.
    """

    def __init__(self, comm, timings: list):
        self.comm, self.timings = comm, timings

    def Allreduce(self, send, receive, op):  # noqa: N802 (mpi4py's name)
        start = time.perf_counter()
        self.comm.Allreduce(send, receive, op=op)
        self.timings.append((time.perf_counter() - start, receive.nbytes))

    def __getattr__(self, name):
        return getattr(self.comm, name)


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
    comm=None,
    on_epoch=None,
) -> list[dict]:
    """:func:`nnguide.scratch.fit` on every process of ``comm`` (default: ``MPI.COMM_WORLD``).

    ``batch_size`` is the global batch, cut into shares. Each epoch's record
    also holds ``comm_seconds`` (this process's time in the steps' ``Allreduce``,
    timed by :class:`Timed`) and ``share`` (the examples this process
    computed); its ``seconds`` are the slowest process's. Process 0 evaluates
    on the test split; on the others, the test figures are NaN.
    """
    comm = MPI.COMM_WORLD if comm is None else comm
    # Every process starts from process 0's weights.
    for p in model.parameters():
        comm.Bcast(p, root=0)
    (x_train, y_train), (x_test, y_test) = train, test
    records, first_loss, timings = [], None, []
    timed = Timed(comm, timings)  # the training's all-reduces, timed; Bcast and MAX are not
    for epoch in range(1, epochs + 1):
        order = batch_order(len(x_train), seed, epoch - 1)
        losses, seen, start = [], 0, time.perf_counter()
        del timings[:]
        for step, i in enumerate(range(0, len(order), batch_size), start=1):
            idx, weight = share(order[i : i + batch_size], comm.rank, comm.size)
            seen += len(idx) if weight else 0
            value = train_step(
                model, optimizer, x_train[idx], y_train[idx], loss, weight=weight, comm=timed,
                first_loss=first_loss, epoch=epoch, step=step,
            )  # fmt: skip
            first_loss = value if first_loss is None else first_loss
            losses.append(value)
        # The epoch lasts as long as its slowest process (buffers, not pickled objects).
        seconds = np.array([time.perf_counter() - start])
        comm.Allreduce(MPI.IN_PLACE, seconds, op=MPI.MAX)
        test_loss, test_accuracy = (
            evaluate(model, x_test, y_test, loss) if comm.rank == 0 else (np.nan, np.nan)
        )
        records.append(
            dict(
                epoch=epoch, train_loss=float(np.mean(losses)), test_loss=test_loss,
                test_accuracy=test_accuracy, seconds=float(seconds[0]), step_losses=losses,
                comm_seconds=sum(t for t, _ in timings), share=seen,
            )
        )  # fmt: skip
        if on_epoch is not None:
            on_epoch(records[-1])
    return records
