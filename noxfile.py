"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s docs``, ``nox -s browser``,
``nox -s docs_live``, ``nox -s package``, ``nox -s gallery_copies``, ``nox -s lock``.

Tests and docs read MNIST from ``$NNGUIDE_DATA`` when it is set; the tests
also look in ``../shared/data/mnist``. Otherwise the files are downloaded once
into the user cache.

Every session installs with ``-c constraints.txt``: the package declares only
lower bounds, and constraints.txt pins every package the sessions install at
the version the site is built with (``nox -s lock`` writes it afresh).
"""

import hashlib
import json
import os
import shutil
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
    sphinx-build. ``nox -s browser`` then checks the site (tests/site), and
    that every gallery example ran.
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


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
AXE_CORE = "4.14.1"  # the npm package whose axe.min.js tests/site injects into each page
AXE_DIR = ROOT / ".nox" / "axe"  # npm's --prefix: git-ignored, kept between runs
SCREENSHOTS = ROOT / "docs" / "_build" / "screenshots"


def apt_install(session, *packages):
    """``apt-get install`` Debian packages, when running as root with apt-get; else stop."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get")):
        session.error(f"{', '.join(packages)} needed: sudo apt-get install {' '.join(packages)}")
    apt = {"DEBIAN_FRONTEND": "noninteractive"}
    session.run("apt-get", "update", "-qq", external=True, env=apt)
    session.run("apt-get", "install", "-y", "-qq", *packages, external=True, env=apt)


@nox.session
def browser(session):
    """Check the built site (run ``nox -s docs`` first): ``pytest tests/site``.

    The suite reads the site's files, what the build executed, and every page
    in headless Chromium, offline, with axe-core's WCAG 2 A and AA rules. It
    uses Debian's ``chromium`` and ``chromium-driver`` (or ``$CHROMIUM`` and
    ``$CHROMEDRIVER``) and the machine's npm, which installs axe-core into
    .nox/axe; run as root with apt-get, the session installs what is missing.
    Arguments go to pytest (``-- -k plot_05``; after ``nox -s docs -- quick``,
    ``-- -m "not executed"``). Screenshots of every view land in
    docs/_build/screenshots/ (open its index.html) unless ``-- --no-screenshots``.
    """
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).is_file()]
    debian = {CHROMIUM: "chromium", CHROMEDRIVER: "chromium-driver"}
    if missing or not shutil.which("npm"):
        apt_install(
            session, *[debian[p] for p in missing], *([] if shutil.which("npm") else ["npm"])
        )
    axe_package = AXE_DIR / "node_modules" / "axe-core" / "package.json"
    if not axe_package.is_file() or json.loads(axe_package.read_text())["version"] != AXE_CORE:
        session.run(
            "npm", "install", "--prefix", str(AXE_DIR), f"axe-core@{AXE_CORE}", external=True
        )
    install(session, "selenium>=4.11", "pytest>=8", "pillow>=10")
    args = list(session.posargs)
    shots = [] if "--no-screenshots" in args else ["--screenshots", str(SCREENSHOTS)]
    session.run(
        "pytest",
        "tests/site",
        # tests/conftest.py is the package's (it imports nnguide): not this suite's.
        "--confcutdir=tests/site",
        "--site-html",
        str(ROOT / "docs" / "_build" / "html"),
        "--axe-js",
        str(axe_package.with_name("axe.min.js")),
        *shots,
        *[a for a in args if a != "--no-screenshots"],
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


# What the tests in tests/copies need; nnguide itself they take from the wheel they build.
COPY_TESTS = ["pytest>=8", "nbclient>=0.10", "build>=1.2", "twine>=6.1"]
COPY_CONFTEST = "--confcutdir=tests/copies"  # their own conftest.py, not tests/conftest.py


@nox.session
def package(session):
    """Build the wheel and the sdist into dist/ and test them (tests/copies/test_wheel.py)."""
    install(session, *COPY_TESTS)
    shutil.rmtree(ROOT / "dist", ignore_errors=True)
    # The isolated build environment takes its setuptools from constraints.txt too.
    env = {"PIP_CONSTRAINT": str(CONSTRAINTS)}
    session.run("python", "-m", "build", "--outdir", "dist", env=env, silent=True)
    session.run("python", "-m", "zipfile", "-l", *map(str, (ROOT / "dist").glob("*.whl")))
    session.run("pytest", COPY_CONFTEST, "tests/copies/test_wheel.py", "--dist-dir=dist")


@nox.session
def gallery_copies(session):
    """Run every notebook the built site offers from a copy, against the built wheel.

    Run ``nox -s docs`` first. Runs the tests in tests/copies (see their
    conftest.py): a fresh virtualenv with nothing but the kernel, each notebook
    alone in an empty folder, its first cell installing nnguide from the
    wheel; the first notebook alone, the others side by side, one per core;
    every downloadable script holding its notebook's code. ``-- scripts`` also
    runs each script from a copy; other arguments go to pytest (for example
    ``-- -k plot_01``).
    """
    install(session, *COPY_TESTS)
    args = ["--scripts" if arg == "scripts" else arg for arg in session.posargs]
    session.run("pytest", COPY_CONFTEST, "tests/copies", *args, env=data_env())


LOCKED_TOOLS = [*COPY_TESTS, "ipykernel>=6", "sphinx-autobuild>=2024.4", "nox"]
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
