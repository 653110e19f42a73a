"""How many threads: the cores this process may use, and each library's fastest count.

``os.cpu_count()`` counts the machine's cores, not the ones a process may run
on: a container or a CI runner often limits a process to fewer, through its
CPU affinity (the cores the scheduler may put it on) or a cgroup quota (CPU
time per period, as ``docker run --cpus`` sets). A library that starts a
thread per counted core then has more threads than cores, and each waits for
the others: on a 2-core machine with one core busy elsewhere, PyTorch took six
times as long per epoch on 2 threads as on 1. This module reads the real
limit (:func:`usable_cores`), sets each library's threads
(:func:`set_threads`), measures which count is fastest for each library on
this machine (:func:`probe_threads`), and applies all of it to a process and
its children (:func:`limit_threads`), which the test suite and the docs build
call first.
"""

from __future__ import annotations

import math
import os
import statistics
import time
from pathlib import Path

from nnguide import settings

#: Environment variable in which :func:`limit_threads` leaves its choice, so
#: that child processes (notebook kernels, workers) reuse it without measuring
#: again (they read it through ``nnguide.settings.threads()``).
ENV_VAR = "NNGUIDE_THREADS"

LIBRARIES = ("numpy", "torch")


# -- The cores a process may use ----------------------------------------------------


def _cgroup_v2_quota(root: Path, path: str) -> float | None:
    """Cores allowed by ``cpu.max`` in the cgroup at ``path`` and its ancestors."""
    limits = []
    folder = root / path.lstrip("/")
    while True:
        try:
            quota, period = (folder / "cpu.max").read_text().split()[:2]
            if quota != "max":
                limits.append(int(quota) / int(period))
        except (OSError, ValueError):
            pass
        if folder == root or root not in folder.parents:
            break
        folder = folder.parent
    return min(limits) if limits else None


def _cgroup_v1_quota(root: Path, path: str) -> float | None:
    """Cores allowed by ``cpu.cfs_quota_us / cpu.cfs_period_us`` (-1: no quota)."""
    for folder in (root / path.lstrip("/"), root):
        try:
            quota = int((folder / "cpu.cfs_quota_us").read_text())
            period = int((folder / "cpu.cfs_period_us").read_text())
        except (OSError, ValueError):
            continue
        return quota / period if quota > 0 and period > 0 else None
    return None


def cgroup_cpu_quota(proc: str | os.PathLike = "/proc/self") -> float | None:
    """The CPU quota of this process's cgroup, in cores (for example 1.5), or None.

    Reads cgroup v2 (``cpu.max``) or v1 (``cpu.cfs_quota_us``), finding the
    mount points in ``<proc>/mountinfo`` and the process's group in
    ``<proc>/cgroup``. None when there is no quota or no cgroup file system.
    """
    proc = Path(proc)
    try:
        groups = (proc / "cgroup").read_text().splitlines()
        mounts = (proc / "mountinfo").read_text().splitlines()
    except OSError:
        return None
    v2_mount, v1_mount = None, None
    for line in mounts:
        # "id parent major:minor root mount-point options - fstype source super-options"
        fields, _, tail = line.partition(" - ")
        fields, tail = fields.split(), tail.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        if tail[0] == "cgroup2" and v2_mount is None:
            v2_mount = Path(fields[4])
        elif tail[0] == "cgroup" and "cpu" in tail[2].split(","):
            v1_mount = Path(fields[4])
    quotas = []
    for line in groups:
        hierarchy, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if hierarchy == "0" and controllers == "" and v2_mount is not None:
            quotas.append(_cgroup_v2_quota(v2_mount, path))
        elif "cpu" in controllers.split(",") and v1_mount is not None:
            quotas.append(_cgroup_v1_quota(v1_mount, path))
    quotas = [q for q in quotas if q is not None]
    return min(quotas) if quotas else None


def affinity_cores() -> int:
    """The number of cores the scheduler may run this process on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def usable_cores() -> int:
    """The cores this process may actually use: its CPU affinity, capped by any cgroup quota.

    A quota of 1.5 cores counts as 2 (rounded up): two threads still fit,
    one of them half the time. Never less than 1.
    """
    cores = affinity_cores()
    quota = cgroup_cpu_quota()
    if quota is not None:
        cores = min(cores, max(1, math.ceil(quota)))
    return max(1, cores)


def describe_cores() -> dict:
    """What :func:`usable_cores` is made of, for a record: JSON-ready."""
    return {
        "os_cpu_count": os.cpu_count(),
        "affinity": affinity_cores(),
        "cgroup_quota": cgroup_cpu_quota(),
        "usable": usable_cores(),
    }


def thread_counts(cores: int | None = None) -> list[int]:
    """The thread counts worth trying on ``cores`` cores: 1, 2, 4, ... and ``cores`` itself."""
    cores = cores or usable_cores()
    counts = [1]
    while counts[-1] * 2 < cores:
        counts.append(counts[-1] * 2)
    return counts + [cores] if cores > 1 else counts


# -- Setting the threads --------------------------------------------------------------


def _in_scipy(filepath: str) -> bool:
    """Whether a library file lies in SciPy's own folders (``scipy.libs``, ``scipy/.dylibs``)."""
    folders = Path(filepath).parent.parts[-2:]
    return any(folder.split(".")[0] == "scipy" for folder in folders)


def _blas_controllers():
    """(NumPy's BLAS, the other BLAS libraries loaded), as threadpoolctl controllers.

    SciPy's wheels carry an OpenBLAS of their own, apart from NumPy's. Each
    keeps its own pool of worker threads, which spin for a while after each
    call; on two cores, NumPy's products and SciPy's calls in turn made each
    pool's threads wait for the other's, and a training step took twenty times
    as long. So the other libraries run on one thread (:func:`set_threads`).
    """
    from threadpoolctl import ThreadpoolController

    blas = ThreadpoolController().select(user_api="blas")
    scipy_own = [c.filepath for c in blas.lib_controllers if _in_scipy(c.filepath)]
    numpy_blas = [c.filepath for c in blas.lib_controllers if c.filepath not in scipy_own]
    return blas.select(filepath=numpy_blas), blas.select(filepath=scipy_own)


def single_thread_other_blas() -> None:
    """Run any BLAS loaded besides NumPy's (SciPy's own copy) on one thread.

    See ``_blas_controllers()`` for why; :func:`set_threads` does it too.
    """
    _blas_controllers()[1].limit(limits=1)


def set_threads(library: str, count: int) -> None:
    """Let ``library`` ("numpy" or "torch") use ``count`` threads from now on.

    For NumPy, its BLAS (through threadpoolctl); a separate BLAS that SciPy
    brings (see ``_blas_controllers()``) gets one thread. For PyTorch,
    :func:`torch.set_num_threads`.
    """
    if count < 1:
        raise ValueError(f"thread count must be at least 1, got {count}.")
    if library == "numpy":
        numpy_blas, others = _blas_controllers()
        numpy_blas.limit(limits=count)
        others.limit(limits=1)
    elif library == "torch":
        import torch

        if torch.get_num_threads() != count:
            torch.set_num_threads(count)
    else:
        raise ValueError(f"library must be one of {LIBRARIES}, got {library!r}.")


def get_threads() -> dict[str, int]:
    """The thread counts the two libraries use now."""
    import torch

    numpy_blas, _ = _blas_controllers()
    counts = [info["num_threads"] for info in numpy_blas.info()]
    return {"numpy": max(counts) if counts else 1, "torch": torch.get_num_threads()}


# -- Which count is fastest ---------------------------------------------------------------


def _guide_steps(library: str, batch_size: int = 64):
    """A function that runs ``k`` training steps of the 784-128-10 guide network on random data."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((batch_size, 784), dtype=np.float32)
    y = rng.integers(0, 10, batch_size)
    if library == "numpy":
        from nnguide import scratch

        model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
        optimizer = scratch.SGD(model.parameters(), 0.1, momentum=0.9)

        def steps(k):
            for _ in range(k):
                scratch.train_step(model, optimizer, x, y)

    else:
        import torch

        from nnguide import pytorch

        model = pytorch.MLP((784, 128, 10), "sigmoid", seed=0)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        xt, yt = torch.from_numpy(x), torch.from_numpy(y)

        def steps(k):
            for _ in range(k):
                optimizer.zero_grad()
                torch.nn.functional.cross_entropy(model(xt), yt).backward()
                optimizer.step()

    return steps


def probe_threads(
    library: str, counts: list[int] | None = None, *, seconds: float = 1.0, rounds: int = 5
) -> dict:
    """Which thread count trains the guide network fastest with ``library``, here and now.

    Times a few dozen steps of the 784-128-10 network at batch 64 at each count,
    in ``rounds`` rounds that take the counts in turn (so a slow moment of the
    machine falls on all of them), within about ``seconds``.

    Returns
    -------
    dict
        ``best`` (the count with the lowest median time; the fewest threads
        when counts tie within 5%), ``seconds_per_step`` (count to median) and
        ``counts``.
    """
    counts = counts or thread_counts()
    before = get_threads()[library]
    steps = _guide_steps(library)
    try:
        set_threads(library, counts[-1])
        start = time.perf_counter()
        steps(3)  # warm-up, and a first estimate of a step's time
        per_step = (time.perf_counter() - start) / 3
        k = max(3, int(seconds / rounds / len(counts) / per_step))
        times = {c: [] for c in counts}
        for _ in range(rounds):
            for c in counts:
                set_threads(library, c)
                steps(1)  # let the pool reach its new size before timing
                start = time.perf_counter()
                steps(k)
                times[c].append((time.perf_counter() - start) / k)
    finally:
        set_threads(library, before)
    medians = {c: statistics.median(t) for c, t in times.items()}
    fastest = min(medians.values())
    # Fewer threads when the difference is small: they suffer less when the
    # machine gets busy, which is what a build machine does.
    best = min(c for c, m in medians.items() if m <= 1.05 * fastest)
    return {"best": best, "seconds_per_step": medians, "counts": counts}


def limit_threads(
    *, numpy: int | None = None, torch: int | None = None, probe: bool = True
) -> dict[str, int]:
    """Cap both libraries' threads at the usable cores, at their fastest count; return the counts.

    Call it first in a process that trains or times the networks (the test
    suite's ``conftest.py``, the docs build's ``docs/_ext/nnguide_records.py``). It sets the
    threads of this process (:func:`set_threads`) and the environment
    variables that child processes (notebook kernels) read at start-up:
    ``OMP_NUM_THREADS`` (PyTorch), ``OPENBLAS_NUM_THREADS`` (NumPy's BLAS)
    and :data:`ENV_VAR` (this choice, so a child that calls this function
    again reuses it instead of measuring again).

    Parameters
    ----------
    numpy, torch : int, optional
        Fixed counts, capped at :func:`usable_cores`. By default each is the
        count :func:`probe_threads` finds fastest (about a second each), or
        the usable cores when ``probe`` is false.
    probe : bool
        Measure the fastest counts (the default) or take the usable cores.

    Returns
    -------
    dict
        ``{"numpy": n, "torch": m}``, the counts now in force.
    """
    cores = usable_cores()
    chosen = {"numpy": numpy, "torch": torch}
    inherited = settings.threads()  # a parent process's choice, from ENV_VAR
    for library in LIBRARIES:
        if chosen[library] is None and library in inherited:
            chosen[library] = inherited[library]
        if chosen[library] is None:
            chosen[library] = probe_threads(library)["best"] if probe and cores > 1 else cores
        chosen[library] = max(1, min(chosen[library], cores))
        set_threads(library, chosen[library])
    os.environ["OMP_NUM_THREADS"] = str(chosen["torch"])
    os.environ["OPENBLAS_NUM_THREADS"] = str(chosen["numpy"])
    os.environ[ENV_VAR] = f"numpy={chosen['numpy']},torch={chosen['torch']}"
    return chosen
