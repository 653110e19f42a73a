"""The benchmark's plots: every point a median with its interval, from one record."""

from __future__ import annotations

import textwrap

import numpy as np

from nnguide.lab.bench.record import ceiling_of, chosen_threads, find, labels, roles, series
from nnguide.lab.bench.report import name, threads_text
from nnguide.lab.bench.verdicts import verdicts


def _errors(rows):
    """Each series' interval as matplotlib's error bars: distances below and above the median."""
    return np.array([[s.median - s.interval.low, s.interval.high - s.median] for s in rows]).T


def _log_axis(axis):
    from matplotlib.ticker import FormatStrFormatter, LogLocator, NullLocator

    axis.set_major_locator(LogLocator(subs=(1, 2, 5)))  # ticks at 0.5, 1, 2, 5...
    axis.set_major_formatter(FormatStrFormatter("%g"))
    axis.set_minor_locator(NullLocator())


def main_rows(record: dict):
    """Each main series' seconds per epoch (dot) and interval (line), log scale, with the
    ceiling, one panel per batch size."""
    import matplotlib.pyplot as plt

    sizes = record["settings"]["main_sizes"]
    fig, axes = plt.subplots(1, len(sizes), figsize=(9, 3.6), sharey=True)
    for ax, bs in zip(np.atleast_1d(axes), sizes):
        bound = ceiling_of(record, find(record, "plain", bs))
        rows = [s for s in series(record, "main", batch_size=bs) if s.contender != bound.contender]
        ticks = [
            f"{textwrap.fill(name(record, s, with_threads=False), 26)},\n{threads_text(s.threads)}"
            + (" (chosen)" if chosen_threads(record, s.contender, bs) == s.threads else "")
            for s in rows
        ]
        ax.errorbar([s.median for s in rows], np.arange(len(rows)), xerr=_errors(rows), fmt="o")
        ax.axvline(bound.median, color="black", linestyle=":", label="ceiling")
        ax.set(title=f"batch {bs}", xlabel="seconds per epoch (log)", xscale="log")
        ax.set_yticks(np.arange(len(rows)), ticks, fontsize=8)
        _log_axis(ax.xaxis)
        ax.legend(loc="upper right", fontsize=8)
    np.atleast_1d(axes)[0].invert_yaxis()
    fig.tight_layout()
    return fig


def others(record: dict):
    """Every other contender and its reference, bars with intervals, one colour per batch."""
    import matplotlib.pyplot as plt

    rows = series(record, "others") + series(record, "compile")
    # One line per contender and measurement: the references are timed again
    # beside torch.compile, in rounds of their own.
    lines = list(dict.fromkeys((s.measurement["group"], s.contender) for s in rows))
    compiled = roles(record).get("compiled")
    beside = {(g, k): g == "compile" and k != compiled for g, k in lines}
    names = [labels(record)[k] + ", beside torch.compile" * beside[g, k] for g, k in lines]
    sizes = sorted({s.batch_size for s in rows})
    fig, ax = plt.subplots(figsize=(9, 0.6 * len(names) + 1.2))
    for k, bs in enumerate(sizes):
        at = [s for s in rows if s.batch_size == bs]
        positions = [lines.index((s.measurement["group"], s.contender)) + 0.4 * k for s in at]
        medians = [s.median for s in at]
        ax.barh(positions, medians, height=0.4, xerr=_errors(at), label=f"batch {bs}")
    ax.set(yticks=np.arange(len(names)) + 0.2, xscale="log", xlabel="seconds per epoch (log)")
    ax.set_yticklabels([textwrap.fill(n, 32) for n in names], fontsize=8)
    ax.invert_yaxis()
    ax.legend()
    fig.tight_layout()
    return fig


def sweeps(record: dict):
    """Both sweeps: the plain network and PyTorch at each setting, log-log, or None when
    the record has no sweeps."""
    import matplotlib.pyplot as plt

    found = verdicts(record)
    groups = [g for g in ("batch_size", "hidden") if any(k.group == g for k in found)]
    if not groups:
        return None
    fig, axes = plt.subplots(1, len(groups), figsize=(9, 3.4))
    titles = {"batch_size": "batch size", "hidden": "hidden units"}
    for ax, group in zip(np.atleast_1d(axes), groups):
        points = sorted((getattr(k, group), v) for k, v in found.items() if k.group == group)
        x = [p for p, _ in points]
        for side in ("a", "b"):
            rows = [getattr(v, side) for _, v in points]
            label = name(record, rows[0], with_threads=False)
            ax.errorbar(x, [s.median for s in rows], yerr=_errors(rows), marker="o", label=label)
        ax.set(xscale="log", yscale="log", xlabel=titles[group], ylabel="seconds per epoch")
        ax.set_xticks(x, [str(v) for v in x])
        from matplotlib.ticker import NullLocator

        ax.xaxis.set_minor_locator(NullLocator())
        _log_axis(ax.yaxis)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def profiles(record: dict):
    """Where each NumPy network's epoch goes: one stacked bar per network, one segment per
    part of its step, in seconds per epoch."""
    import matplotlib.pyplot as plt

    from nnguide.lab.bench.report import part_label

    networks = ("plain", "tuned")
    fig, ax = plt.subplots(figsize=(9, 3.2))
    for y, network in enumerate(networks):
        left = 0.0
        for row in (r for r in record["profiles"] if r["network"] == network):
            ax.barh(y, row["seconds"], left=left, height=0.5, edgecolor="white")
            if row["seconds"] > 0.04 * sum(
                r["seconds"] for r in record["profiles"] if r["network"] == network
            ):
                ax.text(left + row["seconds"] / 2, y, textwrap.fill(part_label(row), 14),
                        ha="center", va="center", fontsize=6)  # fmt: skip
            left += row["seconds"]
    ax.set_yticks(range(len(networks)), networks)
    ax.set(xlabel="seconds per epoch, part by part")
    ax.invert_yaxis()
    fig.tight_layout()
    return fig
