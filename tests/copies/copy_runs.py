"""Running copies of the site's downloads: a fresh virtualenv, a notebook, a script.

The fixtures in ``conftest.py`` call these; the tests assert on what they return.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GALLERY = ROOT / "gallery"
DOWNLOADS = ROOT / "docs" / "_build" / "html" / "_downloads"
CONSTRAINTS = ROOT / "constraints.txt"
#: The gallery's pages, by name: each is a script and the notebook built from it.
PAGES = sorted(p.stem for p in GALLERY.glob("plot_*.py"))
KERNEL = ["ipykernel>=6"]  # all the fresh virtualenv starts with
KERNEL_NAME = "nnguide-copy"
#: What the pages import that the kernel does not bring: none is there at the start.
PAGE_IMPORTS = ("nnguide", "torch", "matplotlib", "keras", "safetensors", "onnxruntime")
TIMEOUT = 3600  # seconds, per notebook cell and per script
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # IPython colours its tracebacks
#: Copies that run side by side: each library on one thread, so they share the cores.
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "NNGUIDE_THREADS": "numpy=1,torch=1",
}


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def code_cells(notebook: Path) -> list[str]:
    """The sources of a notebook's code cells."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]


def the_download(downloads: dict[str, list[Path]], name: str) -> Path:
    """The one file named ``name`` in ``downloads`` (the ``downloads`` fixture)."""
    paths = downloads.get(name, [])
    if len(paths) != 1:
        pytest.fail(f"the site offers {len(paths)} downloads named {name}, not one: rebuild it")
    return paths[0]


class Failed(Exception):
    """A step the copies need (build, pip) failed; the message holds its output's end."""


def run_or_fail(command: list[str], what: str, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(command, capture_output=True, text=True, **kwargs)
    if done.returncode:
        raise Failed(f"{what} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done


def build_distributions(outdir: Path) -> None:
    """``python -m build`` this checkout's wheel and sdist into ``outdir``."""
    # The isolated build environment takes its setuptools from constraints.txt too.
    env = {**os.environ, "PIP_CONSTRAINT": str(CONSTRAINTS)}
    command = [sys.executable, "-m", "build", "--outdir", str(outdir), str(ROOT)]
    run_or_fail(command, "python -m build", env=env)


@dataclass
class Venv:
    """A virtualenv made for the copies, the environment to run in it, and its kernel."""

    path: Path
    env: dict[str, str]
    kernels: Path  # a folder of kernel specs that holds KERNEL_NAME
    present_at_start: list[str] = field(default_factory=list)

    @property
    def bindir(self) -> Path:
        return self.path / ("Scripts" if os.name == "nt" else "bin")

    @property
    def python(self) -> Path:
        return self.bindir / "python"

    def pip(self, *args: str) -> None:
        command = [str(self.python), "-m", "pip", "--quiet", *args]
        run_or_fail(command, f"pip {' '.join(args)}", env=self.env)


def bare_venv(folder: Path, wheel: Path, constraints: Path = CONSTRAINTS) -> Venv:
    """A new virtualenv in ``folder/venv`` with pip alone, and the environment to run in it.

    The environment points the notebooks' install source at ``wheel``, keeps
    pip to ``constraints`` and asks the pages for short runs.
    """
    venv = Venv(folder / "venv", {}, folder / "kernels")
    subprocess.run([sys.executable, "-m", "venv", str(venv.path)], check=True)
    outside = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX"}
    venv.env = {key: value for key, value in os.environ.items() if key not in outside}
    venv.env.update(
        PATH=f"{venv.bindir}{os.pathsep}{os.environ['PATH']}",
        VIRTUAL_ENV=str(venv.path),
        PIP_CONSTRAINT=str(constraints),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NNGUIDE_INSTALL_SOURCE=wheel.as_uri(),
        NNGUIDE_SHORT_RUN="1",
        MPLBACKEND="Agg",
    )
    return venv


def make_venv(folder: Path, wheel: Path) -> Venv:
    """A new virtualenv in ``folder/venv`` that holds the kernel (ipykernel) alone.

    Its environment is :func:`bare_venv`'s; ``folder/kernels`` holds the spec
    of a kernel that runs the virtualenv's Python.
    """
    venv = bare_venv(folder, wheel)
    spec = venv.kernels / KERNEL_NAME / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [str(venv.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": KERNEL_NAME, "language": "python"}))
    venv.pip("install", *KERNEL)
    probe = "import importlib.util as u, sys; print(*[m for m in sys.argv[1:] if u.find_spec(m)])"
    command = [str(venv.python), "-c", probe, *PAGE_IMPORTS]
    venv.present_at_start = run_or_fail(command, "probe", cwd=folder, env=venv.env).stdout.split()
    return venv


@dataclass
class Run:
    """One copy's run: its time, its error if any, and the executed notebook (for a notebook)."""

    name: str
    seconds: float = 0.0
    error: str | None = None
    notebook: object = None  # nbformat.NotebookNode


def copy_alone(source: Path, work: Path, kind: str) -> Path:
    """``source`` copied into an empty folder of its own under ``work/copies``."""
    folder = work / "copies" / f"{source.stem}-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return Path(shutil.copy2(source, folder))


async def run_notebook(source: Path, venv: Venv, env: dict, work: Path, kind: str) -> Run:
    """Run a copy of the notebook ``source`` in a kernel of ``venv``, in the copy's folder.

    The executed notebook is written beside the copy (``NAME.executed.ipynb``).
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    copy = copy_alone(source, work, kind)
    nb = nbformat.read(copy, as_version=4)
    specs = KernelSpecManager(kernel_dirs=[str(venv.kernels)])
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=specs)
    resources = {"metadata": {"path": str(copy.parent)}}
    client = NotebookClient(nb, km=km, timeout=TIMEOUT, resources=resources)
    run = Run(copy.name, notebook=nb)
    start = time.perf_counter()
    try:
        await client.async_execute(env=env)
    except Exception as exc:  # a cell's error, a dead kernel, a timeout: the test's failure
        run.error = ANSI_COLOUR.sub("", f"{type(exc).__name__}: {exc}")
    finally:
        run.seconds = time.perf_counter() - start
        if client.kc is not None:  # the client leaves a kernel it was given running
            client.kc.stop_channels()
        if km.has_kernel:
            await km.shutdown_kernel(now=True)
        executed = copy.with_suffix(".executed.ipynb")
        nbformat.write(nb, executed)
    if run.error:
        run.error += f"\n(the executed notebook: {executed})"
    return run


def run_script(source: Path, venv: Venv, env: dict, work: Path) -> Run:
    """Run a copy of the script ``source`` with the virtualenv's Python, in the copy's folder."""
    copy = copy_alone(source, work, "py")
    run = Run(copy.name)
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [str(venv.python), copy.name],
            cwd=copy.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
        )
        output, failed = done.stdout + done.stderr, done.returncode != 0
    except subprocess.TimeoutExpired as exc:  # its output is bytes on POSIX, whatever text= says
        parts = (exc.stdout or "", exc.stderr or "")
        output = "".join(p.decode(errors="replace") if isinstance(p, bytes) else p for p in parts)
        output, failed = f"{output}\nTIMEOUT after {TIMEOUT} s", True
    run.seconds = time.perf_counter() - start
    if failed:
        run.error = "\n".join(output.splitlines()[-40:])
    return run
