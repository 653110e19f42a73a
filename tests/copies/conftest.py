"""Fixtures for the copy tests: the built site's downloads, the wheel, a fresh virtualenv.

These tests prove that a page downloaded from the site runs with nothing of
this repository. ``nox -s gallery_copies`` runs them after ``nox -s docs``;
the plain suite leaves this folder out (pyproject.toml), as they install
PyTorch into a new virtualenv and run every notebook. ``nox -s package`` runs
``test_wheel.py`` on the distributions it builds into dist/.

The notebooks run through nbclient, each in a kernel of the fresh virtualenv
and a copy of its own in an empty folder: the first selected notebook alone
(its first cell installs nnguide from the wheel), then the others side by
side, one per usable core, each library on one thread. Each notebook's result
is its own test. ``test_install_cell.py`` runs the notebooks' first cell in a
virtualenv of its own, one that already holds another torch and torchvision.
"""

from __future__ import annotations

import asyncio
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from copy_runs import (
    DOWNLOADS,
    ONE_THREAD,
    PAGES,
    Failed,
    Run,
    build_distributions,
    make_venv,
    run_notebook,
    run_script,
    the_download,
    usable_cores,
)

TIMES = pytest.StashKey[list]()


def pytest_addoption(parser):
    group = parser.getgroup("copies", "the gallery's copies")
    group.addoption(
        "--scripts", action="store_true", help="also run each downloadable script from a copy"
    )
    group.addoption(
        "--dist-dir", metavar="DIR", help="test the wheel and sdist in DIR instead of building them"
    )


def pytest_configure(config):
    config.stash[TIMES] = []


def pytest_terminal_summary(terminalreporter, config):
    """How long each copy ran: fixtures run them, so --durations does not show it."""
    if config.stash[TIMES]:
        terminalreporter.write_sep("-", "copies run")
        for name, seconds in config.stash[TIMES]:
            terminalreporter.write_line(f"{name:<40} {seconds:>8.1f} s")


def selected_pages(request, fixture: str) -> list[str]:
    """The pages of the collected tests (after ``-k``) that use ``fixture``, in order."""
    pages = set()
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        if fixture in getattr(item, "fixturenames", ()) and "page" in params:
            pages.add(params["page"])
    return sorted(pages)


# -- The built site and the wheel -----------------------------------------------------------


@pytest.fixture(scope="session")
def downloads() -> dict[str, list[Path]]:
    """Every file the built site offers for download, by file name."""
    if not DOWNLOADS.is_dir():
        pytest.exit(f"{DOWNLOADS} is missing: run nox -s docs first", returncode=1)
    found: dict[str, list[Path]] = {}
    for path in sorted(DOWNLOADS.glob("*/*")):
        found.setdefault(path.name, []).append(path)
    return found


@pytest.fixture
def notebook(downloads, page) -> Path:
    """The notebook the site offers for ``page``."""
    return the_download(downloads, f"{page}.ipynb")


@pytest.fixture
def script(downloads, page) -> Path:
    """The script the site offers for ``page``."""
    return the_download(downloads, f"{page}.py")


@dataclass(frozen=True)
class Distributions:
    wheel: Path
    sdist: Path


@pytest.fixture(scope="session")
def dist(request, tmp_path_factory) -> Distributions:
    """The wheel and the sdist: those in ``--dist-dir``, or built from this checkout."""
    folder = request.config.getoption("--dist-dir")
    if folder:
        folder = Path(folder).resolve()
    else:
        folder = tmp_path_factory.mktemp("dist")
        try:
            build_distributions(folder)
        except Failed as exc:
            pytest.fail(str(exc))
    wheels, sdists = list(folder.glob("nnguide-*.whl")), list(folder.glob("nnguide-*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        pytest.fail(f"{folder} holds {len(wheels)} wheels and {len(sdists)} sdists, not one each")
    return Distributions(wheels[0], sdists[0])


# -- The fresh virtualenv and the runs ------------------------------------------------------


@pytest.fixture(scope="session")
def work(tmp_path_factory) -> Path:
    """The folder that holds the virtualenv and the copies."""
    return tmp_path_factory.mktemp("gallery_copies")


@pytest.fixture(scope="session")
def fresh_venv(work, dist):
    """A new virtualenv with the kernel alone; removed at the end (several GB with PyTorch)."""
    try:
        venv = make_venv(work, dist.wheel)
    except Failed as exc:
        pytest.fail(str(exc))
    yield venv
    shutil.rmtree(venv.path, ignore_errors=True)


@pytest.fixture(scope="session")
def no_source_run(request, downloads, fresh_venv, work) -> Run:
    """The first notebook, run before anything installed nnguide, with no install source."""
    first = (selected_pages(request, "notebook_runs") or PAGES)[0]
    source = the_download(downloads, f"{first}.ipynb")
    env = {**fresh_venv.env, "NNGUIDE_INSTALL_SOURCE": ""}
    return asyncio.run(run_notebook(source, fresh_venv, env, work, "no-source"))


@pytest.fixture(scope="session")
def notebook_runs(request, downloads, fresh_venv, work, no_source_run) -> dict[str, Run]:
    """Every selected page's notebook, run from a copy: the first alone, then the others.

    The first one's setup cell installs nnguide from the wheel; the others find
    it installed and run side by side, one per usable core, each library on one
    thread so that they do not oversubscribe the cores.
    """
    pages = selected_pages(request, "notebook_runs")
    sources = {page: the_download(downloads, f"{page}.ipynb") for page in pages}
    one_thread = {**fresh_venv.env, **ONE_THREAD}

    def run(page, env):
        return run_notebook(sources[page], fresh_venv, env, work, "ipynb")

    async def run_all() -> dict[str, Run]:
        runs = {page: await run(page, fresh_venv.env) for page in pages[:1]}
        cores = asyncio.Semaphore(usable_cores())

        async def side_by_side(page):
            async with cores:
                return page, await run(page, one_thread)

        runs.update(await asyncio.gather(*map(side_by_side, pages[1:])))
        return runs

    runs = asyncio.run(run_all())
    request.config.stash[TIMES].extend((run.name, run.seconds) for run in runs.values())
    return runs


@pytest.fixture(scope="session")
def script_runs(request, downloads, fresh_venv, dist, work) -> dict[str, Run]:
    """Every selected page's script, run from a copy once the notebooks have run (``--scripts``).

    nnguide is installed afresh from the wheel with its gallery extra (as the
    install page says), then the scripts run side by side like the notebooks.
    """
    if not request.config.getoption("--scripts"):
        pytest.skip("the scripts run with --scripts (nox -s gallery_copies -- scripts)")
    request.getfixturevalue("notebook_runs")  # first: this reinstalls nnguide
    pages = selected_pages(request, "script_runs")
    try:
        fresh_venv.pip("uninstall", "--yes", "nnguide")
        fresh_venv.pip("install", f"nnguide[gallery] @ {dist.wheel.as_uri()}")
    except Failed as exc:
        pytest.fail(str(exc))
    env = {**fresh_venv.env, **ONE_THREAD}
    with ThreadPoolExecutor(max_workers=usable_cores()) as pool:
        sources = [the_download(downloads, f"{page}.py") for page in pages]
        runs = dict(zip(pages, pool.map(lambda s: run_script(s, fresh_venv, env, work), sources)))
    request.config.stash[TIMES].extend((run.name, run.seconds) for run in runs.values())
    return runs
