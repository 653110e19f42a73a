"""The guide's PyTorch network on several processes: DistributedDataParallel.

Launched with ``torchrun --nproc-per-node 2 -m nnguide train --impl pytorch``:
every process wraps the same network in
``torch.nn.parallel.DistributedDataParallel`` (:func:`wrap`), which
copies process 0's weights to the others and, inside ``backward()``, averages
every gradient over the processes (an all-reduce over ``gloo`` on the CPU,
``nccl`` on a GPU). The guide's optimizer then takes the same step on every
process. DDP averages with equal weights; scaling each process's loss by its
share of the batch times the number of processes makes that average the
whole batch's mean gradient when the shares differ.
"""

from __future__ import annotations

import time

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel

from nnguide.parallel.shares import share
from nnguide.pytorch.checks import check_labels, check_loss
from nnguide.pytorch.losses import get_loss
from nnguide.pytorch.train import batch_order, evaluate


def wrap(model, bucket_cap_mb: float | None = None) -> DistributedDataParallel:
    """``model`` in DDP (its network stays reachable as ``.module``, with its ``sizes``).

    DDP gathers the gradients into buckets (at most ``bucket_cap_mb`` each, the
    first smaller) and all-reduces each bucket as soon as its gradients are
    ready, so it can overlap communication with the rest of ``backward()``
    when there are several buckets; gradients that fit in one bucket are
    all-reduced once, after the backward pass (the scale record counts them).
    """
    on_gpu = next(model.parameters()).is_cuda
    options = {} if bucket_cap_mb is None else {"bucket_cap_mb": bucket_cap_mb}
    return DistributedDataParallel(
        model, device_ids=[next(model.parameters()).device] if on_gpu else None, **options
    )


def time_allreduces(ddp: DistributedDataParallel, timings: list) -> bool:
    """Time each bucket's all-reduce: DDP's default hook, ``allreduce_hook``, with a clock.

    ``timings`` receives the seconds from each all-reduce's start to its end
    and the bucket's bytes. Under NCCL, the hook's callback runs when the
    all-reduce is queued on the GPU, not when it ends: nothing is timed there,
    and the result is ``False`` (not measured).
    """
    from torch.distributed.algorithms.ddp_comm_hooks.default_hooks import allreduce_hook

    if dist.get_backend() == "nccl":
        return False

    def timed_allreduce(state, bucket):
        start, nbytes = time.perf_counter(), bucket.buffer().nbytes

        def done(fut):
            timings.append((time.perf_counter() - start, nbytes))
            return fut.value()[0]

        return allreduce_hook(state, bucket).then(done)

    ddp.register_comm_hook(None, timed_allreduce)
    return True


def train_step(
    ddp,
    optimizer,
    x,
    y,
    loss: str = "cross_entropy",
    *,
    weight: float,
    first_loss: float | None = None,
    epoch: int = 1,
    step: int = 1,
) -> float:
    """:func:`nnguide.pytorch.train_step` through DDP, on this process's share ``(x, y)``.

    ``weight`` is the share's size over the batch's; the returned loss is the
    whole batch's, the same on every process, so all of them stop together
    when it diverges.
    """
    loss_fn = get_loss(loss)
    ddp.train()
    optimizer.zero_grad()
    logits = ddp(x)  # through DDP, which prepares the all-reduce of backward()
    check_labels(y, len(x), ddp.module.sizes[-1])
    value = loss_fn(logits, y)
    # DDP divides the sum of the processes' gradients by their number: a loss scaled by
    # weight * world makes that the weighted mean, the whole batch's gradient.
    (value * (weight * dist.get_world_size())).backward()  # DDP averages in here
    # (On the batch's device: NCCL reduces GPU tensors only.)
    total = torch.tensor([value.item() * weight], dtype=torch.float64, device=x.device)
    dist.all_reduce(total)  # the batch's loss, for the divergence check and the log
    loss_value = total.item()
    start = loss_value if first_loss is None else first_loss
    check_loss(loss_value, start=start, epoch=epoch, step=step, lr=optimizer.param_groups[0]["lr"])
    optimizer.step()
    return loss_value


def fit(
    ddp,
    optimizer,
    train,
    test,
    *,
    epochs: int,
    batch_size: int,
    loss: str = "cross_entropy",
    seed: int = 0,
    timings=None,
    on_epoch=None,
) -> list[dict]:
    """:func:`nnguide.pytorch.fit` on every process of the job, through ``ddp`` (:func:`wrap`).

    ``batch_size`` is the global batch, cut into shares. Each epoch's record
    also holds ``comm_seconds`` (the all-reduce time ``timings`` gathered, the
    list given to :func:`time_allreduces`; ``None`` without it) and ``share``
    (the examples this process computed); its ``seconds`` are the slowest
    process's. Process 0 evaluates
    on the test split; on the others, the test figures are NaN.
    """
    (x_train, y_train), (x_test, y_test) = train, test
    rank, world = dist.get_rank(), dist.get_world_size()
    timed, timings = timings is not None, [] if timings is None else timings
    records, first_loss = [], None
    for epoch in range(1, epochs + 1):
        order = batch_order(len(x_train), seed, epoch - 1)
        losses, seen, start = [], 0, time.perf_counter()
        del timings[:]
        for step, i in enumerate(range(0, len(order), batch_size), start=1):
            idx, weight = share(order[i : i + batch_size], rank, world)
            seen += len(idx) if weight else 0
            idx = torch.from_numpy(idx).to(x_train.device)
            value = train_step(
                ddp, optimizer, x_train[idx], y_train[idx], loss, weight=weight,
                first_loss=first_loss, epoch=epoch, step=step,
            )  # fmt: skip
            first_loss = value if first_loss is None else first_loss
            losses.append(value)
        # The epoch lasts as long as its slowest process.
        seconds = torch.tensor(
            [time.perf_counter() - start], dtype=torch.float64, device=x_train.device
        )
        dist.all_reduce(seconds, op=dist.ReduceOp.MAX)
        test_loss, test_accuracy = (
            evaluate(ddp.module, x_test, y_test, loss) if rank == 0 else (np.nan, np.nan)
        )
        records.append(
            dict(
                epoch=epoch, train_loss=float(np.mean(losses)), test_loss=test_loss,
                test_accuracy=test_accuracy, seconds=seconds.item(), step_losses=losses,
                comm_seconds=sum(t for t, _ in timings) if timed else None, share=seen,
            )
        )  # fmt: skip
        if on_epoch is not None:
            on_epoch(records[-1])
    return records
