"""The scale record as the page shows it: sentences, tables and the sweep's figure."""

from __future__ import annotations

import numpy as np

from nnguide.lab import stats
from nnguide.lab.scale import projection as paper
from nnguide.lab.scale import record as scale
from nnguide.lab.tables import Prose, Table

#: How the page names each engine.
ENGINE_NAMES = {"mpi": "NumPy + MPI (mpi4py, MPICH)", "gloo": "PyTorch DDP (gloo)"}


def plural(count: int, word: str) -> str:
    """``"1 round"``, ``"5 rounds"``."""
    return f"{count} {word}{'s' * (count != 1)}"


def factor(ratio: stats.Interval) -> str:
    """A ratio's median and interval as factors: ``1.56x [1.20x, 2.10x]``."""
    return ratio.format(2, suffix="x")


def percent(interval: stats.Interval) -> str:
    """A share's median and interval in percent, on both bounds: ``41% [24%, 60%]``."""
    return interval.format(0, 100, "%")


def reason_text(ratio: stats.Interval, reason: str) -> str:
    """Why :func:`nnguide.lab.stats.judge` found a ratio inconclusive, in words."""
    if reason == "few_rounds":
        return (
            f"{plural(ratio.n, 'round')} {'is' if ratio.n == 1 else 'are'} too few for a "
            f"{100 * stats.CONFIDENCE:.0f}% interval (it takes {stats.rounds_needed()})"
        )
    if reason == "noisy":
        return (
            f"the rounds were too noisy to decide: the ratio's interval, {factor(ratio)}, "
            f"contains 1 and spans {100 * ratio.relative_width:.0f}% of its median, more than "
            f"the {100 * stats.NOISE_THRESHOLD:.0f}% the lab accepts"
        )
    return (
        f"the ratio's interval, {factor(ratio)}, contains 1: any difference is smaller than "
        "the rounds resolve"
    )


def provenance(record: dict) -> Prose:
    """Where and when the record was measured, how, and what a short run left out."""
    env, plan = record["environment"], record["plan"]
    text = (
        f"Measured on **{env['date']}** on {env['cpu']}, with **{record['cores']}** usable "
        f"cores, in {record['seconds']:.0f} s: {plural(plan['rounds'], 'interleaved round')}, "
        f"each launching every configuration once; each launch timed "
        f"{plural(plan['slices'], 'slice')} of {plan['slice_steps']} steps after one warm-up "
        f"slice, on {record['dataset']}: the guide's network, SGD with momentum, float32, "
        f"global batch {scale.worker.BATCH}."
    )
    if record["shortened"]:
        text += f" This is {record['shortened']}."
    return Prose(text)


def intervals_note(record: dict) -> Prose:
    """The confidence of the intervals the tables and sentences show, from their rounds."""
    rounds = record["plan"]["rounds"]
    confidence = stats.median_interval([0.0] * rounds).confidence
    text = (
        "Times show the median of the rounds [an interval for it]. Each launch gives one "
        "value, its median slice: the slices of one launch share its start and its placement "
        "on the cores, so they are not independent draws, and the rounds are. "
    )
    if rounds < 2:
        text += "With one round there is no interval: the figures are that launch's."
    else:
        text += (
            f"With {plural(rounds, 'round')}, each interval covers the true median with "
            f"{100 * confidence:.0f}% confidence"
            + (
                ""
                if confidence >= stats.CONFIDENCE
                else f", less than the {100 * stats.CONFIDENCE:.0f}% that "
                f"{stats.rounds_needed()} rounds give"
            )
            + ". A ratio's interval is taken the same way, from the rounds' ratios; an "
            f"interval marked noisy spans more than {100 * stats.NOISE_THRESHOLD:.0f}% of "
            "its median."
        )
    return Prose(text)


def _shown(interval: stats.Interval, digits: int = 2, scale_by: float = 1.0, suffix="") -> str:
    """An interval for a table, marked noisy as the benchmark marks its series."""
    text = interval.format(digits, scale_by, suffix)
    return text + " (noisy)" if interval.n > 1 and interval.noisy else text


def exactness_table(record: dict) -> Table:
    """Each exactness condition: the largest weight difference, its bound, whether it held."""
    names = {
        "mpi_float64": "NumPy + MPI, 2 processes vs the guide's 1, float64",
        "mpi_float32": "NumPy + MPI, 2 processes vs the guide's 1, float32",
        "gloo_float64": "PyTorch DDP, 2 processes vs the guide's 1, float64",
        "gloo_float32": "PyTorch DDP, 2 processes vs the guide's 1, float32",
        "mpi_vs_gloo_float64": "NumPy + MPI vs PyTorch DDP, float64",
    }
    checks = record["exactness"]["checks"]
    return Table(
        ["run", "largest difference", "bound", "held"],
        [
            [
                label,
                f"{checks[k]['difference']:.2g}",
                f"{checks[k]['bound']:.2g}",
                "yes" if checks[k]["held"] else "**no**",
            ]
            for k, label in names.items()
            if k in checks
        ],  # fmt: skip
    )


def epoch_table(record: dict) -> Table:
    """Seconds per epoch of each engine and configuration, and its all-reduce's cost."""
    rows = []
    for engine in scale.SIDES:
        for processes, threads in scale.configurations(record["cores"], record["plan"]["short"]):
            first = scale.runs(record, engine, processes, threads)[0]
            epoch = _shown(scale.epoch_seconds(record, engine, processes, threads))
            if processes > 1:
                comm = _shown(scale.allreduce_seconds(record, engine, processes), 2, 1e3)
                share = _shown(scale.comm_share(record, engine, processes), 0, 100, "%")
                shares = " + ".join(map(str, first["shares"]))
                calls = first["allreduces_per_step"]
                sent = f"{first['allreduced_bytes_per_step']:,.0f} in {calls:g}"
                sent += f" all-reduce{'s' * (calls != 1)}"
            else:
                comm = share = sent = "–"
                shares = str(first["shares"][0])
            rows.append([ENGINE_NAMES[engine], processes, threads, epoch, comm, share, sent,
                         shares])  # fmt: skip
    return Table(
        ["engine", "processes", "threads each", "s / epoch", "all-reduce ms / step",
         "share of the step (median of per-slice ratios)", "bytes in all-reduces / step",
         "examples per process / batch"],
        rows,
    )  # fmt: skip


def speedup_text(ratio: stats.Interval) -> str:
    """What two processes' epoch over one's says, judged (:func:`nnguide.lab.stats.judge`)."""
    kind, reason = stats.judge(ratio)
    if kind == "faster":
        inverse = stats.Interval(1 / ratio.median, 1 / ratio.high, 1 / ratio.low,
                                 ratio.confidence, ratio.n)  # fmt: skip
        return f"two processes are {factor(inverse)} as fast"
    if kind == "slower":
        return f"two processes take {factor(ratio)} as long"
    return f"whether two processes are faster is inconclusive: {reason_text(ratio, reason)}"


def headline(record: dict) -> Prose:
    """What the epoch times say, computed round by round: speed-up and communication."""
    parts = []
    for engine in scale.SIDES:
        one = scale.epoch_seconds(record, engine, 1, 1)
        two = scale.epoch_seconds(record, engine, 2, 1)
        ratio = scale.ratio(record, (engine, 2, 1), (engine, 1, 1))
        parts.append(
            f"{ENGINE_NAMES[engine]}: {one.median:.2f} s per epoch on one process, "
            f"{two.median:.2f} s on two; round by round, {speedup_text(ratio)}. The all-reduce "
            f"takes {1e3 * scale.allreduce_seconds(record, engine).median:.2f} ms of each "
            f"two-process step; its share of the step, the median of the slices' own ratios, "
            f"is {100 * scale.comm_share(record, engine).median:.0f}%."
        )
    return Prose(" ".join(parts))


def threads_note(record: dict) -> Prose | None:
    """What the one-process, every-core rows show, against two processes of one thread.

    None when the record has no such rows (a short run, or a machine of one core).
    """
    cores = record["cores"]
    if (1, cores) not in scale.configurations(cores, record["plan"]["short"]) or cores < 2:
        return None
    text = (
        f"The rows of one process on {cores} threads use the same {cores} cores the other "
        "way: one process whose library (NumPy's BLAS, PyTorch's own pool) splits each "
        "matrix product among threads, with no all-reduce. Against two processes of one "
        "thread each, round by round: "
    )
    parts = []
    for engine in scale.SIDES:
        ratio = scale.ratio(record, (engine, 1, cores), (engine, 2, 1))
        kind, reason = stats.judge(ratio)
        if kind == "inconclusive":
            said = f"which is faster is inconclusive, as {reason_text(ratio, reason)}"
        else:
            said = f"the threads are {kind}, taking {factor(ratio)} the processes' time"
        parts.append(f"{ENGINE_NAMES[engine]}: {said}")
    return Prose(text + "; ".join(parts) + ".")


def sweep_vs_training(record: dict) -> Prose:
    """The all-reduce measured in training beside the model's time for the same messages,
    and where the model misses the sweep most."""
    parts = []
    for engine in scale.SIDES:
        fit, sweep = record["fits"][engine], record["sweeps"][engine]
        run = scale.runs(record, engine, 2, 1)[0]
        calls = run["allreduces_per_step"]
        message = run["allreduced_bytes_per_step"] / calls
        alone = calls * (fit["latency"] + message / fit["bandwidth"])
        comm = scale.allreduce_seconds(record, engine).median
        misses = [t / (fit["latency"] + b / fit["bandwidth"])
                  for b, t in zip(sweep["bytes"], sweep["seconds"])]  # fmt: skip
        worst = max(range(len(misses)), key=lambda i: abs(np.log(misses[i])))
        parts.append(
            f"{ENGINE_NAMES[engine]}: in training, {1e3 * comm:.2f} ms per step; the model "
            f"gives {1e3 * alone:.2f} ms for {plural(int(calls), 'message')} of "
            f"{message:,.0f} bytes, so training's all-reduce took "
            f"{'more' if comm > alone else 'no more'} than the message alone. The model "
            f"misses most at {sweep['bytes'][worst]:,} bytes, where the sweep measured "
            f"{misses[worst]:.2f}x its time."
        )
    return Prose(" ".join(parts))


def what_the_rows_show(record: dict) -> Prose:
    """What two processes on this machine can and cannot show, from its cores and the runs."""
    cores = record["cores"]
    text = f"Two processes on a machine with {cores} usable core{'s' * (cores != 1)} "
    text += (
        "cannot show what a cluster gains: at best each process gets a core of its own, and "
        "the two share one memory. "
        if cores >= 2
        else "cannot show what a cluster gains: they take turns on one core. "
    )
    text += "What the rows do show is the price of the averaging step on each engine"
    if record["exactness"]["held"]:
        text += ", and that both engines took exactly the steps of one process (the runs above)."
    else:
        text += (
            "; the exactness runs above did not all hold, so the runs are not the same training."
        )
    return Prose(text)


def float32_note(record: dict) -> Prose:
    """Why float32 runs may differ in their last bits, and the bound's premise, measured."""
    exact = record["exactness"]
    checks = exact["checks"]
    measured = max(c["difference"] for k, c in checks.items() if k.endswith("float32"))
    bound = max(c["bound"] for k, c in checks.items() if k.endswith("float32"))
    eps = float(np.finfo(np.float32).eps)
    largest = exact["largest_weight"]
    text = (
        f"In float32, the processes sum the shares in another order than one process does, so "
        f"the last bits may differ: the largest float32 difference measured is {measured:.2g}. "
        f"The bound, {bound:.2g}, allows each of the {exact['steps']} steps one unit of float32 "
        f"rounding at magnitude one ({eps:.2g}) on every weight, adding up; that holds for "
        f"weights below one in magnitude, and the largest weight in these runs is {largest:.3g}"
    )
    return Prose(text + ("." if largest < 1 else ": above one, so the bound is not justified."))


def float64_note(record: dict) -> Prose:
    """Why the float64 bounds are what they are: requirements, far above rounding."""
    exact = record["exactness"]
    checks = exact["checks"]
    eps = float(np.finfo(np.float64).eps)
    two = checks.get("mpi_float64", {}).get("bound", scale.FLOAT64_BOUND)
    cross = checks.get("mpi_vs_gloo_float64", {}).get("bound", scale.CROSS_BOUND)
    rounding = exact["steps"] * eps
    return Prose(
        f"The float64 bounds, {two:.2g} for two processes against one and {cross:.2g} for "
        "MPI against DDP, are requirements the project set, not derived. The float32 "
        f"reasoning above, in float64, allows {exact['steps']} × {eps:.2g} = {rounding:.2g}, "
        f"{two / rounding:.0f} times less than the first: a run beyond them is a bug, not "
        "rounding. MPI against DDP gets the looser bound because there two libraries compute "
        "every matrix product, each in its own order, not only the average."
    )


def buckets(record: dict) -> Prose:
    """How many all-reduces DDP made per step, and whether any could overlap the backward pass.

    Both counted by the worker: the all-reduces DDP's hook saw, and their bytes.
    """
    run = scale.runs(record, "gloo", 2, 1)[0]
    calls, sent = run["allreduces_per_step"], run["allreduced_bytes_per_step"]
    one = calls == 1 and sent == run["gradient_bytes"]
    text = (
        f"The gradients, {run['gradient_bytes']:,} bytes, "
        + ("fit in one of DDP's buckets" if one else f"filled {calls:g} of DDP's buckets")
        + f": its hook saw {calls:g} all-reduce{'s' * (calls != 1)} per step, of "
        + f"{sent:,.0f} bytes in all"
    )
    if calls <= 1:
        text += ", after the whole backward pass: nothing overlapped with it."
    else:
        text += ", each started as soon as its bucket's gradients were ready."
    return Prose(text)


def fit_table(record: dict) -> Table:
    """Latency and bandwidth of each engine's all-reduce, read off the sweep's fit."""
    return Table(
        ["engine", "latency (µs)", "bandwidth (GB/s)"],
        [
            [
                ENGINE_NAMES[e],
                f"{1e6 * f['latency']:.1f} ± {1e6 * f['latency_stderr']:.1f}",
                f"{f['bandwidth'] / 1e9:.2f} ± {f['bandwidth_stderr'] / 1e9:.2f}",
            ]
            for e, f in record["fits"].items()
        ],  # fmt: skip
    )


def sweep_figure(record: dict):
    """Time per all-reduce against message size, each engine with its fitted model.

    Drawn narrow, with large type, so that it stays readable when a phone
    shrinks it to the column's width.
    """
    import matplotlib.pyplot as plt

    with plt.rc_context({"font.size": 14, "legend.fontsize": 12}):
        fig, ax = plt.subplots(figsize=(4.2, 5.2), layout="constrained")
        for (engine, sweep), marker in zip(record["sweeps"].items(), "os"):
            fit = record["fits"][engine]
            x = np.asarray(sweep["bytes"], float)
            ax.loglog(x, np.asarray(sweep["seconds"]) * 1e3, marker, ms=7,
                      label=ENGINE_NAMES[engine])  # fmt: skip
            line = np.geomspace(x[0], x[-1], 50)
            ax.loglog(line, (fit["latency"] + line / fit["bandwidth"]) * 1e3, "-", color="0.5")
        ax.plot([], [], "-", color="0.5", label="model: latency + size / bandwidth")
        ax.set_xlabel("message size (bytes)")
        ax.set_ylabel("ms per all-reduce, 2 processes")
        ax.set_title("All-reduce on this machine")
        fig.legend(loc="outside lower center")
    return fig


def projection_assumptions(record: dict) -> Prose:
    """The projection's assumptions: its latency, what differs by side, its last column."""
    share = f"{100 * paper.TARGET_SHARE:.0f}%"
    nbytes = {scale.runs(record, e, 2, 1)[0]["gradient_bytes"] for e in scale.SIDES}
    same = (
        f"the same {next(iter(nbytes)):,} bytes of gradients"
        if len(nbytes) == 1
        else "each side's own gradients"
    )
    measured = ", ".join(
        f"{1e6 * record['fits'][e]['latency']:.1f} µs with {ENGINE_NAMES[e]}" for e in scale.SIDES
    )
    return Prose(
        f"The latency assumed per message between machines is "
        f"{1e6 * paper.LINK_LATENCY:g} µs. Only the compute differs between the two sides' "
        f"rows: both all-reduce {same} over the same link, so their all-reduce columns are "
        f"equal. The latencies measured on loopback above ({measured}) are this machine's "
        f"software overhead and are not carried over. The last column is the global batch at "
        f"which the all-reduce would take {share} of a step: below it, the all-reduce takes "
        f"more than {share} of a step."
    )


def projection_table(record: dict, batch: int = 64) -> Table:
    """The projection's rows: a step on N machines, and the batch that keeps comms small."""
    return Table(
        ["compute measured with", "link", "machines", "compute ms / step",
         "all-reduce ms / step", "share of the step",
         f"batch for a {100 * paper.TARGET_SHARE:.0f}% share"],
        [
            [ENGINE_NAMES[r["engine"]], r["link"], r["machines"], f"{1e3 * r['compute']:.3f}",
             f"{1e3 * r['comm']:.3f}", f"{100 * r['share']:.0f}%", f"{r['batch']:,.0f}"]
            for r in paper.projection(record, batch)
        ],
    )  # fmt: skip
