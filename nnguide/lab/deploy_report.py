"""The deploy record (:mod:`nnguide.lab.deploy_bench`) as tables and sentences.

Every figure is read from the record by key; every time is a median over
rounds with its interval (:func:`nnguide.lab.stats.median_interval`), and
every comparison a ratio taken round by round.
"""

from __future__ import annotations

from nnguide.deploy.routes import ROUTES
from nnguide.lab import stats
from nnguide.lab.deploy_bench import BATCH_SIZES
from nnguide.lab.installs import ROUTE_NEEDS
from nnguide.lab.tables import Prose, Table

#: What a reader sees for each file of the record.
FILES = {
    "weights": "safetensors weight file (either side)",
    "onnx_scratch": "ONNX, written from the NumPy arrays with onnx.helper",
    "onnx_pytorch": "ONNX, from torch.onnx.export",
}
#: What a reader sees for each cold start.
COLD = {
    "python": "Python alone (no import)",
    "numpy": "NumPy: load the weight file, answer",
    "pytorch_inference": "PyTorch: import torch, load the weight file, answer",
    "onnx_scratch": "onnxruntime: load the NumPy side's ONNX file, answer",
    "onnx_pytorch": "onnxruntime: load PyTorch's ONNX file, answer",
}
#: What a reader sees for each route of the installs table.
INSTALL_ROUTES = {
    "numpy": "NumPy (the guide's network)",
    "pytorch": "PyTorch",
    "onnxruntime": "onnxruntime (either ONNX file)",
}
IO = {
    "save": "save (build the file, write it atomically, flushed to disk)",
    "load_numpy": "load and check, into the NumPy network",
    "load_pytorch": "load and check, into the PyTorch network",
}


def megabytes(n: int) -> str:
    """Bytes as megabytes (10^6), one decimal."""
    return f"{n / 1e6:,.1f} MB"


#: What a table shows where the record has no figure.
NONE = "–"


def per_second(iv: stats.Interval) -> str:
    """Images per second, median [interval]: in thousands, or in millions from a million on.

    Examples
    --------
    >>> per_second(stats.median_interval([9.9e5, 1.0e6, 1.1e6]))
    '1.00M [0.99M, 1.10M]'
    >>> per_second(stats.median_interval([4.4e5]))
    '440k'
    """
    if iv.median >= 999.5e3:  # would show as "1,000k"
        m, lo, hi = (f"{v / 1e6:,.2f}M" for v in (iv.median, iv.low, iv.high))
    else:
        m, lo, hi = (f"{v / 1e3:,.0f}k" for v in (iv.median, iv.low, iv.high))
    return m if iv.n < 2 else f"{m} [{lo}, {hi}]"


def times(iv: stats.Interval) -> str:
    """A ratio as the site writes it, ``0.44x [0.40x, 0.46x]`` (the median alone from one round).

    Examples
    --------
    >>> times(stats.median_interval([0.5, 0.4, 0.45]))
    '0.45x [0.40x, 0.50x]'
    """
    median = f"{iv.median:.2f}x"
    return median if iv.n < 2 else f"{median} [{iv.low:.2f}x, {iv.high:.2f}x]"


def series(record: dict, route: str, batch_size: int, threads: int | None = None) -> list:
    """A route's seconds per call at a batch size, round by round, on its chosen threads."""
    threads = threads or record["chosen"][route][str(batch_size)]
    for row in record["latency"]:
        if (row["route"], row["batch_size"], row["threads"]) == (route, batch_size, threads):
            return row["seconds"]
    raise KeyError(f"no series for {route} at batch {batch_size} on {threads} threads")


def latency(record: dict, route: str) -> stats.Interval:
    """Seconds to answer one request (batch 1), on the route's chosen threads."""
    return stats.median_interval(series(record, route, 1))


def throughput(record: dict, route: str, batch_size: int) -> stats.Interval:
    """Images per second at ``batch_size``, on the route's chosen threads."""
    return stats.median_interval([batch_size / t for t in series(record, route, batch_size)])


def ratio(record: dict, a: str, b: str, batch_size: int = 1) -> stats.Interval:
    """``a``'s time over ``b``'s at ``batch_size``, round by round."""
    return stats.ratio_interval(series(record, a, batch_size), series(record, b, batch_size))


def cold_ratio(record: dict, a: str, b: str) -> stats.Interval:
    """``a``'s cold start over ``b``'s, round by round."""
    return stats.ratio_interval(record["cold_start"][a], record["cold_start"][b])


def files_table(record: dict) -> Table:
    """Each file's size on disk, and the time its export took (once)."""
    exports = record["export_seconds"]
    rows = [
        [
            label,
            f"{record['files'][key]:,} bytes",
            f"{exports[key]:.2f} s" if key in exports else NONE,
            " → ".join(record["operators"].get(key, [])) or NONE,
        ]
        for key, label in FILES.items()
    ]
    return Table(["file", "size on disk", "export time (once)", "operators"], rows)


def io_table(record: dict) -> Table:
    """Save and load times, median [interval], in milliseconds."""
    rows = []
    for key, label in IO.items():
        iv = stats.median_interval(record["io"][key])
        rows.append([label, iv.format(2, 1e3, " ms"), iv.n])
    return Table(["step", "time", "rounds"], rows)


def latency_table(record: dict) -> Table:
    """Per route: one request's latency, throughput at the larger batches, threads chosen."""
    sizes = [bs for bs in BATCH_SIZES if bs > 1]
    header = ["route", "batch 1: latency", *[f"batch {bs:,}: images/s" for bs in sizes]]
    rows = []
    for route, label in ROUTES.items():
        threads = record["chosen"][route]
        cells = [f"{latency(record, route).format(1, 1e6, ' µs')} ({threads['1']} thr.)"]
        for bs in sizes:
            cells.append(f"{per_second(throughput(record, route, bs))} ({threads[str(bs)]} thr.)")
        rows.append([label, *cells])
    return Table(header, rows)


def cold_table(record: dict) -> Table:
    """Seconds from a new process to its first answer, per route."""
    rows = []
    for key, label in COLD.items():
        iv = stats.median_interval(record["cold_start"][key])
        rows.append([label, iv.format(2, 1.0, " s"), iv.n])
    return Table(["a new process that…", "seconds to its first answer", "rounds"], rows)


def installs_table(record: dict) -> Table:
    """What each route installs, computed from the installed distributions' files.

    The PyTorch row names the torch build installed (``installs["torch_build"]``).
    """
    installs = record["installs"]
    rows = []
    for route, needs in ROUTE_NEEDS.items():
        entry = installs[route]
        largest = ", ".join(
            f"{name} {megabytes(size)}" for name, size in list(entry["distributions"].items())[:4]
        )
        build = f" ({installs['torch_build']})" if "torch" in needs else ""
        rows.append(
            [
                INSTALL_ROUTES[route],
                ", ".join(needs) + build,
                len(entry["distributions"]),
                megabytes(entry["total"]),
                largest,
            ]
        )
    return Table(["route", "needs", "distributions", "installed size", "largest"], rows)


def agreement_table(record: dict) -> Table:
    """How far each route's logits are from the NumPy network's, on the test images."""
    rows = []
    for route, a in record["agreement"].items():
        rows.append(
            [
                ROUTES[route],
                f"{a['max_difference']:.2g}",
                f"{a['bound']:.2g}",
                a["disagreements"],
                a["close_calls"],
            ]
        )
    header = ["route", "largest logit difference", "bound", "predictions differ", "close calls"]
    return Table(header, rows)


def verdict_words(iv: stats.Interval) -> str:
    """``faster``/``slower``, or why the ratio ``iv`` is inconclusive, in the site's words.

    Only the cold starts can have too few rounds (the routes' rounds stop for
    the budget only after :func:`nnguide.lab.stats.rounds_needed`), and their
    count is fixed, not cut by a budget: that reason is worded here.
    """
    from nnguide.lab.bench.report.words import reason_text, rounds_text

    kind, reason = stats.judge(iv)
    if kind != "inconclusive":
        return kind
    if reason == "few_rounds":
        return (
            f"inconclusive: only {rounds_text(iv.n)} ran, too few for a "
            f"{100 * stats.CONFIDENCE:.0f}% interval (it takes {stats.rounds_needed()})"
        )
    return f"inconclusive: {reason_text(iv, reason)}"


def intervals_note(record: dict) -> Prose:
    """The confidence of the intervals the tables and sentences show, from their rounds."""
    rounds = [len(values) for values in record["io"].values()]
    rounds += [len(values) for values in record["cold_start"].values()]
    for route, sizes in record["chosen"].items():
        rounds += [len(series(record, route, int(bs))) for bs in sizes]
    confidence = min(stats.median_interval([0.0] * n).confidence for n in rounds)
    fewest, most = min(rounds), max(rounds)
    span = f"{fewest}" if fewest == most else f"{fewest} to {most}"
    enough = (
        ""
        if confidence >= stats.CONFIDENCE
        else f"; fewer than the {stats.rounds_needed()} rounds a {100 * stats.CONFIDENCE:.0f}% "
        "interval takes, so the least covered are a series' minimum and maximum"
    )
    return Prose(
        f"Times show the median of the rounds [an interval for it]: with {span} rounds per "
        f"series, each interval covers the true median with at least "
        f"{100 * confidence:.0f}% confidence{enough}. A ratio's interval is taken the same "
        "way, from the rounds' ratios."
    )


def comparisons(record: dict) -> Prose:
    """The sentences the tables support, each computed from the rounds."""
    lines = []
    largest = max(BATCH_SIZES)
    # NumPy against PyTorch at every batch size (the claim's comparisons), then
    # against its own ONNX file, and autograd's cost to PyTorch at batch 1.
    pairs = [("numpy", "pytorch_inference", bs) for bs in BATCH_SIZES]
    pairs += [("numpy", "onnx_scratch", 1), ("numpy", "onnx_scratch", largest)]
    pairs += [("pytorch", "pytorch_inference", 1)]
    for a, b, bs in pairs:
        iv = ratio(record, a, b, bs)
        lines.append(
            f"At batch {bs:,}, {ROUTES[a]} takes {times(iv)} the time of {ROUTES[b]}: "
            f"{verdict_words(iv)}."
        )
    iv = cold_ratio(record, "numpy", "pytorch_inference")
    lines.append(
        f"A fresh NumPy process answers its first request in {times(iv)} the time "
        f"a fresh PyTorch process takes: {verdict_words(iv)}."
    )
    lines.append(installs_sentence(record["installs"]))
    return Prose("\n\n".join(lines))


def installs_sentence(installs: dict) -> str:
    """What each route installs, and what of PyTorch's size its nvidia-* wheels are.

    Worded from the build installed (``torch_variant``) and whether it brought
    any ``nvidia-*`` wheels (``nvidia``): only the build installed here is measured.
    """
    build, nvidia = installs["torch_build"], megabytes(installs["nvidia"])
    if installs["nvidia"] == 0:
        torch = f"{build}, with no nvidia-* wheels."
    elif installs.get("torch_variant") == "cuda":
        torch = (
            f"{build}: its nvidia-* wheels are {nvidia} of the PyTorch route's size, which "
            "torch's CPU-only build does without; that build is not installed here, so its "
            "size is not measured."
        )
    else:
        torch = f"{build}; nvidia-* wheels are {nvidia} of the PyTorch route's size."
    return (
        f"The NumPy route installs {megabytes(installs['numpy']['total'])}; the PyTorch route, "
        f"{megabytes(installs['pytorch']['total'])}; onnxruntime, "
        f"{megabytes(installs['onnxruntime']['total'])}. The torch installed here is {torch}"
    )


def provenance(record: dict) -> Prose:
    """Where the record comes from: its network, machine and budget; what a short run cut."""
    from nnguide.lab.environment import summary

    p, net = record["provenance"], record["network"]
    short = (
        f" A short run (NNGUIDE_SHORT_RUN): the network trained on "
        f"{net['training_images']:,} images, the routes timed within {p['budget_seconds']:g} s, "
        f"fewer cold starts."
        if p["short"]
        else ""
    )
    where = summary(p["environment"], p["dataset"])
    return Prose(
        f"The network measured, trained for this record: {'-'.join(map(str, net['sizes']))}, "
        f"{net['activation']}, {net['dtype']}, trained {net['epochs']} "
        f"epoch{'s' * (net['epochs'] != 1)} on {net['training_images']:,} images "
        f"(test accuracy {100 * net['test_accuracy']:.2f}%). Measured in "
        f"{p['elapsed_seconds']:.0f} s.{short} {where[:1].upper()}{where[1:]}."
    )
