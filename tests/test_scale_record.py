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
        allreduces_per_step=1, dataset="MNIST",
    )  # fmt: skip


def make_record(mpi_comm=0.1e-3, gloo_comm=2e-3, held=True):
    runs = []
    for engine, comm in (("mpi", mpi_comm), ("gloo", gloo_comm)):
        runs += [run(engine, 1, 1, 1e-3, 1e-6), run(engine, 2, 1, 0.6e-3 + comm, comm),
                 run(engine, 1, 2, 0.8e-3, 1e-6)]  # fmt: skip
    sweep = dict(bytes=[4096, 65536], seconds=[1e-5, 1e-4])
    checks = {"mpi_float64": dict(difference=1e-16, bound=1e-12, held=held)}
    return dict(
        kind="nnguide-scale", cores=2, runs=runs, dataset="MNIST", seconds=60.0, shortened="",
        environment=dict(date="2026-01-01", cpu="a CPU"),
        exactness=dict(steps=100, batch=64, examples=3169, checks=checks, held=held),
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
    assert "14 lines" in claim.evidence and "8" in claim.evidence


def test_a_ring_allreduce_costs_what_its_formula_says():
    # 4 machines: each sends 2 * 3/4 of the bytes, in 6 messages.
    assert projection.ring_allreduce_seconds(1e6, 4, 1e9, 1e-5) == pytest.approx(1.5e6 / 1e9 + 6e-5)
    assert projection.ring_allreduce_seconds(1e6, 1, 1e9, 1e-5) == 0.0


def test_at_the_batch_for_a_share_the_allreduce_takes_that_share():
    per_example, comm, machines = 2e-5, 1e-3, 8
    batch = projection.batch_for_share(per_example, comm, machines, 0.1)
    assert comm / (comm + per_example * batch / machines) == pytest.approx(0.1)


def test_the_page_renders_every_table_from_a_record():
    record = make_record()
    for shown in (report.provenance(record), report.exactness_table(record),
                  report.epoch_table(record), report.headline(record), report.fit_table(record),
                  report.projection_table(record)):  # fmt: skip
        assert str(shown).strip()
    table = report.epoch_table(record)
    assert len(table.rows) == len(scale.SIDES) * len(scale.configurations(record["cores"], False))
