"""The benchmark harness: its arithmetic and its records. No test asserts a timing."""

import json

import numpy as np
import pytest

from nnguide.__main__ import main
from nnguide.lab import bench


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


def test_median_and_spread():
    assert bench.median_and_spread([3.0, 1.0, 2.0]) == (2.0, 1.0)
    assert bench.median_and_spread([2.0]) == (2.0, 0.0)
    median, spread = bench.median_and_spread([1.0, 1.1, 0.9, 1.0])
    assert median == 1.0 and spread == pytest.approx(0.2)


def test_result_extrapolation_and_rates():
    r = bench.Result("x", 64, 128, [2.0, 1.0, 3.0], images_timed=2048)
    assert r.median == 2.0 and r.extrapolated and r.images_per_second == 30_000
    assert not bench.Result("x", 64, 128, [1.0]).extrapolated


def test_measure_interleaves_rounds_and_scales_a_slice_to_a_full_epoch(monkeypatch):
    calls, clock = [], [0.0]
    monkeypatch.setattr(bench.time, "perf_counter", lambda: clock[0])

    def fake(name, seconds):
        def make(x, y, hidden, batch_size):
            def run(epoch, n_batches):
                calls.append((name, epoch, n_batches))
                clock[0] += 0.5  # every run takes half a second on this clock
                return seconds

            return run

        return make

    x, y = np.zeros((1000, 784), np.float32), np.zeros(1000, np.int64)
    table = {"a": (fake("a", 0.0), 500), "b, compiled": (fake("b", None), None)}
    a, b = bench.measure(table, x, y, batch_size=100, repeats=3)
    # Each is prepared (first step, warm-up pass), then the rounds take them in turn.
    assert calls == [
        ("a", 0, 1), ("a", 0, 5), ("b", 0, 1), ("b", 0, 10),
        ("a", 1, 5), ("b", 1, 10), ("a", 2, 5), ("b", 2, 10), ("a", 3, 5), ("b", 3, 10),
    ]  # fmt: skip
    assert a.images_timed == 500 and a.extrapolated and len(a.repeats) == 3
    assert a.data_seconds == [0.0] * 3 and a.compile_seconds is None
    assert b.images_timed == 1000 and b.data_seconds == [] and b.compile_seconds == 0.5
    # Times are scaled to a 60,000-image epoch: 120x for 500 images, 60x for 1,000.
    assert a.repeats == [60.0] * 3 and b.repeats == [30.0] * 3


def test_measure_with_ceiling_adds_a_row_measured_every_round(monkeypatch):
    peaks = iter([100.0, 50.0])  # GFLOP/s: the machine halves its speed in round 2
    monkeypatch.setattr(bench, "SETTLE_SECONDS", 0)
    monkeypatch.setattr(bench, "matmul_gflops", lambda *shape, seconds: next(peaks))

    def make(x, y, hidden, batch_size):
        return lambda epoch, n_batches: None

    x, y = np.zeros((100, 784), np.float32), np.zeros(100, np.int64)
    fake, bound = bench.measure({"fake": (make, None)}, x, y, repeats=2, with_ceiling=True)
    flops = bench.epoch_flops((784, 128, 10))
    assert bound.contender == bench.CEILING
    assert bound.repeats == [flops / 100e9, flops / 50e9]  # seconds per epoch at peak


def test_measure_pauses_only_where_the_library_changes(monkeypatch):
    events = []
    monkeypatch.setattr(bench.time, "sleep", lambda seconds: events.append("pause"))

    def contender(name, library):
        def make(x, y, hidden, batch_size):
            def run(epoch, n_batches):
                if epoch > 0:
                    events.append(name)

            return run

        make.library = library
        return make

    libraries = {"np1": "numpy", "np2": "numpy", "pt": "torch"}
    table = {name: (contender(name, lib), None) for name, lib in libraries.items()}
    x, y = np.zeros((100, 784), np.float32), np.zeros(100, np.int64)
    bench.measure(table, x, y, batch_size=100, repeats=2)
    assert events == ["pause", "np1", "np2", "pause", "pt", "pause", "np1", "np2", "pause", "pt"]


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
    table = str(bench.profile_table({"profile": {"a": 0.3, "b": 0.1}}))
    assert "| a | 0.300 | 75% |" in table and "| the whole epoch | 0.400 | 100% |" in table


def test_paired_ratio_divides_within_rounds():
    # A slow second round hits both contenders; the paired ratio is unmoved by it.
    a = bench.Result("a", 64, 128, [1.0, 2.0, 1.1])
    b = bench.Result("b", 64, 128, [2.0, 4.0, 2.2])
    assert bench.paired_ratio(a, b) == pytest.approx(0.5)
    with pytest.raises(ValueError, match="not measured together"):
        bench.paired_ratio(a, bench.Result("c", 64, 128, [1.0]))


def test_matmul_gflops_is_positive():
    assert bench.matmul_gflops(64, 64, 64, seconds=0.01) > 0


def fake_record():
    rows = [
        bench.Result("NumPy", 64, 128, [0.3, 0.31, 0.29]).__dict__,
        bench.Result("PyTorch", 64, 128, [0.6, 0.7, 0.65], data_seconds=[0.1] * 3).__dict__,
        bench.Result("Compiled", 64, 128, [0.6] * 3, compile_seconds=1.25).__dict__,
        bench.Result(bench.CEILING, 64, 128, [0.15, 0.14, 0.13]).__dict__,
    ]
    return {
        "environment": {"cpu": "test"},
        "settings": {"threads": 2},
        "dataset": "MNIST",
        "ceiling": {64: {"epoch_gflop": 24.5, "shape_gflops": {"forward x @ W1": 140.0}}},
        "results": rows,
        "sweeps": {"batch_size": rows, "hidden": []},
    }


def test_record_round_trip_table_and_comparison(tmp_path):
    path = tmp_path / "a.json"
    bench.save_record(fake_record(), path)
    record = bench.load_record(path)
    assert record["ceiling"][64]["epoch_gflop"] == 24.5  # int keys restored
    table = str(bench.results_table(record))
    assert "<td>NumPy</td>" in bench.results_table(record)._repr_html_()
    rows = {line.split(" | ")[0]: line for line in table.splitlines()}
    # Of the ceiling, round by round: 0.15/0.3, 0.14/0.31, 0.13/0.29 -> median 45%
    # (the ratio of the medians, 0.14/0.3, would say 47%).
    assert rows["| NumPy"].startswith("| NumPy | 64 | 0.300 |") and "| 45% |" in rows["| NumPy"]
    assert "| 0.650 |" in rows["| PyTorch"] and "| 0.100 | 20% |" in rows["| PyTorch"]
    assert "| 100% |" in rows[f"| {bench.CEILING}"]
    # Compile time has a row of its own; a record without a GPU says so.
    assert rows["| Compiled: compiling"].startswith("| Compiled: compiling | 64 | 1.250 |")
    assert rows["| PyTorch on the GPU"].endswith("| no GPU was present |")
    comparison = bench.compare({"here": record, "there": record})
    assert comparison.splitlines()[0] == "| contender | batch | here | there |"


def test_load_record_rejects_other_json(tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"config": {}, "epochs": []}))
    with pytest.raises(ValueError, match="not a benchmark record"):
        bench.load_record(path)


def test_command_line_compares_records(tmp_path, capsys):
    path = tmp_path / "a.json"
    bench.save_record(fake_record(), path)
    assert main(["bench", "--compare", str(path)]) == 0
    assert "| NumPy | 64 | 0.300 |" in capsys.readouterr().out
    assert main(["bench", "--threads", "0"]) == 2


@pytest.mark.slow
def test_quick_benchmark_runs_and_writes_a_complete_record(tmp_path, capsys, mnist):
    path = tmp_path / "bench.json"
    assert main(["bench", "--quick", "--json", str(path)]) == 0
    record = bench.load_record(path)
    names = {r["contender"] for r in record["results"]}
    assert set(bench.contenders(quick=True)) | {bench.CEILING} == names
    for r in bench.results(record):
        assert len(r.repeats) == 2 and all(t > 0 for t in r.repeats)
        assert 0 < bench.fraction_of_ceiling(record, r) < 1.5
    assert {r["batch_size"] for r in record["sweeps"]["batch_size"]} == {64, 256}
    assert record["environment"]["torch_threads"] >= 1 and record["dataset"] == "MNIST"
    assert "optimizer step (SGD with momentum)" in record["profile"]
    assert "of the ceiling" in capsys.readouterr().out
