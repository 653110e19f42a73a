"""Sphinx configuration of the nnguide site.

Two extensions execute code at build time, each on its own files:
sphinx-gallery runs the scripts in ``gallery/`` (and writes ``auto_examples/``),
myst-nb runs the MyST Markdown pages that carry code cells. myst-nb is told to
leave sphinx-gallery's generated notebooks alone.

Environment variables:

``NNGUIDE_DOCS_QUICK=1``
    Quick preview: no execution at all (prose, layout, API reference).
``NNGUIDE_GALLERY_PATTERN``
    A regular expression: run only the gallery scripts whose path matches.
``NNGUIDE_SITE_URL``, ``NNGUIDE_REPOSITORY`` (unset by default)
    Where the site and its repository are hosted: canonical links, sitemap,
    OpenGraph tags, edit buttons, launch links and the notebooks' install
    source. See docs/_ext/nnguide_site.py.
"""

import hashlib
import os
import shutil
import sys
from pathlib import Path

DOCS = Path(__file__).parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

QUICK = os.environ.get("NNGUIDE_DOCS_QUICK") == "1"

if not QUICK:
    # Each library at its fastest thread count on this machine, never above the
    # cores this process may use: oversubscribed threads made a build next to one
    # busy core fail. The choice reaches the notebook kernels through the
    # environment (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS).
    from nnguide.lab.threads import limit_threads

    THREADS = limit_threads()

import nnguide_site  # noqa: E402  (docs/_ext: hosting settings, launch links, site archive)

HOSTING = nnguide_site.Hosting.from_environment()

# Pages cache the training runs they share here, so two pages quoting one
# run show the same numbers (see nnguide.experiment.run's cache_dir).
RESULTS = DOCS / "_build" / "results"
JUPYTER_CACHE = DOCS / "_build" / ".jupyter_cache"
os.environ.setdefault("NNGUIDE_RESULTS", str(RESULTS))


STAMP = DOCS / "_build" / "nnguide-sources.sha256"  # the package the cached outputs came from


def package_digest() -> str:
    sources = sorted((ROOT / "nnguide").rglob("*.py"))
    return hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()


def forget_outputs_of_an_older_package():
    """Discard cached executions when the nnguide package has changed since they ran.

    myst-nb and sphinx-gallery re-execute a page only when its own code changes,
    but every output here also depends on the package, so a change there
    invalidates them all. An unchanged rebuild keeps everything.
    """
    digest = package_digest()
    if STAMP.is_file() and STAMP.read_text() == digest:
        return False
    shutil.rmtree(JUPYTER_CACHE, ignore_errors=True)
    shutil.rmtree(RESULTS, ignore_errors=True)
    for checksum in (DOCS / "auto_examples").glob("*.md5"):
        checksum.unlink()  # sphinx-gallery re-runs a script whose checksum file is gone
    return True


PACKAGE_CHANGED = not QUICK and forget_outputs_of_an_older_package()
# The pages myst-nb executes: Sphinx must re-read them when the package changed,
# although their own text did not.
EXECUTED_PAGES = [p.stem for p in DOCS.glob("*.md") if "file_format: mystnb" in p.read_text()]

project = "nnguide"
author = "the nnguide developers"
copyright = "2026, the nnguide developers"

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.napoleon",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax from _static/mathjax: the site reads with no network
    "sphinx.ext.viewcode",
    "myst_nb",
    "sphinx_gallery.gen_gallery",
    "sphinx_design",
    "sphinx_copybutton",
    "nnguide_site",  # hosting: edit and launch links, notebooks' first cell, site archive
]
extensions += HOSTING.extensions()  # sitemap and OpenGraph tags, given a public address

exclude_patterns = [
    "_build",
    "_intersphinx",
    "jupyter_execute",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook beside each example page; they are
    # downloads, not sources, so myst-nb must not read (or run) them.
    "auto_examples/*.ipynb",
    "auto_examples/**/*.ipynb",
    # sphinx-gallery writes the computation times twice: for this gallery and
    # for all galleries. There is one gallery, so the site keeps one page, the
    # root sg_execution_times (see computation_times_offline below).
    "auto_examples/sg_execution_times.rst",
]

nitpicky = True
nitpick_ignore = [
    # Napoleon's words in NumPy-style type descriptions.
    ("py:class", "optional"),
    ("py:class", "callable"),
    ("py:class", "numpy dtype"),
]

# -- MyST and myst-nb ----------------------------------------------------------
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
nb_execution_mode = "off" if QUICK else "cache"
if QUICK:  # nothing ran, so the values pages paste from their own runs are missing
    suppress_warnings = ["mystnb.glue"]
nb_execution_cache_path = str(JUPYTER_CACHE)
nb_execution_timeout = 900  # seconds per cell: long enough to train on full MNIST
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True
# Markdown that a cell displays is parsed as MyST, so it can link with {doc} roles.
nb_render_markdown_format = "myst"

# -- sphinx-gallery --------------------------------------------------------------
sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "gallery"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": os.environ.get("NNGUIDE_GALLERY_PATTERN", r"/plot_"),
    "plot_gallery": "False" if QUICK else "True",
    "abort_on_example_error": True,
    "only_warn_on_example_error": False,
    "reset_modules": ("matplotlib", "nnguide_docs.reset_seeds"),
    "reset_modules_order": "before",
    "doc_module": ("nnguide",),
    "backreferences_dir": "gen_modules/backreferences",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": False,
    "remove_config_comments": True,
    "show_memory": False,
    "matplotlib_animations": False,
    "image_scrapers": ("matplotlib",),
    "capture_repr": ("_repr_html_", "__repr__"),
    # Each script's result and run time, in docs/_build (the path is relative to
    # the HTML folder); docs/check_build.py reads it.
    "junit": "../gallery-junit.xml",
    # A downloaded notebook installs nnguide[gallery] if it is missing (see nnguide_site).
    "first_notebook_cell": HOSTING.first_notebook_cell(),
}

# -- API reference -------------------------------------------------------------
templates_path = ["_templates"]  # the module page adds a mini-gallery of examples using it
autosummary_generate = True
autodoc_default_options = {"members": True, "show-inheritance": True}
autodoc_typehints = "none"  # the NumPy-style docstrings describe the types
autodoc_member_order = "bysource"
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_preprocess_types = True
napoleon_use_rtype = False
napoleon_type_aliases = {
    "sequence": ":term:`sequence`",
    "iterable": ":term:`iterable`",
}

# intersphinx: the live inventories first; if they cannot be reached (as on an
# offline build machine), the copies in _intersphinx/ (see its README).
INV = DOCS / "_intersphinx"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3", (None, str(INV / "python.inv"))),
    "numpy": ("https://numpy.org/doc/stable", (None, str(INV / "numpy.inv"))),
    "torch": ("https://docs.pytorch.org/docs/stable", (None, str(INV / "torch.inv"))),
    "torchvision": ("https://docs.pytorch.org/vision/stable", (None, str(INV / "torchvision.inv"))),
    "matplotlib": ("https://matplotlib.org/stable", (None, str(INV / "matplotlib.inv"))),
}
intersphinx_timeout = 10

# -- HTML ------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "nnguide"
html_static_path = ["_static"]
html_css_files = ["nnguide.css"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
}

# -- Hosting (docs/_ext/nnguide_site.py) -------------------------------------------
nnguide_hosting = HOSTING  # a change of setting makes Sphinx re-read (not re-run) the pages
html_baseurl = HOSTING.site_url
html_theme_options["icon_links"] = HOSTING.icon_links()
html_theme_options["use_edit_page_button"] = bool(HOSTING.edit_url("docs"))
html_context = {
    "edit_page_url_template": "{{ nnguide_edit_url }}{# file_name #}",  # set per page
    "edit_page_provider_name": HOSTING.host_name,  # "Edit on GitHub"
}
# Gallery pages list their downloads and launch links in the right-hand sidebar.
_GALLERY_SIDEBAR = ["page-toc", "sg_download_links", "sg_launcher_links", "edit-this-page"]
html_theme_options["secondary_sidebar_items"] = {
    "**": ["page-toc", "edit-this-page", "sourcelink"],
    **{f"auto_examples/{p.stem}": _GALLERY_SIDEBAR for p in (ROOT / "gallery").glob("plot_*.py")},
}
if HOSTING.site_url:
    sitemap_url_scheme = "{link}"
    sitemap_excludes = ["search.html", "genindex.html", "py-modindex.html"]
    ogp_site_url = HOSTING.site_url
    ogp_site_name = project
    ogp_social_cards = {"enable": False}  # no generated preview images


def data_banner() -> str | None:
    """A banner for every page when the build could not use MNIST itself.

    The pages load the data the same way, so they all fall back together (only
    when no data folder was named and no mirror was reachable); the banner says
    so on every page, not only in the pages' own data lines.
    """
    from nnguide.data import FULL, load_dataset

    dataset = load_dataset()
    if dataset.name == FULL:
        return None
    return (
        f"This site was built on the {dataset.name}, not on MNIST: no MNIST files were "
        "found and no mirror could be reached. Its numbers are not MNIST's."
    )


BANNER = None if QUICK else data_banner()
if BANNER:
    html_theme_options["announcement"] = BANNER
# Pages with no section below them would show an empty "Section Navigation".
html_sidebars = {
    page: []
    for page in (
        "index",
        "install",
        "claims",
        "comparison",
        "autograd",
        "build_report",
        "sg_execution_times",
    )
}
# autodoc documents a re-exported object twice: under the package that exports
# it (nnguide.scratch.MLP) and under the module that defines it
# (nnguide.scratch.model.MLP). Following imports, viewcode files both under the
# defining module's source page, but builds every "[docs]" link there from the
# first name it met (#nnguide.scratch.MLP on the nnguide.scratch.model page, an
# anchor that does not exist). Not following them, the source page links to the
# defining module's own entries only, whose anchors exist.
viewcode_follow_imported_members = False

copybutton_prompt_text = r">>> |\.\.\. |\$ "
copybutton_prompt_is_regexp = True


# PyTorch classes live in private modules (torch.nn.modules.module.Module);
# show a base class by the public name its documentation uses.
PUBLIC_NAMES = {
    "torch.nn.modules.module.Module": "torch.nn.Module",
    "torch.utils.data.sampler.Sampler": "torch.utils.data.Sampler",
}


def public_bases(app, name, obj, options, bases):
    for i, base in enumerate(bases):
        full = f"{getattr(base, '__module__', '')}.{getattr(base, '__qualname__', '')}"
        if full in PUBLIC_NAMES:
            bases[i] = f":py:class:`{PUBLIC_NAMES[full]}`"


def reread_executed_pages(app, env, added, changed, removed):
    return EXECUTED_PAGES if PACKAGE_CHANGED else []


def remember_package(app, exception):
    """After a successful build, record which package its outputs came from."""
    if exception is None and not QUICK:
        STAMP.parent.mkdir(parents=True, exist_ok=True)
        STAMP.write_text(package_digest())


def computation_times_offline(app):
    """Make sphinx-gallery's computation-times page read offline.

    sphinx-gallery (0.17 and later) writes the table with a raw-HTML block that
    loads jQuery, DataTables and Bootstrap from CDNs to make it sortable; with
    no network the page logs ``$ is not defined``. Keep the plain table, and
    drop its memory column, which only holds zeros when ``show_memory`` is off.
    Runs after sphinx-gallery has written the page (a later builder-inited).
    """
    page = DOCS / "sg_execution_times.rst"
    if not page.is_file():
        return
    text = page.read_text(encoding="utf-8")
    lines, out, skipping, cell = text.splitlines(keepends=True), [], False, 0
    for line in lines:
        if line.strip() == ".. raw:: html":
            skipping = True
            continue
        if skipping:
            if line.strip().startswith(".. list-table::"):
                skipping = False
            else:
                continue
        if line.startswith("   * - "):
            cell = 1
        elif line.startswith("     - "):
            cell += 1
            if cell == 3 and not sphinx_gallery_conf["show_memory"]:
                continue
        out.append(line)
    new = "".join(out)
    if new != text:
        page.write_text(new, encoding="utf-8")


def first_visit_mode(app, pagename, templatename, context, doctree):
    """The colour mode a first visit starts in: the reader's system setting.

    pydata-sphinx-theme takes it from ``default_mode`` in the page's context;
    left unset, a first visit logs "Got invalid theme mode" as a console error.
    """
    context.setdefault("default_mode", "auto")


def setup(app):
    app.connect("html-page-context", first_visit_mode)
    app.connect("builder-inited", computation_times_offline, priority=900)
    app.connect("autodoc-process-bases", public_bases)
    app.connect("env-get-outdated", reread_executed_pages)
    app.connect("build-finished", remember_package)
