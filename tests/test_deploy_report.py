"""The deploy record's timing rounds, thread choice, tables and sentences, on made-up figures.

:func:`nnguide.lab.deploy_bench.rounds` runs on a fake clock that each call
advances, so its stopping rules are shown without timing anything; the
report's tables and sentences are computed from a record made up so that
each comparison has a known outcome.
"""

import pytest

from nnguide.deploy.routes import ROUTES
from nnguide.lab import deploy_bench, deploy_report, stats


class Clock:
    """Seconds that move only when a timed call says so."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def steady(clock, cost):
    """A series whose every call takes ``cost`` seconds."""

    def call():
        clock.now += cost

    return call, lambda: None


def swinging(clock, cost):
    """A series whose calls take ``cost`` one round and three times it the next."""
    state = {"factor": 1}

    def setup():
        state["factor"] = 4 - state["factor"]  # 1, 3, 1, 3...

    def call():
        clock.now += cost * state["factor"]

    return call, setup


def test_rounds_repeat_each_call_to_fill_a_repeat_and_stop_when_steady():
    clock = Clock()
    times = deploy_bench.rounds(
        {"a": steady(clock, 1e-3), "b": steady(clock, 5e-3)}, budget=1e9, clock=clock
    )
    assert set(times) == {"a", "b"}
    assert len(times["a"]) == len(times["b"]) == stats.rounds_needed()  # steady: no more rounds
    assert times["a"] == pytest.approx([1e-3] * stats.rounds_needed())  # per call, not per repeat
    assert times["b"] == pytest.approx([5e-3] * stats.rounds_needed())


def test_noisy_rounds_go_on_until_the_budget_or_the_most_rounds():
    clock = Clock()
    cut = deploy_bench.rounds({"a": swinging(clock, 1e-3)}, budget=0.0, clock=clock)
    assert len(cut["a"]) == stats.rounds_needed()  # the budget is spent: the rounds needed only
    clock = Clock()
    full = deploy_bench.rounds({"a": swinging(clock, 1e-3)}, 1e9, max_rounds=9, clock=clock)
    assert len(full["a"]) == 9
    assert sorted(set(round(t, 9) for t in full["a"])) == [1e-3, 3e-3]


@pytest.mark.parametrize(
    "two_threads, kept",
    [
        ([0.5] * 7, 2),  # conclusively faster: more threads kept
        ([1.0] * 7, 1),  # no faster: the fewest
        ([0.5, 2.0] * 3 + [0.5], 1),  # swinging both ways: undecided, the fewest
        ([2.0] * 7, 1),  # slower
    ],
)
def test_a_route_keeps_the_fewest_threads_unless_more_are_faster(two_threads, kept):
    times = {("numpy", 1, 1): [1.0] * 7, ("numpy", 1, 2): two_threads}
    assert deploy_bench.choose(times, "numpy", 1, [1, 2]) == kept


def test_a_failed_cold_start_shows_its_error(tmp_path, monkeypatch):
    monkeypatch.setattr(
        deploy_bench, "COLD_SCRIPTS", {"numpy": "import sys; sys.exit('no file {path}')"}
    )
    paths = {"weights": tmp_path / "w.safetensors"}
    failed = r"cold start of numpy failed \(exit status 1\): no file"
    with pytest.raises(RuntimeError, match=failed):
        deploy_bench.cold_starts(paths, 1)


# -- The report, on a made-up record ------------------------------------------------------

ROUNDS = 7
#: Each route's seconds per image, the same every round: numpy is the fastest at batch 1.
PER_IMAGE = {"numpy": 1e-5, "pytorch": 4e-5, "pytorch_inference": 2e-5}


def made_up_record():
    latency, chosen = [], {}
    for route in ROUTES:
        chosen[route] = {str(bs): 1 for bs in deploy_bench.BATCH_SIZES}
        for bs in deploy_bench.BATCH_SIZES:
            for threads in (1, 2):
                if route in PER_IMAGE:
                    seconds = [PER_IMAGE[route] * bs] * ROUNDS
                else:  # onnxruntime: swinging both ways around the NumPy side's time
                    seconds = [PER_IMAGE["numpy"] * bs * f for f in (0.5, 2.0) * 3 + (1.0,)]
                latency.append(
                    {"route": route, "batch_size": bs, "threads": threads, "seconds": seconds}
                )
    return {
        "files": {"weights": 407_000, "onnx_scratch": 408_000, "onnx_pytorch": 409_000},
        "export_seconds": {"onnx_scratch": 0.01, "onnx_pytorch": 2.5},
        "operators": {"onnx_scratch": ["Gemm", "Sigmoid", "Gemm", "Softmax"], "onnx_pytorch": []},
        "agreement": {
            r: {"max_difference": 1e-6, "bound": 1e-5, "disagreements": 0, "close_calls": 0}
            for r in ("onnx_scratch", "onnx_pytorch", "pytorch")
        },
        "io": {key: [1e-3] * ROUNDS for key in deploy_report.IO},
        "latency": latency,
        "chosen": chosen,
        "cold_start": {key: [0.2] * 3 for key in deploy_report.COLD} | {"numpy": [0.1] * 3},
        "installs": {
            "numpy": {"total": 40e6, "distributions": {"numpy": 39e6, "safetensors": 1e6}},
            "pytorch": {"total": 4e9, "distributions": {"torch": 4e9}},
            "onnxruntime": {"total": 60e6, "distributions": {"onnxruntime": 60e6}},
            "torch_variant": "cpu",
            "torch_build": "torch 9.9+cpu, the CPU-only build",
            "nvidia": 0,
        },
    }


def test_throughputs_from_a_million_show_in_millions():
    assert deploy_report.per_second(stats.median_interval([1.0e6] * 3)) == "1.00M [1.00M, 1.00M]"
    assert deploy_report.per_second(stats.median_interval([999e3] * 3)) == "999k [999k, 999k]"


def test_the_provenance_starts_each_sentence_with_a_capital():
    record = made_up_record() | {
        "network": {"sizes": [784, 128, 10], "activation": "sigmoid", "dtype": "float32",
                    "epochs": 1, "training_images": 60_000, "test_accuracy": 0.9},
        "provenance": {"environment": _environment(), "dataset": "MNIST", "short": False,
                       "budget_seconds": 20.0, "elapsed_seconds": 40.0},
    }  # fmt: skip
    text = str(deploy_report.provenance(record))
    assert "Measured in 40 s. Data: MNIST;" in text and text.endswith(".")
    assert "trained for this record" in text  # not the page's own network


def _environment():
    from nnguide.lab.environment import describe

    return describe()


def test_the_latency_table_has_a_row_per_route_with_its_threads():
    table = deploy_report.latency_table(made_up_record())
    assert [row[0] for row in table.rows] == list(ROUTES.values())
    numpy_row = table.rows[0]
    assert numpy_row[1] == "10.0 µs [10.0 µs, 10.0 µs] (1 thr.)"
    assert numpy_row[-1] == "100k [100k, 100k] (1 thr.)"  # 1,000 images in 0.01 s


def test_the_comparisons_are_computed_from_the_rounds():
    text = str(deploy_report.comparisons(made_up_record()))
    sentences = text.split("\n\n")
    numpy, torch_inference = ROUTES["numpy"], ROUTES["pytorch_inference"]
    for sentence, bs in zip(sentences, deploy_bench.BATCH_SIZES):  # NumPy at every batch size
        assert sentence == (
            f"At batch {bs:,}, {numpy} takes 0.50x [0.50x, 0.50x] the time of {torch_inference}: "
            "faster."
        )
    onnx_at_1, onnx_at_largest, eager, cold, sizes = sentences[len(deploy_bench.BATCH_SIZES) :]
    assert onnx_at_1.endswith("inconclusive: " + _reason(0.5, 2.0) + ".")
    assert onnx_at_largest.startswith(f"At batch {max(deploy_bench.BATCH_SIZES):,}, {numpy}")
    assert eager.endswith(": slower.")  # eager over inference mode: 2 times
    assert cold.startswith("A fresh NumPy process answers its first request in 0.50x")
    assert cold.endswith(": inconclusive: only 3 rounds ran, too few for a "
                         f"{100 * stats.CONFIDENCE:.0f}% interval"
                         f" (it takes {stats.rounds_needed()}).")  # fmt: skip
    assert sizes == deploy_report.installs_sentence(made_up_record()["installs"])
    html = deploy_report.comparisons(made_up_record())._repr_html_()
    assert html.count("<p ") == len(sentences)  # a paragraph each, not one wall of text


def _reason(low, high):
    from nnguide.lab.bench.report.words import reason_text

    iv = stats.median_interval([f for f in (low, high) * 3 + (1.0,)])
    return reason_text(iv, stats.judge(iv)[1])


def test_the_intervals_note_states_their_confidence():
    text = str(deploy_report.intervals_note(made_up_record()))
    three = stats.median_interval([0.0] * 3).confidence  # the cold starts: 3 rounds
    assert f"with 3 to {ROUNDS} rounds per series" in text
    assert f"at least {100 * three:.0f}% confidence" in text
    assert f"fewer than the {stats.rounds_needed()} rounds" in text


def test_the_tables_of_files_saves_and_cold_starts_read_the_record():
    record = made_up_record()
    files = deploy_report.files_table(record)
    assert [row[1] for row in files.rows] == ["407,000 bytes", "408,000 bytes", "409,000 bytes"]
    assert files.rows[1][3] == "Gemm → Sigmoid → Gemm → Softmax"
    # the weight file is not exported and has no operators: a dash, not an empty cell
    assert files.rows[0][2:] == [deploy_report.NONE, deploy_report.NONE]
    assert [row[2] for row in deploy_report.io_table(record).rows] == [ROUNDS] * 3
    cold = deploy_report.cold_table(record)
    assert [row[0] for row in cold.rows] == list(deploy_report.COLD.values())
    assert cold.rows[1][1] == "0.10 s [0.10 s, 0.10 s]"
