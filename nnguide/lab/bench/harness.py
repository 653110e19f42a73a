"""Measure several contenders within a time budget: warm each up, then time them in rounds.

Each round times one repeat of every contender, one after the other, so a slow
spell of a shared machine (another process, a throttled core) lands on all of
them alike rather than on whichever happened to be running; and repeat ``i``
of every contender comes from the same round, so two of them can be compared
round by round (:func:`nnguide.lab.bench.record.ratio`).

The result is tidy: one row per contender per round, with the seconds and the
images it timed, and one description of the measurement (its budget, its
rounds and why it stopped). :mod:`nnguide.lab.bench.record` keeps both.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from nnguide.lab import stats
from nnguide.lab.bench.ceiling import N_TRAIN, epoch_flops, matmul_gflops
from nnguide.lab.bench.contenders import batches_of
from nnguide.lab.threads import set_threads, usable_cores

#: The most rounds of one measurement, enough for an interval of the median
#: well inside the rounds' extremes (:func:`nnguide.lab.stats.median_interval`).
MAX_ROUNDS = 15

#: Seconds to wait when the next contender runs on another library's threads.
#: After its last call, a library's idle worker threads keep spinning for a
#: moment (OpenBLAS's for about 0.1 s) before they sleep; on a machine with few
#: cores they would take CPU time from the next contender's threads. Measured on
#: 2 cores: PyTorch's epoch right after NumPy's took 1.2 to 2 times as long without it.
SETTLE_SECONDS = 0.25

#: Seconds each round spends measuring the peak throughput, with ``with_ceiling``.
CEILING_SECONDS = 0.15

#: The size of the square products whose throughput is the ceiling's peak.
PEAK_SIZE = 2048

#: How much longer than the warm-up predicts a round is taken to last, when
#: deciding whether to shrink the slices: a round also switches threads and
#: pauses, and its first steps after a switch are slower.
MARGIN = 1.25

#: The key of the ceiling's rows (see :func:`measure`'s ``with_ceiling``).
CEILING = "ceiling"

_ids = itertools.count()


@dataclass(frozen=True)
class Machine:
    """What the harness asks of the machine; tests pass a fake one.

    Parameters
    ----------
    clock : callable
        Seconds, monotonic (``time.perf_counter``).
    sleep : callable
        ``sleep(seconds)``.
    set_threads : callable
        ``set_threads(library, count)`` (:func:`nnguide.lab.threads.set_threads`).
    peak_gflops : callable
        The throughput of large products, ``peak_gflops(seconds)``.
    """

    clock: Callable[[], float] = time.perf_counter
    sleep: Callable[[float], object] = time.sleep
    set_threads: Callable[[str, int], object] = set_threads
    peak_gflops: Callable[[float], float] = lambda seconds: matmul_gflops(
        PEAK_SIZE, PEAK_SIZE, PEAK_SIZE, seconds=seconds
    )


def _switches(libraries: list) -> int:
    """Library changes in one round, counting the turn from the last contender to the first."""
    return sum(a != b for a, b in zip(libraries, libraries[1:] + libraries[:1])) if libraries else 0


def _steady(times: list[float], noise: float) -> bool:
    """Whether a series' interval is narrower than ``noise`` times its median."""
    return bool(times) and stats.median_interval(times).relative_width <= noise


def measure(
    table,
    x,
    y,
    *,
    batch_size: int = 64,
    hidden: int = 128,
    budget: float = 60.0,
    group: str = "main",
    min_rounds: int | None = None,
    max_rounds: int = MAX_ROUNDS,
    noise: float = stats.NOISE_THRESHOLD,
    with_ceiling: bool = False,
    ceiling_threads: int | None = None,
    min_batches: int = 4,
    machine: Machine | None = None,
) -> dict:
    """Time several contenders in turn, within ``budget`` seconds.

    How many rounds: at least ``min_rounds`` (the rounds an interval of the
    median needs, 5), then more while any series is noisy (its interval wider
    than ``noise`` times its median), up to ``max_rounds``; and no round is
    started that is expected to end after ``budget`` seconds from the start
    of the call (the first round always runs). When the warm-up shows that
    ``min_rounds`` rounds would not fit, every contender's slice is shrunk in
    proportion (to no fewer than ``min_batches`` batches), and again after any
    of the first ``min_rounds`` rounds that ran slower than predicted (each
    row states its images, so rounds of different slices compare). The budget
    counts everything: building each network, its first step (compiling, for
    ``torch.compile``) and its warm-up.

    Parameters
    ----------
    table : dict or list of nnguide.lab.bench.contenders.Contender
        The contenders (a dict's values), in the order to run them.
    x, y : numpy.ndarray
        The training images (N, 784) as float32 and their labels.
    batch_size, hidden : int
    budget : float
        Seconds for the whole call.
    group : str
        What the measurement is part of ("main", "others", ...), kept in its description.
    min_rounds, max_rounds : int
    noise : float
        A series is steady when its interval is narrower than this fraction of its median.
    with_ceiling : bool
        Also measure the matrix-multiply ceiling in every round, as rows of
        :data:`CEILING`: the time the epoch's matrix products would take at
        the peak throughput measured in that round (on ``ceiling_threads``
        threads, default all usable cores), so that each contender's fraction
        of the ceiling divides times of the same round.
    min_batches : int
        The smallest slice, in batches, that shrinking may leave.
    machine : Machine, optional
        The clock, pauses and thread settings (default: the real ones).

    Returns
    -------
    dict
        ``rows``: one dict per contender per round (``measurement``,
        ``contender``, ``batch_size``, ``hidden``, ``threads``, ``round``,
        ``seconds``, ``images``, ``batching_seconds``, ``planned_images``,
        ``compile_seconds``); ``measurement``: its ``id``, ``group``,
        ``budget_seconds``, ``round_starts``, ``round_seconds``,
        ``stop_reason`` ("steady", "max rounds" or "budget"), ``stopped_at``,
        ``next_round_estimate``, ``elapsed_seconds`` (the whole call) and
        ``cut_short`` (the budget stopped it before its series were steady).
    """
    m = machine or Machine()
    contenders = list(table.values() if isinstance(table, dict) else table)
    min_rounds = min_rounds or stats.rounds_needed()
    start = m.clock()
    ident = next(_ids)

    def clock():
        return m.clock() - start

    library = None

    def switch_to(next_library, threads):  # first let the other library's threads go idle
        nonlocal library
        if next_library != library:
            m.sleep(SETTLE_SECONDS)
            library = next_library
        if next_library is not None and threads is not None:
            m.set_threads(next_library, threads)

    prepared, series = [], []
    for c in contenders:
        bs, width = c.batch_size or batch_size, c.hidden or hidden
        full = max(1, len(x) // bs)  # whole batches only: every step the same shape
        switch_to(c.library, c.threads)
        run = c.make(x, y, width, bs)
        n_batches = full if c.images is None else max(1, min(full, -(-c.images // bs)))
        first = clock()
        run(0, 1)  # the first step: for torch.compile, this is where compilation happens
        first = clock() - first
        warm = min(n_batches, max(min_batches, n_batches // 10))
        per_batch = clock()
        run(0, warm)  # warm-up: caches, thread pools; and an estimate of a batch's time
        per_batch = (clock() - per_batch) / warm
        prepared.append([run, n_batches, per_batch, bs])
        series.append(
            dict(
                measurement=ident,
                contender=c.key,
                batch_size=bs,
                hidden=width,
                threads=c.threads,
                planned_images=n_batches * bs,
                compile_seconds=first if c.compiles else None,
            )
        )
    flops = epoch_flops((784, hidden, 10))
    ceiling_threads = ceiling_threads or usable_cores()
    libraries = [c.library for c in contenders] + (["numpy"] if with_ceiling else [])
    overhead = SETTLE_SECONDS * _switches(libraries) + CEILING_SECONDS * with_ceiling
    estimate = overhead + sum(n * per_batch for _, n, per_batch, _ in prepared)

    def shrink(rounds: int, room: float, estimate: float) -> float:
        """Shrink every slice alike so that ``rounds`` rounds fit ``room`` seconds.

        ``estimate`` is a round's expected seconds at the current slices; the
        result, at the new ones.
        """
        work = estimate - overhead
        planned = sum(n * per_batch for _, n, per_batch, _ in prepared)
        if work <= 0 or planned <= 0:
            return estimate
        scale = max(0.0, room / (MARGIN * rounds) - overhead) / work
        if scale >= 1:
            return estimate
        for p in prepared:
            p[1] = max(min(min_batches, p[1]), min(p[1], int(p[1] * scale)))
        return overhead + work * sum(n * per_batch for _, n, per_batch, _ in prepared) / planned

    if MARGIN * estimate * min_rounds > budget - clock():
        estimate = shrink(min_rounds, budget - clock(), estimate)

    rows, times = [], [[] for _ in range(len(series) + with_ceiling)]
    round_starts, round_seconds = [], []
    since = 0  # the first round of the current slices
    while True:
        done = len(round_starts)
        if done >= max_rounds:
            reason = "max rounds"
            break
        if done >= min_rounds and all(_steady(t, noise) for t in times):
            reason = "steady"
            break
        if round_seconds[since:]:
            estimate = statistics.median(round_seconds[since:])
        now = clock()
        if 1 <= done < min_rounds and now + (min_rounds - done) * estimate > budget:
            # The rounds run slower than the warm-up predicted (a busy machine):
            # shrink the slices again, so that the rounds an interval needs fit.
            before = [p[1] for p in prepared]
            estimate = shrink(min_rounds - done, budget - now, estimate)
            if [p[1] for p in prepared] != before:
                since = done
        if done >= 1 and now + estimate > budget:
            reason = "budget"
            break
        round_starts.append(now)
        for bs in {p[3] for p in prepared}:  # drawn here, untimed, for every contender
            batches_of(len(x), bs, done + 1)
        for c, (run, n_batches, _, bs), s, t in zip(contenders, prepared, series, times):
            switch_to(c.library, c.threads)
            began = m.clock()
            data = run(done + 1, n_batches)
            seconds = m.clock() - began
            rows.append(
                dict(s, round=done, seconds=seconds, images=n_batches * bs, batching_seconds=data)
            )
            t.append(seconds * N_TRAIN / (n_batches * bs))
        if with_ceiling:
            switch_to("numpy", ceiling_threads)
            seconds = flops / (m.peak_gflops(CEILING_SECONDS) * 1e9)
            rows.append(
                dict(
                    measurement=ident,
                    contender=CEILING,
                    batch_size=batch_size,
                    hidden=hidden,
                    threads=ceiling_threads,
                    planned_images=N_TRAIN,
                    compile_seconds=None,
                    round=done,
                    seconds=seconds,
                    images=N_TRAIN,
                    batching_seconds=None,
                )
            )
            times[-1].append(seconds)
        round_seconds.append(clock() - now)
    steady = all(_steady(t, noise) for t in times)
    description = dict(
        id=ident,
        group=group,
        budget_seconds=budget,
        round_starts=round_starts,
        round_seconds=round_seconds,
        stop_reason=reason,
        stopped_at=now if reason == "budget" else clock(),
        elapsed_seconds=clock(),
        next_round_estimate=estimate,
        cut_short=reason == "budget" and (len(round_starts) < min_rounds or not steady),
    )
    return {"rows": rows, "measurement": description}
