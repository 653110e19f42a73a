"""What a step would cost on N machines, on paper: measured compute plus a ring all-reduce.

A projection, not a measurement: the compute per example comes from the
record (one process, one thread, this machine's cores), and the network is
one of :data:`LINKS`, with :data:`LINK_LATENCY` per message. A ring
all-reduce of ``b`` bytes over ``N`` machines sends each of them
``2 (N-1)/N * b`` bytes in ``2 (N-1)`` messages.
"""

from __future__ import annotations

from nnguide.lab.scale import record as scale

#: The links of the projection, in bytes per second (their names give bits per second).
LINKS = {"10 Gb/s Ethernet": 10e9 / 8, "100 Gb/s InfiniBand": 100e9 / 8}
#: Seconds per message between machines (an assumption, stated on the page).
LINK_LATENCY = 10e-6
#: Machines in the projection's rows.
MACHINES = (2, 8, 32)
#: The share of a step that communication may take, for :func:`batch_for_share`.
TARGET_SHARE = 0.10


def ring_allreduce_seconds(nbytes: float, machines: int, bandwidth: float, latency: float) -> float:
    """``2 (N-1)/N * bytes / bandwidth + 2 (N-1) * latency``: a ring all-reduce's time."""
    if machines < 2:
        return 0.0
    steps = 2 * (machines - 1)
    return steps / machines * nbytes / bandwidth + steps * latency


def compute_per_example(record: dict, engine: str) -> float:
    """Seconds of computation per example: a one-process, one-thread step less its all-reduce.

    Medians over the rounds (:func:`nnguide.lab.scale.record.interval`).
    """
    rows = scale.runs(record, engine, 1, 1)
    epoch = scale.epoch_seconds(record, engine, 1, 1).median
    comm = scale.allreduce_seconds(record, engine, 1).median
    return (epoch / rows[0]["steps_per_epoch"] - comm) / rows[0]["batch"]


def batch_for_share(per_example: float, comm: float, machines: int, share: float) -> float:
    """The global batch at which the all-reduce is ``share`` of a step.

    A step computes ``batch / machines`` examples on each machine and then
    all-reduces; ``comm / (comm + per_example * batch / machines) = share``.
    """
    return machines * comm * (1 - share) / (share * per_example)


def projection(record: dict, batch: int = 64) -> list[dict]:
    """One row per engine, link and number of machines: compute, all-reduce, share, batch."""
    rows = []
    for engine in scale.SIDES:
        per_example = compute_per_example(record, engine)
        nbytes = scale.runs(record, engine, 2, 1)[0]["gradient_bytes"]
        for link, bandwidth in LINKS.items():
            for machines in MACHINES:
                comm = ring_allreduce_seconds(nbytes, machines, bandwidth, LINK_LATENCY)
                compute = per_example * batch / machines
                rows.append(
                    dict(
                        engine=engine, link=link, machines=machines, compute=compute, comm=comm,
                        share=comm / (comm + compute),
                        batch=batch_for_share(per_example, comm, machines, TARGET_SHARE),
                    )
                )  # fmt: skip
    return rows
