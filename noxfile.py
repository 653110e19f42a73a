"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s docs``, ``nox -s browser``,
``nox -s docs_live``, ``nox -s package``, ``nox -s gallery_copies``, ``nox -s lock``.

Tests and docs read MNIST from ``$NNGUIDE_DATA`` when it is set; the tests
also look in ``../shared/data/mnist``. Otherwise the files are downloaded once
into the user cache.

Every session installs with ``-c constraints.txt``: the package declares only
lower bounds, and constraints.txt pins every package the sessions install at
the version the site is built with (``nox -s lock`` writes it afresh).
"""

import ast
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True  # torch is large: install it once per session

ROOT = Path(__file__).parent
SHARED_DATA = ROOT.parent / "shared" / "data" / "mnist"
CONSTRAINTS = ROOT / "constraints.txt"


def install(session, *args):
    """``pip install`` with every package at its version in constraints.txt.

    Skipped when the session's virtualenv already holds what these arguments,
    pyproject.toml and constraints.txt ask for (nnguide is installed editable,
    so its code needs no reinstall): an unchanged rebuild does not wait for pip.
    ``nox -N`` (fresh virtualenvs) installs afresh.
    """
    key = hashlib.sha256(repr(args).encode())
    for name in ("pyproject.toml", "constraints.txt"):
        key.update((ROOT / name).read_bytes())
    stamp = Path(session.virtualenv.location) / ".nnguide-installed"
    if stamp.is_file() and stamp.read_text() == key.hexdigest():
        session.log("pip install skipped: the requirements are unchanged since the last install")
        return
    # Not --no-compile, though byte-compiling is a third of torch's install time:
    # where PYTHONDONTWRITEBYTECODE is set (CI here), every process would then
    # compile torch's modules again on import (10 s instead of 4.5 s).
    session.install("-c", str(CONSTRAINTS), *args)
    stamp.write_text(key.hexdigest())


def data_env() -> dict:
    if os.environ.get("NNGUIDE_DATA") or not SHARED_DATA.is_dir():
        return {}
    return {"NNGUIDE_DATA": str(SHARED_DATA)}


@nox.session
def tests(session):
    """Run the test suite (add ``-- -m "not slow"`` to skip the full-MNIST training)."""
    install(session, "-e", ".[test]")
    session.run("pytest", *session.posargs, env=data_env())


@nox.session
def lint(session):
    """Check style and common mistakes with ruff; validate the CI and hosting files."""
    install(session, "ruff>=0.6", "check-jsonschema>=0.29")
    session.run("ruff", "check", "nnguide", "tests", "gallery", "docs", "noxfile.py")
    session.run("ruff", "format", "--check", "nnguide", "tests", "gallery", "docs", "noxfile.py")
    # The release and Pages workflows and the Read the Docs configuration cannot
    # run here: check them against their schemas (vendored in check-jsonschema).
    workflows = sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml"))
    session.run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *workflows)
    session.run("check-jsonschema", "--builtin-schema", "vendor.readthedocs", ".readthedocs.yaml")


@nox.session
def docs(session):
    """Build the site into docs/_build/html, executing every page.

    ``nox -s docs -- quick`` executes nothing (for editing prose);
    ``nox -s docs -- example PATTERN`` executes only the gallery scripts whose
    path matches PATTERN (for editing one script). Other arguments go to
    sphinx-build.
    """
    install(session, "-e", ".[docs]")
    env = data_env()
    args = list(session.posargs)
    if args[:1] == ["quick"]:
        env["NNGUIDE_DOCS_QUICK"] = "1"
        args = args[1:]
    elif args[:1] == ["example"] and len(args) >= 2:
        env["NNGUIDE_GALLERY_PATTERN"] = args[1]
        args = args[2:]
    session.run(
        "sphinx-build",
        "-W",
        "--keep-going",
        "-n",
        "-b",
        "html",
        "docs",
        "docs/_build/html",
        *args,
        env=env,
    )
    if "NNGUIDE_DOCS_QUICK" not in env and "NNGUIDE_GALLERY_PATTERN" not in env:
        session.run("python", "docs/check_build.py", "docs/_build/html")


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@nox.session
def browser(session):
    """Check the built site (run ``nox -s docs`` first) in headless Chromium, offline.

    Uses Debian's ``chromium`` and ``chromium-driver`` (or ``$CHROMIUM`` and
    ``$CHROMEDRIVER``); run as root with apt-get available, it installs them
    when they are missing. Arguments go to docs/browser_check.py (for example
    ``-- --only plot_05``); screenshots land in docs/_build/screenshots/.
    """
    if not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()):
        if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
            apt = {"DEBIAN_FRONTEND": "noninteractive"}
            session.run("apt-get", "update", "-qq", external=True, env=apt)
            session.run(
                "apt-get",
                "install",
                "-y",
                "-qq",
                "chromium",
                "chromium-driver",
                external=True,
                env=apt,
            )
        else:
            session.error(
                f"{CHROMIUM} and {CHROMEDRIVER} are needed: "
                "sudo apt-get install chromium chromium-driver"
            )
    install(session, "selenium>=4.11", "pillow>=10")
    session.run(
        "python",
        "docs/browser_check.py",
        "docs/_build/html",
        *session.posargs,
        env={"CHROMIUM": CHROMIUM, "CHROMEDRIVER": CHROMEDRIVER},
    )


# What the build itself writes into docs/ (sphinx-gallery writes each file as NAME.new first).
LIVE_IGNORE = r"(auto_examples|gen_modules|generated|jupyter_execute)/|sg_execution_times\.rst"


@nox.session
def docs_live(session):
    """Serve the site at http://127.0.0.1:8000, rebuilt at every save, in quick mode.

    Nothing is executed (as ``nox -s docs -- quick``); edits to docs/, gallery/
    and nnguide/ rebuild the pages. Builds into docs/_build/live, so the full
    build in docs/_build/html is left alone. Arguments go to sphinx-autobuild
    (for example ``-- --port 8001``).
    """
    install(session, "-e", ".[docs]", "sphinx-autobuild>=2024.4")
    env = {**data_env(), "NNGUIDE_DOCS_QUICK": "1", "NNGUIDE_SITE_ARCHIVE": "0"}
    session.run(
        "sphinx-autobuild",
        "docs",
        "docs/_build/live",
        "--watch",
        "gallery",
        "--watch",
        "nnguide",
        "--re-ignore",
        LIVE_IGNORE,
        *session.posargs,
        env=env,
    )


PACKAGE_TOOLS = ["build>=1.2", "twine>=6.1"]
NOTEBOOK_RUNNER = ["nbconvert>=7", "ipykernel>=6"]  # all the fresh virtualenv starts with


def build_package(session, outdir: Path) -> Path:
    """Build the sdist and the wheel into ``outdir``, check both; return the wheel.

    twine must accept them, and the wheel must hold the package alone (its own
    folder and its metadata: nothing of docs/ or tests/).
    """
    shutil.rmtree(outdir, ignore_errors=True)
    # The isolated build environment takes its setuptools from constraints.txt too.
    env = {"PIP_CONSTRAINT": str(CONSTRAINTS)}
    session.run("python", "-m", "build", "--outdir", str(outdir), str(ROOT), env=env, silent=True)
    (wheel,) = outdir.glob("nnguide-*.whl")
    (sdist,) = outdir.glob("nnguide-*.tar.gz")
    session.run("twine", "check", "--strict", str(wheel), str(sdist))
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    dist_info = f"{wheel.name.split('-')[0]}-{wheel.name.split('-')[1]}.dist-info/"
    strays = [n for n in names if not n.startswith(("nnguide/", dist_info))]
    if strays:
        session.error(f"{wheel.name} holds files outside the package: {strays[:10]}")
    if f"{dist_info}licenses/LICENSE" not in names:
        session.error(f"{wheel.name} does not carry LICENSE")
    session.log(
        f"{wheel.name}: {wheel.stat().st_size / 1024:.0f} KiB, {len(names)} files "
        f"({sum(n.endswith('.py') for n in names)} modules); "
        f"{sdist.name}: {sdist.stat().st_size / 1024:.0f} KiB"
    )
    return wheel


@nox.session
def package(session):
    """Build the wheel and the sdist into dist/ and check them (twine, the wheel's contents)."""
    install(session, *PACKAGE_TOOLS)
    wheel = build_package(session, ROOT / "dist")
    with zipfile.ZipFile(wheel) as zf:
        for info in zf.infolist():
            print(f"{info.file_size:>9}  {info.filename}")


def run_timed(command, *, cwd, env, log: Path, timeout=3600) -> tuple[int, float]:
    """Run ``command``, its output to ``log``; (exit status, seconds)."""
    start = time.perf_counter()
    with log.open("w") as out:
        try:
            code = subprocess.run(
                command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
            ).returncode
        except subprocess.TimeoutExpired:
            out.write(f"\nTIMEOUT after {timeout} s\n")
            code = -1
    return code, time.perf_counter() - start


def script_differs(script: Path, notebook: Path) -> str | None:
    """Why a downloadable script is not the gallery's source holding its notebook's code, if so."""
    downloads = list(notebook.parent.parent.glob(f"*/{script.name}"))
    if len(downloads) != 1 or downloads[0].read_bytes() != script.read_bytes():
        return (
            f"the site's download of {script.name} is not gallery/{script.name}: rebuild the docs"
        )
    tree = ast.parse(script.read_text(encoding="utf-8"))
    if (
        tree.body
        and isinstance(tree.body[0], ast.Expr)
        and isinstance(tree.body[0].value, ast.Constant)
    ):
        tree.body = tree.body[1:]  # the docstring: the notebook's first text cell
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"][1:]  # after setup
    if ast.dump(tree) != ast.dump(ast.parse("\n".join(code))):
        return f"{notebook.name} does not hold the code of gallery/{script.name}: rebuild the docs"
    return None


def first_cell(notebook: Path) -> str:
    """The source of a notebook's first cell."""
    return "".join(json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]["source"])


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity, where the system has one)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def tail(log: Path, lines=25) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


@nox.session
def gallery_copies(session):
    """Run every gallery script and notebook from a copy, with nothing of this repository.

    Run ``nox -s docs`` first: the notebooks are the ones the built site offers
    for download (docs/_build/html/_downloads). The session builds the wheel,
    creates a fresh virtualenv that holds only the notebook runner (nbconvert,
    ipykernel), and points the notebooks' install source
    (``NNGUIDE_INSTALL_SOURCE``) at the wheel. Each notebook is copied alone
    into an empty folder and executed. Every notebook's first cell is the same
    (checked): in the first notebook it installs ``nnguide[gallery]`` from the
    wheel into the environment without nnguide; in the others, which run side
    by side (one per core, each library on one thread), it finds it
    installed. A notebook with no install source must stop with its one-line
    message. MNIST comes from ``$NNGUIDE_DATA``; pip keeps to constraints.txt
    (``PIP_CONSTRAINT``).

    Each downloadable script must be the gallery's source (which the docs
    build ran) and hold the same code as its notebook after the setup cell
    (compared as Python syntax trees, so comments and prose do not count): the
    notebook's run from a copy is then the script's too. ``-- scripts`` also
    runs each script from a copy (``python plot_....py``), with the wheel
    installed with its gallery extra; it doubles the session's time.

    The runs set ``NNGUIDE_SHORT_RUN=1``: pages that train for many epochs may
    read it to train for fewer; what is tested is that a copy runs with nothing
    from the repository, not its numbers. ``-- PATTERN`` runs only the scripts
    and notebooks whose name matches the regular expression.
    """
    args = list(session.posargs)
    run_scripts = "scripts" in args
    args = [a for a in args if a != "scripts"]
    pattern = re.compile(args[0] if args else ".")
    install(session, *PACKAGE_TOOLS)
    work = Path(session.create_tmp()).resolve() / "gallery_copies"
    shutil.rmtree(work, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True)
    wheel = build_package(session, work / "dist")

    scripts = [p for p in sorted((ROOT / "gallery").glob("plot_*.py")) if pattern.search(p.name)]
    downloads = ROOT / "docs" / "_build" / "html" / "_downloads"
    notebooks = {p.stem: p for p in sorted(downloads.glob("*/plot_*.ipynb"))}
    missing = [s.stem for s in scripts if s.stem not in notebooks]
    if missing:
        session.error(f"no downloadable notebook for {missing}: run nox -s docs first")
    for script in scripts:
        if "# Setup: this notebook needs" not in notebooks[script.stem].read_text():
            session.error(f"{notebooks[script.stem]} has no setup cell: rebuild the docs")
        problem = script_differs(script, notebooks[script.stem])
        if problem:
            session.error(problem)
    session.log(f"{len(scripts)} downloadable scripts hold their notebooks' code")

    venv = work / "venv"
    session.run(sys.executable, "-m", "venv", str(venv), external=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "CONDA_PREFIX"}
    }
    env.update(data_env())
    env.update(
        PATH=f"{bindir}{os.pathsep}{os.environ['PATH']}",
        VIRTUAL_ENV=str(venv),
        PIP_CONSTRAINT=str(CONSTRAINTS),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NNGUIDE_INSTALL_SOURCE=wheel.as_uri(),
        NNGUIDE_SHORT_RUN="1",
        MPLBACKEND="Agg",
    )
    pip = [str(python), "-m", "pip", "--quiet"]
    session.run(*pip, "install", *NOTEBOOK_RUNNER, env=env, external=True)
    absent = "import importlib.util, sys; sys.exit(importlib.util.find_spec('nnguide') is not None)"
    if subprocess.run([str(python), "-c", absent], cwd=work, env=env).returncode:
        session.error("the fresh virtualenv already has nnguide")

    def copy_alone(source: Path) -> Path:
        folder = work / "copies" / source.stem / source.suffix.lstrip(".")
        folder.mkdir(parents=True)
        return Path(shutil.copy2(source, folder))

    def execute(notebook: Path) -> list[str]:
        return [
            str(bindir / "jupyter"),
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.timeout=3600",
            "--output",
            f"{notebook.stem}.executed",
            notebook.name,
        ]

    times = []

    # With no install source, the first cell stops, with one line that says how to install.
    if scripts:
        copy = copy_alone(notebooks[scripts[0].stem])
        log = logs / "no-source.log"
        code, _ = run_timed(
            execute(copy),
            cwd=copy.parent,
            env={**env, "NNGUIDE_INSTALL_SOURCE": ""},
            log=log,
            timeout=600,
        )
        shutil.rmtree(copy.parent)
        if code == 0 or "This notebook needs nnguide[gallery]" not in log.read_text():
            session.error(
                f"a notebook with no install source did not stop as it should:\n{tail(log)}"
            )
        session.log("with no install source, the first cell stops with its one-line message")

    # Every notebook's first cell is the same cell; the first notebook proves
    # that it installs nnguide (with torch and the gallery extra) into an
    # environment that lacks it, the others that it leaves an installed one be.
    setups = {first_cell(notebooks[script.stem]) for script in scripts}
    if len(setups) > 1:
        session.error("the notebooks' setup cells differ: rebuild the docs")

    def run_notebook(script: Path, env: dict) -> tuple[str, float, int, Path]:
        copy = copy_alone(notebooks[script.stem])
        log = logs / f"{copy.name}.log"
        code, seconds = run_timed(execute(copy), cwd=copy.parent, env=env, log=log)
        session.log(f"{copy.name}: {'ok' if code == 0 else 'FAILED'} in {seconds:.1f} s")
        return copy.name, seconds, code, log

    # The first alone (it installs); then the others side by side, one per
    # core, each library on one thread so that they do not oversubscribe the
    # cores. What is tested is that a copy runs, not its speed.
    times += [run_notebook(script, env) for script in scripts[:1]]
    one_thread = {**env, **{k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}
    with ThreadPoolExecutor(max_workers=usable_cores()) as pool:
        times += pool.map(lambda script: run_notebook(script, one_thread), scripts[1:])

    if run_scripts:
        session.run(*pip, "uninstall", "--yes", "nnguide", env=env, external=True, silent=True)
        wheel_extra = f"nnguide[gallery] @ {wheel.as_uri()}"
        session.run(*pip, "install", wheel_extra, env=env, external=True)
    for script in scripts if run_scripts else []:
        copy = copy_alone(script)
        log = logs / f"{copy.name}.log"
        code, seconds = run_timed([str(python), copy.name], cwd=copy.parent, env=env, log=log)
        times.append((copy.name, seconds, code, log))
        session.log(f"{copy.name}: {'ok' if code == 0 else 'FAILED'} in {seconds:.1f} s")

    shutil.rmtree(venv)  # several GB with torch
    print(f"\n{'copy':<40} {'seconds':>8}")
    for name, seconds, code, _ in times:
        print(f"{name:<40} {seconds:>8.1f}{'' if code == 0 else '  FAILED'}")
    print(f"{'total':<40} {sum(t[1] for t in times):>8.1f}")
    failed = [(name, log) for name, _, code, log in times if code != 0]
    for name, log in failed:
        print(f"\n--- {name} failed from a copy (log: {log}):\n{tail(log)}")
    if failed:
        session.error(f"{len(failed)} of {len(times)} copies failed: {[n for n, _ in failed]}")


LOCKED_TOOLS = [*PACKAGE_TOOLS, *NOTEBOOK_RUNNER, "sphinx-autobuild>=2024.4", "nox"]
LOCKED_TOOLS += ["check-jsonschema>=0.29", "selenium>=4.11", "pillow>=10"]


@nox.session
def lock(session):
    """Write constraints.txt afresh: every package the sessions install, at its newest version.

    Resolves the package with all its extras and every session's tools in one
    environment, without the old constraints, and records ``pip freeze``. Run it
    on purpose (it is not part of CI), then rebuild the site and commit both.
    """
    session.install("-e", ".[gallery,test,docs,lint]", *LOCKED_TOOLS, "setuptools>=77")
    frozen = session.run("python", "-m", "pip", "freeze", "--all", silent=True)
    pins = sorted(
        (
            line
            for line in frozen.splitlines()
            if "==" in line and not line.startswith(("#", "-e", "pip=="))
        ),
        key=str.lower,
    )
    header = [
        "# Every package the nox sessions and CI install, at the version the site is built",
        "# with. Generated by `nox -s lock` (pip freeze); installed with `pip install -c`.",
        "# The package itself (pyproject.toml) declares only lower bounds.",
    ]
    CONSTRAINTS.write_text("\n".join(header + pins) + "\n")
    session.log(f"{CONSTRAINTS.name}: {len(pins)} pins")
