"""The benchmark harness: its arithmetic, its budget, its verdicts and its records.

No test asserts a timing. The harness's own clock is replaced by a fake one
where a test needs to know how long things took; the one test that times
real work (next to a deliberate CPU hog) checks verdicts and the harness's
own record of its budget, never a duration.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from nnguide.__main__ import main
from nnguide.lab import bench, stats
from nnguide.lab.threads import usable_cores

PLAIN, TUNED, TORCH, CEILING = bench.PLAIN, bench.TUNED, bench.TORCH, bench.CEILING
COMPILED = bench.COMPILED


def test_epoch_flops_counts_forward_and_backward_products():
    # 784-128-10 on 60,000 images: forward 2*(784*128 + 128*10), backward the weight
    # gradients of both layers plus the hidden layer's input gradient, per image.
    per_image = 2 * (784 * 128 + 128 * 10) + 2 * (784 * 128 + 128 * 10) + 2 * 128 * 10
    assert bench.epoch_flops((784, 128, 10)) == per_image * 60_000
    assert bench.epoch_flops((784, 128, 10), n=1) == 2 * 128 * 1598
    # One more layer adds its three products.
    assert bench.epoch_flops((784, 128, 64, 10), n=1) == 2 * (
        2 * 784 * 128 + 3 * 128 * 64 + 3 * 64 * 10
    )


def test_result_interval_extrapolation_and_rates():
    r = bench.Result("x", 64, 128, [2.0, 1.0, 3.0, 2.5, 1.5], images_timed=2048)
    assert r.median == 2.0 and r.extrapolated and r.images_per_second == 30_000
    assert (r.interval.low, r.interval.high) == (1.0, 3.0) and r.spread == 1.0 and r.noisy
    # Every whole batch of an epoch (59,968 images at batch 64) is a full epoch.
    assert not bench.Result("x", 64, 128, [1.0], images_timed=59_968).extrapolated
    assert bench.Result("x", 64, 128, [1.0], images_timed=640, images_requested=6400).shrunk
    # A record written before a field existed still loads.
    old = {"contender": "x", "batch_size": 64, "hidden": 128, "repeats": [1.0], "unknown": 0}
    assert bench.Result.from_dict(old).threads is None


# -- measure(), on a fake clock ----------------------------------------------------------


@pytest.fixture
def fake_clock(monkeypatch):
    """The harness's clock, advanced by hand; no pauses, no thread changes."""
    clock = [0.0]
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(bench.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(bench, "set_threads", lambda library, count: None)
    return clock


def fake(name, clock, calls=None, *, per_batch=0.0, per_call=0.0, data=None, library=None):
    """A contender whose runs advance the fake clock by ``per_call + per_batch * n_batches``."""

    def make(x, y, hidden, batch_size):
        def run(epoch, n_batches):
            if calls is not None:
                calls.append((name, epoch, n_batches))
            clock[0] += per_call + per_batch * n_batches
            return data

        return run

    make.library = library
    return make


def test_measure_interleaves_rounds_and_scales_a_slice_to_a_full_epoch(fake_clock):
    calls = []
    a = bench.Contender("a", fake("a", fake_clock, calls, per_call=0.5, data=0.0), images=500)
    compiled = fake("b", fake_clock, calls, per_call=0.5)
    compiled.compiles = True
    b = bench.Contender("b", compiled)
    x, y = np.zeros((1000, 784), np.float32), np.zeros(1000, np.int64)
    ra, rb = bench.measure([a, b], x, y, batch_size=100, min_rounds=3, max_rounds=3)
    # Each is prepared (first step, a warm-up of at least 4 batches), then the
    # rounds take them in turn.
    assert calls == [
        ("a", 0, 1), ("a", 0, 4), ("b", 0, 1), ("b", 0, 4),
        ("a", 1, 5), ("b", 1, 10), ("a", 2, 5), ("b", 2, 10), ("a", 3, 5), ("b", 3, 10),
    ]  # fmt: skip
    assert ra.images_timed == 500 and ra.extrapolated and ra.rounds == 3
    assert ra.data_seconds == [0.0] * 3 and ra.compile_seconds is None
    assert rb.images_timed == 1000 and rb.data_seconds == [] and rb.compile_seconds == 0.5
    # Times are scaled to a 60,000-image epoch: 120x for 500 images, 60x for 1,000.
    assert ra.repeats == [60.0] * 3 and rb.repeats == [30.0] * 3
    assert ra.stop_reason == "max rounds" and not ra.cut_short
    assert ra.round_starts == rb.round_starts and len(ra.round_seconds) == 3


def test_measure_stops_when_the_rows_are_steady(fake_clock):
    steady = bench.Contender("a", fake("a", fake_clock, per_batch=0.01))
    x, y = np.zeros((640, 784), np.float32), np.zeros(640, np.int64)
    (r,) = bench.measure([steady], x, y, max_rounds=15)
    assert r.rounds == stats.rounds_needed() == 5 and r.stop_reason == "steady"
    assert not r.cut_short and not r.shrunk


def test_measure_shrinks_its_slices_and_stops_when_the_budget_is_spent(fake_clock):
    # Two contenders of 100 batches at 0.1 s each: 20 s a round, in a budget of 30 s.
    table = [bench.Contender(n, fake(n, fake_clock, per_batch=0.1)) for n in "ab"]
    x, y = np.zeros((6400, 784), np.float32), np.zeros(6400, np.int64)
    rows = bench.measure(table, x, y, budget=30, noise=-1, max_rounds=100)
    for r in rows:
        # The slices shrank so that the five rounds an interval needs fit.
        assert r.shrunk and r.images_timed < r.images_requested == 6400
        assert r.rounds >= stats.rounds_needed()
        # It stopped on the budget: no round started once the budget was spent,
        # and the next round would have ended after it.
        assert r.stop_reason == "budget" and r.cut_short and r.budget_seconds == 30
        assert all(start < r.budget_seconds for start in r.round_starts)
        assert r.stopped_at + r.next_round_estimate > r.budget_seconds


def test_measure_shrinks_again_when_the_rounds_run_slower_than_the_warm_up(fake_clock):
    # The warm-up (epoch 0) predicts 2 s a round; then the machine gets busy and
    # every batch takes four times as long: at 8 s a round, five rounds would
    # not fit 30 s, so the slices shrink after the first round.
    def make(x, y, hidden, batch_size):
        def run(epoch, n_batches):
            fake_clock[0] += (0.01 if epoch == 0 else 0.04) * n_batches

        return run

    table = [bench.Contender(n, make) for n in "ab"]
    x, y = np.zeros((6400, 784), np.float32), np.zeros(6400, np.int64)
    rows = bench.measure(table, x, y, budget=30, noise=-1, max_rounds=100)
    for r in rows:
        assert r.rounds >= stats.rounds_needed() and r.shrunk
        assert all(start < 30 for start in r.round_starts)
        assert r.repeats[0] == pytest.approx(r.repeats[-1])  # every repeat is per epoch
    assert fake_clock[0] <= 30


def test_measure_runs_one_round_even_when_setting_up_spent_the_budget(fake_clock):
    slow = bench.Contender("slow", fake("slow", fake_clock, per_call=5.0))
    x, y = np.zeros((640, 784), np.float32), np.zeros(640, np.int64)
    (r,) = bench.measure([slow], x, y, budget=1.0)
    assert r.rounds == 1 and r.cut_short and r.stop_reason == "budget"
    assert r.images_timed == 4 * 64  # shrunk to the smallest slice
    assert stats.verdict(r.interval).kind == "inconclusive"


def test_measure_with_ceiling_adds_a_row_measured_every_round(fake_clock, monkeypatch):
    peaks = iter([100.0, 50.0])  # GFLOP/s: the machine halves its speed in round 2
    monkeypatch.setattr(bench, "matmul_gflops", lambda *shape, seconds: next(peaks))
    table = [bench.Contender("fake", fake("fake", fake_clock, per_call=1.0))]
    x, y = np.zeros((100, 784), np.float32), np.zeros(100, np.int64)
    rounds = dict(min_rounds=2, max_rounds=2)
    _, bound = bench.measure(table, x, y, with_ceiling=True, ceiling_threads=3, **rounds)
    flops = bench.epoch_flops((784, 128, 10))
    assert bound.contender == CEILING and bound.threads == 3
    assert bound.repeats == [flops / 100e9, flops / 50e9]  # seconds per epoch at peak


def test_measure_sets_threads_and_pauses_only_where_the_library_changes(monkeypatch):
    events = []
    monkeypatch.setattr(bench.time, "sleep", lambda seconds: events.append("pause"))
    monkeypatch.setattr(bench, "set_threads", lambda lib, n: events.append(f"{lib}:{n}"))

    def contender(name, library, threads):
        def make(x, y, hidden, batch_size):
            def run(epoch, n_batches):
                if epoch > 0:
                    events.append(name)

            return run

        make.library = library
        return bench.Contender(name, make, threads=threads)

    table = [contender("np1", "numpy", 1), contender("np2", "numpy", 2)]
    table.append(contender("pt", "torch", 1))
    x, y = np.zeros((100, 784), np.float32), np.zeros(100, np.int64)
    bench.measure(table, x, y, batch_size=100, min_rounds=2, max_rounds=2)
    preparing = ["pause", "numpy:1", "numpy:2", "pause", "torch:1"]
    one_round = ["pause", "numpy:1", "np1", "numpy:2", "np2", "pause", "torch:1", "pt"]
    assert events == preparing + one_round * 2


def test_a_thread_count_is_chosen_only_when_it_is_conclusively_faster():
    def rows(two_threads):
        starts = [float(i) for i in range(5)]
        one = bench.Result("a", 64, 128, [1.0, 1.1, 0.9, 1.0, 1.05], threads=1)
        two = bench.Result("a", 64, 128, two_threads, threads=2)
        one.round_starts = two.round_starts = starts
        return [two, one]

    assert bench.chosen(rows([0.5, 0.55, 0.45, 0.5, 0.52]), "a", 64).threads == 2
    # Faster by its median, but the ratio's interval contains 1: the fewer threads.
    assert bench.chosen(rows([0.8, 1.2, 0.85, 0.95, 1.1]), "a", 64).threads == 1
    with pytest.raises(KeyError):
        bench.chosen(rows([1.0] * 5), "b", 64)


def test_ratio_divides_within_rounds_and_needs_the_same_rounds():
    # A slow second round hits both contenders; the paired ratio is unmoved by it.
    a = bench.Result("a", 64, 128, [1.0, 2.0, 1.1, 1.0, 1.2], round_starts=[0, 1, 2, 3, 4])
    b = bench.Result("b", 64, 128, [2.0, 4.0, 2.2, 2.0, 2.4], round_starts=[0, 1, 2, 3, 4])
    assert bench.paired_ratio(a, b) == pytest.approx(0.5)
    assert bench.ratio(a, b).relative_width == pytest.approx(0.0)
    assert bench.verdict(a, b).kind == "faster"
    with pytest.raises(ValueError, match="not measured together"):
        bench.ratio(a, bench.Result("c", 64, 128, [1.0] * 5, round_starts=[5, 6, 7, 8, 9]))


def test_matmul_gflops_is_positive():
    assert bench.matmul_gflops(64, 64, 64, seconds=0.01) > 0


def test_ceiling_takes_the_best_throughput_over_thread_counts(monkeypatch):
    seen = []
    monkeypatch.setattr(bench, "set_threads", lambda library, count: seen.append(count))
    speeds = iter(range(1, 100))  # each try faster than the last
    monkeypatch.setattr(bench, "matmul_gflops", lambda *shape, seconds: next(speeds))
    parts = bench.ceiling(batch_size=64, counts=[1, 2])
    assert parts["epoch_gflop"] == bench.epoch_flops() / 1e9
    # Five tries per shape per count: the best is the last try on 2 threads.
    assert parts["shape_gflops"] == {"forward x @ W1": 15, "gradient x.T @ d": 20}
    assert seen[:2] == [1, 2] and len(seen) == 3  # then back to the count before


def test_profile_covers_every_part_of_the_step():
    rng = np.random.default_rng(0)
    x, y = rng.random((640, 784), dtype=np.float32), rng.integers(0, 10, 640)
    profile = bench.profile_numpy(x, y, batch_size=64, epochs=1)
    assert list(profile) == [
        "batching",
        "Linear 784x128, forward",
        "Sigmoid, forward",
        "Linear 128x10, forward",
        "Linear 128x10, backward",
        "Sigmoid, backward",
        "Linear 784x128, backward",
        "optimizer step (SGD with momentum)",
        "loss, checks and Python in between",
    ]
    assert all(seconds > 0 for seconds in profile.values())
    tuned = bench.profile_tuned(x, y, batch_size=64, epochs=1)
    assert list(tuned) == [
        "batching",
        "forward: x W1 (784 x H product), sigmoid, logits",
        "softmax cross-entropy's gradient",
        "backward: x.T dh (784 x H product), the small products, bias sums",
        "update: two axpy over the flat buffers",
        "Python in between",
    ]
    assert all(seconds > 0 for seconds in tuned.values())
    table = str(bench.profile_table({"profile": {"a": 0.3, "b": 0.1}}))
    assert "| a | 0.300 | 75% |" in table and "| the whole epoch | 0.400 | 100% |" in table


# -- Records and their tables -----------------------------------------------------------------


def fake_record():
    """One batch size, two thread counts, five steady rounds: numbers worked out by hand."""
    times = {
        (PLAIN, 1): [0.30, 0.31, 0.29, 0.30, 0.32],
        (PLAIN, 2): [0.25, 0.26, 0.24, 0.25, 0.27],
        (TUNED, 1): [0.20, 0.21, 0.19, 0.20, 0.22],
        (TUNED, 2): [0.20, 0.22, 0.19, 0.21, 0.22],
        (TORCH, 1): [0.60, 0.62, 0.58, 0.60, 0.64],
        (TORCH, 2): [0.90, 0.80, 1.00, 0.70, 0.95],
        (CEILING, 2): [0.15, 0.14, 0.13, 0.15, 0.14],
    }
    run = dict(round_starts=[0.0, 1.0, 2.0, 3.0, 4.0], round_seconds=[1.0] * 5)
    run.update(budget_seconds=10.0, stop_reason="steady", stopped_at=5.0)
    rows = [bench.Result(n, 64, 128, t, threads=c, **run) for (n, c), t in times.items()]
    rows[4].data_seconds = [0.1] * 5
    others = [bench.Result(TORCH, 64, 128, times[TORCH, 1], threads=1, **run)]
    others.append(
        bench.Result(COMPILED, 64, 128, [0.3] * 5, compile_seconds=1.25, threads=1, **run)
    )
    cut = dict(run, round_starts=[0.0], round_seconds=[1.0], stop_reason="budget", cut_short=True)
    slow = bench.Result("Slow", 64, 128, [9.0], images_timed=640, threads=1, **cut)
    slow.images_requested = 6400
    others.append(slow)
    return {
        "environment": {"cpu": "test", "gpu": None},
        "settings": {"thread_counts": [1, 2]},
        "dataset": "MNIST",
        "ceiling": {64: {"epoch_gflop": 24.5, "shape_gflops": {"forward x @ W1": 140.0}}},
        "chosen_threads": {64: {PLAIN: 2, TUNED: 1, TORCH: 1}},
        "skipped": {"PyTorch on a TPU": "left out", "sweeps": "left out"},
        "results": [r.__dict__ for r in rows],
        "others": [r.__dict__ for r in others],
        "sweeps": {"batch_size": [], "hidden": []},
    }


def test_record_round_trip_and_the_main_table(tmp_path):
    path = tmp_path / "a.json"
    bench.save_record(fake_record(), path)
    record = bench.load_record(path)
    assert record["ceiling"][64]["epoch_gflop"] == 24.5  # int keys restored
    assert record["chosen_threads"][64][PLAIN] == 2
    assert bench.find(record, PLAIN, 64).threads == 2 and bench.find(record, TORCH, 64, 2)
    table = bench.results_table(record)
    assert "<td>2 (chosen)</td>" in table._repr_html_()
    rows = {(line.split(" | ")[0], line.split(" | ")[2]): line for line in str(table).splitlines()}
    # Of the ceiling, round by round: 0.15/0.25, 0.14/0.26, 0.13/0.24, 0.15/0.25,
    # 0.14/0.27 -> 60%, 54%, 54%, 60%, 52%: median 54%, interval [52%, 60%].
    plain = rows["| " + PLAIN, "2 (chosen)"]
    assert "| 0.250 [0.240, 0.270] |" in plain and "| 54% [52%, 60%] |" in plain
    assert "noisy" in rows["| " + TORCH, "2"] and "noisy" not in plain
    assert "| 100% [100%, 100%] |" in rows["| " + CEILING, "2"]


def test_other_contenders_say_what_was_left_out_and_cut_short():
    record = fake_record()
    rows = {line.split(" | ")[0]: line for line in str(bench.others_table(record)).splitlines()}
    assert "compile time excluded: 1.2 s, once" in rows[f"| {COMPILED}"]
    assert "1, cut short by the budget" in rows["| Slow"]
    assert "timed on slices down to 640 images of the 6,400 planned" in rows["| Slow"]
    assert rows["| PyTorch on a TPU"].endswith("| left out |")
    assert rows["| PyTorch on the GPU"].endswith("| no GPU here |")
    assert "| sweeps" not in rows
    (compiled,) = bench.others_verdicts(record)  # the slow row has no reference beside it
    assert (compiled["a"].contender, compiled["b"].contender) == (COMPILED, TORCH)
    assert compiled["verdict"].kind == "faster"
    assert "| 0.50 [0.47, 0.52] | faster |" in str(bench.others_verdict_table(record))
    (note,) = bench.budget_notes(record)
    assert note.startswith("Other contenders, batch 64: a budget of 10 s, slices shrunk to fit")


def test_verdicts_compare_each_library_on_its_chosen_count_and_at_equal_counts():
    record = fake_record()
    found = {v["comparison"]: v for v in bench.verdicts(record)}
    chosen = found["guide network against PyTorch eager, each on its chosen count"]
    assert (chosen["a"].threads, chosen["b"].threads) == (2, 1)
    assert chosen["verdict"].kind == "faster"  # 0.25 / 0.60 in every round
    assert found["guide network against PyTorch eager, both on 1 thread"]["verdict"].kind == (
        "faster"
    )
    two = found["guide network against PyTorch eager, both on 2 threads"]
    assert two["verdict"].kind == "faster" and two["ratio"].noisy  # wide, but below 1
    tuned = found["tuned in place against the guide network, each on its chosen count"]
    assert tuned["verdict"].kind == "faster"  # 0.20 against 0.25
    assert (tuned["a"].threads, tuned["b"].threads) == (1, 2)
    equal = found["tuned in place against the guide network, both on 1 thread"]
    assert (equal["a"].threads, equal["b"].threads) == (1, 1)
    assert equal["verdict"].kind == "faster"  # 0.20 against 0.30
    # The tuned network's two counts are within the rounds' scatter.
    assert found[f"{TUNED}: its chosen thread count against 2"]["verdict"].kind == "inconclusive"
    assert "inconclusive" in str(bench.verdict_table(record))
    speed = str(bench.speed_table(record))
    assert "tuned / plain time: 0.80 [0.79, 0.81]" in speed  # 0.20 / 0.25, round by round
    met = {t["target"]: t["status"] for t in bench.targets(record)}
    assert met["plain faster than PyTorch eager at batch 64"] == "met"
    # Tuned (1 thread): 0.15/0.20 ... 0.14/0.22 of the ceiling, 64% to 75%: above 40%.
    assert met["tuned at 40% of the ceiling at batch 64"] == "met"


def test_load_record_rejects_other_json(tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"config": {}, "epochs": []}))
    with pytest.raises(ValueError, match="not a benchmark record"):
        bench.load_record(path)
    path.write_text('{"results": [1, 2')
    with pytest.raises(ValueError, match=f"{path.name} is not a benchmark record: .* JSON"):
        bench.load_record(path)


def test_command_line_compares_records_and_checks_threads(tmp_path, capsys):
    path = tmp_path / "a.json"
    bench.save_record(fake_record(), path)
    assert main(["bench", "--compare", str(path)]) == 0
    assert f"| {PLAIN} | 64 | 2 | 0.250 [0.240, 0.270] |" in capsys.readouterr().out
    assert main(["bench", "--threads", "0"]) == 2
    assert main(["bench", "--threads", str(usable_cores() + 1)]) == 2
    assert "cores this process may use" in capsys.readouterr().err


# -- Real timings -----------------------------------------------------------------------------


def matmul_contender(size: int):
    """A cheap contender: each "batch" is one product of two ``size x size`` matrices."""

    def make(x, y, hidden, batch_size):
        a = np.random.default_rng(0).random((size, size), dtype=np.float32)
        out = np.empty_like(a)

        def run(epoch, n_batches):
            for _ in range(n_batches):
                np.matmul(a, a, out=out)

        return run

    make.library = "numpy"
    return make


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
    table = [
        bench.Contender("small", matmul_contender(96), threads=1),
        bench.Contender("large", matmul_contender(192), threads=1),
    ]
    x, y = np.zeros((64 * 200, 1), np.float32), np.zeros(64 * 200, np.int64)
    settings = dict(budget=3.0, noise=-1, max_rounds=10_000)
    quiet = bench.measure(table, x, y, **settings)
    core = sorted(os.sched_getaffinity(0))[0]
    hog = subprocess.Popen([sys.executable, "-c", HOG, str(core), "30"])
    try:
        loaded = bench.measure(table, x, y, **settings)
    finally:
        hog.kill()
        hog.wait()
    before, after = bench.verdict(*quiet), bench.verdict(*loaded)
    assert before.kind != "slower" and after.kind != "slower"
    assert after.kind in (before.kind, "inconclusive")
    for r in quiet + loaded:
        assert r.stop_reason == "budget" and r.rounds >= 1
        assert all(start < r.budget_seconds for start in r.round_starts)
        assert r.stopped_at + r.next_round_estimate > r.budget_seconds


@pytest.mark.slow
def test_quick_benchmark_runs_and_writes_a_complete_record(tmp_path, capsys, mnist):
    path = tmp_path / "bench.json"
    # A short budget: this test is about the record's shape, not its precision.
    assert main(["bench", "--quick", "--budget", "15", "--json", str(path)]) == 0
    record = bench.load_record(path)
    counts = record["settings"]["thread_counts"]
    assert counts[-1] == usable_cores() and record["cores"]["usable"] == usable_cores()
    names = {(r.contender, r.threads) for r in bench.results(record)}
    assert names == {(n, t) for n in bench.MAIN for t in counts} | {(CEILING, counts[-1])}
    others = {r.contender for r in bench.results(record, "others")}
    quick = set(bench.contenders(quick=True))
    assert others == quick - set(bench.MAIN) | {PLAIN, TORCH}
    for r in bench.results(record) + bench.results(record, "others"):
        assert r.rounds >= 1 and all(t > 0 for t in r.repeats) and r.threads >= 1
        assert r.budget_seconds > 0 and r.stop_reason in ("steady", "max rounds", "budget")
    for bs in (64, 256):
        assert set(record["chosen_threads"][bs].values()) <= set(counts)
        assert 0 < bench.fraction_of_ceiling(record, bench.find(record, TUNED, bs)).median < 1.5
    assert record["sweeps"] == {} and "sweeps" in record["skipped"]
    assert "optimizer step (SGD with momentum)" in record["profile"]
    assert "update: two axpy over the flat buffers" in record["profile_tuned"]
    out = capsys.readouterr().out
    assert "The three rows of the comparison" in out and "Verdicts" in out


def test_sweeps_compare_both_contenders_at_each_setting():
    run = dict(round_starts=[0.0, 1.0, 2.0, 3.0, 4.0], round_seconds=[1.0] * 5)
    rows = []
    for bs, numpy_time, torch_time in ((16, 2.0, 6.0), (512, 0.4, 0.3)):
        rows.append(bench.Result(PLAIN, bs, 128, [numpy_time] * 5, threads=1, **run))
        rows.append(bench.Result(TORCH, bs, 128, [torch_time] * 5, threads=1, **run))
    record = {**fake_record(), "sweeps": {"batch_size": [r.__dict__ for r in rows]}}
    points = bench.sweep(record, "batch_size")
    assert [p["setting"] for p in points] == [16, 512]
    assert points[0]["ratio"].median == 3.0 and points[0]["verdict"].kind == "faster"
    assert (
        points[1]["ratio"].median == pytest.approx(0.75) and points[1]["verdict"].kind == "slower"
    )
    table = str(bench.sweep_table(record, "batch_size"))
    assert (
        "| 16 | 2.000 [2.000, 2.000] | 6.000 [6.000, 6.000] | 3.00 [3.00, 3.00] | faster |" in table
    )
