"""A page's own ranking: contenders ordered by median, each step as its interval allows."""

import pytest
from bench_records import measured, timed

from nnguide.lab.bench.contenders import Contender
from nnguide.lab.bench.harness import Machine
from nnguide.lab.bench.ranking import measure_ranked, ranked, ranking_text, versus

LABELS = {"hand": "hand-written", "engine": "the engine", "torch": "PyTorch"}


def record(times: dict[str, list[float]]) -> dict:
    description, rows = measured(0, "ranking", *(timed(k, t) for k, t in times.items()))
    contenders = [dict(key=k, role=k, label=LABELS[k], reference=None) for k in times]
    return {"contenders": contenders, "measurements": [description], "rounds": rows}


def test_clearly_apart_each_step_says_how_much_slower():
    r = record(
        {
            "engine": [2.0, 2.1, 1.9, 2.0, 2.2],
            "hand": [1.0, 1.0, 1.0, 1.0, 1.0],
            "torch": [0.5, 0.5, 0.5, 0.5, 0.5],
        }
    )
    assert [s.contender for s in ranked(r)] == ["torch", "hand", "engine"]
    assert ranking_text(r) == (
        "Fastest first, by the median of 5 rounds: PyTorch; then hand-written, "
        "taking 2.00x [2.00x, 2.00x] the time of PyTorch; then the engine, "
        "taking 2.00x [1.90x, 2.20x] the time of hand-written. Each factor is the median of "
        "the rounds' own ratios (a round times both), so it can differ from the ratio of the "
        "two medians."
    )


def test_overlapping_rounds_are_not_told_apart():
    r = record({"hand": [1.0, 1.1, 0.9, 1.0, 1.05], "engine": [1.02, 1.0, 1.0, 1.03, 0.98]})
    text = ranking_text(r)
    assert "not told apart from" in text and "contains 1" in text, text
    assert "the time of" not in text and "Each factor" not in text, text


def test_too_few_rounds_rank_nothing():
    r = record({"hand": [1.0, 1.0], "engine": [3.0, 3.0]})
    assert "not told apart" in ranking_text(r) and "too few" in ranking_text(r)
    assert versus(r, "engine", "hand").kind == "inconclusive"


def test_versus_compares_any_two():
    r = record({"engine": [2.0] * 5, "hand": [1.0] * 5, "torch": [1.5] * 5})
    v = versus(r, "engine", "hand")
    assert (v.kind, v.ratio.median) == ("slower", pytest.approx(2.0))


def test_measure_ranked_keeps_a_record_the_report_reads():
    clock = [0.0]

    def make(cost):
        def factory(x, y, hidden, batch_size):
            def run(epoch, n_batches):
                clock[0] += cost * n_batches
                return None

            return run

        return factory

    machine = Machine(
        clock=lambda: clock[0],
        sleep=lambda s: clock.__setitem__(0, clock[0] + s),
        set_threads=lambda library, count: None,
    )
    table = [
        Contender("hand", make(0.001), label="hand-written", library="numpy"),
        Contender("engine", make(0.003), label="the engine", library="numpy"),
    ]
    x, y = [[0.0]] * 640, [0] * 640
    r = measure_ranked(table, x, y, batch_size=64, budget=60.0, machine=machine)
    assert [s.contender for s in ranked(r)] == ["hand", "engine"]
    said = "then the engine, taking 3.00x [3.00x, 3.00x] the time of hand-written"
    assert said in ranking_text(r)
