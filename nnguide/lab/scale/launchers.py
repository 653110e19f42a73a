"""Start a job of several processes under ``torchrun`` or ``mpiexec``, never waiting forever."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from pathlib import Path

from nnguide.parallel import EXTRA

#: The launcher of each engine.
LAUNCHERS = {"gloo": "torchrun", "mpi": "mpiexec"}


def mpiexec() -> str:
    """The ``mpiexec`` the MPICH wheel installed with this Python, else the one on ``PATH``.

    Raises
    ------
    RuntimeError
        When there is none, naming the extra that installs it.
    """
    # Where pip puts the MPICH wheel's scripts: beside this Python, in the environment's
    # scripts folder, or in the user scheme's (pip install --user).
    folders = [Path(sys.executable).parent, Path(sysconfig.get_path("scripts"))]
    folders.append(Path(sysconfig.get_path("scripts", f"{os.name}_user")))
    found = next((str(f / "mpiexec") for f in folders if (f / "mpiexec").is_file()), None)
    found = found or shutil.which("mpiexec")
    if found is None:
        raise RuntimeError(
            f"no mpiexec beside {sys.executable}, in its scripts or on PATH: {EXTRA}"
        )
    return found


def command(launcher: str, processes: int, module: str, args: list[str]) -> list[str]:
    """The command line that starts ``python -m module args`` on ``processes`` processes."""
    if launcher == "torchrun":
        return [
            sys.executable, "-m", "torch.distributed.run", "--standalone",
            f"--nproc-per-node={processes}", "-m", module, *args,
        ]  # fmt: skip
    if launcher == "mpiexec":
        return [mpiexec(), "-n", str(processes), sys.executable, "-m", module, *args]
    raise ValueError(f"launcher must be 'torchrun' or 'mpiexec', got {launcher!r}.")


def launch(
    launcher: str,
    processes: int,
    module: str,
    args: list[str],
    *,
    threads: int = 1,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run the job and wait for it, at most ``timeout`` seconds; its output, as text.

    Each process runs on ``threads`` threads (``OMP_NUM_THREADS``, which also
    keeps torchrun from warning that it set it). The job runs in its own
    process group: on a timeout, the whole group is killed, launcher and
    workers, and a one-line ``RuntimeError`` names the job and its timeout.
    """
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    with subprocess.Popen(
        command(launcher, processes, module, args),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    ) as job:
        try:
            out, err = job.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_job(job)
            job_name = f"{launcher} job of {processes} process{'es' * (processes != 1)}"
            raise RuntimeError(
                f"the {job_name} ({module} {' '.join(args)}) did not end within {timeout:g} s "
                "and was killed"
            ) from None
        return subprocess.CompletedProcess(job.args, job.returncode, out, err)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``, from /proc (Linux)."""
    parents = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        parents[int(proc.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def kill_job(job: subprocess.Popen) -> None:
    """Kill a job started by :func:`launch`: its launcher's group and every worker below it.

    Workers may run in sessions of their own (torchrun starts them so), where
    killing the launcher's group would not reach them and they would hold its
    output open.
    """
    workers = descendants(job.pid)
    for pid in workers:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        os.killpg(job.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    job.communicate()
