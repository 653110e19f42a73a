"""The scale record read back: the claim's branches, the projection and the page's tables.

Each test builds a small record by hand (no processes are launched here; the
launched runs are in tests/test_parallel.py).
"""

import pytest

from nnguide.lab.claims import scale_claim
from nnguide.lab.scale import projection, report
from nnguide.lab.scale import record as scale

SLICES = 10


def run(engine, processes, threads, step, comm):
    return dict(
        engine=engine, processes=processes, threads=threads, round=0, batch=64,
        step_seconds=[step * (1 + 0.001 * i) for i in range(SLICES)],
        allreduce_seconds=[comm * (1 + 0.001 * i) for i in range(SLICES)],
        gradient_bytes=407_080, steps_per_epoch=938, shares=[64] if processes == 1 else [32, 32],
        allreduces_per_step=1, allreduced_bytes_per_step=407_080, dataset="MNIST",
    )  # fmt: skip


def make_record(mpi_comm=0.1e-3, gloo_comm=2e-3, held=True, two_step=0.6e-3, cores=2):
    runs = []
    for engine, comm in (("mpi", mpi_comm), ("gloo", gloo_comm)):
        runs += [run(engine, 1, 1, 1e-3, 1e-6), run(engine, 2, 1, two_step + comm, comm),
                 run(engine, 1, 2, 0.8e-3, 1e-6)]  # fmt: skip
    sweep = dict(bytes=[4096, 65536], seconds=[1e-5, 1e-4])
    checks = {"mpi_float64": dict(difference=1e-16, bound=1e-12, held=held),
              "mpi_float32": dict(difference=3e-7, bound=1.2e-5, held=held)}  # fmt: skip
    return dict(
        kind="nnguide-scale", cores=cores, runs=runs, dataset="MNIST", seconds=60.0, shortened="",
        environment=dict(date="2026-01-01", cpu="a CPU"),
        exactness=dict(steps=100, batch=64, examples=3169, checks=checks, held=held,
                       largest_weight=0.5),
        sweeps=dict(mpi=sweep, gloo=sweep),
        fits={e: dict(latency=5e-6, latency_stderr=1e-6, bandwidth=2e9, bandwidth_stderr=1e8)
              for e in ("mpi", "gloo")},
        plan=dict(rounds=1, slices=SLICES, slice_steps=40, short=False),
    )  # fmt: skip


LINES = {"scratch": 14, "pytorch": 8}


@pytest.mark.parametrize(
    "record, verdict",
    [
        (make_record(held=False), "**Inconclusive**: in this build's runs"),
        (make_record(mpi_comm=1e-3, gloo_comm=1e-3), "**Inconclusive** on the cost"),
        (make_record(mpi_comm=0.1e-3, gloo_comm=2e-3), "**Partly true**"),
        (make_record(mpi_comm=2e-3, gloo_comm=0.1e-3), "**True** on this build"),
    ],
    ids=["runs-differ", "overlap", "mpi-cheaper", "ddp-cheaper"],
)
def test_the_claim_has_a_verdict_for_each_outcome(record, verdict):
    claim = scale_claim(record, LINES)
    assert claim.verdict.startswith(verdict), claim.verdict
    assert "the NumPy side adds 14 lines" in claim.evidence, claim.evidence
    assert "the PyTorch side 8 (DDP" in claim.evidence, claim.evidence


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
    for shown in (report.provenance(record), report.exactness_table(record),
                  report.epoch_table(record), report.headline(record), report.fit_table(record),
                  report.projection_table(record), report.what_the_rows_show(record),
                  report.float32_note(record), report.buckets(record)):  # fmt: skip
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
        assert f"({two / one:.2f} times as slow)" in text, text
    assert "times as fast" not in text, text


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
    text = str(report.projection_assumptions())
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
