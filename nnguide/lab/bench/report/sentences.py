"""The sentences of a benchmark record, each a :class:`~nnguide.lab.tables.Prose` paragraph."""

from __future__ import annotations

from nnguide.lab import stats
from nnguide.lab.bench.ceiling import N_TRAIN, epoch_flops
from nnguide.lab.bench.harness import PEAK_SIZE
from nnguide.lab.bench.record import ceiling_of, find, profile_parts, series
from nnguide.lab.bench.report.words import name, rounds_text, threads_text, verdict_text
from nnguide.lab.bench.verdicts import Key, verdicts
from nnguide.lab.tables import Prose


def provenance(record: dict) -> Prose:
    """Where and when the record was measured, and how long it took."""
    p, s = record["provenance"], record["settings"]
    env, cores = p["environment"], p["cores"]
    counts = " and ".join(map(str, s["thread_counts"]))
    # The cores it may run on (its CPU affinity), and any container limit on CPU time.
    quota = (
        f"its container capped its CPU time at {cores['cgroup_quota']:g} cores"
        if cores["cgroup_quota"]
        else "no container capped its CPU time"
    )
    if cores["affinity"] is not None:
        quota = f"the operating system let it run on {cores['affinity']} of them; {quota}"
    return Prose(
        f"Measured on **{env['date']}** on {env['cpu']}, {cores['os_cpu_count']} cores, of "
        f"which the process could use **{cores['usable']}** ({quota}); thread counts tried: "
        f"{counts}. The "
        f"budgeted measurements took {p['measured_seconds']:.0f} s of a "
        f"{s['budget_seconds']:.0f} s budget; with the profiles and the products' throughput, "
        f"which the budget leaves out, the run took {p['elapsed_seconds']:.0f} s."
    )


def method(record: dict) -> Prose:
    """How the rounds were taken: the rules the harness applied to this record."""
    s = record["settings"]
    return Prose(
        f"Rounds continue until every row's interval is narrower than "
        f"{100 * s['noise_threshold']:.0f}% of its median (after at least "
        f"{rounds_text(s['min_rounds'])}, the fewest that give a "
        f"{100 * s['confidence']:.0f}% interval), for at most {rounds_text(s['max_rounds'])}, "
        "or until the next round would overrun the measurement's budget."
    )


def headline(record: dict) -> Prose:
    """The three rows' verdicts at each batch size, in sentences."""
    found, sentences = verdicts(record), []
    for bs in record["settings"]["main_sizes"]:
        for key in (Key("plain", "torch", bs), Key("tuned", "plain", bs)):
            sentences.append(f"At batch {bs}: {verdict_text(record, found[key])}")
    return Prose(" ".join(sentences))


def ceiling_text(record: dict, batch_size: int = 64) -> Prose:
    """The ceiling at ``batch_size``: the epoch's GFLOP, the peak, the bound, the shapes."""
    sizes = record["settings"]["sizes"]
    flops = epoch_flops(sizes) / 1e9
    bound = ceiling_of(record, find(record, "plain", batch_size)).interval
    shapes = [s for s in record["shapes"] if s["batch_size"] == batch_size]
    own = " and ".join(
        f"{s['gflops']:.0f} GFLOP/s ({s['m']} x {s['k']} by {s['k']} x {s['n']})" for s in shapes
    )
    return Prose(
        f"An epoch's matrix products cost {flops:.1f} GFLOP. The peak throughput of "
        f"{PEAK_SIZE} x {PEAK_SIZE} products was {flops / bound.median:.0f} GFLOP/s (interval "
        f"{flops / bound.high:.0f} to {flops / bound.low:.0f}), which puts the lower bound on "
        f"an epoch at {bound.format()} s. At batch {batch_size} the first layer's own products "
        f"ran at {own}, each the best of several short tries on every thread count."
    )


def profile_text(record: dict) -> Prose:
    """What the plain profile says: the first layer's products and the update."""
    parts = profile_parts(record, "plain")
    total = sum(r["seconds"] for r in parts)
    first = [r for r in parts if r["layer"] == 0]
    first_seconds = sum(r["seconds"] for r in first)
    update = sum(r["seconds"] for r in parts if r["part"] == "update")
    shape = first[0]["shape"]
    share = epoch_flops(shape) / epoch_flops(record["settings"]["sizes"])
    bound = ceiling_of(record, find(record, "plain", 64)).interval
    table = find(record, "plain", 64).interval
    return Prose(
        f"The profiled epoch took {total:.2f} s on {threads_text(parts[0]['threads'])}, against "
        f"{table.format(2)} s in the table (the timers cost a little, and the two ran at "
        f"different moments). The first layer's two matrix products are {100 * share:.0f}% of "
        f"the epoch's arithmetic and take {first_seconds:.2f} s, "
        f"{100 * first_seconds / total:.0f}% of the epoch; at the ceiling's throughput they "
        f"would take {bound.median * share:.2f} s. The update takes {update:.2f} s "
        f"({100 * update / total:.0f}%): every step it reads and writes the first layer's "
        f"weights, their gradient and their velocity, {shape[0] * shape[1]:,} numbers each. "
        f"The other parts take {total - first_seconds - update:.2f} s."
    )


def tuned_profile_text(record: dict) -> Prose:
    """The tuned profile against the plain one, and what its products alone would cost."""
    plain, tuned = profile_parts(record, "plain"), profile_parts(record, "tuned")

    def part(rows, key):
        return sum(r["seconds"] for r in rows if r["part"] == key and r["layer"] is None)

    shapes = [s for s in record["shapes"] if s["batch_size"] == 64]
    per_product = [2 * s["m"] * s["k"] * s["n"] * (N_TRAIN / s["batch_size"]) / 1e9 for s in shapes]
    alone = sum(g / s["gflops"] for g, s in zip(per_product, shapes))
    bound = ceiling_of(record, find(record, "tuned", 64)).interval
    total = sum(r["seconds"] for r in tuned)
    return Prose(
        f"The tuned epoch took {total:.2f} s in the profile, on "
        f"{threads_text(tuned[0]['threads'])}. Its update takes {part(tuned, 'update'):.2f} s "
        f"against the plain network's {part(plain, 'update'):.2f} s, and batching "
        f"{part(tuned, 'batching'):.2f} s against {part(plain, 'batching'):.2f} s. The two "
        f"products of the first layer alone, at the throughput this machine reached for their "
        f"shapes at batch 64, take {alone:.2f} s an epoch: even if nothing else took any time, "
        f"that would be {100 * bound.median / alone:.0f}% of the ceiling, whose "
        f"{bound.median:.2f} s assume the throughput of large products."
    )


GROUPS = {
    "main": "main rows",
    "others": "other contenders",
    "compile": "torch.compile",
    "batch_size": "batch-size sweep",
    "hidden": "hidden-width sweep",
}


def budget_notes(record: dict) -> Prose:
    """One sentence per measurement that the budget cut short or whose slices it shrank."""
    notes = []
    for m in record["measurements"]:
        rows = [s for s in series(record) if s.measurement["id"] == m["id"]]
        what = []
        if any(s.shrunk for s in rows):
            what.append("slices shrunk to fit it")
        if m["cut_short"]:
            what.append(
                f"stopped after {rounds_text(len(m['round_starts']))}, before the rows were steady"
            )
        if what:
            title = GROUPS[m["group"]]
            if m["group"] in ("main", "others"):
                title += f", batch {rows[0].batch_size}"
            notes.append(
                f"{title[0].upper()}{title[1:]}: a budget of "
                f"{m['budget_seconds']:.0f} s, {' and '.join(what)}."
            )
    if not notes:
        return Prose(
            "Nothing: every measurement reached steady rows within its budget, on full slices."
        )
    return Prose(" ".join(notes))


def speed_claims(record: dict, batch_size: int = 64) -> dict[str, tuple[str, str]]:
    """The claims page's two speed rows: each claim's verdict and its evidence.

    Returns
    -------
    dict
        ``"slower"`` ("the from-scratch version is generally slower due to
        Python loops") and ``"backend"`` ("PyTorch is significantly faster due
        to its optimized backend"), each ``(verdict, evidence)`` in Markdown.
    """
    found = verdicts(record)
    v = found[Key("plain", "torch", batch_size)]
    loop = found.get(Key("per_example", "plain", batch_size, group="others"))
    evidence = (
        f"seconds per epoch at batch {batch_size}, median [{100 * stats.CONFIDENCE:.0f}% "
        f"interval]: {name(record, v.a)} {v.a.interval.format(2)}, {name(record, v.b)} "
        f"{v.b.interval.format(2)}; the first's time over the second's, round by round: "
        f"{v.ratio.format(2)}"
    )
    if loop is None:
        loop_text = "The per-example loop was not measured beside it on this build."
    elif loop.kind == "slower":
        loop_text = (
            f"A per-example loop is what is slow: it takes {loop.ratio.median:.1f}x the "
            "vectorized network's time."
        )
        evidence += f"; the per-example loop took {loop.ratio.format(1, suffix='x')} its time"
    else:
        loop_text = "Whether a per-example loop is slower was inconclusive on this build."
    said = verdict_text(record, v)
    if v.kind == "faster":
        slower = "**False** for a vectorized NumPy network, which needs no Python loop over "
        slower += f"examples: {said} {loop_text}"
        backend = f"**False** at this size on this build: {said}"
    elif v.kind == "slower":
        slower = "**True** here, though not because of Python loops: the NumPy network is "
        slower += f"vectorized. {said} {loop_text}"
        backend = (
            f"**True** that it is faster, at this size on this build: {said} Whether its "
            "backend is the cause is not what this ratio measures; the speed pages' profile "
            "and ceiling show where each epoch's time goes."
        )
    else:
        slower = f"**Inconclusive** on this build for the vectorized network. {said} {loop_text}"
        backend = f"**Inconclusive** on this build. {said}"
    return {"slower": (slower, evidence), "backend": (backend, evidence)}
