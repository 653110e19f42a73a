"""The built site's checks: fixtures that serve it and read it in one headless Chromium.

Run by ``nox -s browser`` after ``nox -s docs`` (the plain test suite does not
collect this folder). Options:

``--site-html DIR``
    The built site (default ``docs/_build/html``).
``--axe-js FILE``
    axe-core's ``axe.min.js`` (default ``.nox/axe/node_modules/axe-core/axe.min.js``,
    where ``nox -s browser`` installs it with npm).
``--screenshots DIR``
    Save a full-page screenshot of every view there, with an ``index.html``
    that shows them all (off by default).

Each browser test takes a ``visit`` fixture parametrized by view (page, width,
theme), and says which views it checks with ``@pytest.mark.views(...)``. A
view is loaded once, at its first test; every test of that view reads what
the load collected.
"""

from __future__ import annotations

import functools
import html
import http.server
import shutil
import threading
from pathlib import Path

import pytest
from allowances import ACCESSIBILITY
from chromium import NARROW, WIDE, Browser, View, start_chromium
from site_files import Site

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GALLERY = ROOT / "gallery"

NOT_BROWSED = {"search.html", "genindex.html", "py-modindex.html"}
NOT_BROWSED_DIRS = ("_modules/",)  # link-checked, not opened in the browser
# The one generated API page audited for accessibility (they share one template).
AUDITED_API_PAGE = "generated/nnguide.data.html"


def pytest_addoption(parser):
    group = parser.getgroup("site", "the built site's checks")
    group.addoption("--site-html", default=str(DOCS / "_build" / "html"), help="the built site")
    group.addoption(
        "--axe-js",
        default=str(ROOT / ".nox" / "axe" / "node_modules" / "axe-core" / "axe.min.js"),
        help="axe-core's axe.min.js",
    )
    group.addoption("--screenshots", default=None, help="save full-page screenshots here")


def pytest_configure(config):
    config.addinivalue_line("markers", "views(width, theme, audited): the views a test checks")
    config.addinivalue_line(
        "markers", "executed: needs a build that executed the pages (not `nox -s docs -- quick`)"
    )
    root = Path(config.getoption("--site-html")).resolve()
    if not (root / "index.html").is_file():
        raise pytest.UsageError(f"no built site in {root}: run `nox -s docs` first")


@functools.cache
def read_site(root: str) -> Site:
    return Site.read(Path(root))


def audited_pages() -> list[str]:
    """Every page the site's own sources make, and one generated API page."""
    pages = [f"{p.stem}.html" for p in sorted(DOCS.glob("*.md"))]
    pages += ["auto_examples/index.html", "sg_execution_times.html"]
    pages += [f"auto_examples/{p.stem}.html" for p in sorted(GALLERY.glob("plot_*.py"))]
    return pages + [AUDITED_API_PAGE]


def planned_views(site: Site) -> list[View]:
    """Every browsed page at both widths in light; audited pages in dark too."""
    browsed = [
        page
        for page in site.pages
        if page not in NOT_BROWSED and not page.startswith(NOT_BROWSED_DIRS)
    ]
    # An audited page the build lacks is browsed too: its views fail, naming it.
    browsed += [page for page in audited_pages() if page not in browsed]
    views = [View(page, width, "light") for page in browsed for width in (WIDE, NARROW)]
    views += [View(page, width, "dark") for page in audited_pages() for width in (WIDE, NARROW)]
    return views


def pytest_generate_tests(metafunc):
    config = metafunc.config
    site = read_site(config.getoption("--site-html"))
    if "visit" in metafunc.fixturenames:
        marker = metafunc.definition.get_closest_marker("views")
        wanted = marker.kwargs if marker else {}
        audited = set(audited_pages())
        views = [
            view
            for view in planned_views(site)
            if wanted.get("width", view.width) == view.width
            and wanted.get("theme", view.theme) == view.theme
            and wanted.get("audited", view.page in audited) == (view.page in audited)
        ]
        metafunc.parametrize("visit", views, ids=[v.name for v in views], indirect=True)
    pages = {
        "page": list(site.pages),
        "page_with_images": [p for p, parsed in site.pages.items() if parsed.images],
        "page_with_cards": [
            p for p, parsed in site.pages.items() if any(i.card for i in parsed.images)
        ],
    }
    for argname, values in pages.items():
        if argname in metafunc.fixturenames:
            metafunc.parametrize(argname, values)
    if "notebook" in metafunc.fixturenames:
        notebooks = sorted(site.root.glob("_downloads/**/*.ipynb"))
        metafunc.parametrize("notebook", notebooks, ids=[n.name for n in notebooks])
    if "example" in metafunc.fixturenames:
        metafunc.parametrize("example", [p.stem for p in sorted(GALLERY.glob("plot_*.py"))])


@pytest.fixture(scope="session")
def site(pytestconfig) -> Site:
    """The built site's HTML pages, parsed."""
    return read_site(pytestconfig.getoption("--site-html"))


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="session")
def server(site):
    """The site served on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(site.root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser(pytestconfig, server, tmp_path_factory):
    """The one headless Chromium of the session, on the served site."""
    axe_js = Path(pytestconfig.getoption("--axe-js"))
    shots = pytestconfig.getoption("--screenshots")
    shots = Path(shots) if shots else None
    if shots:
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    driver = start_chromium(profile)
    try:
        axe_source = axe_js.read_text(encoding="utf-8") if axe_js.is_file() else None
        yield Browser(driver, server, axe_source, shots)
    finally:
        driver.quit()
        if shots:
            write_screenshot_index(shots)


@pytest.fixture(scope="session")
def load(browser, site):
    """A function View -> Visit that loads each view once, at its first call."""
    visits: dict[View, object] = {}
    audited = set(audited_pages())

    def load(view: View):
        if not site.exists(view.page):
            pytest.fail(f"the build has no {view.page}")
        if view not in visits:
            excepted = [selector for (page, selector) in ACCESSIBILITY if page == view.page]
            visits[view] = browser.visit(
                view,
                inspect=view.theme == "light",
                tabs=view.theme == "light" and view.width == WIDE,
                audit=excepted if view.page in audited and browser.axe_source else None,
            )
        result = visits[view]
        if result.error:
            pytest.fail(f"{view.page} at {view.width} px, {view.theme}: {result.error}")
        return result

    return load


@pytest.fixture
def visit(request, load):
    """One view of a page (the test's parameter), as its load found it."""
    return load(request.param)


def write_screenshot_index(shots: Path) -> None:
    """An index.html in ``shots`` showing every screenshot, a page to a row."""
    rows: dict[str, list[str]] = {}
    variants = [f"{w}-{theme}" for theme in ("light", "dark") for w in (WIDE, NARROW)]
    for shot in sorted(shots.glob("*.png"), key=lambda s: variants.index(s.name.split(".")[-2])):
        stem, variant, _ = shot.name.rsplit(".", 2)
        rows.setdefault(stem, []).append(
            f'<td><a href="{shot.name}"><img src="{shot.name}" '
            f'alt="{html.escape(stem)} at {variant}" loading="lazy"></a></td>'
        )
    body = "".join(f"<tr><th>{html.escape(s)}</th>{''.join(rows[s])}</tr>" for s in sorted(rows))
    (shots / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>nnguide screenshots</title>"
        "<style>img{width:280px;max-height:600px;object-fit:cover;object-position:top;"
        "border:1px solid #ccc}th{text-align:left;font:13px sans-serif;vertical-align:top}"
        "</style><table>" + body + "</table>\n",
        encoding="utf-8",
    )
