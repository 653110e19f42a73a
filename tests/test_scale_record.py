"""The scale record read back: the claim's branches, the projection and the page's tables.

Each test builds a small record by hand (no processes are launched here; the
launched runs are in tests/test_parallel.py).
"""

import json

import pytest

from nnguide.lab.claims import scale_claim
from nnguide.lab.scale import projection, report
from nnguide.lab.scale import record as scale

SLICES = 3


def run(engine, processes, threads, step, comm, round_=0):
    return dict(
        engine=engine, processes=processes, threads=threads, round=round_, batch=64,
        step_seconds=[step * (1 + 0.001 * i) for i in range(SLICES)],
        allreduce_seconds=[comm * (1 + 0.001 * i) for i in range(SLICES)],
        gradient_bytes=407_080, steps_per_epoch=938, shares=[64] if processes == 1 else [32, 32],
        allreduces_per_step=1, allreduced_bytes_per_step=407_080, dataset="MNIST",
    )  # fmt: skip


def make_record(mpi_comm=0.1e-3, gloo_comm=2e-3, held=True, two_step=0.6e-3, cores=2,
                rounds=5, mpi_jitter=None, threads_step=0.8e-3):  # fmt: skip
    """A record of ``rounds`` rounds; MPI's all-reduce in round k is scaled by mpi_jitter[k]."""
    jitter = mpi_jitter or [1 + 0.002 * k for k in range(rounds)]
    runs = []
    for k in range(rounds):
        for engine, comm in (("mpi", mpi_comm * jitter[k]), ("gloo", gloo_comm)):
            runs += [run(engine, 1, 1, 1e-3, 1e-6, k), run(engine, 2, 1, two_step + comm, comm, k),
                     run(engine, 1, 2, threads_step, 1e-6, k)]  # fmt: skip
    sweep = dict(bytes=[4096, 65536], seconds=[1e-5, 1e-4])
    checks = {"mpi_float64": dict(difference=1e-16, bound=1e-12, held=held),
              "mpi_float32": dict(difference=3e-7, bound=1.2e-5, held=held)}  # fmt: skip
    return dict(
        kind=scale.KIND, format=scale.FORMAT, cores=cores, runs=runs, dataset="MNIST",
        seconds=60.0, shortened="", environment=dict(date="2026-01-01", cpu="a CPU"),
        exactness=dict(steps=100, batch=64, examples=3169, checks=checks, held=held,
                       largest_weight=0.5),
        sweeps=dict(mpi=sweep, gloo=sweep),
        fits={e: dict(latency=5e-6, latency_stderr=1e-6, bandwidth=2e9, bandwidth_stderr=1e8)
              for e in ("mpi", "gloo")},
        plan=dict(rounds=rounds, slices=SLICES, slice_steps=40, short=False),
    )  # fmt: skip


LINES = {"scratch": 14, "pytorch": 8}
#: MPI's all-reduce against DDP's equal on average, round by round: a spread within
#: the noise threshold (unresolved), and one far beyond it (noisy).
UNRESOLVED, NOISY = [0.99, 1.0, 1.01, 0.995, 1.005], [0.7, 1.0, 1.3, 0.9, 1.1]


@pytest.mark.parametrize(
    "record, verdict",
    [
        (make_record(held=False), "**Inconclusive**: in this build's runs"),
        (make_record(mpi_comm=1e-3, gloo_comm=1e-3, mpi_jitter=UNRESOLVED),
         "**Inconclusive** on the cost: whether MPI's all-reduce or DDP's took less time per "
         "step is undecided, as the ratio's interval, 1.00x [0.99x, 1.01x], contains 1: any "
         "difference is smaller than the rounds resolve."),
        (make_record(mpi_comm=1e-3, gloo_comm=1e-3, mpi_jitter=NOISY),
         "**Inconclusive** on the cost: whether MPI's all-reduce or DDP's took less time per "
         "step is undecided, as the rounds were too noisy to decide: the ratio's interval, "
         "1.00x [0.70x, 1.30x], contains 1 and spans 60% of its median, more than the 20%"),
        (make_record(rounds=2),
         "**Inconclusive** on the cost: whether MPI's all-reduce or DDP's took less time per "
         "step is undecided, as 2 rounds are too few for a 90% interval (it takes 5)."),
        (make_record(mpi_comm=0.1e-3, gloo_comm=2e-3), "**Partly true**"),
        (make_record(mpi_comm=2e-3, gloo_comm=0.1e-3), "**True** on this build"),
    ],
    ids=["runs-differ", "unresolved", "noisy", "few-rounds", "mpi-cheaper", "ddp-cheaper"],
)  # fmt: skip
def test_the_claim_has_a_verdict_for_each_outcome(record, verdict):
    claim = scale_claim(record, LINES)
    assert claim.verdict.startswith(verdict), claim.verdict
    assert "the NumPy side adds 14 lines" in claim.evidence, claim.evidence
    assert "the PyTorch side 8 (DDP" in claim.evidence, claim.evidence


def test_the_cost_verdict_follows_the_allreduce_time_not_each_engines_share():
    # DDP's step is so long that its all-reduce is the smaller share, yet it takes longer.
    record = make_record(mpi_comm=0.5e-3, gloo_comm=2e-3)
    for run_ in record["runs"]:
        if run_["engine"] == "gloo" and run_["processes"] == 2:
            run_["step_seconds"] = [0.1] * SLICES
    assert scale.comm_share(record, "gloo").median < scale.comm_share(record, "mpi").median
    claim = scale_claim(record, LINES)
    assert claim.verdict.startswith("**Partly true**"), claim.verdict
    assert "its all-reduce took less time per step here: 0.25x [0.25x, 0.25x] DDP's" in (
        claim.verdict
    ), claim.verdict


def test_the_card_gives_percentages_on_both_bounds_and_the_judged_ratio():
    record = make_record(mpi_comm=0.1e-3, gloo_comm=2e-3)
    claim = scale_claim(record, LINES)
    mpi = scale.comm_share(record, "mpi")
    shown = f"{100 * mpi.median:.0f}% [{100 * mpi.low:.0f}%, {100 * mpi.high:.0f}%] with MPI"
    assert shown in claim.evidence, claim.evidence
    ratio = scale.ratio(record, ("mpi", 2, 1), ("gloo", 2, 1), "allreduce")
    assert "with DDP over gloo (5 rounds)" in claim.evidence, claim.evidence
    assert f"{report.factor(ratio)} DDP's" in claim.verdict, claim.verdict


def test_the_true_verdict_names_its_subject_without_more_lines():
    claim = scale_claim(make_record(mpi_comm=2e-3, gloo_comm=0.1e-3), {"scratch": 8, "pytorch": 8})
    assert claim.verdict.startswith("**True** on this build: the NumPy side brings MPI itself")
    assert "more lines" not in claim.verdict, claim.verdict


def test_the_lines_are_counted_without_starting_mpi():
    import subprocess
    import sys

    code = (
        "import sys; from nnguide.lab.claims.scale import parallel_code_lines\n"
        "lines = parallel_code_lines(); assert 'mpi4py.MPI' not in sys.modules, 'MPI imported'\n"
        "assert lines['scratch'] > 0 and lines['pytorch'] > 0, lines"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


def test_a_ring_allreduce_costs_what_its_formula_says():
    # 4 machines: each sends 2 * 3/4 of the bytes, in 6 messages.
    assert projection.ring_allreduce_seconds(1e6, 4, 1e9, 1e-5) == pytest.approx(1.5e6 / 1e9 + 6e-5)
    assert projection.ring_allreduce_seconds(1e6, 1, 1e9, 1e-5) == 0.0


def test_a_projection_row_is_the_ring_formula():
    record = make_record()
    row = projection.projection(record)[0]
    link = projection.LINKS[row["link"]]
    nbytes = scale.runs(record, row["engine"], 2, 1)[0]["gradient_bytes"]
    expected = projection.ring_allreduce_seconds(
        nbytes, row["machines"], link, projection.LINK_LATENCY
    )
    assert row["comm"] == pytest.approx(expected)
    per_example = projection.compute_per_example(record, row["engine"])
    assert row["compute"] == pytest.approx(per_example * 64 / row["machines"])
    assert row["share"] == pytest.approx(expected / (expected + row["compute"]))


def test_at_the_batch_for_a_share_the_allreduce_takes_that_share():
    per_example, comm, machines = 2e-5, 1e-3, 8
    batch = projection.batch_for_share(per_example, comm, machines, 0.1)
    assert comm / (comm + per_example * batch / machines) == pytest.approx(0.1)


def test_the_page_renders_every_table_from_a_record():
    record = make_record()
    for shown in (report.provenance(record), report.intervals_note(record),
                  report.exactness_table(record), report.epoch_table(record),
                  report.headline(record), report.threads_note(record), report.fit_table(record),
                  report.sweep_vs_training(record), report.projection_assumptions(record),
                  report.projection_table(record), report.what_the_rows_show(record),
                  report.float32_note(record), report.float64_note(record),
                  report.buckets(record)):  # fmt: skip
        assert str(shown).strip()
    table = report.epoch_table(record)
    assert len(table.rows) == len(scale.SIDES) * len(scale.configurations(record["cores"], False))


def test_the_headline_gives_the_measured_epochs_and_says_slower_as_slower():
    record = make_record(two_step=1.5e-3)  # two processes slower than one
    text = str(report.headline(record))
    for engine in scale.SIDES:
        one = scale.epoch_seconds(record, engine, 1, 1).median
        two = scale.epoch_seconds(record, engine, 2, 1).median
        assert f"{one:.2f} s per epoch on one process, {two:.2f} s on two" in text, text
        assert f"two processes take {two / one:.2f}x [" in text, text
    assert "as fast" not in text, text


def test_the_headline_says_faster_as_faster_and_why_it_cannot_decide():
    faster = str(report.headline(make_record(two_step=0.2e-3, mpi_comm=0.1e-3, gloo_comm=0.1e-3)))
    assert faster.count("two processes are 3.33x [") == 2, faster
    few = str(report.headline(make_record(rounds=1)))
    assert "1 round is too few for a 90% interval (it takes 5)" in few, few


def test_intervals_are_over_rounds_not_slices():
    record = make_record(rounds=2)
    # Round 1's slices all slower: two values, one per launch, not six slices.
    for run_ in record["runs"]:
        if run_["round"] == 1:
            run_["step_seconds"] = [2 * s for s in run_["step_seconds"]]
    epoch = scale.epoch_seconds(record, "mpi", 1, 1)
    assert epoch.n == 2, epoch
    assert epoch.high == pytest.approx(2 * epoch.low), epoch


def test_the_intervals_note_states_their_confidence_from_the_rounds():
    five = str(report.intervals_note(make_record()))
    assert "With 5 rounds, each interval covers the true median with 94% confidence." in five
    two = str(report.intervals_note(make_record(rounds=2)))
    assert "50% confidence, less than the 90% that 5 rounds give" in two, two
    one = str(report.intervals_note(make_record(rounds=1)))
    assert "no interval" in one, one


def test_a_noisy_interval_is_marked_in_the_epoch_table():
    record = make_record(mpi_jitter=NOISY)
    comm = {row[0]: row[4] for row in report.epoch_table(record).rows if row[1] == 2}
    assert comm[report.ENGINE_NAMES["mpi"]].endswith("(noisy)"), comm
    assert not comm[report.ENGINE_NAMES["gloo"]].endswith("(noisy)"), comm


def test_the_threads_rows_are_judged_against_two_processes():
    text = str(report.threads_note(make_record(threads_step=0.4e-3)))
    assert "one process on 2 threads" in text, text
    assert "NumPy + MPI (mpi4py, MPICH): the threads are faster, taking 0.57x [" in text, text
    assert report.threads_note(make_record(cores=1)) is None


def test_the_provenance_counts_its_rounds_in_words():
    assert "5 interleaved rounds, " in str(report.provenance(make_record()))
    assert "1 interleaved round, " in str(report.provenance(make_record(rounds=1)))


def test_the_float64_note_sets_the_bounds_beside_float64_rounding():
    text = str(report.float64_note(make_record()))
    assert "100 × 2.2e-16 = 2.2e-14, 45 times less than the first" in text, text


def test_the_model_is_set_beside_training_and_its_worst_miss_named():
    record = make_record()
    record["sweeps"]["mpi"] = dict(bytes=[4096, 65536], seconds=[5e-6 + 4096 / 2e9, 2e-4])
    text = str(report.sweep_vs_training(record))
    assert "misses most at 65,536 bytes, where the sweep measured 5.30x its time" in text, text


def test_the_sweep_figure_stays_legible_on_a_phone():
    # On a 390-px-wide screen the figure is shown about 230 px wide (the reader's audit);
    # its smallest text, shrunk alike, should keep about 9 px.
    fig = report.sweep_figure(make_record())
    fig.canvas.draw()
    width = fig.get_figwidth()
    sizes = [t.get_fontsize() for t in fig.findobj(lambda a: hasattr(a, "get_fontsize"))
             if getattr(t, "get_text", lambda: "")()]  # fmt: skip
    assert min(sizes) / 72 * 230 / width >= 9, (min(sizes), width)


def test_the_page_says_what_the_runs_showed():
    held, failed = make_record(cores=4), make_record(held=False, cores=1)
    assert "4 usable cores" in str(report.what_the_rows_show(held))
    assert "took exactly the steps of one process" in str(report.what_the_rows_show(held))
    assert "1 usable core " in str(report.what_the_rows_show(failed))
    assert "did not all hold" in str(report.what_the_rows_show(failed))


def test_the_float32_note_gives_the_measured_difference_and_largest_weight():
    record = make_record()
    text = str(report.float32_note(record))
    assert "may differ" in text and "3e-07" in text and "is 0.5." in text, text
    record["exactness"]["largest_weight"] = 1.5
    assert "not justified" in str(report.float32_note(record))


def test_the_projection_states_its_constants():
    text = str(report.projection_assumptions(make_record()))
    assert f"{1e6 * projection.LINK_LATENCY:g} µs" in text, text
    assert f"more than {100 * projection.TARGET_SHARE:.0f}% of a step" in text, text


def test_one_bucket_is_said_to_leave_nothing_to_overlap():
    text = str(report.buckets(make_record()))
    assert "fit in one of DDP's buckets" in text and "nothing overlapped" in text, text


def test_a_failed_job_is_named_by_its_error_line_not_the_launchers():
    stderr = (
        "Traceback (most recent call last):\n  ...\nValueError: bad share\n"
        "E1206 torch.distributed.elastic.multiprocessing.api: failed\n"
        "============================================================\n"
    )
    assert scale.error_line(stderr) == "ValueError: bad share"
    assert scale.error_line("error: rank 0 of 2 lost rank 1\n") == "error: rank 0 of 2 lost rank 1"
    assert scale.error_line("") == "no output"


def test_the_sweep_fit_never_gives_a_negative_latency():
    sizes = [4096 * 4**k for k in range(6)]
    fit = scale.fit_sweep(dict(bytes=sizes, seconds=[b / 2e9 - 1e-6 for b in sizes]))
    assert fit["latency"] >= 0


def test_a_record_of_another_format_is_refused_in_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("NNGUIDE_RESULTS", str(tmp_path))
    record = make_record()
    scale.save_record(record, tmp_path / "scale.json")
    assert scale.scale_record() == record
    for older, said in ((dict(record, format=1), "of format 1, this nnguide reads format"),
                        ({k: v for k, v in record.items() if k != "format"}, "format None"),
                        (dict(record, kind="other"), "is not a scale record")):  # fmt: skip
        (tmp_path / "scale.json").write_text(json.dumps(older))
        with pytest.raises(ValueError) as err:
            scale.scale_record()
        assert said in str(err.value) and "\n" not in str(err.value), str(err.value)
