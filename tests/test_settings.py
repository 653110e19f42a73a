"""Every NNGUIDE_* variable is read in nnguide.settings and documented on the install page."""

import re
from pathlib import Path

import pytest

from nnguide import settings

ROOT = Path(__file__).parents[1]
SOURCES = [
    *(ROOT / "nnguide").rglob("*.py"),
    *(ROOT / "gallery").glob("*.py"),
    *(ROOT / "docs").glob("*.py"),
    *(ROOT / "docs" / "_ext").glob("*.py"),
    *(ROOT / "docs").glob("*.md"),
]
# A read, not a write: environ.get("NNGUIDE_X") or environ["NNGUIDE_X"] not followed by "=".
READ = re.compile(r"environ(?:\.get\(\s*[\"'](NNGUIDE_\w+)|\[[\"'](NNGUIDE_\w+)[\"']\](?!\s*=))")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_but_settings_reads_an_nnguide_variable(path):
    if path == ROOT / "nnguide" / "settings.py":
        return
    reads = {a or b for a, b in READ.findall(path.read_text(encoding="utf-8"))}
    # A downloaded notebook's first cell reads NNGUIDE_INSTALL_SOURCE before
    # nnguide is installed: the one read outside nnguide.settings.
    reads.discard("NNGUIDE_INSTALL_SOURCE")
    assert not reads, f"{path.name} reads {sorted(reads)} itself: use nnguide.settings"


def test_the_install_page_documents_every_variable():
    page = (ROOT / "docs" / "install.md").read_text(encoding="utf-8")
    missing = [name for name in settings.VARIABLES if f"`{name}" not in page]
    assert not missing, f"docs/install.md does not document {missing}"


def test_every_variable_the_code_names_is_in_settings():
    named = set()
    for path in SOURCES:
        named |= set(re.findall(r"\bNNGUIDE_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    assert named <= set(settings.VARIABLES), sorted(named - set(settings.VARIABLES))


def test_settings_read_the_environment_when_called(monkeypatch, tmp_path):
    monkeypatch.setenv("NNGUIDE_DATA", str(tmp_path))
    monkeypatch.setenv("NNGUIDE_SHORT_RUN", "1")
    monkeypatch.setenv("NNGUIDE_THREADS", "numpy=1,torch=2")
    monkeypatch.setenv("NNGUIDE_REPOSITORY", "https://example.org/nn/")
    monkeypatch.delenv("NNGUIDE_REPOSITORY_BRANCH", raising=False)
    assert settings.data_dir() == tmp_path and settings.short_run()
    assert settings.threads() == {"numpy": 1, "torch": 2}
    assert settings.repository() == "https://example.org/nn"
    assert settings.repository_branch() == "main"
    monkeypatch.setenv("NNGUIDE_SHORT_RUN", "0")
    assert not settings.short_run()
    monkeypatch.setenv("NNGUIDE_THREADS", "numpy=two")
    with pytest.raises(ValueError, match="NNGUIDE_THREADS='numpy=two' is not of the form"):
        settings.threads()
