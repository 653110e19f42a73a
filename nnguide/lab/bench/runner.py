"""A whole benchmark run: every measurement within one budget, kept in one record.

The main contenders (plain, tuned, PyTorch eager) are timed at batch 64 and
256 on every thread count worth trying (:func:`nnguide.lab.threads.thread_counts`),
with the ceiling, and each gets a chosen count
(:func:`nnguide.lab.bench.record.choose`). The others are timed at batch 64
(and 256 unless quick) on the count chosen for their library's reference,
next to it; then ``torch.compile`` beside PyTorch eager, the two profiles, and
the batch-size and width sweeps.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace

from nnguide import settings
from nnguide.lab import stats
from nnguide.lab.bench import contenders as contenders_module
from nnguide.lab.bench.ceiling import shape_throughput
from nnguide.lab.bench.harness import CEILING, MAX_ROUNDS, measure
from nnguide.lab.bench.profile import profile_plain, profile_tuned
from nnguide.lab.bench.record import (
    FORMAT,
    KIND,
    choose,
    chosen_threads,
    load_record,
    series,
)

#: Seconds of measurement in a whole run, in a quick run, and in the site's build
#: (where a copy of a page that is only tested runs quick, with the short budget).
FULL_BUDGET, QUICK_BUDGET, SITE_BUDGET, SHORT_BUDGET = 240.0, 45.0, 180.0, 15.0

BATCH_SIZES = (16, 32, 64, 128, 256, 512)
HIDDEN_WIDTHS = (32, 64, 128, 256, 512, 1024)
SWEEP_IMAGES = 12_800  # images per repeat of the sweeps' contenders
MAIN_SIZES = (64, 256)

#: How a run shares its budget among its parts (a quick run has neither
#: ``torch.compile`` nor sweeps). Each measurement gets its weight's share of
#: what is left of the budget when it starts, so one that overruns leaves less
#: to the next, and one that settles early leaves more.
SHARES = {"main": 0.40, "others": 0.25, "compile": 0.15, "sweeps": 0.20}
QUICK_SHARES = {"main": 0.7, "others": 0.3}


class _Budget:
    """Seconds left of a run's budget, shared among its measurements by weight."""

    def __init__(self, seconds: float, weights: list[float]):
        self.seconds, self.weights = seconds, list(weights)
        self.start = time.perf_counter()

    def next(self) -> float:
        """The next measurement's budget (its weight's share of what is left)."""
        left = self.seconds - (time.perf_counter() - self.start)
        weight = self.weights.pop(0)
        return max(0.0, left * weight / (weight + sum(self.weights)))


def run_benchmark(
    *,
    quick: bool = False,
    threads: int | None = None,
    budget: float | None = None,
    max_rounds: int = MAX_ROUNDS,
    data_dir=None,
    log: Callable[[str], object] | None = print,
) -> dict:
    """Time every contender, profile both NumPy steps, run both sweeps; return the record.

    Parameters
    ----------
    quick : bool
        About a minute: quarter-epoch slices, the others at batch 64 only, no
        ``torch.compile`` and no sweeps.
    threads : int, optional
        Time every contender on this one thread count only (at most the usable cores).
    budget : float, optional
        Seconds for all the measurements (default :data:`~nnguide.lab.bench.runner.FULL_BUDGET`, or
        :data:`~nnguide.lab.bench.runner.QUICK_BUDGET` when quick).
    max_rounds : int
        The most rounds of any one measurement.
    data_dir : str or os.PathLike, optional
        Where the MNIST files are.
    log : callable or None
        Receives a line per measurement.

    Returns
    -------
    dict
        The record (:mod:`nnguide.lab.bench.record`), ready for JSON.
    """
    from nnguide.data import FULL, load_dataset, to_features
    from nnguide.lab import threads as threading
    from nnguide.lab.environment import describe

    cores = threading.usable_cores()
    if threads is not None and not 1 <= threads <= cores:
        raise ValueError(
            f"threads must be between 1 and the {cores} cores this process may use, got {threads}."
        )
    counts = [threads] if threads else threading.thread_counts(cores)
    budget = budget or (QUICK_BUDGET if quick else FULL_BUDGET)
    dataset = load_dataset(data_dir=data_dir)
    x, y = to_features(dataset.train[0]), dataset.train[1]
    say = log or (lambda line: None)
    before = threading.get_threads()
    mnist = dataset.name == FULL
    table = contenders_module.contenders(quick=quick, mnist=mnist, data_dir=data_dir)
    other_sizes = (64,) if quick else MAIN_SIZES
    sweeps = {} if quick else {"batch_size": BATCH_SIZES, "hidden": HIDDEN_WIDTHS}
    shares = QUICK_SHARES if quick else SHARES
    weights = [shares["main"] / len(MAIN_SIZES)] * len(MAIN_SIZES)
    weights += [shares["others"] / len(other_sizes)] * len(other_sizes)
    weights += [] if quick else [shares["compile"]]
    weights += [shares.get("sweeps", 0) / max(1, len(sweeps))] * len(sweeps)
    plan = _Budget(budget, weights)
    skipped = [] if table.get("gpu") else [dict(contender="gpu", reason="no_gpu")]
    if not mnist:
        skipped += [dict(contender="dataloader", reason="no_mnist")]
    if quick:
        skipped += [
            dict(contender="compiled", reason="quick"),
            dict(contender="sweeps", reason="quick"),
        ]
    record = {
        "kind": KIND,
        "format": FORMAT,
        "provenance": {"environment": describe(), "cores": threading.describe_cores()},
        "settings": {
            "thread_counts": counts,
            "budget_seconds": budget,
            "max_rounds": max_rounds,
            "min_rounds": stats.rounds_needed(),
            "noise_threshold": stats.NOISE_THRESHOLD,
            "confidence": stats.CONFIDENCE,
            "quick": quick,
            "sizes": [784, 128, 10],
            "lr": contenders_module.LR,
            "momentum": contenders_module.MOMENTUM,
            "main_sizes": list(MAIN_SIZES),
            "sweep_images": SWEEP_IMAGES,
        },
        "contenders": [
            dict(
                key=c.key,
                role=c.role,
                label=c.label,
                library=c.library,
                reference=contenders_module.REFERENCES.get(c.role),
            )
            for c in table.values()
        ]
        # What was left out keeps its row, so that the tables can name it and say why.
        + [
            dict(
                key=s["contender"],
                role=s["contender"],
                label=contenders_module.LABELS[s["contender"]],
                library=None,
                reference=contenders_module.REFERENCES[s["contender"]],
            )
            for s in skipped
            if s["contender"] in contenders_module.LABELS
        ]
        + [dict(key=CEILING, role="ceiling", label="the ceiling", library="numpy", reference=None)],
        "measurements": [],
        "rounds": [],
        "chosen_threads": [],
        "shapes": [],
        "profiles": [],
        "skipped": skipped,
    }
    record["provenance"]["dataset"] = dataset.name

    measuring = 0.0  # seconds inside the budgeted measurements

    def keep(result, what):
        nonlocal measuring
        measuring += result["measurement"]["elapsed_seconds"]
        record["measurements"].append(result["measurement"])
        record["rounds"] += result["rows"]
        m = result["measurement"]
        say(
            f"{what}: {len(m['round_starts'])} rounds in {m['budget_seconds']:.0f} s, "
            f"stopped on {m['stop_reason']}"
        )

    try:
        # Every thread count of the main rows, ordered so that the library
        # changes twice a round (NumPy's rows, PyTorch's, then the ceiling's).
        main = [table[key].at(t) for key in ("plain", "tuned", "torch") for t in counts]
        for bs in MAIN_SIZES:
            threading.set_threads("numpy", cores)
            record["shapes"] += shape_throughput(batch_size=bs, quick=quick, counts=counts)
            result = measure(
                main,
                x,
                y,
                batch_size=bs,
                budget=plan.next(),
                group="main",
                max_rounds=max_rounds,
                with_ceiling=True,
                ceiling_threads=cores,
            )
            keep(result, f"main rows, batch {bs}")
            for key in ("plain", "tuned", "torch"):
                rows = series(record, "main", contender=key, batch_size=bs)
                best = choose(rows).threads
                record["chosen_threads"].append(dict(contender=key, batch_size=bs, threads=best))
        count = _chosen(record, 64)
        others = [
            c for key, c in table.items() if key not in ("plain", "tuned", "torch", "compiled")
        ]
        for bs in other_sizes:
            choice = _chosen(record, bs)
            group = [table["plain"].at(choice["numpy"])]
            group += [c.at(choice["numpy"]) for c in others if c.library == "numpy"]
            group += [table["torch"].at(choice["torch"])]
            group += [c.at(choice["torch"]) for c in others if c.library == "torch"]
            result = measure(
                group,
                x,
                y,
                batch_size=bs,
                budget=plan.next(),
                group="others",
                max_rounds=max_rounds,
            )
            keep(result, f"other contenders, batch {bs}")
        if "compiled" in table:
            group = [table[key].at(count["torch"]) for key in ("torch", "compiled")]
            result = measure(
                group, x, y, budget=plan.next(), group="compile", max_rounds=max_rounds
            )
            keep(result, "torch.compile beside PyTorch eager")
        epochs = 1 if quick else 3
        for network, profile in (("plain", profile_plain), ("tuned", profile_tuned)):
            n = chosen_threads(record, network, 64)
            threading.set_threads("numpy", n)
            record["profiles"] += profile(x, y, epochs=epochs, threads=n)
            say(f"profiled the {network} step on {n} thread(s)")
        # Each sweep times both contenders at every setting in the same rounds,
        # on the same slice: NumPy's settings, then PyTorch's.
        pair = [table["plain"].at(count["numpy"]), table["torch"].at(count["torch"])]
        for sweep, values in sweeps.items():
            group = [replace(c, images=SWEEP_IMAGES, **{sweep: v}) for c in pair for v in values]
            result = measure(group, x, y, budget=plan.next(), group=sweep, max_rounds=max_rounds)
            keep(result, f"{sweep} sweep")
        record["provenance"]["elapsed_seconds"] = time.perf_counter() - plan.start
        record["provenance"]["measured_seconds"] = measuring
    finally:
        for library, n in before.items():
            threading.set_threads(library, n)
    return record


def _chosen(record: dict, batch_size: int) -> dict[str, int]:
    """The counts the others run on: each library's reference's chosen count."""
    return {
        "numpy": chosen_threads(record, "plain", batch_size),
        "torch": chosen_threads(record, "torch", batch_size),
    }


def site_record() -> dict:
    """The speed record of the site's build (its producer, see docs/conf.py).

    The site's budget, or a quick run with the short budget where a copy of
    the site is only tested (``NNGUIDE_SHORT_RUN=1``).
    """
    short = settings.short_run()
    return run_benchmark(quick=short, budget=SHORT_BUDGET if short else SITE_BUDGET, log=None)


def speed_record() -> dict:
    """The speed record a page shows: the build's, or a fresh one outside a build.

    In the site's build, the one record that every speed page and the claims
    page read (``speed.json`` in :func:`nnguide.settings.results_dir`, written
    by :func:`site_record` before any page runs). Run anywhere else (a
    downloaded page), it measures now, with :func:`site_record`'s budget.
    """
    folder = settings.results_dir()
    if folder is not None and (folder / "speed.json").is_file():
        return load_record(folder / "speed.json")
    return site_record()
