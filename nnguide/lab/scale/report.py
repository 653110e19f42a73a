"""The scale record as the page shows it: sentences, tables and the sweep's figure."""

from __future__ import annotations

import numpy as np

from nnguide.lab.scale import projection as paper
from nnguide.lab.scale import record as scale
from nnguide.lab.tables import Prose, Table

#: How the page names each engine.
ENGINE_NAMES = {"mpi": "NumPy + MPI (mpi4py, MPICH)", "gloo": "PyTorch DDP (gloo)"}


def provenance(record: dict) -> Prose:
    """Where and when the record was measured, how, and what a short run left out."""
    env, plan = record["environment"], record["plan"]
    text = (
        f"Measured on **{env['date']}** on {env['cpu']}, with **{record['cores']}** usable "
        f"cores, in {record['seconds']:.0f} s: {plan['rounds']} interleaved round(s), each "
        f"launching every configuration once; each launch timed {plan['slices']} slices of "
        f"{plan['slice_steps']} steps after one warm-up slice, on {record['dataset']}: the "
        f"guide's network, SGD with momentum, float32, global batch {scale.worker.BATCH}."
    )
    if record["shortened"]:
        text += f" This is {record['shortened']}."
    return Prose(text)


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
            epoch = scale.epoch_seconds(record, engine, processes, threads)
            if processes > 1:
                comm = scale.allreduce_seconds(record, engine, processes).format(2, 1e3)
                share = scale.comm_share(record, engine, processes).format(2)
                shares = " + ".join(map(str, first["shares"]))
                calls = first["allreduces_per_step"]
                sent = f"{first['allreduced_bytes_per_step']:,.0f} in {calls:g}"
                sent += f" all-reduce{'s' * (calls != 1)}"
            else:
                comm = share = sent = "–"
                shares = str(first["shares"][0])
            rows.append([ENGINE_NAMES[engine], processes, threads, epoch.format(2), comm, share,
                         sent, shares])  # fmt: skip
    return Table(
        ["engine", "processes", "threads each", "s / epoch", "all-reduce ms / step",
         "share of the step", "bytes in all-reduces / step", "examples per process / batch"],
        rows,
    )  # fmt: skip


def headline(record: dict) -> Prose:
    """What the epoch times say, computed from the rounds: speed-up and communication.

    The all-reduce time measured in training is set beside the sweep's fit for
    one message of the same size: what the message alone costs on this machine.
    """
    parts = []
    for engine in scale.SIDES:
        one = scale.epoch_seconds(record, engine, 1, 1)
        two = scale.epoch_seconds(record, engine, 2, 1)
        share = scale.comm_share(record, engine)
        comm = scale.allreduce_seconds(record, engine)
        fit = record["fits"][engine]
        run = scale.runs(record, engine, 2, 1)[0]
        calls = run["allreduces_per_step"]
        message = run["allreduced_bytes_per_step"] / calls
        alone = calls * (fit["latency"] + message / fit["bandwidth"])
        ratio = one.median / two.median
        speed = f"{ratio:.2f} times as fast" if ratio >= 1 else f"{1 / ratio:.2f} times as slow"
        compared = "more than" if comm.median > alone else "no more than"
        parts.append(
            f"{ENGINE_NAMES[engine]}: {one.median:.2f} s per epoch on one process, "
            f"{two.median:.2f} s on two ({speed}), with {100 * share.median:.0f}% of each "
            f"two-process step in the all-reduce: {1e3 * comm.median:.2f} ms per step, "
            f"{compared} the sweep's fit gives for {calls:g} message{'s' * (calls != 1)} of "
            f"{message:,.0f} bytes ({1e3 * alone:.2f} ms)."
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
    """Time per all-reduce against message size, each engine with its fitted line."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for (engine, sweep), marker in zip(record["sweeps"].items(), "os"):
        fit = record["fits"][engine]
        x = np.asarray(sweep["bytes"], float)
        ax.loglog(x, np.asarray(sweep["seconds"]) * 1e3, marker, label=ENGINE_NAMES[engine])
        line = np.geomspace(x[0], x[-1], 50)
        ax.loglog(line, (fit["latency"] + line / fit["bandwidth"]) * 1e3, "-", color="0.5", lw=1)
    ax.set_xlabel("message size (bytes)")
    ax.set_ylabel("ms per all-reduce, 2 processes")
    ax.set_title("All-reduce on this machine (lines: latency + size / bandwidth)")
    ax.legend()
    return fig


def projection_assumptions() -> Prose:
    """The projection's assumed latency, and what its last column means."""
    share = f"{100 * paper.TARGET_SHARE:.0f}%"
    return Prose(
        f"The latency assumed per message between machines is "
        f"{1e6 * paper.LINK_LATENCY:g} µs. The last column is the global batch at which the "
        f"all-reduce would take {share} of a step: below it, the all-reduce takes more than "
        f"{share} of a step."
    )


def projection_table(record: dict, batch: int = 64) -> Table:
    """The projection's rows: a step on N machines, and the batch that keeps comms small."""
    return Table(
        ["engine's compute", "link", "machines", "compute ms / step", "all-reduce ms / step",
         "share of the step", f"batch for a {100 * paper.TARGET_SHARE:.0f}% share"],
        [
            [ENGINE_NAMES[r["engine"]], r["link"], r["machines"], f"{1e3 * r['compute']:.3f}",
             f"{1e3 * r['comm']:.3f}", f"{100 * r['share']:.0f}%", f"{r['batch']:,.0f}"]
            for r in paper.projection(record, batch)
        ],
    )  # fmt: skip
