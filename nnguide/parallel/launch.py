"""Which launcher started this process, and one training run on its job.

``torchrun`` sets ``LOCAL_RANK``, ``RANK`` and ``WORLD_SIZE`` (and
``TORCHELASTIC_RUN_ID``); MPICH's ``mpiexec`` sets ``PMI_RANK`` and
``PMI_SIZE`` (Open MPI's, ``OMPI_COMM_WORLD_RANK``). :func:`join` reads them,
checks that the side being trained is the one that launcher serves (PyTorch
under ``torchrun``, NumPy under ``mpiexec``), sets this process's threads and
returns its :class:`Job`; outside both launchers it returns ``None`` and the
command trains in one process as always.
"""

from __future__ import annotations

import dataclasses
import os
import re
import zlib
from dataclasses import dataclass
from datetime import timedelta

from nnguide.parallel import EXTRA

#: The side each launcher trains, and its engine (DDP runs over gloo, or nccl on GPUs).
ENGINES = {"torchrun": ("pytorch", "DDP"), "mpiexec": ("scratch", "MPI (mpi4py)")}

#: The launch a reader types for each side.
COMMANDS = {
    "pytorch": "torchrun --standalone --nproc-per-node 2 -m nnguide train --impl pytorch",
    "scratch": "mpiexec -n 2 python -m nnguide train --impl scratch",
}

#: Seconds a process waits for a lost peer before it gives up (gloo's timeout).
TIMEOUT = 60


class LostRank(RuntimeError):
    """Another process of the job stopped while this one trained (one line: which rank)."""


def gloo_network_error(err: BaseException) -> str | None:
    """gloo's own words when ``err`` carries its TCP transport's error; else ``None``.

    A future (DDP's communication hook) hands errors on as plain ``RuntimeError``,
    so a closed peer connection is known there by gloo's source path, kept out
    of the words.
    """
    text = " ".join(str(err).split())
    # "... pair.cc:545] Read error [127.0.0.1]:30601: Connection reset by peer. This is..."
    # or "... pair.cc:561] Connection closed by peer [127.0.0.1]:45443. This is...".
    where = r"gloo/transport/tcp/\w+\.cc:\d+\] "
    found = re.search(where + r"(.*?\[[\d.:a-f]+\]:\d+(?:: [^.]*)?)", text)
    found = found or re.search(where + r"([^.]*)", text)
    return found[1] if found else None


def launcher(environ=None) -> str | None:
    """``"torchrun"``, ``"mpiexec"`` or ``None``, from the variables the launchers set."""
    env = os.environ if environ is None else environ
    if "TORCHELASTIC_RUN_ID" in env or {"LOCAL_RANK", "WORLD_SIZE"} <= env.keys():
        return "torchrun"
    if {"PMI_RANK", "PMIX_RANK", "OMPI_COMM_WORLD_RANK"} & env.keys():
        return "mpiexec"
    return None


def threads_per_process(local_size: int) -> int:
    """``OMP_NUM_THREADS`` if set, else the usable cores shared among this machine's processes."""
    from nnguide.lab.threads import usable_cores

    given = os.environ.get("OMP_NUM_THREADS", "")
    if given.isdigit() and int(given) > 0:
        return int(given)
    return max(1, usable_cores() // local_size)


@dataclass
class Job:
    """This process's place in a job: its launcher, rank and the number of processes."""

    launcher: str
    rank: int
    world: int
    threads: int
    config: object  # the run's TrainConfig, on this process's GPU under torchrun with cuda
    comm: object = None  # the MPI communicator, under mpiexec

    @property
    def lead(self) -> bool:
        """Whether this process is rank 0, the one that logs and writes."""
        return self.rank == 0

    @property
    def engine(self) -> str:
        """The engine that averages the gradients (MPI, or DDP over its backend, gloo or nccl)."""
        if self.launcher == "torchrun":
            import torch.distributed as dist

            return f"DDP over {dist.get_backend()}"
        return ENGINES[self.launcher][1]

    def run(self, *, data_dir=None, log=print, on_model=None):
        """Train ``config`` on this job; every process returns the history, rank 0 logs.

        ``on_model``, given, receives the trained network on rank 0 when training
        finishes (``train --save`` keeps it through this), as in
        :func:`nnguide.lab.experiment.run`.

        Raises
        ------
        FloatingPointError
            On every process together, when the batch's loss diverged.
        LostRank
            When another process of the job was lost (the launcher ends this one too).
        """
        from nnguide.lab import environment
        from nnguide.lab.experiment import build, splits
        from nnguide.lab.history import History
        from nnguide.lab.seeding import seed_everything

        config = self.config
        seed_everything(config.seed)
        dataset = self.load(data_dir)
        model, optimizer = build(config)
        train, test = splits(config, dataset)
        self.check_same_data(dataset.name, len(train[0]))
        history = History(config=config.to_dict(), dataset=dataset.name)
        history.environment = environment.describe()
        shares, comm_seconds = [], []

        def on_epoch(record):
            shares.append(record["share"])
            comm_seconds.append(record["comm_seconds"])
            epoch = history.add(record)
            if log is not None and self.lead:
                log(epoch.log_line(config.epochs))

        # What a lost peer raises under torchrun: torch.distributed's DistError family
        # (gloo's DistNetworkError), or, through DDP's communication hook, a RuntimeError
        # carrying gloo's transport error (see gloo_network_error). Under mpiexec, the
        # launcher usually ends the job first; a rank that still runs sees the all-reduce
        # fail with an MPI error (mpi4py's MPI.Exception, a RuntimeError).
        if self.launcher == "torchrun":
            from torch.distributed import DistError as peer_lost
        else:
            from mpi4py.MPI import Exception as peer_lost
        c = config
        settings = dict(epochs=c.epochs, batch_size=c.batch_size, loss=c.loss, seed=c.seed)
        try:
            if self.launcher == "mpiexec":
                from nnguide.parallel import mpi_numpy

                mpi_numpy.fit(model, optimizer, train, test, comm=self.comm, on_epoch=on_epoch,
                              **settings)  # fmt: skip
            else:
                from nnguide.parallel import ddp_torch

                timings = []
                ddp = ddp_torch.wrap(model)
                timed = ddp_torch.time_allreduces(ddp, timings)  # not under NCCL
                ddp_torch.fit(ddp, optimizer, train, test, timings=timings if timed else None,
                              on_epoch=on_epoch, **settings)  # fmt: skip
        except FloatingPointError as err:
            history.status = "diverged"
            err.history = history
            raise
        except RuntimeError as err:
            words = gloo_network_error(err)
            if words is None and not isinstance(err, peer_lost):
                raise
            if self.launcher == "torchrun":
                raise LostRank(f"{self.lost()} (gloo: {words or err})") from None
            # MPICH's message, without its multi-line error stack: "Other MPI error".
            words = " ".join(str(err).split(", error stack")[0].split())
            raise LostRank(f"{self.lost()} (MPI: {words})") from None
        history.environment["parallel"] = dict(
            launcher=self.launcher,
            engine=self.engine,
            world_size=self.world,
            threads_per_process=self.threads,
            shares=[[int(n) for n in row] for row in self.gather(shares)],
            # Seconds in the all-reduces, by rank and epoch (None: not measured, under NCCL).
            comm_seconds=None if None in comm_seconds else self.gather(comm_seconds),
        )
        if on_model is not None and self.lead:
            on_model(model)
        return history

    def load(self, data_dir=None):
        """The dataset: rank 0 loads it first (it may download it), then the other ranks.

        Raises
        ------
        RuntimeError
            On the other ranks, when rank 0 could not load it (rank 0 raises its own
            error): every rank ends, none waits.
        """
        from nnguide.data import load_dataset

        dataset = None
        if self.lead:
            try:
                dataset = load_dataset(data_dir=data_dir)
            finally:  # also when rank 0 fails: the others hear it, and none waits
                self.gather([0.0 if dataset is None else 1.0])
            return dataset
        if self.gather([0.0])[0][0] == 0.0:  # rank 0's word: loaded or not
            raise RuntimeError("rank 0 could not load the dataset; see its error")
        return load_dataset(data_dir=data_dir)

    def check_same_data(self, name: str, examples: int) -> None:
        """Raise ValueError, on every rank, unless every rank loaded the same training set."""
        seen = self.gather([examples, zlib.crc32(name.encode())])
        if any(row != seen[0] for row in seen):
            counts = ", ".join(f"rank {r}: {int(row[0]):,}" for r, row in enumerate(seen))
            raise ValueError(
                f"the ranks loaded different training sets ({counts} examples, or other "
                "datasets): give every process the same --data-dir or NNGUIDE_DATA"
            )

    def lost(self) -> str:
        """One line: which rank this one lost (with two processes, the other one)."""
        other = f"rank {1 - self.rank}" if self.world == 2 else "another rank"
        return (
            f"rank {self.rank} of {self.world} lost {other} during training: that process "
            "stopped, so the job ends; see the launcher's report for why"
        )

    def gather(self, values: list[float]) -> list[list[float]]:
        """Every process's ``values`` (one per epoch), by rank: a buffer all-reduce, no pickling."""
        import numpy as np

        table = np.zeros((self.world, len(values)))
        table[self.rank] = values
        if self.launcher == "mpiexec":
            from mpi4py import MPI

            self.comm.Allreduce(MPI.IN_PLACE, table, op=MPI.SUM)
        else:
            import torch
            import torch.distributed as dist

            on_gpu = dist.get_backend() == "nccl"  # NCCL reduces GPU tensors only
            tensor = torch.from_numpy(table).to("cuda" if on_gpu else "cpu")
            dist.all_reduce(tensor)
            table = tensor.cpu().numpy()
        return table.tolist()


def join(config) -> Job | None:
    """This process's :class:`Job` under ``torchrun`` or ``mpiexec``; ``None`` outside them.

    Raises
    ------
    ValueError
        When the launcher does not serve ``config.impl``.
    RuntimeError
        When ``mpiexec`` launched this process and mpi4py or MPI is missing, or
        another MPI's ``mpiexec`` did.
    """
    from nnguide.lab.threads import set_threads

    name = launcher()
    if name is None:
        return None
    side, engine = ENGINES[name]
    if config.impl != side:
        raise ValueError(
            f"--impl {config.impl} under {name}: {name} trains --impl {side} ({engine}); "
            f"train {config.impl} on several processes with: {COMMANDS[config.impl]}"
        )
    if name == "mpiexec":
        try:
            from mpi4py import MPI
        except (ImportError, RuntimeError, OSError) as err:
            raise RuntimeError(
                f"mpiexec started this process, but MPI for Python cannot load ({err}): "
                f"{EXTRA} installs mpi4py and the MPICH library."
            ) from None
        comm = MPI.COMM_WORLD
        rank, world = comm.rank, comm.size
        # Another MPI's mpiexec (Open MPI's, with MPICH's library here) starts each
        # process as a job of its own: a singleton, of size 1.
        started = os.environ.get("PMI_SIZE") or os.environ.get("OMPI_COMM_WORLD_SIZE")
        if started and started.isdigit() and int(started) != world:
            raise RuntimeError(
                f"mpiexec started {started} processes, but MPI sees {world} in this job: that "
                f"mpiexec is not the one of mpi4py's MPI library; use the mpiexec of "
                f"nnguide[parallel] ({EXTRA}), beside this Python"
            )
        local = int(os.environ.get("MPI_LOCALNRANKS", world))
    else:
        import torch.distributed as dist

        rank, world = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
        local = int(os.environ.get("LOCAL_WORLD_SIZE", world))
        comm = None
    threads = threads_per_process(local)
    set_threads("numpy", threads)
    if name == "torchrun":
        set_threads("torch", threads)
        on_gpu = config.device.startswith("cuda")
        if on_gpu:
            import torch

            local_rank = int(os.environ["LOCAL_RANK"])
            torch.cuda.set_device(local_rank)
            config = dataclasses.replace(config, device=f"cuda:{local_rank}")
        if not dist.is_initialized():
            dist.init_process_group(
                "nccl" if on_gpu else "gloo", timeout=timedelta(seconds=TIMEOUT)
            )
    return Job(name, rank, world, threads, config, comm)
