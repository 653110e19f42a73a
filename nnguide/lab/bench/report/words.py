"""The words of a report: names with thread counts, verdicts and their reasons."""

from __future__ import annotations

import statistics

from nnguide.lab import stats
from nnguide.lab.bench.harness import PEAK_SIZE
from nnguide.lab.bench.record import Series, chosen_threads, labels, roles
from nnguide.lab.bench.verdicts import Key, Verdict


def threads_text(count: int) -> str:
    """``"1 thread"``, ``"2 threads"``."""
    return f"{count} thread{'s' * (count != 1)}"


def rounds_text(count: int) -> str:
    """``"1 round"``, ``"5 rounds"``."""
    return f"{count} round{'s' * (count != 1)}"


def name(record: dict, s: Series, *, with_threads: bool = True) -> str:
    """A series' label, with its thread count."""
    label = labels(record)[s.contender]
    if not with_threads or s.threads is None:
        return label
    return f"{label} ({threads_text(s.threads)})"


def on_text(key: Key) -> str:
    """On which thread counts a verdict compares its two sides."""
    if key.a_threads is None and key.b_threads is None:
        return "each on its chosen count"
    if key.a_threads == key.b_threads:
        return f"both on {threads_text(key.a_threads)}"
    return f"its chosen count against {threads_text(key.b_threads)}"


def reason_text(ratio: stats.Interval, reason: str) -> str:
    """Why a verdict is inconclusive, in words."""
    if reason == "few_rounds":
        return (
            f"only {rounds_text(ratio.n)} fitted the time budget, too few for a "
            f"{100 * stats.CONFIDENCE:.0f}% interval (it takes {stats.rounds_needed()})"
        )
    if reason == "noisy":
        return (
            f"the rounds were too noisy to decide (the ratio's interval [{ratio.low:.2f}, "
            f"{ratio.high:.2f}] contains 1 and spans {100 * ratio.relative_width:.0f}% of its "
            f"median, more than the {100 * stats.NOISE_THRESHOLD:.0f}% this harness accepts)"
        )
    return (
        f"the ratio's interval [{ratio.low:.2f}, {ratio.high:.2f}] contains 1: any "
        "difference is smaller than the rounds resolve"
    )


def factor_text(ratio: stats.Interval) -> str:
    """How many times as fast a time ratio makes the first, with its interval."""
    return f"{1 / ratio.median:.2f}x [{1 / ratio.high:.2f}x, {1 / ratio.low:.2f}x]"


def verdict_text(record: dict, v: Verdict) -> str:
    """One sentence stating a verdict and its evidence."""
    a, b = name(record, v.a), name(record, v.b)
    if v.kind == "faster":
        return f"{a} is faster than {b}: {factor_text(v.ratio)} as fast."
    if v.kind == "slower":
        r = v.ratio
        return (
            f"{a} is slower than {b}: it takes {r.median:.2f}x [{r.low:.2f}x, {r.high:.2f}x] "
            "the time."
        )
    return f"Whether {a} or {b} is faster is inconclusive on this build: " + (
        reason_text(v.ratio, v.reason) + "."
    )


def _percent(interval: stats.Interval | None) -> str:
    return "n/a" if interval is None else interval.format(0, 100, "%")


def _rounds(s: Series) -> str:
    return str(s.rounds) + (", cut short by the budget" if s.cut_short else "")


def _batching(s: Series) -> str:
    return f"{statistics.median(s.batching):.3f}" if s.batching else "n/a"


def _notes(record: dict, s: Series) -> str:
    notes = []
    if s.contender == roles(record).get("ceiling"):
        notes.append(f"no network: {PEAK_SIZE} x {PEAK_SIZE} products, measured in every round")
    if s.shrunk:
        notes.append(
            f"timed on slices down to {s.images_timed:,} images of the "
            f"{s.planned_images:,} planned, to fit the budget; extrapolated"
        )
    elif s.extrapolated:
        notes.append(f"timed on {s.images_timed:,} images, extrapolated")
    if s.interval.noisy and s.rounds > 1:
        notes.append(
            f"noisy: the interval spans {100 * s.interval.relative_width:.0f}% of the median"
        )
    if s.compile_seconds is not None:
        notes.append(f"compile time excluded: {s.compile_seconds:.1f} s, once")
    return "; ".join(notes)


def _threads(record: dict, s: Series) -> str:
    if s.threads is None:
        return "n/a"
    several = len(record["settings"]["thread_counts"]) > 1
    try:
        mark = several and chosen_threads(record, s.contender, s.batch_size) == s.threads
    except KeyError:
        mark = False
    return f"{s.threads} (chosen)" if mark else str(s.threads)


TIME = "s / epoch: median [interval]"


SKIPPED = {
    "quick": "left out of a quick run, to fit its budget",
    "no_gpu": "no GPU on this machine",
    "no_mnist": "it reads the MNIST files, which this build did not have",
}
