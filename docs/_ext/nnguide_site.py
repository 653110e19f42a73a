"""Hosting the site: its public address, its repository, and what follows from them.

The settings (``NNGUIDE_SITE_URL``, ``NNGUIDE_REPOSITORY``,
``NNGUIDE_REPOSITORY_BRANCH``, ``NNGUIDE_INSTALL_SOURCE``; the install page says
what each does) are read through :mod:`nnguide.settings`, all unset by default.
On Read the Docs, ``READTHEDOCS_CANONICAL_URL`` stands in for the site's address.
The address gives ``html_baseurl`` (canonical links), ``sitemap.xml``
(sphinx-sitemap) and OpenGraph tags (sphinxext-opengraph). The repository gives
the header's repository icon, an "Edit on GitHub" (or GitLab) button on every
page with a source in the repository (a gallery page edits its script), the
notebooks' install source and, for GitHub, each gallery page's Binder and Colab
links. Those open the notebooks from the repository's ``notebooks`` branch,
which ``.github/workflows/docs.yml`` fills with the built notebooks and
``binder/requirements.txt`` (Binder and Colab read a branch, not a site).

With none set, the site builds with no link to any host, and a downloaded
notebook's first cell, if nnguide is missing, stops with one line saying how to
install it. Nothing here is baked into what sphinx-gallery caches: the
notebooks' first cell is brought up to date in every build and the launch
badges are added as each page is read, so changing a setting re-executes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from nnguide import settings

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
GALLERY_DIR = "auto_examples"  # sphinx-gallery's output folder, relative to docs/

LAUNCH_BRANCH = "notebooks"  # the repository branch Binder and Colab open notebooks from
NOTEBOOKS_DIR = "notebooks"  # the notebooks' folder in the built site and on that branch
BINDER_REQUIREMENTS = DOCS / "_build" / "binder" / "requirements.txt"

SETUP_MARKER = "# Setup: this notebook needs the nnguide package"
SETUP_CELL = """\
{marker} and what the gallery imports
# (matplotlib, keras, safetensors, onnx, onnxruntime, Pillow, mpi4py). Where they are missing,
# this cell installs them from
# NNGUIDE_INSTALL_SOURCE (a wheel's URL or path, a git URL), by default:
# {default_shown}
import importlib, importlib.util, os, subprocess, sys


class NotInstalled(Exception):
    def _render_traceback_(self):  # Jupyter shows the message alone, no traceback
        return [str(self)]


NEEDED = (
    "nnguide", "matplotlib", "keras",
    "safetensors", "onnx", "onnxruntime", "PIL",
    "mpi4py",
)
if not all(importlib.util.find_spec(m) for m in NEEDED):
    source = os.environ.get("NNGUIDE_INSTALL_SOURCE", {default!r})
    if not source:
        raise NotInstalled({message!r})
    pip = [sys.executable, "-m", "pip", "install", "--quiet"]
    subprocess.check_call(pip + [f"nnguide[gallery] @ {{source}}"])
    importlib.invalidate_caches()"""
NO_SOURCE_MESSAGE = (
    "This notebook needs nnguide[gallery]: pip install 'nnguide[gallery] @ git+<its repository>'"
    " (or pip install '.[gallery]' in a checkout), then run it again."
)


@dataclass(frozen=True)
class Hosting:
    """The hosting settings, read from the environment."""

    site_url: str = ""
    repository: str = ""
    branch: str = "main"
    install_source: str = ""

    @classmethod
    def from_environment(cls) -> Hosting:
        site = settings.site_url() or os.environ.get("READTHEDOCS_CANONICAL_URL", "").strip()
        if site and not site.endswith("/"):
            site += "/"
        repository = settings.repository().removesuffix(".git")
        source = settings.install_source() or (f"git+{repository}" if repository else "")
        return cls(site, repository, settings.repository_branch(), source)

    # -- the repository ----------------------------------------------------------
    @property
    def host(self) -> str:
        """``github``, ``gitlab``, or ``""`` for any other host (no edit or launch links)."""
        for name in ("github", "gitlab"):
            if re.match(rf"https://{name}\.com/[^/]+/[^/]+$", self.repository):
                return name
        return ""

    @property
    def github(self) -> tuple[str, str] | None:
        """(owner, name) of a GitHub repository, else None."""
        if self.host != "github":
            return None
        owner, name = self.repository.split("/")[-2:]
        return owner, name

    @property
    def host_name(self) -> str:
        return {"github": "GitHub", "gitlab": "GitLab"}.get(self.host, "Repository")

    def icon_links(self) -> list[dict]:
        if not self.repository:
            return []
        icon = {"github": "fa-brands fa-github", "gitlab": "fa-brands fa-gitlab"}
        return [
            {
                "name": self.host_name,
                "url": self.repository,
                "icon": icon.get(self.host, "fa-solid fa-code-branch"),
                "type": "fontawesome",
            }
        ]

    def edit_url(self, path: str) -> str:
        if self.host == "github":
            return f"{self.repository}/edit/{self.branch}/{path}"
        if self.host == "gitlab":
            return f"{self.repository}/-/edit/{self.branch}/{path}"
        return ""

    # -- the notebooks -----------------------------------------------------------
    def first_notebook_cell(self) -> str:
        shown = "none (the site was built without one)"
        if self.install_source:
            shown = f"nnguide[gallery] @ {self.install_source}"
        return SETUP_CELL.format(
            marker=SETUP_MARKER,
            default_shown=shown,
            default=self.install_source,
            message=NO_SOURCE_MESSAGE,
        )

    def binder(self) -> dict:
        """sphinx-gallery's ``binder`` setting, or {} where there is no GitHub repository."""
        if not self.github:
            return {}
        owner, name = self.github
        return {
            "binderhub_url": "https://mybinder.org",
            "org": owner,
            "repo": name,
            "branch": LAUNCH_BRANCH,
            "dependencies": os.path.relpath(BINDER_REQUIREMENTS, DOCS),
            "notebooks_dir": NOTEBOOKS_DIR,
            "use_jupyter_lab": True,
        }

    def colab_url(self, notebook: str) -> str:
        """The PyTorch tutorials' form: Colab opening a notebook straight from GitHub."""
        owner, name = self.github
        return (
            f"https://colab.research.google.com/github/{owner}/{name}/blob/"
            f"{LAUNCH_BRANCH}/{NOTEBOOKS_DIR}/{notebook}"
        )

    def write_binder_requirements(self) -> None:
        """What Binder installs: the CPU build of torch, then nnguide with its gallery extra."""
        if not self.binder():
            return
        text = (
            "# Binder: CPU-only torch (no CUDA download), then nnguide with its gallery extra.\n"
            "--extra-index-url https://download.pytorch.org/whl/cpu\n"
            f"nnguide[gallery] @ {self.install_source}\n"
            "ipykernel\n"
        )
        BINDER_REQUIREMENTS.parent.mkdir(parents=True, exist_ok=True)
        if not BINDER_REQUIREMENTS.is_file() or BINDER_REQUIREMENTS.read_text() != text:
            BINDER_REQUIREMENTS.write_text(text)

    # -- conf.py values ------------------------------------------------------------
    def extensions(self) -> list[str]:
        """Extensions that only make sense with a public address."""
        return ["sphinx_sitemap", "sphinxext.opengraph"] if self.site_url else []

    def as_config(self) -> str:
        """A digest of the settings: a config value whose change makes Sphinx re-read pages."""
        return hashlib.sha256(repr(self).encode()).hexdigest()[:16]


# -- Sphinx events -------------------------------------------------------------------


def _hosting(app) -> Hosting:
    return app.config.nnguide_hosting


def refresh_notebooks(app) -> None:
    """Give every gallery notebook the first cell of the current settings.

    sphinx-gallery writes ``first_notebook_cell`` only into the notebooks of the
    scripts it runs; one it skips (unchanged) keeps the cell of the build that
    ran it. Runs after sphinx-gallery has written the gallery.
    """
    from sphinx_gallery.downloads import zip_files
    from sphinx_gallery.notebook import add_code_cell, jupyter_notebook_skeleton

    skeleton = jupyter_notebook_skeleton()
    add_code_cell(skeleton, _hosting(app).first_notebook_cell())
    wanted = skeleton["cells"][0]
    for notebook in sorted((DOCS / GALLERY_DIR).glob("*.ipynb")):
        content = json.loads(notebook.read_text(encoding="utf-8"))
        cells = content["cells"]
        first = cells[0] if cells else {}
        if first.get("cell_type") == "code" and "".join(first.get("source", "")).startswith(
            SETUP_MARKER
        ):
            if first == wanted:
                continue
            cells[0] = wanted
        else:
            cells.insert(0, wanted)
        with notebook.open("w", encoding="utf-8") as f:
            json.dump(content, f, indent=2)  # as sphinx-gallery writes them
        archive = notebook.with_suffix(".zip")
        script = notebook.with_suffix(".py")
        if archive.is_file() and script.is_file():  # the example's own zip: script + notebook
            zip_files([str(script), str(notebook)], str(archive), str(notebook.parent))


def _badge(css_class: str, image: str, url: str, alt: str) -> str:
    return (
        f"    .. container:: {css_class}\n\n"
        f"      .. image:: /_static/{image}\n"
        f"        :target: {url}\n"
        f"        :alt: {alt}\n\n"
    )


def add_launch_badges(app, docname: str, source: list[str]) -> None:
    """Add Binder and Colab badges beside a gallery page's download links.

    The badges are added as the page is read, not by sphinx-gallery when it runs
    the script, so a page whose script did not change still follows the settings.
    Binder's address is the one sphinx-gallery's ``binder`` setting gives.
    """
    hosting = _hosting(app)
    if not hosting.github or not docname.startswith(f"{GALLERY_DIR}/plot_"):
        return
    from sphinx_gallery.interactive_example import check_binder_conf, gen_binder_url

    name = docname.split("/", 1)[1]
    gallery_conf = app.config.sphinx_gallery_conf
    binder_url = gen_binder_url(
        DOCS / GALLERY_DIR / f"{name}.py",
        check_binder_conf(hosting.binder()),
        {**gallery_conf, "src_dir": str(DOCS)},
    )
    badges = _badge("binder-badge", "launch-binder.svg", binder_url, "Launch on Binder")
    badges += _badge(
        "colab-badge",
        "open-in-colab.svg",
        hosting.colab_url(f"{GALLERY_DIR}/{name}.ipynb"),
        "Open in Colab",
    )
    anchor = "    .. container:: sphx-glr-download sphx-glr-download-jupyter"
    text = source[0]
    if anchor in text and "colab-badge" not in text:
        source[0] = text.replace(anchor, badges + anchor, 1)


def page_context(app, pagename, templatename, context, doctree) -> None:
    """Per page: the edit button's target, and the sidebar's launch badges.

    Runs before the theme decides which sidebar items are empty (priority 400).
    """
    hosting = _hosting(app)
    path = repository_path(pagename, context.get("page_source_suffix") or "")
    url = hosting.edit_url(path) if path else ""
    context["nnguide_edit_url"] = url
    if not url:
        context["theme_use_edit_page_button"] = False


def sidebar_launchers(app, pagename, templatename, context, doctree) -> None:
    """Point the sidebar's launch badges at images that exist, and add Colab's.

    sphinx-gallery's ``get_launcher_links`` finds the Binder badge and passes on
    its image path as written in the page source, which is not a path relative to
    the page; the badges are in ``_static``.
    """
    getter = context.get("get_launcher_links")
    if getter is None or doctree is None or not pagename.startswith(f"{GALLERY_DIR}/plot_"):
        return
    from docutils import nodes

    def get_launcher_links():
        links = dict(getter())
        for container in doctree.findall(nodes.container):
            if "colab-badge" in container["classes"]:
                anchor = container.children[0]
                links["colab"] = {"link": anchor["refuri"], "img_alt": "Open in Colab"}
        images = {"binder": "launch-binder.svg", "colab": "open-in-colab.svg"}
        for key, link in links.items():
            if key in images:
                link["img_src"] = context["pathto"](f"_static/{images[key]}", 1)
        return links

    context["get_launcher_links"] = get_launcher_links


def repository_path(pagename: str, suffix: str) -> str:
    """The file in the repository a page is made from, or "" for a generated page."""
    if pagename.startswith(f"{GALLERY_DIR}/"):
        name = pagename.split("/", 1)[1]
        candidates = ["gallery/GALLERY_HEADER.rst"] if name == "index" else [f"gallery/{name}.py"]
    elif pagename.startswith(("generated/", "gen_modules/")):
        dotted = pagename.split("/")[-1].split(".")
        candidates = ["/".join(dotted) + ".py", "/".join(dotted) + "/__init__.py"]
    elif pagename in {"sg_execution_times", "genindex", "py-modindex", "search"}:
        candidates = []
    else:
        candidates = [f"docs/{pagename}{suffix}"]
    return next((c for c in candidates if (ROOT / c).is_file()), "")


def copy_launch_files(app, exception) -> None:
    """Hand sphinx-gallery the Binder setting for copying the notebooks and requirements.

    Set only now, so that sphinx-gallery does not write Binder badges into the
    pages it caches (``add_launch_badges`` adds them); its own ``build-finished``
    handler, which runs after this one, then copies ``binder/requirements.txt``
    and ``notebooks/`` into the site, from where the Pages workflow pushes them
    to the launch branch.
    """
    hosting = _hosting(app)
    if exception is None and app.builder.name == "html" and hosting.binder():
        hosting.write_binder_requirements()
        from sphinx_gallery.interactive_example import check_binder_conf

        app.config.sphinx_gallery_conf["binder"] = check_binder_conf(hosting.binder())


def complete_sitemap(app, exception) -> None:
    """Give sphinx-sitemap every page, not only those this build wrote.

    sphinx-sitemap lists the pages it saw written, and an incremental build
    writes only the pages that changed; runs before it writes sitemap.xml.
    """
    if exception is not None or app.builder.name != "html":
        return
    if "sphinx_sitemap" not in app.extensions:
        return
    import queue

    from sphinx_sitemap import add_html_link

    links, written = [], app.env.app.sitemap_links
    while True:
        try:
            links.append(written.get_nowait())
        except queue.Empty:
            break
    for link in links:
        written.put(link)
    present = {link for link, _ in links}
    suffix = app.config.html_file_suffix or ".html"
    for docname in sorted(app.env.found_docs):
        if f"{docname}{suffix}" not in present:
            add_html_link(app, docname, None, {}, None)


def setup(app):
    app.add_config_value("nnguide_hosting", Hosting(), "env", types=[Hosting])
    app.connect("builder-inited", refresh_notebooks, priority=900)  # after sphinx-gallery
    app.connect("source-read", add_launch_badges)
    app.connect("html-page-context", page_context, priority=400)
    app.connect("html-page-context", sidebar_launchers, priority=600)
    app.connect("build-finished", copy_launch_files, priority=400)
    app.connect("build-finished", complete_sitemap, priority=400)  # before sphinx-sitemap
    return {"parallel_read_safe": True, "parallel_write_safe": True}
