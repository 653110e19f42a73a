"""What each process of a measuring job runs: ``python -m nnguide.lab.scale.worker TASK ...``.

Started by :mod:`nnguide.lab.scale.record` (and the tests) under ``mpiexec``
(``--impl scratch``) or ``torchrun`` (``--impl pytorch``); rank 0 writes the
results, atomically.

``exact OUT``
    train :data:`EXACT_STEPS` steps from the guide's start on synthetic data,
    in float64 and float32, and save the final weights to ``OUT``
    (``<dtype>.npz``).
``time OUT``
    time slices of an MNIST epoch, with the all-reduce time and bytes of each
    step; with ``--sweep``, then time all-reduces of :data:`SWEEP_BYTES`; with
    ``--exact DIR``, first do the ``exact`` task into ``DIR`` (one launch fewer).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import time
from pathlib import Path

import numpy as np

from nnguide.files import atomic_write
from nnguide.lab.experiment import TrainConfig, build, splits
from nnguide.parallel.launch import join
from nnguide.parallel.shares import share

#: Examples in the synthetic training set of the exactness runs. At batch 64, that
#: is 49 full batches and a last one of 33, which two processes split 17 and 16.
EXACT_EXAMPLES = 49 * 64 + 33
#: Epochs of the exactness runs, each of 50 steps.
EXACT_EPOCHS = 2
#: Steps of the exactness runs.
EXACT_STEPS = EXACT_EPOCHS * 50
#: Global batch of every run here.
BATCH = 64

#: Message sizes of the all-reduce sweep, 4 KB to 64 MiB (float32 arrays).
SWEEP_BYTES = [4096 * 4**k for k in range(8)]


def exact_data(dtype: str):
    """The synthetic training pairs of the exactness runs (the same on every process)."""
    rng = np.random.default_rng(7)
    x = rng.random((EXACT_EXAMPLES, 784)).astype(dtype)
    y = rng.integers(0, 10, EXACT_EXAMPLES)
    return x, y


def exact_config(impl: str, dtype: str) -> TrainConfig:
    """The settings of the exactness runs, on ``impl``'s side."""
    return TrainConfig(impl=impl, dtype=dtype, lr=0.1, momentum=0.9, seed=0)


def model_and_optimizer(config: TrainConfig):
    """:func:`nnguide.lab.experiment.build`, without importing PyTorch for the NumPy side.

    (The bridge that ``build`` imports needs torch; an MPI process needs NumPy alone,
    and starts faster without it.)
    """
    if config.impl != "scratch":
        return build(config)
    from nnguide import scratch

    c = config
    model = scratch.MLP(c.sizes, c.activation, seed=c.seed, init=c.init, dtype=c.dtype)
    return model, scratch.make_optimizer(c.optimizer, model.parameters(), c.lr, c.momentum)


def train_exact(job, dtype: str) -> list[np.ndarray]:
    """Train the exactness run on ``job``'s processes; the final weights, as NumPy arrays."""
    config = exact_config(job.config.impl, dtype)
    model, optimizer = model_and_optimizer(config)
    x, y = exact_data(dtype)
    settings = dict(epochs=EXACT_EPOCHS, batch_size=BATCH, seed=config.seed)
    if job.launcher == "mpiexec":
        from nnguide.parallel import mpi_numpy

        mpi_numpy.fit(model, optimizer, (x, y), (x[:64], y[:64]), comm=job.comm, **settings)
        return [p.copy() for p in model.parameters()]
    import torch

    from nnguide.parallel import ddp_torch

    train = (torch.from_numpy(x), torch.from_numpy(y))
    ddp = ddp_torch.wrap(model)
    ddp_torch.fit(ddp, optimizer, train, (train[0][:64], train[1][:64]), **settings)
    return as_numpy(model)


def guide_weights(impl: str, dtype: str) -> list[np.ndarray]:
    """The exactness run in one process, by the guide's own ``fit``: the reference."""
    from nnguide.lab.experiment import guide_side

    config = exact_config(impl, dtype)
    model, optimizer = build(config)
    x, y = exact_data(dtype)
    train = (x, y)
    if impl == "pytorch":
        import torch

        train = (torch.from_numpy(x), torch.from_numpy(y))
    settings = dict(epochs=EXACT_EPOCHS, batch_size=BATCH, seed=config.seed)
    guide_side(impl).fit(model, optimizer, train, (train[0][:64], train[1][:64]), **settings)
    return as_numpy(model) if impl == "pytorch" else [p.copy() for p in model.parameters()]


def as_numpy(model) -> list[np.ndarray]:
    """A PyTorch network's weights in the NumPy network's layout (``W`` as (fan_in, fan_out))."""
    from nnguide.bridge import to_scratch

    return [p.copy() for p in to_scratch(model).parameters()]


def largest_difference(a: list[np.ndarray], b: list[np.ndarray]) -> float:
    """The largest absolute difference between two lists of weights."""
    return max(float(np.max(np.abs(p.astype(float) - q.astype(float)))) for p, q in zip(a, b))


def load_weights(path) -> list[np.ndarray]:
    """Weights saved by the ``exact`` task (no pickles)."""
    with np.load(path, allow_pickle=False) as saved:
        return [saved[f"p{i}"] for i in range(len(saved.files))]


def time_slices(job, slice_steps: int, slices: int) -> dict:
    """Time ``slices`` slices of ``slice_steps`` steps of an MNIST epoch (after one warm-up).

    The all-reduces of each step are timed and counted, with the bytes they
    carried: on the NumPy side, by :class:`~nnguide.parallel.mpi_numpy.Timed`
    (one ``Allreduce`` per step, the gradients and the loss); on the PyTorch
    side, by DDP's hook (:func:`~nnguide.parallel.ddp_torch.time_allreduces`:
    each bucket of gradients; the loss's own one-number all-reduce is not in it).
    """
    from nnguide.data import load_dataset

    config = TrainConfig(impl=job.config.impl, lr=0.1, momentum=0.9, seed=0)
    dataset = load_dataset()
    model, optimizer = model_and_optimizer(config)
    (x, y), _ = splits(config, dataset)
    order = np.random.default_rng([0, 0]).permutation(len(y))
    timings: list[tuple[float, int]] = []  # (seconds, bytes) of each all-reduce
    if job.launcher == "mpiexec":
        from nnguide.parallel import mpi_numpy

        timed = mpi_numpy.Timed(job.comm, timings)

        def step(idx, weight):
            mpi_numpy.train_step(model, optimizer, x[idx], y[idx], weight=weight, comm=timed)

        def barrier():
            job.comm.Barrier()

        params = model.parameters()
    else:
        import torch
        import torch.distributed as dist

        from nnguide.parallel import ddp_torch

        ddp = ddp_torch.wrap(model)
        ddp_torch.time_allreduces(ddp, timings)

        def step(idx, weight):
            idx = torch.from_numpy(idx)
            ddp_torch.train_step(ddp, optimizer, x[idx], y[idx], weight=weight)

        def barrier():
            dist.barrier()

        params = [p.detach().numpy() for p in model.parameters()]
    seconds, comm, calls, sent, position = [], [], [], [], 0
    for k in range(slices + 1):  # the first slice warms up, and is not kept
        barrier()
        del timings[:]
        start = time.perf_counter()
        for _ in range(slice_steps):
            batch = order[position : position + BATCH]
            position = (position + BATCH) % (len(order) - BATCH)
            step(*share(batch, job.rank, job.world))
        elapsed = time.perf_counter() - start
        slowest = job.gather([elapsed])
        if k:
            seconds.append(max(row[0] for row in slowest) / slice_steps)
            comm.append(sum(t for t, _ in timings) / slice_steps)
            calls.append(len(timings) / slice_steps)
            sent.append(sum(n for _, n in timings) / slice_steps)
    comm_by_rank = job.gather(comm)
    return dict(
        step_seconds=seconds,
        allreduce_seconds=[max(col) for col in zip(*comm_by_rank)],
        allreduces_per_step=calls[-1],
        allreduced_bytes_per_step=sent[-1],
        gradient_bytes=int(sum(p.nbytes for p in params)),
        steps_per_epoch=math.ceil(len(y) / BATCH),
        shares=[len(share(order[:BATCH], r, job.world)[0]) for r in range(job.world)],
        dataset=dataset.name,
        batch=BATCH,
    )


def sweep(job, repeats: int) -> dict:
    """The median seconds of one all-reduce of each of :data:`SWEEP_BYTES`."""
    medians = []
    for size in SWEEP_BYTES:
        n = repeats if size <= 1 << 20 else max(2, repeats // 4)
        times = []
        if job.launcher == "mpiexec":
            from mpi4py import MPI

            buffer = np.ones(size // 4, np.float32)
            for _ in range(n + 1):
                job.comm.Barrier()
                start = time.perf_counter()
                job.comm.Allreduce(MPI.IN_PLACE, buffer, op=MPI.SUM)
                times.append(time.perf_counter() - start)
        else:
            import torch
            import torch.distributed as dist

            buffer = torch.ones(size // 4)
            for _ in range(n + 1):
                dist.barrier()
                start = time.perf_counter()
                dist.all_reduce(buffer)
                times.append(time.perf_counter() - start)
        slowest = job.gather(times[1:])  # the first call sets up the connection
        medians.append(float(np.median([max(col) for col in zip(*slowest)])))
    return dict(bytes=SWEEP_BYTES, seconds=medians)


def save_exact(job, folder: Path) -> None:
    """Train the exactness runs; rank 0 saves their weights to ``folder/<dtype>.npz``."""
    for dtype in ("float64", "float32"):
        weights = train_exact(job, dtype)
        if job.lead:
            data = io.BytesIO()
            np.savez(data, **{f"p{i}": w for i, w in enumerate(weights)})
            atomic_write(folder / f"{dtype}.npz", data.getvalue())


def main(argv=None) -> int:
    """Run the task the command line names on this process; the exit status."""
    parser = argparse.ArgumentParser(prog="python -m nnguide.lab.scale.worker")
    parser.add_argument("task", choices=("exact", "time"))
    parser.add_argument("out")
    parser.add_argument("--impl", choices=("scratch", "pytorch"), required=True)
    parser.add_argument("--slice-steps", type=int, default=50)
    parser.add_argument("--slices", type=int, default=5)
    parser.add_argument("--sweep", type=int, default=0, help="repeats of each all-reduce size")
    parser.add_argument("--exact", help="first run the exact task into this folder")
    args = parser.parse_args(argv)
    job = join(TrainConfig(impl=args.impl))
    if job is None:
        parser.error("run me under mpiexec (--impl scratch) or torchrun (--impl pytorch)")
    out = Path(args.out)
    if args.task == "exact" or args.exact:
        save_exact(job, Path(args.exact or args.out))
        if args.task == "exact":
            return 0
    result = time_slices(job, args.slice_steps, args.slices)
    result.update(world=job.world, threads=job.threads, engine_name=job.engine)
    if args.sweep:
        result["sweep"] = sweep(job, args.sweep)
    if job.lead:
        atomic_write(out, json.dumps(result).encode())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
