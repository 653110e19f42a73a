"""Verdicts as data: each comparison a site states, under a stable key.

A verdict is a small record: the two series compared, the ratio of their
times round by round with its interval, its kind ("faster", "slower" or
"inconclusive", from :func:`nnguide.lab.stats.judge`) and, when
inconclusive, its reason. Pages look verdicts up by key, for example
``Key("plain", "torch", 64)``: the plain network against PyTorch eager at
batch 64, each on its chosen thread count. Words come from
:mod:`nnguide.lab.bench.report`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from nnguide.lab import stats
from nnguide.lab.bench.record import (
    Series,
    find,
    fraction_of_ceiling,
    ratio,
    roles,
    series,
)


class Key(NamedTuple):
    """What a verdict compares: ``a`` against ``b`` (roles), at a setting.

    ``a_threads`` and ``b_threads`` are None for each side's chosen count;
    ``group`` names the measurement ("main", "others", "compile",
    "batch_size" or "hidden").
    """

    a: str
    b: str
    batch_size: int
    hidden: int = 128
    a_threads: int | None = None
    b_threads: int | None = None
    group: str = "main"


@dataclass(frozen=True)
class Verdict:
    """``a``'s time over ``b``'s, round by round, and what it says."""

    key: Key
    a: Series
    b: Series
    ratio: stats.Interval
    kind: str
    reason: str


def compare(key: Key, a: Series, b: Series) -> Verdict:
    """The verdict of ``a`` against ``b`` (measured together), under ``key``."""
    r = ratio(a, b)
    kind, reason = stats.judge(r)
    return Verdict(key, a, b, r, kind, reason)


def verdicts(record: dict) -> dict[Key, Verdict]:
    """Every comparison the record supports, by key.

    At each main batch size: plain against PyTorch and tuned against plain,
    each on its chosen count and on every equal count, and each main
    contender's chosen count against each other count; each other contender
    against its reference in the same rounds; and both sweeps, plain against
    PyTorch at every setting.
    """
    out: dict[Key, Verdict] = {}
    counts = record["settings"]["thread_counts"]
    sizes = sorted({row["batch_size"] for row in record["chosen_threads"]})
    for bs in sizes:
        for a, b in (("plain", "torch"), ("tuned", "plain")):
            key = Key(a, b, bs)
            out[key] = compare(key, find(record, a, bs), find(record, b, bs))
            for t in counts if len(counts) > 1 else []:
                key = Key(a, b, bs, a_threads=t, b_threads=t)
                out[key] = compare(key, find(record, a, bs, t), find(record, b, bs, t))
        for role in ("plain", "tuned", "torch"):
            best = find(record, role, bs)
            for t in counts:
                if t != best.threads:
                    key = Key(role, role, bs, b_threads=t)
                    out[key] = compare(key, best, find(record, role, bs, t))
    role_of = {key: role for role, key in roles(record).items()}
    references = {c["key"]: c["reference"] for c in record["contenders"]}
    for group in ("others", "compile"):
        rows = series(record, group)
        for a in rows:
            reference = roles(record).get(references.get(a.contender))
            for b in rows:
                if b.contender == reference and b.batch_size == a.batch_size and a is not b:
                    key = Key(role_of[a.contender], role_of[b.contender], a.batch_size, group=group)
                    out[key] = compare(key, a, b)
    for group in ("batch_size", "hidden"):
        by = {(role_of[s.contender], s.batch_size, s.hidden): s for s in series(record, group)}
        for (role, bs, width), a in by.items():
            if role == "plain" and ("torch", bs, width) in by:
                key = Key("plain", "torch", bs, width, group=group)
                out[key] = compare(key, a, by["torch", bs, width])
    return out


#: The speed targets of the guide, the tuned network's least fraction of the
#: matrix-multiply ceiling, by batch size.
TUNED_TARGETS = {64: 0.40, 256: 0.55}


@dataclass(frozen=True)
class Target:
    """One speed target and whether this record meets it.

    ``kind`` is "faster" (the plain network faster than PyTorch eager at
    ``batch_size``) or "ceiling" (the tuned network at ``goal`` of the
    ceiling or more); ``status`` "met", "not met" or "inconclusive";
    ``verdict`` or ``fraction`` is the evidence.
    """

    kind: str
    batch_size: int
    status: str
    goal: float | None = None
    verdict: Verdict | None = None
    fraction: stats.Interval | None = None


def targets(record: dict) -> list[Target]:
    """Whether the record meets the speed targets.

    The plain network must be faster than PyTorch eager (the ratio's interval
    below 1), and the tuned network must reach :data:`TUNED_TARGETS` of the
    ceiling (met when the interval's low end reaches it, not met when its
    high end falls short, inconclusive otherwise).
    """
    found, out = verdicts(record), []
    for bs in sorted({row["batch_size"] for row in record["chosen_threads"]}):
        v = found[Key("plain", "torch", bs)]
        status = {"faster": "met", "slower": "not met"}.get(v.kind, "inconclusive")
        out.append(Target("faster", bs, status, verdict=v))
        goal = TUNED_TARGETS.get(bs)
        fraction = fraction_of_ceiling(record, find(record, "tuned", bs))
        if goal is None or fraction is None:
            continue
        if not fraction.enough_rounds:
            status = "inconclusive"
        elif fraction.low >= goal:
            status = "met"
        elif fraction.high < goal:
            status = "not met"
        else:
            status = "inconclusive"
        out.append(Target("ceiling", bs, status, goal=goal, fraction=fraction))
    return out
