"""A page's own measurement of a few contenders, and the ranking its verdicts allow.

A page that compares a few ways of training (page 10: hand-written
backpropagation, the autograd engine, PyTorch) times them with the harness,
in interleaved rounds within a budget, as the speed page does
(:func:`nnguide.lab.bench.harness.measure`). :func:`measure_ranked` keeps the
result as a small record that :mod:`nnguide.lab.bench.record` and the
report's words read. :func:`ranking_text` orders the contenders by their
median time and says of each next one what the interval of its ratio to the
one before allows (:func:`nnguide.lab.stats.judge`): slower by how much, or
not told apart.
"""

from __future__ import annotations

from nnguide.lab.bench.harness import measure
from nnguide.lab.bench.record import Series, series
from nnguide.lab.bench.report.words import name, reason_text, rounds_text, verdict_text
from nnguide.lab.bench.verdicts import Key, Verdict, compare


def measure_ranked(table, x, y, *, batch_size: int, budget: float, machine=None) -> dict:
    """Time ``table`` (a list of contenders) in interleaved rounds within ``budget`` seconds.

    ``machine`` is the harness's (:class:`nnguide.lab.bench.harness.Machine`; tests pass a fake).

    Returns
    -------
    dict
        A record with ``contenders`` (key and label of each), ``measurements``
        and ``rounds``, which :func:`nnguide.lab.bench.record.series` reads.
    """
    result = measure(
        table, x, y, batch_size=batch_size, budget=budget, group="ranking", machine=machine
    )
    contenders = [
        dict(key=c.key, role=c.role or c.key, label=c.label, library=c.library, reference=None)
        for c in table
    ]
    return {
        "contenders": contenders,
        "measurements": [result["measurement"]],
        "rounds": result["rows"],
    }


def ranked(record: dict) -> list[Series]:
    """The record's series, fastest first by their median time."""
    return sorted(series(record), key=lambda s: s.median)


def steps(record: dict) -> list[Verdict]:
    """Each series against the one ranked just before it (its time over that one's)."""
    order = ranked(record)
    return [
        compare(Key(slower.contender, faster.contender, slower.batch_size), slower, faster)
        for faster, slower in zip(order, order[1:])
    ]


def versus(record: dict, a: str, b: str) -> Verdict:
    """The verdict of contender ``a`` against ``b`` (keys), ranked next to each other or not."""
    found = {s.contender: s for s in series(record)}
    return compare(Key(a, b, found[a].batch_size), found[a], found[b])


def ranking_text(record: dict) -> str:
    """The ranking in one sentence, each step as its verdict says.

    Examples: "Fastest first: A; then B, taking 1.50x [1.40x, 1.62x] the time of
    A; then C, not told apart from B: ..." A factor is the median of the rounds'
    own ratios, which the sentence says, since it may differ from the ratio of
    the two medians.
    """
    order = ranked(record)
    parts = [name(record, order[0], with_threads=False)]
    factors = False
    for v in steps(record):
        slower, faster = (name(record, s, with_threads=False) for s in (v.a, v.b))
        r = v.ratio
        if v.kind == "slower":
            factors = True
            parts.append(
                f"then {slower}, taking {r.median:.2f}x [{r.low:.2f}x, {r.high:.2f}x] the time "
                f"of {faster}"
            )
        elif v.kind == "inconclusive":
            parts.append(f"then {slower}, not told apart from {faster}: {reason_text(r, v.reason)}")
        else:  # its median time is higher, yet its rounds find it faster: say so as it is
            parts.append(f"then {slower} ({verdict_text(record, v).rstrip('.')})")
    rounds = rounds_text(order[0].rounds)
    text = f"Fastest first, by the median of {rounds}: " + "; ".join(parts) + "."
    if factors:
        text += (
            " Each factor is the median of the rounds' own ratios (a round times both), so it "
            "can differ from the ratio of the two medians."
        )
    return text
