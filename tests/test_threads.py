"""Thread counts: the cores a process may use, and setting each library's threads."""

import os

import pytest

from nnguide.lab import threads


def fake_proc(tmp_path, cgroup: str, mounts: list[str]):
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "cgroup").write_text(cgroup)
    (proc / "mountinfo").write_text("\n".join(mounts) + "\n")
    return proc


def test_cgroup_v2_quota_takes_the_tightest_limit_up_the_tree(tmp_path):
    fs = tmp_path / "fs"
    (fs / "ci" / "job").mkdir(parents=True)
    (fs / "ci" / "cpu.max").write_text("150000 100000\n")  # the parent: 1.5 cores
    (fs / "ci" / "job" / "cpu.max").write_text("max 100000\n")  # the group itself: no limit
    mounts = [f"30 23 0:26 / {fs} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate"]
    proc = fake_proc(tmp_path, "0::/ci/job\n", mounts)
    assert threads.cgroup_cpu_quota(proc) == 1.5
    (fs / "ci" / "job" / "cpu.max").write_text("50000 100000\n")
    assert threads.cgroup_cpu_quota(proc) == 0.5


def test_cgroup_v1_quota_and_no_quota(tmp_path):
    cpu = tmp_path / "cpu"
    (cpu / "docker" / "abc").mkdir(parents=True)
    (cpu / "docker" / "abc" / "cpu.cfs_quota_us").write_text("200000\n")
    (cpu / "docker" / "abc" / "cpu.cfs_period_us").write_text("100000\n")
    mounts = [
        f"32 31 0:29 / {cpu} rw,relatime - cgroup cgroup rw,cpu,cpuacct",
        f"33 31 0:30 / {tmp_path / 'mem'} rw,relatime - cgroup cgroup rw,memory",
    ]
    proc = fake_proc(tmp_path, "5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n", mounts)
    assert threads.cgroup_cpu_quota(proc) == 2.0
    (cpu / "docker" / "abc" / "cpu.cfs_quota_us").write_text("-1\n")
    assert threads.cgroup_cpu_quota(proc) is None
    assert threads.cgroup_cpu_quota(tmp_path / "no-proc") is None


def test_usable_cores_are_the_affinity_capped_by_the_quota(monkeypatch):
    assert 1 <= threads.usable_cores() <= threads.affinity_cores() <= (os.cpu_count() or 1)
    monkeypatch.setattr(threads, "affinity_cores", lambda: 8)
    monkeypatch.setattr(threads, "cgroup_cpu_quota", lambda: 1.5)
    assert threads.usable_cores() == 2  # one and a half cores: two threads fit
    monkeypatch.setattr(threads, "cgroup_cpu_quota", lambda: 0.2)
    assert threads.usable_cores() == 1
    monkeypatch.setattr(threads, "cgroup_cpu_quota", lambda: None)
    assert threads.usable_cores() == 8
    assert threads.describe_cores()["usable"] == 8


def test_thread_counts_worth_trying():
    assert threads.thread_counts(1) == [1]
    assert threads.thread_counts(2) == [1, 2]
    assert threads.thread_counts(6) == [1, 2, 4, 6]
    assert threads.thread_counts(16) == [1, 2, 4, 8, 16]


def test_set_threads_sets_each_library_and_scipys_own_blas_to_one():
    import scipy.linalg.blas  # noqa: F401  (loads SciPy's own BLAS, where it has one)
    import torch

    before = threads.get_threads()
    try:
        threads.set_threads("numpy", 1)
        threads.set_threads("torch", 1)
        assert threads.get_threads() == {"numpy": 1, "torch": 1}
        assert torch.get_num_threads() == 1
        _, others = threads._blas_controllers()
        assert all(info["num_threads"] == 1 for info in others.info())
    finally:
        for library, count in before.items():
            threads.set_threads(library, count)
    with pytest.raises(ValueError, match="library"):
        threads.set_threads("jax", 1)
    with pytest.raises(ValueError, match="at least 1"):
        threads.set_threads("numpy", 0)


def test_limit_threads_caps_at_the_usable_cores_and_tells_child_processes(monkeypatch):
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", threads.ENV_VAR):
        monkeypatch.setenv(name, "")  # restored after the test
    before = threads.get_threads()
    cores = threads.usable_cores()
    try:
        chosen = threads.limit_threads(numpy=1, torch=cores + 5, probe=False)
        assert chosen == {"numpy": 1, "torch": cores} == threads.get_threads()
        assert os.environ["OMP_NUM_THREADS"] == str(cores)
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        # A child that calls it again inherits the choice instead of measuring again.
        monkeypatch.setenv(threads.ENV_VAR, "numpy=1,torch=1")
        assert threads.limit_threads() == {"numpy": 1, "torch": 1}
    finally:
        for library, count in before.items():
            threads.set_threads(library, count)


def test_probe_threads_picks_one_of_the_counts():
    before = threads.get_threads()["torch"]
    found = threads.probe_threads("torch", seconds=0.2, rounds=2)
    assert found["best"] in found["counts"] == threads.thread_counts()
    assert set(found["seconds_per_step"]) == set(found["counts"])
    assert threads.get_threads()["torch"] == before  # left as it was
