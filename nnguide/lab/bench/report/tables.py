"""The tables of a benchmark record, each a :class:`~nnguide.lab.tables.Table`."""

from __future__ import annotations

from nnguide.lab.bench.ceiling import N_TRAIN
from nnguide.lab.bench.record import find, fraction_of_ceiling, labels, profile_parts, ratio, series
from nnguide.lab.bench.report.words import (
    SKIPPED,
    TIME,
    _batching,
    _notes,
    _percent,
    _rounds,
    _threads,
    name,
    on_text,
    verdict_text,
)
from nnguide.lab.bench.verdicts import Key, targets, verdicts
from nnguide.lab.tables import Prose, Table, markdown_table


def speed_table(record: dict) -> Table:
    """The three main rows on their chosen counts at each batch size, with the
    fractions of the ceiling and the ratios that compare them round by round."""
    rows = []
    for bs in record["settings"]["main_sizes"]:
        plain, tuned, torch = (find(record, role, bs) for role in ("plain", "tuned", "torch"))
        versus = {
            "plain": "",
            "tuned": f"tuned / plain time: {ratio(tuned, plain).format(2)}",
            "torch": f"plain / PyTorch time: {ratio(plain, torch).format(2)}",
        }
        for role, s in (("plain", plain), ("tuned", tuned), ("torch", torch)):
            rows.append([name(record, s, with_threads=False), bs, s.threads, s.interval.format()])
            rows[-1] += [_percent(fraction_of_ceiling(record, s)), versus[role], _rounds(s)]
    header = ["contender", "batch", "threads", TIME, "of the ceiling"]
    return Table(header + ["ratio, round by round [interval]", "rounds"], rows)


def results_table(record: dict) -> Table:
    """Every thread count of each main contender, and the ceiling, at each batch size."""
    rows = []
    for s in series(record, "main"):
        fraction = _percent(fraction_of_ceiling(record, s))
        rows.append([name(record, s, with_threads=False), s.batch_size, _threads(record, s)])
        rows[-1] += [s.interval.format(), f"{N_TRAIN / s.median:,.0f}", _batching(s), fraction]
        rows[-1] += [_rounds(s), _notes(record, s)]
    header = ["contender", "batch", "threads", TIME, "images / s", "of which batching, s"]
    return Table(header + ["of the ceiling", "rounds", "note"], rows)


def others_table(record: dict) -> Table:
    """Every other contender, next to its reference, and what was left out and why."""
    rows = []
    for group in ("others", "compile"):
        for s in series(record, group):
            rows.append([name(record, s, with_threads=False), s.batch_size, _threads(record, s)])
            rows[-1] += [s.interval.format(), _batching(s), _rounds(s), _notes(record, s)]
    known = labels(record)
    for skip in record["skipped"]:
        if skip["contender"] in known:
            label = known[skip["contender"]]
            rows.append([label, "", "", "not measured", "", "", SKIPPED[skip["reason"]]])
    header = ["contender", "batch", "threads", TIME, "of which batching, s", "rounds", "note"]
    return Table(header, rows)


def verdict_table(record: dict, group: str = "main") -> Table:
    """Every verdict of a group of measurements (:func:`~nnguide.lab.bench.verdicts.verdicts`)."""
    rows = [
        [name(record, v.a), name(record, v.b), k.batch_size, on_text(k), v.ratio.format(2), v.kind]
        for k, v in verdicts(record).items()
        if k.group == group or (group == "others" and k.group == "compile")
    ]
    header = ["contender", "against", "batch", "threads", "time ratio [interval]", "verdict"]
    return Table(header, rows)


def gain_table(record: dict, lines: str) -> Table:
    """The tuned network's time over the plain one's at each batch size, with ``lines``
    (the lines of code shown for each)."""
    found = verdicts(record)
    rows = []
    for bs in record["settings"]["main_sizes"]:
        v = found[Key("tuned", "plain", bs)]
        rows.append([bs, v.ratio.format(2), v.kind, lines])
    header = [
        "batch",
        "tuned / plain time [interval]",
        "verdict",
        "lines shown, tuned against plain",
    ]
    return Table(header, rows)


def targets_table(record: dict) -> Table:
    """Each speed target, whether this record meets it, and the evidence."""
    rows = []
    for t in targets(record):
        if t.kind == "faster":
            what = f"plain faster than PyTorch eager at batch {t.batch_size}"
            evidence = verdict_text(record, t.verdict)
        else:
            what = f"tuned at {100 * t.goal:.0f}% of the ceiling at batch {t.batch_size}"
            evidence = f"{_percent(t.fraction)} of the ceiling"
        rows.append([what, t.status, evidence])
    return Table(["target", "on this build", "evidence"], rows)


PARTS = {
    "plain": {
        "batching": "batching: gathering the batch's rows",
        "update": "update: SGD with momentum, parameter by parameter",
        "rest": "the remainder: the epoch less the parts timed above",
    },
    "tuned": {
        "batching": "batching: gathering into the reused buffer",
        "forward": "forward: x W1, sigmoid, logits, into buffers",
        "loss_gradient": "softmax cross-entropy's gradient",
        "backward": "backward: x.T dh, the small products, bias sums",
        "update": "update: two axpy over the flat buffers",
        "rest": "the remainder: the epoch less the parts timed above",
    },
}


def part_label(row: dict) -> str:
    """What a reader sees for one part of a profile."""
    if row["layer"] is None:
        return PARTS[row["network"]].get(row["part"], row["part"])
    shape = f" {row['shape'][0]}x{row['shape'][1]}" if row["shape"] else ""
    return f"{row['layer_type']}{shape}, {row['part']}"


def profile_table(record: dict, network: str = "plain") -> Table:
    """Where the ``network``'s epoch goes ("plain" or "tuned"), part by part."""
    parts = profile_parts(record, network)
    total = sum(row["seconds"] for row in parts)
    rows = [
        [part_label(r), f"{r['seconds']:.3f}", f"{100 * r['seconds'] / total:.0f}%"] for r in parts
    ]
    rows.append(["the whole epoch", f"{total:.3f}", "100%"])
    return Table(["part of the step", "s / epoch", "share"], rows)


SWEEPS = {"batch_size": "batch size", "hidden": "hidden units"}


def sweep_table(record: dict, sweep: str) -> Table | Prose:
    """PyTorch's time over the plain network's at each setting of a sweep
    ("batch_size" or "hidden"), or why the sweep was not run."""
    found = [v for k, v in verdicts(record).items() if k.group == sweep]
    if not found:
        why = [s["reason"] for s in record["skipped"] if s["contender"] == "sweeps"]
        return Prose(f"Not run on this build: {SKIPPED[why[0]] if why else 'no record of it'}.")
    rows = []
    for v in sorted(found, key=lambda v: getattr(v.key, sweep)):
        r = ratio(v.b, v.a)
        rows.append([getattr(v.key, sweep), v.a.interval.format(), v.b.interval.format()])
        rows[-1] += [r.format(2), v.kind, _rounds(v.a)]
    header = [SWEEPS[sweep], "plain, s / epoch", "PyTorch, s / epoch", "PyTorch / plain time"]
    return Table(header + ["plain network", "rounds"], rows)


def compare_records(records: dict[str, dict]) -> str:
    """Median seconds per epoch of each main series in several records, side by side.

    Parameters
    ----------
    records : dict
        A label for each record (a machine, a date) to the record itself.

    Notes
    -----
    Series are matched by role, batch size and threads, since records of
    other versions may word their labels otherwise. Each row shows the label
    of the first record that has it.
    """
    medians, shown = {}, {}
    for title, r in records.items():
        role_of = {c["key"]: c["role"] for c in r["contenders"]}
        medians[title] = {}
        for s in series(r, "main"):
            role = role_of[s.contender]
            medians[title][role, s.batch_size, s.threads] = s.interval
            shown.setdefault(role, labels(r)[s.contender])
    keys = list(dict.fromkeys(k for m in medians.values() for k in m))
    rows = [
        [shown[role], bs, "n/a" if t is None else t]
        + [m[role, bs, t].format() if (role, bs, t) in m else "" for m in medians.values()]
        for role, bs, t in keys
    ]
    return markdown_table(["contender", "batch", "threads", *records], rows)
