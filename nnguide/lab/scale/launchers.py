"""Start a job of several processes under ``torchrun`` or ``mpiexec``, never waiting forever."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from nnguide.parallel import EXTRA

#: The launcher of each engine.
LAUNCHERS = {"gloo": "torchrun", "mpi": "mpiexec"}


def mpiexec() -> str:
    """The ``mpiexec`` beside this Python (the MPICH wheel puts it there), else on ``PATH``.

    Raises
    ------
    RuntimeError
        When there is none, naming the extra that installs it.
    """
    beside = Path(sys.executable).parent / "mpiexec"
    found = str(beside) if beside.is_file() else shutil.which("mpiexec")
    if found is None:
        raise RuntimeError(f"no mpiexec beside {sys.executable} or on PATH: {EXTRA}")
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
    workers, and ``subprocess.TimeoutExpired`` is raised.
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
            os.killpg(job.pid, signal.SIGKILL)
            job.communicate()
            raise
        return subprocess.CompletedProcess(job.args, job.returncode, out, err)
