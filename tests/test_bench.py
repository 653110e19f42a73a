"""The benchmark (nnguide.lab.bench): its harness, its record, its verdicts and its report.

No test asserts a timing. The harness runs on a fake machine (its clock,
pauses and thread settings) where a test needs to know how long things took;
records are made by hand (tests/bench_records.py) with numbers worked out
by hand; the two slow tests that time real work check verdicts and the
record's own account of its budget, never a duration.
"""

import copy
import json
import os
import random
import string
import subprocess
import sys

import numpy as np
import pytest
from bench_records import CHOSEN, LABELS, fake_record, measured, timed

from nnguide.cli import main
from nnguide.lab import stats
from nnguide.lab.bench import ceiling, figures, harness, load_record, report, save_record
from nnguide.lab.bench.contenders import MAIN, Contender, contenders
from nnguide.lab.bench.profile import profile_plain, profile_tuned
from nnguide.lab.bench.record import (
    FORMAT,
    choose,
    chosen_threads,
    find,
    fraction_of_ceiling,
    ratio,
    series,
)
from nnguide.lab.bench.verdicts import TUNED_TARGETS, Key, targets, verdicts
from nnguide.lab.threads import get_threads, usable_cores

CEILING = harness.CEILING

# -- The ceiling --------------------------------------------------------------------------------


def test_epoch_flops_counts_forward_and_backward_products():
    # 784-128-10 on 60,000 images: forward 2*(784*128 + 128*10), backward the weight
    # gradients of both layers plus the hidden layer's input gradient, per image.
    per_image = 2 * (784 * 128 + 128 * 10) + 2 * (784 * 128 + 128 * 10) + 2 * 128 * 10
    assert ceiling.epoch_flops((784, 128, 10)) == per_image * 60_000
    assert ceiling.epoch_flops((784, 128, 10), n=1) == 2 * 128 * 1598
    # One more layer adds its three products.
    assert ceiling.epoch_flops((784, 128, 64, 10), n=1) == 2 * (
        2 * 784 * 128 + 3 * 128 * 64 + 3 * 64 * 10
    )


def test_matmul_gflops_is_positive():
    assert ceiling.matmul_gflops(64, 64, 64, seconds=0.01) > 0


def test_shape_throughput_takes_the_best_try_over_thread_counts():
    before = get_threads()["numpy"]
    other = 1 if before != 1 else 2
    calls = []
    speeds = iter(range(1, 100))  # each try faster than the last

    def gflops(m, k, n, *, seconds):
        calls.append(((m, k, n), get_threads()["numpy"]))
        return float(next(speeds))

    products = ceiling.shape_throughput(batch_size=32, counts=[other, before], gflops=gflops)
    # Five tries per product per count, each on the count being tried; then the count before.
    forward, gradient = (32, 784, 128), (784, 32, 128)
    tries = [forward] * ceiling.TRIES + [gradient] * ceiling.TRIES
    assert calls == [(s, other) for s in tries] + [(s, before) for s in tries]
    assert get_threads()["numpy"] == before
    # The best is the last try of each product, on the second count.
    assert products == [
        dict(batch_size=32, product="forward", m=32, k=784, n=128, gflops=15.0),
        dict(batch_size=32, product="weight_gradient", m=784, k=32, n=128, gflops=20.0),
    ]


# -- The harness, on a fake machine -------------------------------------------------------------


class FakeMachine:
    """A clock that only contenders advance; pauses and thread settings noted in ``events``."""

    def __init__(self, peaks=()):
        self.now, self.events, self.peaks = 0.0, [], iter(peaks)
        self.machine = harness.Machine(
            clock=lambda: self.now,
            sleep=lambda seconds: self.events.append("pause"),
            set_threads=lambda library, count: self.events.append(f"{library}:{count}"),
            peak_gflops=lambda seconds: next(self.peaks),
        )


def fake(key, m, calls=None, *, per_batch=0.0, per_call=0.0, data=None, cost=None, **fields):
    """A contender whose runs advance ``m``'s clock by ``per_call + per_batch * n_batches``
    (or ``cost(epoch, n_batches)``) and note ``(key, epoch, n_batches)`` in ``calls``."""

    def make(x, y, hidden, batch_size):
        def run(epoch, n_batches):
            if calls is not None:
                calls.append((key, epoch, n_batches))
            m.now += cost(epoch, n_batches) if cost else per_call + per_batch * n_batches
            return data

        return run

    return Contender(key, make, **fields)


def data(n):
    return np.zeros((n, 784), np.float32), np.zeros(n, np.int64)


def as_record(*results, roles=()):
    """What :mod:`nnguide.lab.bench.record` reads of some results of the harness."""
    return {
        "contenders": list(roles),
        "measurements": [r["measurement"] for r in results],
        "rounds": [row for r in results for row in r["rows"]],
    }


def test_measure_interleaves_rounds_and_scales_a_slice_to_a_full_epoch():
    m, calls = FakeMachine(), []
    a = fake("a", m, calls, per_call=0.5, data=0.0, images=500)
    b = fake("b", m, calls, per_call=0.5, compiles=True)
    result = harness.measure(
        [a, b], *data(1000), batch_size=100, min_rounds=3, max_rounds=3, machine=m.machine
    )
    # Each is prepared (first step, a warm-up of at least 4 batches), then the
    # rounds take them in turn, each round on the next epoch's batches.
    assert calls == [
        ("a", 0, 1), ("a", 0, 4), ("b", 0, 1), ("b", 0, 4),
        ("a", 1, 5), ("b", 1, 10), ("a", 2, 5), ("b", 2, 10), ("a", 3, 5), ("b", 3, 10),
    ]  # fmt: skip
    rows = result["rows"]
    assert [(r["contender"], r["round"]) for r in rows] == [
        ("a", 0), ("b", 0), ("a", 1), ("b", 1), ("a", 2), ("b", 2),
    ]  # fmt: skip
    # The rows hold what was timed: 0.5 s on 500 images, 0.5 s on 1,000.
    assert {(r["contender"], r["seconds"], r["images"]) for r in rows} == {
        ("a", 0.5, 500),
        ("b", 0.5, 1000),
    }
    ra, rb = series(as_record(result))
    # Per epoch: 120x for 500 images, 60x for 1,000.
    assert ra.times == [60.0] * 3 and rb.times == [30.0] * 3
    assert ra.images_timed == 500 and ra.extrapolated and not ra.shrunk and ra.rounds == 3
    assert ra.batching == [0.0] * 3 and ra.compile_seconds is None
    assert rb.images_timed == 1000 and rb.batching == [] and rb.compile_seconds == 0.5
    description = result["measurement"]
    assert description["stop_reason"] == "max rounds" and not description["cut_short"]
    assert description["round_starts"] == [2.0, 3.0, 4.0] and len(description["round_seconds"]) == 3


def test_measure_stops_when_the_rows_are_steady():
    m = FakeMachine()
    result = harness.measure(
        [fake("a", m, per_batch=0.01)], *data(640), max_rounds=15, machine=m.machine
    )
    (s,) = series(as_record(result))
    assert s.rounds == stats.rounds_needed() == 5
    assert result["measurement"]["stop_reason"] == "steady" and not s.cut_short and not s.shrunk


def test_measure_shrinks_its_slices_and_stops_when_the_budget_is_spent():
    # Two contenders of 100 batches at 0.1 s each: 20 s a round, in a budget of 30 s.
    m = FakeMachine()
    table = [fake(key, m, per_batch=0.1) for key in "ab"]
    result = harness.measure(
        table, *data(6400), budget=30, noise=-1, max_rounds=100, machine=m.machine
    )
    for s in series(as_record(result)):
        # The slices shrank so that the five rounds an interval needs fit.
        assert s.shrunk and s.images_timed < s.planned_images == 6400
        assert s.rounds >= stats.rounds_needed()
    # It stopped on the budget: no round started once the budget was spent,
    # and the next round would have ended after it.
    description = result["measurement"]
    assert description["stop_reason"] == "budget" and description["cut_short"]
    assert description["budget_seconds"] == 30
    assert all(start < 30 for start in description["round_starts"])
    assert description["stopped_at"] + description["next_round_estimate"] > 30
    assert m.now <= 30


def test_measure_shrinks_again_when_the_rounds_run_slower_than_the_warm_up():
    # The warm-up (epoch 0) predicts 2 s a round; then the machine gets busy and
    # every batch takes four times as long: at 8 s a round, five rounds would
    # not fit 30 s, so the slices shrink after the first round.
    m = FakeMachine()

    def cost(epoch, n_batches):
        return (0.01 if epoch == 0 else 0.04) * n_batches

    table = [fake(key, m, cost=cost) for key in "ab"]
    result = harness.measure(
        table, *data(6400), budget=30, noise=-1, max_rounds=100, machine=m.machine
    )
    for s in series(as_record(result)):
        assert s.rounds >= stats.rounds_needed() and s.shrunk
        assert s.images[0] == 6400 > s.images[1] == s.images[-1]  # full, then shrunk
        assert s.times == pytest.approx([s.times[0]] * s.rounds)  # every time is per epoch
    assert all(start < 30 for start in result["measurement"]["round_starts"])
    assert m.now <= 30


def test_measure_runs_one_round_even_when_setting_up_spent_the_budget():
    m = FakeMachine()
    result = harness.measure(
        [fake("slow", m, per_call=5.0)], *data(640), budget=1.0, machine=m.machine
    )
    (s,) = series(as_record(result))
    assert s.rounds == 1 and s.cut_short and result["measurement"]["stop_reason"] == "budget"
    assert s.images_timed == 4 * 64  # shrunk to the smallest slice
    assert stats.judge(s.interval) == ("inconclusive", "few_rounds")


def test_measure_with_ceiling_adds_rows_measured_every_round():
    m = FakeMachine(peaks=[100.0, 50.0])  # GFLOP/s: the machine halves its speed in round 2
    table = [fake("net", m, per_call=1.0, role="plain")]
    result = harness.measure(
        table,
        *data(100),
        min_rounds=2,
        max_rounds=2,
        with_ceiling=True,
        ceiling_threads=3,
        machine=m.machine,
    )
    flops = ceiling.epoch_flops((784, 128, 10))
    bounds = [r for r in result["rows"] if r["contender"] == CEILING]
    assert [(r["round"], r["threads"]) for r in bounds] == [(0, 3), (1, 3)]
    assert [r["seconds"] for r in bounds] == [flops / 100e9, flops / 50e9]  # an epoch at peak
    roles = [dict(key="net", role="plain"), dict(key=CEILING, role="ceiling")]
    record = as_record(result, roles=roles)
    (net,) = series(record, contender="net")
    # The fraction of the ceiling divides times of the same round.
    fraction = fraction_of_ceiling(record, net)
    expected = sorted(b["seconds"] / t for b, t in zip(bounds, net.times))
    assert (fraction.low, fraction.high) == tuple(expected)


def test_measure_sets_threads_and_pauses_only_where_the_library_changes():
    m = FakeMachine()

    def contender(key, library, threads):
        def make(x, y, hidden, batch_size):
            def run(epoch, n_batches):
                if epoch > 0:
                    m.events.append(key)

            return run

        return Contender(key, make, library=library, threads=threads)

    table = [contender("np1", "numpy", 1), contender("np2", "numpy", 2)]
    table.append(contender("pt", "torch", 1))
    harness.measure(
        table, *data(100), batch_size=100, min_rounds=2, max_rounds=2, machine=m.machine
    )
    preparing = ["pause", "numpy:1", "numpy:2", "pause", "torch:1"]
    one_round = ["pause", "numpy:1", "np1", "numpy:2", "np2", "pause", "torch:1", "pt"]
    assert m.events == preparing + one_round * 2


# -- Profiles -----------------------------------------------------------------------------------


def test_profiles_cover_every_part_of_the_step():
    rng = np.random.default_rng(0)
    x, y = rng.random((640, 784), dtype=np.float32), rng.integers(0, 10, 640)
    plain = profile_plain(x, y, batch_size=64, epochs=1, threads=1)
    assert [report.part_label(row) for row in plain] == [
        "batching: gathering the batch's rows",
        "Linear 784x128, forward",
        "Sigmoid, forward",
        "Linear 128x10, forward",
        "Linear 128x10, backward",
        "Sigmoid, backward",
        "Linear 784x128, backward",
        "update: SGD with momentum, parameter by parameter",
        "the remainder: the epoch less the parts timed above",
    ]
    assert {(row["network"], row["threads"]) for row in plain} == {("plain", 1)}
    assert all(row["seconds"] > 0 for row in plain)
    tuned = profile_tuned(x, y, batch_size=64, epochs=1)
    assert [row["part"] for row in tuned] == [
        "batching",
        "forward",
        "loss_gradient",
        "backward",
        "update",
        "rest",
    ]
    assert all(row["seconds"] > 0 and row["network"] == "tuned" for row in tuned)


# -- The record ---------------------------------------------------------------------------------


def test_record_round_trip(tmp_path):
    path = tmp_path / "a.json"
    save_record(fake_record(), path)
    assert load_record(path) == fake_record()


def one_line_error(path) -> str:
    with pytest.raises(ValueError) as caught:
        load_record(path)
    message = str(caught.value)
    assert "\n" not in message and str(path) in message
    return message


def test_load_record_rejects_other_json_a_truncated_file_and_another_format(tmp_path):
    path = tmp_path / "history.json"
    path.write_text('{"config": {}, "epochs": []}')
    assert "is not a benchmark record: it lacks" in one_line_error(path)
    path.write_text("[1, 2]")
    assert "is not a benchmark record: it holds a list" in one_line_error(path)
    path.write_text('{"kind": "nnguide benchmark", "rounds": [1, 2')
    assert "is not a benchmark record: it is not valid JSON" in one_line_error(path)
    path.write_text(json.dumps(dict(fake_record(), kind="nnguide run")))
    assert "is not a benchmark record: its kind is 'nnguide run'" in one_line_error(path)
    old = tmp_path / "old.json"
    save_record(dict(fake_record(), format=FORMAT - 1), old)
    message = one_line_error(old)
    assert f"is a benchmark record of format {FORMAT - 1}, this nnguide reads format {FORMAT}" in (
        message
    )
    assert "measure it again with `python -m nnguide bench --json" in message


def test_series_scale_each_round_to_an_epoch_and_filter_by_group_and_field():
    description, rows = measured(7, "main", timed("a", [1.0]))
    rows[0].update(seconds=0.5, images=500)  # 0.5 s on 500 images: 60 s an epoch
    (s,) = series({"measurements": [description], "rounds": rows})
    assert s.times == [60.0] and s.images == [500] and s.median == 60.0
    full = fake_record()
    plain = series(full, "main", contender="plain")
    assert [(s.threads, s.times) for s in plain] == [
        (1, [0.30, 0.31, 0.29, 0.30, 0.32]),
        (2, [0.25, 0.26, 0.24, 0.25, 0.27]),
    ]
    assert [s.batch_size for s in series(full, "batch_size", contender="plain")] == [16, 512]
    assert series(full, "main", contender="plain", threads=3) == []
    (slow,) = series(full, contender="per_example")
    assert slow.times == pytest.approx([9.0]) and slow.shrunk and slow.extrapolated


def test_ratio_divides_within_rounds_and_needs_the_same_measurement():
    # A slow second round hits both contenders; the paired ratio is unmoved by it.
    description, rows = measured(
        0, "main", timed("a", [1.0, 2.0, 1.1, 1.0, 1.2]), timed("b", [2.0, 4.0, 2.2, 2.0, 2.4])
    )
    a, b = series({"measurements": [description], "rounds": rows})
    r = ratio(a, b)
    assert r.median == pytest.approx(0.5) and r.relative_width == pytest.approx(0.0)
    assert stats.judge(r) == ("faster", "")
    record = fake_record()
    (main_torch,) = series(record, "main", contender="torch", threads=1)
    (compiled,) = series(record, "compile", contender="compiled")
    with pytest.raises(ValueError, match="not measured together"):
        ratio(compiled, main_torch)


def test_a_thread_count_is_chosen_only_when_it_is_conclusively_faster():
    def candidates(two_threads):
        description, rows = measured(
            0,
            "main",
            timed("a", two_threads, threads=2),
            timed("a", [1.0, 1.1, 0.9, 1.0, 1.05], threads=1),
        )
        return series({"measurements": [description], "rounds": rows})  # 2 threads first

    assert choose(candidates([0.5, 0.55, 0.45, 0.5, 0.52])).threads == 2
    # Faster by its median, but the ratio's interval contains 1: the fewer threads.
    assert choose(candidates([0.8, 1.2, 0.85, 0.95, 1.1])).threads == 1
    with pytest.raises(ValueError, match="no series"):
        choose([])
    # The hand-made record's chosen counts are the ones choose() makes of its rounds.
    record = fake_record()
    for role, threads in CHOSEN.items():
        assert choose(series(record, "main", contender=role)).threads == threads


def test_find_takes_the_chosen_count_unless_told_another():
    record = fake_record()
    assert find(record, "plain", 64).threads == 2 and find(record, "tuned", 64).threads == 1
    assert find(record, "torch", 64, 2).times == [0.90, 0.80, 1.00, 0.70, 0.95]
    assert chosen_threads(record, "torch", 64) == 1
    with pytest.raises(KeyError, match="no series"):
        find(record, "plain", 64, 3)
    with pytest.raises(KeyError, match="no thread count was chosen"):
        find(record, "plain", 256)


def test_fraction_of_ceiling_divides_round_by_round():
    record = fake_record()
    # 0.15/0.25, 0.14/0.26, 0.13/0.24, 0.15/0.25, 0.14/0.27 -> 60%, 54%, 54%, 60%, 52%.
    plain = fraction_of_ceiling(record, find(record, "plain", 64))
    assert plain.format(0, 100, "%") == "54% [52%, 60%]"
    assert plain.median == pytest.approx(0.13 / 0.24)
    bound = series(record, "main", contender="ceiling")[0]
    assert fraction_of_ceiling(record, bound).format(0, 100, "%") == "100% [100%, 100%]"
    (compiled,) = series(record, "compile", contender="compiled")
    assert fraction_of_ceiling(record, compiled) is None  # no ceiling in those rounds


# -- Verdicts -----------------------------------------------------------------------------------


def test_verdicts_compare_each_library_on_its_chosen_count_and_at_equal_counts():
    found = verdicts(fake_record())
    main = [k for k in found if k.group == "main"]
    assert set(main) == {
        Key("plain", "torch", 64),
        Key("plain", "torch", 64, a_threads=1, b_threads=1),
        Key("plain", "torch", 64, a_threads=2, b_threads=2),
        Key("tuned", "plain", 64),
        Key("tuned", "plain", 64, a_threads=1, b_threads=1),
        Key("tuned", "plain", 64, a_threads=2, b_threads=2),
        Key("plain", "plain", 64, b_threads=1),
        Key("tuned", "tuned", 64, b_threads=2),
        Key("torch", "torch", 64, b_threads=2),
    }

    def kind(key):
        return found[key].kind

    chosen = found[Key("plain", "torch", 64)]
    assert (chosen.a.threads, chosen.b.threads) == (2, 1)
    assert chosen.kind == "faster" and chosen.reason == ""  # 0.25 / 0.60 in every round
    assert kind(Key("plain", "torch", 64, a_threads=1, b_threads=1)) == "faster"
    two = found[Key("plain", "torch", 64, a_threads=2, b_threads=2)]
    assert two.kind == "faster" and two.ratio.noisy  # wide, but below 1
    tuned = found[Key("tuned", "plain", 64)]
    assert tuned.kind == "faster" and (tuned.a.threads, tuned.b.threads) == (1, 2)
    assert tuned.ratio.format(2) == "0.80 [0.79, 0.81]"  # 0.20 / 0.25, round by round
    equal = found[Key("tuned", "plain", 64, a_threads=1, b_threads=1)]
    assert equal.kind == "faster" and (equal.a.threads, equal.b.threads) == (1, 1)
    # The tuned network's two counts are within the rounds' scatter.
    counts = found[Key("tuned", "tuned", 64, b_threads=2)]
    assert (counts.a.threads, counts.b.threads) == (1, 2)
    assert (counts.kind, counts.reason) == ("inconclusive", "unresolved")
    assert kind(Key("plain", "plain", 64, b_threads=1)) == "faster"
    assert kind(Key("torch", "torch", 64, b_threads=2)) == "faster"


def test_verdicts_of_the_others_and_the_sweeps():
    found = verdicts(fake_record())
    # Each against its reference in the same rounds; PyTorch is a reference itself.
    others = {k: v for k, v in found.items() if k.group in ("others", "compile")}
    assert list(others) == [
        Key("per_example", "plain", 64, group="others"),
        Key("compiled", "torch", 64, group="compile"),
    ]
    loop = others[Key("per_example", "plain", 64, group="others")]
    assert (loop.kind, loop.reason, loop.ratio.median) == ("inconclusive", "few_rounds", 36.0)
    assert (loop.a.threads, loop.b.threads) == (2, 2)
    compiled = others[Key("compiled", "torch", 64, group="compile")]
    assert (compiled.a.contender, compiled.b.contender, compiled.kind) == (
        "compiled",
        "torch",
        "faster",
    )
    assert compiled.ratio.format(2) == "0.50 [0.47, 0.52]"
    small = found[Key("plain", "torch", 16, group="batch_size")]
    assert small.ratio.median == pytest.approx(1 / 3) and small.kind == "faster"
    large = found[Key("plain", "torch", 512, group="batch_size")]
    assert large.ratio.median == pytest.approx(4 / 3) and large.kind == "slower"
    wide = found[Key("plain", "torch", 64, 1024, group="hidden")]
    assert wide.ratio.median == 2.0 and wide.kind == "slower"
    assert not any(k.group in ("batch_size", "hidden") for k in verdicts(fake_record(sweeps=False)))


def scaled(record, contender, factor):
    """``record`` with ``contender``'s times in the main rows multiplied by ``factor``."""
    for row in record["rounds"]:
        if row["contender"] == contender and row["measurement"] == 0:
            row["seconds"] *= factor
    return record


@pytest.mark.parametrize(
    ("factor", "status"),
    [
        # Tuned (1 thread): 0.15/0.20, 0.14/0.21, 0.13/0.19, 0.15/0.20, 0.14/0.22 of the
        # ceiling: 64% to 75%, above 40%; half of it, 32% to 38%, below; 0.6 of it, across.
        (1.0, "met"),
        (0.5, "not met"),
        (0.6, "inconclusive"),
    ],
)
def test_targets_say_whether_the_record_meets_each(factor, status):
    plain_target, tuned_target = targets(scaled(fake_record(), "ceiling", factor))
    assert (plain_target.kind, plain_target.batch_size, plain_target.status) == (
        "faster",
        64,
        "met",
    )
    assert plain_target.verdict.key == Key("plain", "torch", 64)
    assert (tuned_target.kind, tuned_target.goal, tuned_target.status) == (
        "ceiling",
        TUNED_TARGETS[64],
        status,
    )


# -- The report: words --------------------------------------------------------------------------


def test_words_of_counts_and_thread_settings():
    assert [report.threads_text(n) for n in (1, 2)] == ["1 thread", "2 threads"]
    assert [report.rounds_text(n) for n in (1, 5)] == ["1 round", "5 rounds"]
    assert report.on_text(Key("plain", "torch", 64)) == "each on its chosen count"
    assert (
        report.on_text(Key("plain", "torch", 64, a_threads=2, b_threads=2)) == "both on 2 threads"
    )
    assert (
        report.on_text(Key("tuned", "tuned", 64, b_threads=2))
        == "its chosen count against 2 threads"
    )
    record = fake_record()
    plain = find(record, "plain", 64)
    assert report.name(record, plain) == "NumPy plain (2 threads)"
    assert report.name(record, plain, with_threads=False) == "NumPy plain"


def test_factor_and_reason_texts():
    faster = stats.median_interval([0.50, 0.52, 0.49, 0.50, 0.51])
    assert report.factor_text(faster) == "2.00x [1.92x, 2.04x]"
    assert report.reason_text(stats.median_interval([0.5, 0.6, 0.55]), "few_rounds") == (
        "only 3 rounds fitted the time budget, too few for a 90% interval (it takes 5)"
    )
    assert report.reason_text(stats.median_interval([0.7, 1.3, 0.9, 1.1, 1.0]), "noisy") == (
        "the rounds were too noisy to decide (the ratio's interval [0.70, 1.30] contains 1 and "
        "spans 60% of its median, more than the 20% this harness accepts)"
    )
    unresolved = stats.median_interval([0.99, 1.01, 1.0, 1.02, 0.98])
    assert report.reason_text(unresolved, "unresolved") == (
        "the ratio's interval [0.98, 1.02] contains 1: any difference is smaller than the "
        "rounds resolve"
    )


def test_verdict_text_states_each_kind_with_its_evidence():
    record = fake_record()
    found = verdicts(record)
    # plain (2) / PyTorch (1): 0.4138 to 0.4219, median 0.4167: 2.40 times as fast.
    assert report.verdict_text(record, found[Key("plain", "torch", 64)]) == (
        "NumPy plain (2 threads) is faster than PyTorch eager, tensors (1 thread): "
        "2.40x [2.37x, 2.42x] as fast."
    )
    assert report.verdict_text(record, found[Key("plain", "torch", 512, group="batch_size")]) == (
        "NumPy plain (2 threads) is slower than PyTorch eager, tensors (1 thread): it takes "
        "1.33x [1.33x, 1.33x] the time."
    )
    assert report.verdict_text(record, found[Key("tuned", "tuned", 64, b_threads=2)]) == (
        "Whether NumPy tuned (1 thread) or NumPy tuned (2 threads) is faster is inconclusive "
        "on this build: the ratio's interval [0.95, 1.00] contains 1: any difference is "
        "smaller than the rounds resolve."
    )


# -- The report: tables -------------------------------------------------------------------------


def test_speed_table_shows_the_chosen_counts_fractions_and_ratios():
    table = report.speed_table(fake_record())
    assert table.rows == [
        ["NumPy plain", 64, 2, "0.250 [0.240, 0.270]", "54% [52%, 60%]", "", "5"],
        ["NumPy tuned", 64, 1, "0.200 [0.190, 0.220]", "68% [64%, 75%]"]
        + ["tuned / plain time: 0.80 [0.79, 0.81]", "5"],
        ["PyTorch eager, tensors", 64, 1, "0.600 [0.580, 0.640]", "23% [22%, 25%]"]
        + ["plain / PyTorch time: 0.42 [0.41, 0.42]", "5"],
    ]


def test_results_table_shows_every_count_and_the_ceiling():
    table = report.results_table(fake_record())
    assert "2 (chosen)</td>" in table._repr_html_()
    rows = {(row[0], row[2]): row for row in table.rows}
    assert len(rows) == len(table.rows) == 7
    assert rows["NumPy plain", "2 (chosen)"] == [
        "NumPy plain",
        64,
        "2 (chosen)",
        "0.250 [0.240, 0.270]",
        "240,000",
        "0.050",
        "54% [52%, 60%]",
        "5",
        "",
    ]
    assert rows["PyTorch eager, tensors", "1 (chosen)"][5] == "0.100"
    assert rows["NumPy tuned", "2"][5] == "n/a"
    assert rows["PyTorch eager, tensors", "2"][-1] == "noisy: the interval spans 33% of the median"
    assert rows["BLAS peak", "2"][3:] == [
        "0.140 [0.130, 0.150]",
        "428,571",
        "n/a",
        "100% [100%, 100%]",
        "5",
        "no network: 2048 x 2048 products, measured in every round",
    ]


def test_others_table_says_what_was_left_out_and_cut_short():
    rows = report.others_table(fake_record()).rows
    cut = "1, cut short by the budget"
    assert rows == [
        ["NumPy plain", 64, "2 (chosen)", "0.250", "0.050", cut, ""],
        ["NumPy per-example", 64, "2", "9.000", "n/a", cut]
        + ["timed on slices down to 640 images of the 6,400 planned, to fit the budget; "
           "extrapolated"],
        ["PyTorch eager, tensors", 64, "1 (chosen)", "0.600", "0.100", cut, ""],
        ["PyTorch eager, tensors", 64, "1 (chosen)", "0.600 [0.580, 0.640]", "0.100", "5", ""],
        ["torch.compile", 64, "1", "0.300 [0.300, 0.300]", "n/a", "5"]
        + ["compile time excluded: 1.2 s, once"],
        ["PyTorch on the GPU", "", "", "not measured", "", "", "no GPU on this machine"],
    ]  # fmt: skip


def test_verdict_tables_list_every_verdict_of_a_group():
    record = fake_record()
    main = report.verdict_table(record).rows
    assert len(main) == 9
    assert main[0] == [
        "NumPy plain (2 threads)",
        "PyTorch eager, tensors (1 thread)",
        64,
        "each on its chosen count",
        "0.42 [0.41, 0.42]",
        "faster",
    ]
    assert ["NumPy tuned (1 thread)", "NumPy tuned (2 threads)", 64] + [
        "its chosen count against 2 threads",
        "1.00 [0.95, 1.00]",
        "inconclusive",
    ] in main
    assert report.verdict_table(record, "others").rows == [
        ["NumPy per-example (2 threads)", "NumPy plain (2 threads)", 64]
        + ["each on its chosen count", "36.00", "inconclusive"],
        ["torch.compile (1 thread)", "PyTorch eager, tensors (1 thread)", 64]
        + ["each on its chosen count", "0.50 [0.47, 0.52]", "faster"],
    ]
    assert [row[2] for row in report.verdict_table(record, "batch_size").rows] == [16, 512]


def test_gain_and_targets_tables():
    record = fake_record()
    assert report.gain_table(record, "12 against 30").rows == [
        [64, "0.80 [0.79, 0.81]", "faster", "12 against 30"]
    ]
    assert report.targets_table(record).rows == [
        [
            "plain faster than PyTorch eager at batch 64",
            "met",
            report.verdict_text(record, verdicts(record)[Key("plain", "torch", 64)]),
        ],
        ["tuned at 40% of the ceiling at batch 64", "met", "68% [64%, 75%] of the ceiling"],
    ]


def test_profile_tables_share_out_the_epoch():
    record = fake_record()
    plain = report.profile_table(record, "plain")
    assert plain.rows[0] == ["batching: gathering the batch's rows", "0.050", "5%"]
    assert plain.rows[1] == ["Linear 784x128, forward", "0.300", "30%"]
    assert plain.rows[-2] == ["the remainder: the epoch less the parts timed above", "0.050", "5%"]
    assert plain.rows[-1] == ["the whole epoch", "1.000", "100%"]
    assert "| update: SGD with momentum, parameter by parameter | 0.160 | 16% |" in str(plain)
    tuned = report.profile_table(record, "tuned")
    assert tuned.rows[3] == ["backward: x.T dh, the small products, bias sums", "0.250", "42%"]
    assert tuned.rows[-1] == ["the whole epoch", "0.600", "100%"]


def test_sweep_tables_compare_both_contenders_at_each_setting():
    record = fake_record()
    assert report.sweep_table(record, "batch_size").rows == [
        [16, "2.000 [2.000, 2.000]", "6.000 [6.000, 6.000]", "3.00 [3.00, 3.00]", "faster", "5"],
        [512, "0.400 [0.400, 0.400]", "0.300 [0.300, 0.300]", "0.75 [0.75, 0.75]", "slower", "5"],
    ]
    assert report.sweep_table(record, "hidden").rows[0][:5] == [
        1024,
        "1.000 [1.000, 1.000]",
        "0.500 [0.500, 0.500]",
        "0.50 [0.50, 0.50]",
        "slower",
    ]
    quick = fake_record(sweeps=False)
    assert str(report.sweep_table(quick, "hidden")) == (
        "Not run on this build: left out of a quick run, to fit its budget."
    )
    quick["skipped"] = []
    assert str(report.sweep_table(quick, "hidden")) == "Not run on this build: no record of it."


def test_compare_records_matches_series_by_role_not_label():
    this, other = fake_record(), fake_record()
    for c in other["contenders"]:
        c["label"] = c["label"].upper()  # another version of nnguide may word them otherwise
    for row in other["rounds"]:
        row["seconds"] *= 2
    lines = report.compare_records({"this": this, "that": other}).splitlines()
    assert lines[0] == "| contender | batch | threads | this | that |"
    assert "| NumPy plain | 64 | 2 | 0.250 [0.240, 0.270] | 0.500 [0.480, 0.540] |" in lines
    assert len(lines) == 2 + 7  # one line per main series, found in both records


# -- The report: sentences ----------------------------------------------------------------------


def test_provenance_and_method_state_the_record():
    record = fake_record()
    assert str(report.provenance(record)) == (
        "Measured on **2026-01-02 03:04 UTC** on Test CPU, 4 cores, of which the process could "
        "use **2** (the operating system let it run on 2 of them; no container capped its CPU "
        "time); thread counts tried: 1 and 2. The "
        "budgeted measurements took 36 s of a 60 s budget; with the profiles and the products' "
        "throughput, which the budget leaves out, the run took 42 s."
    )
    assert str(report.method(record)) == (
        "Rounds continue until every row's interval is narrower than 20% of its median (after "
        "at least 5 rounds, the fewest that give a 90% interval), for at most 15 rounds, or "
        "until the next round would overrun the measurement's budget."
    )


def test_headline_states_the_main_verdicts():
    assert str(report.headline(fake_record())) == (
        "At batch 64: NumPy plain (2 threads) is faster than PyTorch eager, tensors (1 thread): "
        "2.40x [2.37x, 2.42x] as fast. At batch 64: NumPy tuned (1 thread) is faster than "
        "NumPy plain (2 threads): 1.25x [1.23x, 1.26x] as fast."
    )


def test_ceiling_text_works_out_the_peak_and_the_bound():
    # 24.5 GFLOP an epoch; the ceiling's epoch 0.14 s [0.13, 0.15]: 175 GFLOP/s [164, 189].
    assert str(report.ceiling_text(fake_record(), 64)) == (
        "An epoch's matrix products cost 24.5 GFLOP. The peak throughput of 2048 x 2048 "
        "products was 175 GFLOP/s (interval 164 to 189), which puts the lower bound on an "
        "epoch at 0.140 [0.130, 0.150] s. At batch 64 the first layer's own products ran at "
        "140 GFLOP/s (64 x 784 by 784 x 128) and 70 GFLOP/s (784 x 64 by 64 x 128), each the "
        "best of several short tries on every thread count."
    )


def test_profile_texts_work_out_shares_and_costs():
    record = fake_record()
    # The first layer is 401,408 of 409,088 flops an image (98%): 0.98 * 0.14 s at the ceiling.
    assert str(report.profile_text(record)) == (
        "The profiled epoch took 1.00 s on 2 threads, against 0.25 [0.24, 0.27] s in the table "
        "(the timers cost a little, and the two ran at different moments). The first layer's "
        "two matrix products are 98% of the epoch's arithmetic and take 0.60 s, 60% of the "
        "epoch; at the ceiling's throughput they would take 0.14 s. The update takes 0.16 s "
        "(16%): every step it reads and writes the first layer's weights, their gradient and "
        "their velocity, 100,352 numbers each. The other parts take 0.24 s."
    )
    # 12.04 GFLOP per product an epoch, at 140 and at 70 GFLOP/s: 0.086 + 0.172 = 0.258 s.
    assert str(report.tuned_profile_text(record)) == (
        "The tuned epoch took 0.60 s in the profile, on 1 thread. Its update takes 0.05 s "
        "against the plain network's 0.16 s, and batching 0.02 s against 0.05 s. The two "
        "products of the first layer alone, at the throughput this machine reached for their "
        "shapes at batch 64, take 0.26 s an epoch: even if nothing else took any time, that "
        "would be 54% of the ceiling, whose 0.14 s assume the throughput of large products."
    )


EVIDENCE = (
    "seconds per epoch at batch 64, median [90% interval]: NumPy plain (2 threads) "
    "0.25 [0.24, 0.27], PyTorch eager, tensors (1 thread) 0.60 [0.58, 0.64]; the first's time "
    "over the second's, round by round: 0.42 [0.41, 0.42]"
)


def test_speed_claims_judge_the_claims_by_the_verdicts():
    record = fake_record()
    said = report.verdict_text(record, verdicts(record)[Key("plain", "torch", 64)])
    claims = report.speed_claims(record)
    assert claims == {
        "slower": (
            "**False** for a vectorized NumPy network, which needs no Python loop over "
            f"examples: {said} Whether a per-example loop is slower was inconclusive on this "
            "build.",
            EVIDENCE,
        ),
        "backend": (f"**False** at this size on this build: {said}", EVIDENCE),
    }
    # Five rounds of the others: the loop takes 9.0/0.25, 9.1/0.26, 8.9/0.24, 9.0/0.25,
    # 9.2/0.27 of the plain network's time, 34.1 to 37.1 times, median 36.
    slower, evidence = report.speed_claims(fake_record(others_rounds=5))["slower"]
    assert slower.endswith("A per-example loop is what is slow: it takes 36.0x the "
                           "vectorized network's time.")  # fmt: skip
    assert evidence == EVIDENCE + "; the per-example loop took 36.0x [34.1x, 37.1x] its time"
    # PyTorch at 0.3 of its time: the plain network takes 1.38x to 1.41x of it.
    slower, _ = report.speed_claims(scaled(fake_record(), "torch", 0.3))["slower"]
    assert slower.startswith("**True** here, though not because of Python loops")
    # At 0.417, the ratio's interval [0.99, 1.01] contains 1.
    claims = report.speed_claims(scaled(fake_record(), "torch", 0.417))
    assert claims["slower"][0].startswith("**Inconclusive** on this build for the vectorized")
    assert claims["backend"][0].startswith("**Inconclusive** on this build. Whether")


def test_budget_notes_name_what_the_budget_cut_short():
    record = fake_record()
    assert str(report.budget_notes(record)) == (
        "Other contenders, batch 64: a budget of 10 s, slices shrunk to fit it and stopped "
        "after 1 round, before the rows were steady."
    )
    record["measurements"] = [m for m in record["measurements"] if m["group"] != "others"]
    record["rounds"] = [r for r in record["rounds"] if r["measurement"] != 1]
    assert str(report.budget_notes(record)).startswith("Nothing: every measurement reached")


# -- Nothing is found by a label ----------------------------------------------------------------


def relabelled(record: dict, seed: int) -> tuple[dict, dict]:
    """``record`` with every contender key and label a random string, and the way back.

    Keys are renamed wherever they appear (contenders, rounds, chosen counts,
    what was skipped); roles stay: they are what pages look contenders up by.
    """
    rng = random.Random(seed)

    def token():
        return "".join(rng.choices(string.ascii_letters, k=16))

    keys = {c["key"]: token() for c in record["contenders"]}
    labels = {c["label"]: token() for c in record["contenders"]}
    out = copy.deepcopy(record)
    for c in out["contenders"]:
        c["key"], c["label"] = keys[c["key"]], labels[c["label"]]
    for table in ("rounds", "chosen_threads", "skipped"):
        for row in out[table]:
            row["contender"] = keys.get(row["contender"], row["contender"])
    return out, {new: old for old, new in {**keys, **labels}.items()}


def report_outputs(record: dict) -> dict[str, list[str]]:
    """What every function of :mod:`nnguide.lab.bench.report` says of ``record``."""
    found = verdicts(record)
    everything = series(record)
    calls = {
        "on_text": lambda: [report.on_text(k) for k in found],
        "threads_text": lambda: [report.threads_text(n) for n in (1, 2)],
        "rounds_text": lambda: [report.rounds_text(n) for n in (1, 2)],
        "name": lambda: [
            report.name(record, s, with_threads=w) for s in everything for w in (0, 1)
        ],
        "reason_text": lambda: [
            report.reason_text(v.ratio, reason) for v in found.values() for reason in stats.REASONS
        ],
        "factor_text": lambda: [report.factor_text(v.ratio) for v in found.values()],
        "verdict_text": lambda: [report.verdict_text(record, v) for v in found.values()],
        "speed_table": lambda: [report.speed_table(record)],
        "results_table": lambda: [report.results_table(record)],
        "others_table": lambda: [report.others_table(record)],
        "verdict_table": lambda: [
            report.verdict_table(record, group)
            for group in ("main", "others", "compile", "batch_size", "hidden")
        ],
        "gain_table": lambda: [report.gain_table(record, "12 against 30")],
        "targets_table": lambda: [report.targets_table(record)],
        "part_label": lambda: [report.part_label(row) for row in record["profiles"]],
        "profile_table": lambda: [report.profile_table(record, n) for n in ("plain", "tuned")],
        "sweep_table": lambda: [report.sweep_table(record, s) for s in ("batch_size", "hidden")],
        "compare_records": lambda: [report.compare_records({"a": record, "b": record})],
        "provenance": lambda: [report.provenance(record)],
        "method": lambda: [report.method(record)],
        "headline": lambda: [report.headline(record)],
        "ceiling_text": lambda: [report.ceiling_text(record, 64)],
        "profile_text": lambda: [report.profile_text(record)],
        "tuned_profile_text": lambda: [report.tuned_profile_text(record)],
        "budget_notes": lambda: [report.budget_notes(record)],
        "speed_claims": lambda: list(report.speed_claims(record).values()),
    }
    assert set(calls) == set(report.__all__), "this test must call every function of the report"
    return {name: [str(out) for out in call()] for name, call in calls.items()}


@pytest.mark.parametrize("sweeps", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_the_report_finds_nothing_by_a_label_or_a_key(sweeps, seed):
    record = fake_record(sweeps=sweeps)
    renamed, back = relabelled(record, seed)
    said, said_renamed = report_outputs(record), report_outputs(renamed)
    text = "\n".join(line for lines in said_renamed.values() for line in lines)
    shown = [label for label in LABELS.values() if label in text]
    assert not shown, f"labels the renamed record does not hold: {shown}"
    for name, lines in said_renamed.items():
        for new, old in back.items():
            lines = [line.replace(new, old) for line in lines]
        assert lines == said[name], f"report.{name} changed when the labels and keys did"


# -- Figures ------------------------------------------------------------------------------------


@pytest.mark.parametrize("relabel", [False, True])
def test_figures_draw_every_plot_of_a_record(relabel):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    record = fake_record()
    if relabel:
        record, _ = relabelled(record, 0)
    try:
        for draw in (figures.main_rows, figures.others, figures.sweeps, figures.profiles):
            assert isinstance(draw(record), Figure), draw.__name__
        # One bar per network, one segment per part of its step.
        bars = figures.profiles(record).axes[0].patches
        assert len(bars) == len(record["profiles"])
        assert [b.get_width() for b in bars] == pytest.approx(
            [r["seconds"] for r in record["profiles"]]
        )
        assert figures.sweeps(fake_record(sweeps=False)) is None
    finally:
        plt.close("all")


# -- The command line ---------------------------------------------------------------------------


def test_command_line_compares_records(tmp_path, capsys):
    path = tmp_path / "a.json"
    save_record(fake_record(), path)
    assert main(["bench", "--compare", str(path)]) == 0
    out = capsys.readouterr().out
    assert f"| contender | batch | threads | {path} |" in out
    assert "| NumPy plain | 64 | 2 | 0.250 [0.240, 0.270] |" in out


@pytest.mark.parametrize("threads", ["0", str(usable_cores() + 1)])
def test_command_line_refuses_a_thread_count_out_of_range(threads, capsys):
    assert main(["bench", "--threads", threads]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    if threads != "0":
        assert "cores this process may use" in err


# -- Real timings -------------------------------------------------------------------------------


def matmul_contender(key: str, size: int) -> Contender:
    """A cheap contender: each "batch" is one product of two ``size x size`` matrices."""

    def make(x, y, hidden, batch_size):
        a = np.random.default_rng(0).random((size, size), dtype=np.float32)
        out = np.empty_like(a)

        def run(epoch, n_batches):
            for _ in range(n_batches):
                np.matmul(a, a, out=out)

        return run

    return Contender(key, make, library="numpy", threads=1)


HOG = """
import os, sys, time
os.sched_setaffinity(0, {int(sys.argv[1])})
deadline = time.monotonic() + float(sys.argv[2])
while time.monotonic() < deadline:
    pass
"""


@pytest.mark.slow
def test_a_cpu_hog_turns_a_verdict_inconclusive_never_around_and_the_budget_holds():
    """Measured quietly, then beside a process spinning on one core: 8x the work is slower.

    ``noise=-1`` keeps the harness adding rounds (no row is ever steady enough),
    so each measurement ends on its budget; the record shows that it did.
    """
    table = [matmul_contender("small", 96), matmul_contender("large", 192)]
    x, y = np.zeros((64 * 200, 1), np.float32), np.zeros(64 * 200, np.int64)
    settings = dict(budget=3.0, noise=-1, max_rounds=10_000)
    quiet = harness.measure(table, x, y, **settings)
    core = sorted(os.sched_getaffinity(0))[0]
    hog = subprocess.Popen([sys.executable, "-c", HOG, str(core), "30"])
    try:
        loaded = harness.measure(table, x, y, **settings)
    finally:
        hog.kill()
        hog.wait()
    before, after = (stats.judge(ratio(*series(as_record(r))))[0] for r in (quiet, loaded))
    assert before != "slower" and after != "slower"
    assert after in (before, "inconclusive")
    for result in (quiet, loaded):
        m = result["measurement"]
        assert m["stop_reason"] == "budget" and len(m["round_starts"]) >= 1
        assert all(start < m["budget_seconds"] for start in m["round_starts"])
        assert m["stopped_at"] + m["next_round_estimate"] > m["budget_seconds"]


@pytest.mark.slow
def test_quick_benchmark_runs_and_writes_a_complete_record(tmp_path, capsys, mnist):
    path = tmp_path / "bench.json"
    # A short budget: this test is about the record's shape, not its precision.
    assert main(["bench", "--quick", "--budget", "15", "--json", str(path)]) == 0
    record = load_record(path)
    counts = record["settings"]["thread_counts"]
    assert counts[-1] == usable_cores() and record["provenance"]["cores"]["usable"] == counts[-1]
    main_rows = {(s.contender, s.threads) for s in series(record, "main")}
    assert main_rows == {(k, t) for k in MAIN for t in counts} | {(CEILING, counts[-1])}
    others = {s.contender for s in series(record, "others")}
    assert others == set(contenders(quick=True)) - set(MAIN) | {"plain", "torch"}
    for s in series(record):
        assert s.rounds >= 1 and all(t > 0 for t in s.times) and s.threads >= 1
        m = s.measurement
        assert m["budget_seconds"] > 0 and m["stop_reason"] in ("steady", "max rounds", "budget")
    for bs in record["settings"]["main_sizes"]:
        for role in MAIN:
            assert chosen_threads(record, role, bs) in counts
        # Below the ceiling, with room for a round whose peak a busy moment slowed.
        assert 0 < fraction_of_ceiling(record, find(record, "tuned", bs)).median < 1.5
    assert not series(record, "batch_size") and not series(record, "hidden")
    assert dict(contender="sweeps", reason="quick") in record["skipped"]
    # What a quick run leaves out is named in the others' table, with why.
    left_out = {"compiled", "gpu"} - set(contenders(quick=True))
    assert left_out <= {s["contender"] for s in record["skipped"]}
    labels = {c["key"]: c["label"] for c in record["contenders"]}
    not_measured = [row[0] for row in report.others_table(record).rows if row[3] == "not measured"]
    assert sorted(not_measured) == sorted(labels[key] for key in left_out)
    parts = {(row["network"], row["part"]) for row in record["profiles"]}
    assert {("plain", "update"), ("tuned", "update"), ("tuned", "loss_gradient")} <= parts
    out = capsys.readouterr().out
    assert "The three rows of the comparison" in out and "Verdicts" in out
