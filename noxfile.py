"""Sessions: ``nox -s tests``, ``nox -s lint``, ``nox -s docs``, ``nox -s browser``.

Tests and docs read MNIST from ``$NNGUIDE_DATA`` when it is set; the tests
also look in ``../shared/data/mnist``. Otherwise the files are downloaded once
into the user cache.
"""

import os
import shutil
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = True  # torch is large: install it once per session

ROOT = Path(__file__).parent
SHARED_DATA = ROOT.parent / "shared" / "data" / "mnist"


def data_env() -> dict:
    if os.environ.get("NNGUIDE_DATA") or not SHARED_DATA.is_dir():
        return {}
    return {"NNGUIDE_DATA": str(SHARED_DATA)}


@nox.session
def tests(session):
    """Run the test suite (add ``-- -m "not slow"`` to skip the full-MNIST training)."""
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs, env=data_env())


@nox.session
def lint(session):
    """Check style and common mistakes with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "nnguide", "tests", "gallery", "docs", "noxfile.py")
    session.run("ruff", "format", "--check", "nnguide", "tests", "gallery", "docs", "noxfile.py")


@nox.session
def docs(session):
    """Build the site into docs/_build/html, executing every page.

    ``nox -s docs -- quick`` executes nothing (for editing prose);
    ``nox -s docs -- example PATTERN`` executes only the gallery scripts whose
    path matches PATTERN (for editing one script). Other arguments go to
    sphinx-build.
    """
    session.install("-e", ".[docs]")
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
    session.install("selenium>=4.11", "pillow>=10")
    session.run(
        "python",
        "docs/browser_check.py",
        "docs/_build/html",
        *session.posargs,
        env={"CHROMIUM": CHROMIUM, "CHROMEDRIVER": CHROMEDRIVER},
    )
