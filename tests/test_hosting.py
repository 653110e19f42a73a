"""The site's hosting settings (docs/_ext/nnguide_site.py)."""

import importlib.util
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


site = load(DOCS / "_ext" / "nnguide_site.py")

HOSTING_VARIABLES = (
    "NNGUIDE_SITE_URL",
    "NNGUIDE_REPOSITORY",
    "NNGUIDE_REPOSITORY_BRANCH",
    "NNGUIDE_INSTALL_SOURCE",
    "READTHEDOCS_CANONICAL_URL",
)
GITHUB = {
    "NNGUIDE_SITE_URL": "https://nnguide.example.org",
    "NNGUIDE_REPOSITORY": "https://github.com/example/nnguide.git",
}


@pytest.fixture
def hosting_from(monkeypatch):
    """The hosting settings that these environment variables (and no others) give."""

    def read(env):
        for name in HOSTING_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return site.Hosting.from_environment()

    return read


def test_unset_settings_give_no_links(hosting_from):
    hosting = hosting_from({})
    assert hosting.site_url == "" and hosting.repository == "" and hosting.install_source == ""
    assert hosting.extensions() == [] and hosting.icon_links() == [] and hosting.binder() == {}
    assert hosting.edit_url("docs/index.md") == ""


def test_github_settings(hosting_from):
    hosting = hosting_from(GITHUB)
    assert hosting.site_url == "https://nnguide.example.org/"
    assert hosting.repository == "https://github.com/example/nnguide"
    assert hosting.install_source == "git+https://github.com/example/nnguide"
    assert hosting.extensions() == ["sphinx_sitemap", "sphinxext.opengraph"]
    assert hosting.edit_url("gallery/plot_01.py") == (
        "https://github.com/example/nnguide/edit/main/gallery/plot_01.py"
    )
    assert hosting.binder()["org"] == "example" and hosting.binder()["repo"] == "nnguide"
    assert hosting.colab_url("auto_examples/plot_01.ipynb").startswith(
        "https://colab.research.google.com/github/example/nnguide/blob/notebooks/"
    )


def test_other_hosts_get_the_repository_link_only(hosting_from):
    hosting = hosting_from({"NNGUIDE_REPOSITORY": "https://git.example.org/nn"})
    assert hosting.icon_links()[0]["url"] == "https://git.example.org/nn"
    assert hosting.edit_url("docs/index.md") == "" and hosting.binder() == {}


def test_install_source_overrides_the_repository(hosting_from):
    env = {**GITHUB, "NNGUIDE_INSTALL_SOURCE": "https://example.org/nnguide-0.1.0-py3-none-any.whl"}
    hosting = hosting_from(env)
    assert "@ https://example.org/nnguide-0.1.0-py3-none-any.whl" in hosting.first_notebook_cell()


def test_pages_edit_their_own_sources():
    assert site.repository_path("auto_examples/plot_01_autograd_basics", ".rst") == (
        "gallery/plot_01_autograd_basics.py"
    )
    assert site.repository_path("index", ".md") == "docs/index.md"
    assert site.repository_path("generated/nnguide.scratch.model", ".rst") == (
        "nnguide/scratch/model.py"
    )
    assert site.repository_path("sg_execution_times", ".rst") == ""


def run_cell(code, monkeypatch, source):
    monkeypatch.setenv("NNGUIDE_INSTALL_SOURCE", source)
    exec(compile(code, "<setup cell>", "exec"), {"__name__": "__main__"})


def test_setup_cell_does_nothing_when_everything_is_installed(monkeypatch, hosting_from):
    code = hosting_from({}).first_notebook_cell()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    run_cell(code, monkeypatch, "")  # no source, but nothing to install either


def test_setup_cell_stops_with_one_line_when_there_is_no_source(monkeypatch, hosting_from):
    code = hosting_from({}).first_notebook_cell()
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(Exception, match=r"This notebook needs nnguide\[gallery\]") as raised:
        run_cell(code, monkeypatch, "")
    assert raised.value._render_traceback_() == [str(raised.value)]  # what Jupyter shows
