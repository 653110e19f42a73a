"""Sphinx configuration of the nnguide site: settings only.

Two extensions execute code at build time, each on its own files:
sphinx-gallery runs the scripts in ``gallery/`` (and writes ``auto_examples/``),
myst-nb runs the MyST Markdown pages that carry code cells. myst-nb is told to
leave sphinx-gallery's generated notebooks alone. What runs before them, and
which pages re-run when the package or a record changes, is
``docs/_ext/nnguide_records.py``, set up below (``nnguide_records``). The
environment variables the build reads are listed on the install page
(``nnguide.settings`` reads them).
"""

import sys
from pathlib import Path

from nnguide import settings

DOCS = Path(__file__).parent
ROOT = DOCS.parent
sys.path.insert(0, str(DOCS / "_ext"))

QUICK = settings.docs_quick()  # execute nothing: prose, layout, API reference

import nnguide_site  # noqa: E402  (docs/_ext: hosting settings, launch links)

HOSTING = nnguide_site.Hosting.from_environment()

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
    "nnguide_docs",  # small fixes: offline computation times, public base names, colour mode
    "nnguide_site",  # hosting: edit and launch links, notebooks' first cell
    "nnguide_archive",  # the whole site as one zip, for reading offline
    "nnguide_records",  # the records pages share; re-running pages whose inputs changed
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
    # root sg_execution_times (see docs/_ext/nnguide_docs.py).
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
nb_execution_cache_path = str(DOCS / "_build" / ".jupyter_cache")
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
    "filename_pattern": settings.gallery_pattern() or r"/plot_",
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
    # the HTML folder); tests/site/test_site_build.py reads it.
    "junit": "../gallery-junit.xml",
    # A downloaded notebook installs nnguide[gallery] if it is missing (see nnguide_site).
    "first_notebook_cell": HOSTING.first_notebook_cell(),
}

# -- Records and re-execution (docs/_ext/nnguide_records.py) --------------------------
# The data flow of the build. Each record is made by its producer before any
# page runs, into docs/_build/results (NNGUIDE_RESULTS), and remade when the
# package changes; pages only read records. Pages also cache the training runs
# they share there (nnguide.lab.experiment.run's cache_dir), so two pages
# quoting one run show the same numbers.
nnguide_results_dir = str(DOCS / "_build" / "results")
nnguide_records = {
    # Each library's fastest thread count here, never above the usable cores,
    # applied before anything runs: oversubscribed threads made a build next
    # to one busy core fail.
    "threads": "nnguide.lab.threads:limit_threads",
    "speed": "nnguide.lab.bench.runner:site_record",  # the benchmark the speed pages show
    "deploy": "nnguide.lab.deploy_bench:site_record",  # after training: files, routes, starts
    # Training on two processes under mpiexec and torchrun: exactness, epochs, all-reduces.
    "scale": "nnguide.lab.scale.record:site_record",
}
nnguide_threads_record = "threads"
# page -> the records it reads: a page re-runs when one of them (or the package) changed.
nnguide_page_inputs = {
    "claims": ["speed", "deploy", "scale"],
    "auto_examples/plot_09_speed": ["speed"],
    "auto_examples/plot_09b_tuning": ["speed"],
    "auto_examples/plot_09c_sweeps": ["speed"],
    "auto_examples/plot_09d_other_feeds": ["speed"],
    "auto_examples/plot_12_more_processes": ["scale"],
    "auto_examples/plot_13_after_training": ["deploy"],
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
