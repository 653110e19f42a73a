"""The measurement record: a tidy table of timed rounds, with its provenance.

A record is a JSON object:

* ``provenance``: the machine, the versions, the cores, the dataset, the date;
* ``settings``: what the run was asked to do (thread counts, budget, ...);
* ``contenders``: one row per contender, measured or left out: ``key``,
  ``role``, ``label``, ``library`` (None for one left out) and ``reference``
  (the role it is compared against, or None);
* ``measurements``: one row per call of the harness (its budget, rounds and
  why it stopped);
* ``rounds``: one row per contender per round: ``measurement``,
  ``contender``, ``batch_size``, ``hidden``, ``threads``, ``round``,
  ``seconds``, ``images`` (and ``batching_seconds``, ``planned_images``,
  ``compile_seconds``);
* ``chosen_threads``, ``shapes`` (the network's own products' throughput),
  ``profiles`` and ``skipped``: tidy rows too.

Every table, interval, verdict and sentence is a function of a record
(:mod:`~nnguide.lab.bench.verdicts`, :mod:`~nnguide.lab.bench.report`).
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field

from nnguide.files import atomic_write
from nnguide.lab import stats
from nnguide.lab.bench.ceiling import N_TRAIN

KIND, FORMAT = "nnguide benchmark", 2
REQUIRED = ("kind", "format", "provenance", "settings", "contenders", "measurements", "rounds")


def save_record(record: dict, path) -> None:
    """Write a record as JSON, atomically."""
    atomic_write(path, json.dumps(record, indent=1).encode())


def load_record(path) -> dict:
    """Read a record written by :func:`save_record`, checking that it is one.

    Raises
    ------
    ValueError
        Naming the file and what is wrong with it.
    """
    with open(path, encoding="utf-8") as f:
        try:
            record = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(
                f"{path} is not a benchmark record: it is not valid JSON ({err})."
            ) from None
    if not isinstance(record, dict):
        raise ValueError(f"{path} is not a benchmark record: it holds a {type(record).__name__}.")
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        raise ValueError(f"{path} is not a benchmark record: it lacks {missing}.")
    if record["kind"] != KIND:
        raise ValueError(f"{path} is not a benchmark record: its kind is {record['kind']!r}.")
    if record["format"] != FORMAT:
        raise ValueError(
            f"{path} is a benchmark record of format {record['format']}, this nnguide reads "
            f"format {FORMAT}: measure it again with `python -m nnguide bench --json {path}`."
        )
    return record


@dataclass
class Series:
    """The rounds of one contender at one setting in one measurement.

    ``times`` holds seconds per epoch, one per round (each round's seconds
    scaled to 60,000 images from the images it timed).
    """

    contender: str
    batch_size: int
    hidden: int
    threads: int | None
    measurement: dict
    times: list[float] = field(default_factory=list)
    images: list[int] = field(default_factory=list)
    batching: list[float] = field(default_factory=list)
    planned_images: int = N_TRAIN
    compile_seconds: float | None = None

    @property
    def rounds(self) -> int:
        return len(self.times)

    @property
    def interval(self) -> stats.Interval:
        """The median seconds per epoch and its interval (:func:`.stats.median_interval`)."""
        return stats.median_interval(self.times)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def images_timed(self) -> int:
        """The images of the last round's slice (the smallest, when the budget shrank it)."""
        return self.images[-1]

    @property
    def extrapolated(self) -> bool:
        """Timed on less than every whole batch of an epoch."""
        return self.images_timed + self.batch_size <= N_TRAIN

    @property
    def shrunk(self) -> bool:
        """The budget made the slice smaller than planned."""
        return self.images_timed < self.planned_images

    @property
    def cut_short(self) -> bool:
        return self.measurement["cut_short"]


def series(record: dict, group: str | None = None, **where) -> list[Series]:
    """The record's series, in the order measured; ``group`` and ``where`` filter them.

    ``where`` compares a series' fields (``contender``, ``batch_size``,
    ``hidden``, ``threads``) with the values given.
    """
    measurements = {m["id"]: m for m in record["measurements"]}
    out: dict[tuple, Series] = {}
    for row in record["rounds"]:
        m = measurements[row["measurement"]]
        if group is not None and m["group"] != group:
            continue
        key = (row["measurement"], row["contender"], row["batch_size"], row["hidden"])
        key += (row["threads"],)
        if key not in out:
            out[key] = Series(
                row["contender"],
                row["batch_size"],
                row["hidden"],
                row["threads"],
                m,
                planned_images=row["planned_images"],
                compile_seconds=row["compile_seconds"],
            )
        s = out[key]
        s.times.append(row["seconds"] * N_TRAIN / row["images"])
        s.images.append(row["images"])
        if row["batching_seconds"] is not None:
            s.batching.append(row["batching_seconds"] * N_TRAIN / row["images"])
    return [s for s in out.values() if all(getattr(s, k) == v for k, v in where.items())]


def ratio(a: Series, b: Series) -> stats.Interval:
    """``a``'s time divided by ``b``'s, round by round: its median and interval.

    ``a`` and ``b`` must come from one measurement. Dividing within a round
    cancels what the machine did to both at once, so this ratio is steadier
    than the ratio of the two medians.
    """
    if a.measurement["id"] != b.measurement["id"] or a.rounds != b.rounds:
        raise ValueError(f"{a.contender!r} and {b.contender!r} were not measured together.")
    return stats.ratio_interval(a.times, b.times)


def roles(record: dict) -> dict[str, str]:
    """Each role ("plain", "tuned", "torch", ...) to the key of its contender."""
    return {c["role"]: c["key"] for c in record["contenders"]}


def labels(record: dict) -> dict[str, str]:
    """Each contender's key to what a reader sees."""
    return {c["key"]: c["label"] for c in record["contenders"]}


def chosen_threads(record: dict, contender: str, batch_size: int) -> int:
    """The thread count chosen for ``contender`` at ``batch_size``."""
    for row in record["chosen_threads"]:
        if (row["contender"], row["batch_size"]) == (contender, batch_size):
            return row["threads"]
    raise KeyError(f"no thread count was chosen for {contender!r} at batch {batch_size}.")


def find(record: dict, role: str, batch_size: int, threads: int | None = None) -> Series:
    """The main series of the contender in ``role`` at ``batch_size``, on ``threads``
    threads or, by default, its chosen count."""
    key = roles(record)[role]
    if threads is None:
        threads = chosen_threads(record, key, batch_size)
    found = series(record, "main", contender=key, batch_size=batch_size, threads=threads)
    if not found:
        raise KeyError(f"no series of {key!r} at batch {batch_size} on {threads} threads.")
    return found[0]


def ceiling_of(record: dict, s: Series) -> Series | None:
    """The ceiling's series measured in the same rounds as ``s``, if any."""
    for c in series(record, contender=roles(record).get("ceiling")):
        if c.measurement["id"] == s.measurement["id"]:
            return c
    return None


def fraction_of_ceiling(record: dict, s: Series) -> stats.Interval | None:
    """The fraction of the ceiling that ``s`` reaches: the ceiling's time over its own,
    round by round, with its interval; None when no ceiling was measured with it."""
    bound = ceiling_of(record, s)
    return None if bound is None else ratio(bound, s)


def choose(candidates: list[Series]) -> Series:
    """The series the harness chooses among one contender's thread counts.

    Counts are taken from fewest to most; the choice moves to a count only
    when that count is faster than the current choice with a ratio interval
    that excludes 1. So it is the fastest count wherever the rounds show it,
    and otherwise the fewer threads: they suffer less when the machine gets
    busy, which shared build machines do (on 2 cores with one busy, PyTorch
    took six times as long on 2 threads as on 1).
    """
    if not candidates:
        raise ValueError("no series to choose from.")
    ordered = sorted(candidates, key=lambda s: s.threads or 0)
    choice = ordered[0]
    for s in ordered[1:]:
        if stats.judge(ratio(s, choice))[0] == "faster":
            choice = s
    return choice


def profile_parts(record: dict, network: str) -> list[dict]:
    """The profile of ``network`` ("plain" or "tuned"): its parts, in the order a step runs them."""
    return [row for row in record["profiles"] if row["network"] == network]
