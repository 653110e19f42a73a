"""The ``scale`` record: data-parallel training measured on both engines, before pages run.

:func:`site_record` (the producer, see ``docs/conf.py``) runs, each as jobs of
real processes under ``mpiexec`` and ``torchrun``:

- the exactness runs: 2 processes against the guide's one, and MPI against DDP
  (:func:`exactness`);
- the epoch timings, in interleaved rounds (:func:`timings`): each round
  launches every configuration once, one after the other, so a slow spell of
  the machine lands on all of them alike; each launch times slices of an
  epoch, and its median slice is that round's value. Intervals are taken
  over the rounds, one value per launch (the slices of one launch share its
  start and placement, so they are not independent draws), and two
  configurations compare round by round (:func:`ratio`);
- the all-reduce sweep, in the first round's 2-process launch of each engine,
  and a straight-line fit of its times (:func:`fit_sweep`).

:func:`scale_record` is what a page reads: the build's record, or a fresh one.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

from nnguide import settings
from nnguide.files import atomic_write
from nnguide.lab import environment, stats
from nnguide.lab.scale import worker
from nnguide.lab.scale.launchers import LAUNCHERS, launch
from nnguide.lab.threads import usable_cores

#: Engine -> the side of the guide it trains.
SIDES = {"mpi": "scratch", "gloo": "pytorch"}
#: Seconds one launch may take before it is killed (a hang is a failure, not a wait).
TIMEOUT = 120
#: What a record of this module says it is, and the layout it has (a record of another
#: format is refused by :func:`load_record`, not read as if it were current).
KIND, FORMAT = "nnguide-scale", 2
#: The largest weight differences the float64 exactness runs may show (2 processes
#: against 1, and MPI against DDP); float32 runs have :data:`FLOAT32_BOUND`. These two
#: are requirements the project set, not derived: far above what float64 rounding adds
#: up to in these steps (the float32 rule below, in float64, gives about 2.2e-14), so a
#: run beyond them is a bug, not rounding. MPI against DDP gets the looser one because
#: there two libraries compute every product, each in its own order.
FLOAT64_BOUND, CROSS_BOUND = 1e-12, 1e-10
#: Each of the :data:`~nnguide.lab.scale.worker.EXACT_STEPS` steps may round each
#: weight's update differently, by about one float32 unit at magnitude 1, and such
#: differences add up at most linearly. The premise, weights of magnitude below 1,
#: is measured: the record keeps the runs' largest weight (``largest_weight``).
FLOAT32_BOUND = worker.EXACT_STEPS * float(np.finfo(np.float32).eps)
#: Rounds, slices per launch and steps per slice of the site's run, then of a short run.
#: Five rounds are the fewest whose extremes bracket a median with 90% confidence
#: (:func:`nnguide.lab.stats.rounds_needed`).
ROUNDS, SLICES, SLICE_STEPS = 5, 3, 40
SHORT_ROUNDS, SHORT_SLICES, SHORT_SLICE_STEPS = 1, 3, 20
#: A line of a job's output that names its error (Python's last line, or nnguide's).
ERROR_LINE = re.compile(r"(\w+(Error|Exception): |error: |exitcode\s*:)")
#: Repeats of each small all-reduce in the sweep (a quarter for those above 1 MiB).
SWEEP_REPEATS = 20


def _run(engine: str, processes: int, args: list[str], threads: int = 1, attempts: int = 2):
    """Launch the worker; its output, or a one-line error with each failed launch's error line.

    A failed launch is tried once more before the error is raised: on loopback, a
    job's start (the rendezvous, gloo's connections) now and then fails beside other
    jobs, which is not what the record measures. Two failures are an error naming both.
    """
    failures = []
    for _ in range(attempts):
        worker = [*args, "--impl", SIDES[engine]]
        done = launch(LAUNCHERS[engine], processes, "nnguide.lab.scale.worker", worker,
                      threads=threads, timeout=TIMEOUT)  # fmt: skip
        if done.returncode == 0:
            return done
        failures.append(f"({done.returncode}) {error_line(done.stderr)}")
    raise RuntimeError(
        f"the {engine} job on {processes} processes failed {len(failures)} times: "
        + "; ".join(failures)
    )


def error_line(stderr: str) -> str:
    """The last line of a failed job's output that names an error.

    Python's own (``ValueError: ...``) or nnguide's (``error: ...``), rather than
    the launcher's closing lines (torchrun's ``=====``); else the last line.
    """
    lines = stderr.strip().splitlines() or ["no output"]
    errors = [line for line in lines if ERROR_LINE.match(line.strip())]
    return (errors or lines)[-1].strip()


def exactness(folder=None) -> dict:
    """Largest weight differences after the exactness runs, and whether each bound held.

    ``folder`` holds the weights the runs saved (``<engine>/<dtype>.npz``, as
    :func:`timings` leaves them); not given, the runs are launched now.
    """
    if folder is None:
        with tempfile.TemporaryDirectory() as folder:
            for engine in SIDES:
                (Path(folder) / engine).mkdir()
                _run(engine, 2, ["exact", str(Path(folder) / engine)])
            return exactness(folder)
    out, weights = {}, {}
    for engine, side in SIDES.items():
        for dtype in ("float64", "float32"):
            weights[engine, dtype] = worker.load_weights(Path(folder) / engine / f"{dtype}.npz")
            reference = worker.guide_weights(side, dtype)
            out[f"{engine}_{dtype}"] = worker.largest_difference(weights[engine, dtype], reference)
    out["mpi_vs_gloo_float64"] = worker.largest_difference(
        weights["mpi", "float64"], weights["gloo", "float64"]
    )
    bounds = dict(float64=FLOAT64_BOUND, float32=FLOAT32_BOUND)
    checks = {
        name: dict(difference=value, bound=CROSS_BOUND if "_vs_" in name else bounds[name[-7:]])
        for name, value in out.items()
    }
    for check in checks.values():
        check["held"] = check["difference"] <= check["bound"]
    # The float32 bound's premise: every weight of these runs below 1 in magnitude.
    largest = max(float(np.max(np.abs(w))) for run in weights.values() for w in run)
    return dict(steps=worker.EXACT_STEPS, batch=worker.BATCH, examples=worker.EXACT_EXAMPLES,
                checks=checks, held=all(c["held"] for c in checks.values()),
                largest_weight=largest)  # fmt: skip


def configurations(cores: int, short: bool = False) -> list[tuple[int, int]]:
    """(processes, threads each): 1 and 2 processes on one thread, and 1 on every core.

    A short run leaves out the last.
    """
    return [(1, 1), (2, 1)] + ([(1, cores)] if cores > 1 and not short else [])


def timings(
    rounds: int, slices: int, slice_steps: int, exact_folder: Path, short: bool = False
) -> tuple[list[dict], dict]:
    """Every launch's timing (one row per engine, configuration and round), and the sweeps.

    The first round's two-process launches also run the exactness runs, into
    ``exact_folder``, and the all-reduce sweep.
    """
    rows, sweeps = [], {}
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "time.json"
        for r in range(rounds):
            for engine in SIDES:
                for processes, threads in configurations(usable_cores(), short):
                    args = ["time", str(out), "--slices", str(slices),
                            "--slice-steps", str(slice_steps)]  # fmt: skip
                    first = r == 0 and processes == 2
                    if first:
                        (exact_folder / engine).mkdir()
                        args += [
                            "--sweep",
                            str(SWEEP_REPEATS),
                            "--exact",
                            str(exact_folder / engine),
                        ]
                    _run(engine, processes, args, threads)
                    result = json.loads(out.read_text())
                    if first:
                        sweeps[engine] = result.pop("sweep")
                    rows.append(dict(engine=engine, round=r, processes=processes, **result))
    return rows, sweeps


def fit_sweep(sweep: dict) -> dict:
    """Latency and bandwidth from ``seconds = latency + bytes / bandwidth``.

    Least squares on relative errors (each time weighted by its own size), so
    that the small messages, microseconds long, set the latency and the large
    ones, milliseconds long, the bandwidth. With two processes, a ring
    all-reduce sends each process ``2 (N-1)/N = 1`` times the message, so the
    fitted bandwidth is the ring's bus bandwidth.
    """
    x, t = np.asarray(sweep["bytes"], float), np.asarray(sweep["seconds"], float)
    # Bounded at zero: a latency or a time per byte below zero would be no reading at all.
    (latency, per_byte), cov = curve_fit(lambda b, a, s: a + b * s, x, t, p0=(t[0], t[-1] / x[-1]),
                                         sigma=t, bounds=(0, np.inf))  # fmt: skip
    latency_se, per_byte_se = np.sqrt(np.diag(cov))
    return dict(
        latency=float(latency),
        latency_stderr=float(latency_se),
        bandwidth=float(1 / per_byte),  # bytes per second
        bandwidth_stderr=float(per_byte_se / per_byte**2),
    )


def site_record(short: bool | None = None) -> dict:
    """The record of the site's build (its producer, see docs/conf.py).

    ``NNGUIDE_SHORT_RUN=1`` (a copy of a page only tested) runs fewer rounds,
    slices and steps; the record says what it shortened.
    """
    short = settings.short_run() if short is None else short
    rounds, slices, steps = (
        (SHORT_ROUNDS, SHORT_SLICES, SHORT_SLICE_STEPS) if short else (ROUNDS, SLICES, SLICE_STEPS)
    )
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        rows, sweeps = timings(rounds, slices, steps, Path(folder), short)
        exact = exactness(folder)
    record = dict(
        kind=KIND,
        format=FORMAT,
        cores=usable_cores(),
        environment=environment.describe(),
        exactness=exact,
    )
    record.update(
        runs=rows,
        sweeps=sweeps,
        fits={engine: fit_sweep(sweep) for engine, sweep in sweeps.items()},
        dataset=rows[0]["dataset"],
        plan=dict(rounds=rounds, slices=slices, slice_steps=steps, short=short),
        shortened=(
            f"a short run: {rounds} round{'s' * (rounds != 1)} of {slices} slices of {steps} "
            f"steps per launch, instead of {ROUNDS} rounds of {SLICES} slices of "
            f"{SLICE_STEPS} steps, and no run of one process on every core"
            if short
            else ""
        ),
        seconds=time.perf_counter() - start,
    )
    return record


def scale_record() -> dict:
    """The record a page shows: the build's (``scale.json``), or a fresh one outside a build."""
    folder = settings.results_dir()
    if folder is not None and (folder / "scale.json").is_file():
        return load_record(folder / "scale.json")
    return site_record()


def load_record(path) -> dict:
    """Read a record written by :func:`save_record`, checking its kind and format.

    Raises
    ------
    ValueError
        In one line, naming the file, what is wrong with it and how to remake it.
    """
    remake = "delete it, and the next docs build (or this page, run outside a build) remakes it"
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ValueError(f"{path} is not a scale record: it is not valid JSON ({err}).") from None
    if not isinstance(record, dict) or record.get("kind") != KIND:
        raise ValueError(f"{path} is not a scale record (its kind is not {KIND!r}): {remake}.")
    if record.get("format") != FORMAT:
        raise ValueError(
            f"{path} is a scale record of format {record.get('format')}, this nnguide reads "
            f"format {FORMAT}: {remake}."
        )
    return record


def save_record(record: dict, path) -> None:
    """Write ``record`` as JSON, atomically."""
    atomic_write(path, json.dumps(record, indent=1).encode())


# -- Reading the record ------------------------------------------------------------
#
# Each launch gives one value per quantity, its median slice; intervals are over
# the rounds (stats.median_interval), ratios round by round (stats.ratio_interval).


def runs(record: dict, engine: str, processes: int, threads: int) -> list[dict]:
    """The launches of one configuration, one per round, in the order of the rounds."""
    return sorted(
        (r for r in record["runs"]
         if (r["engine"], r["processes"], r["threads"]) == (engine, processes, threads)),
        key=lambda r: r["round"],
    )  # fmt: skip


def per_round(record: dict, engine: str, processes: int, threads: int, quantity: str) -> dict:
    """``{round: value}`` of one configuration.

    ``quantity`` is ``"epoch"`` (seconds per epoch: the median slice's seconds per
    step times the steps of an epoch), ``"allreduce"`` (seconds per step in the
    all-reduce, the slowest process's, median slice) or ``"share"`` (the median of
    the slices' all-reduce seconds over their step seconds: a median of ratios,
    not the ratio of the medians).
    """
    if quantity not in ("epoch", "allreduce", "share"):
        raise ValueError(f"no quantity {quantity!r}: epoch, allreduce or share.")
    values = {}
    for r in runs(record, engine, processes, threads):
        steps, comm = r["step_seconds"], r["allreduce_seconds"]
        if quantity == "epoch":
            value = np.median(steps) * r["steps_per_epoch"]
        elif quantity == "allreduce":
            value = np.median(comm)
        else:
            value = np.median([a / s for a, s in zip(comm, steps)])
        values[r["round"]] = float(value)
    return values


def interval(record: dict, engine: str, processes: int, threads: int, quantity: str):
    """The median of a quantity's rounds and its interval (:func:`per_round`)."""
    values = per_round(record, engine, processes, threads, quantity)
    return stats.median_interval(list(values.values()))


def ratio(record: dict, a: tuple, b: tuple, quantity: str = "epoch") -> stats.Interval:
    """``a``'s quantity over ``b``'s, round by round; ``a`` and ``b`` are (engine, processes,
    threads), and only the rounds both have count."""
    x, y = per_round(record, *a, quantity), per_round(record, *b, quantity)
    both = sorted(set(x) & set(y))
    return stats.ratio_interval([x[k] for k in both], [y[k] for k in both])


def epoch_seconds(record: dict, engine: str, processes: int, threads: int) -> stats.Interval:
    """Seconds per epoch of one configuration, over the rounds."""
    return interval(record, engine, processes, threads, "epoch")


def allreduce_seconds(record: dict, engine: str, processes: int = 2) -> stats.Interval:
    """Seconds per step spent in the gradients' all-reduce (one thread per process)."""
    return interval(record, engine, processes, 1, "allreduce")


def comm_share(record: dict, engine: str, processes: int = 2) -> stats.Interval:
    """The all-reduce's share of a step (one thread per process), over the rounds."""
    return interval(record, engine, processes, 1, "share")
