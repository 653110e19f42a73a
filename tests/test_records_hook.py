"""docs/_ext/nnguide_records.py: pages that share a record show the same figure in every build.

A tiny Sphinx project in ``tmp_path`` uses the site's own extension, as the
site does: a sphinx-gallery script and a myst-nb page (executed by the python3
kernel in myst-nb's cache mode) read one record, and a third page reads none.
Each page also logs that it ran, so the tests see which pages an incremental
build re-executed.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"
spec = importlib.util.spec_from_file_location("nnguide_records", EXT / "nnguide_records.py")
records = sys.modules["nnguide_records"] = importlib.util.module_from_spec(spec)
spec.loader.exec_module(records)

CONF = """
extensions = ["myst_nb", "sphinx_gallery.gen_gallery", "nnguide_records"]
sphinx_gallery_conf = {"examples_dirs": "../gallery", "gallery_dirs": "auto_examples"}
nb_execution_mode = "cache"
nb_execution_raise_on_error = True
exclude_patterns = ["_build", "auto_examples/*.ipynb"]
nnguide_package = "toypkg"
nnguide_records = {"figure": "producers:figure"}
nnguide_page_inputs = {"first": ["figure"], "auto_examples/plot_second": ["figure"]}
"""

PAGE = """\
---
file_format: mystnb
kernelspec: {{name: python3, display_name: Python 3, language: python}}
---
# {name}

```{{code-cell}} python3
import json
from nnguide import settings

with open({log!r}, "a") as f:
    f.write("{name}\\n")
{show}
```
"""
SCRIPT = """\
\"\"\"
Second
======
\"\"\"
import json
from nnguide import settings

with open({log!r}, "a") as f:
    f.write("second\\n")
{show}
"""
SHOW = 'print("figure:", json.loads((settings.results_dir() / "figure.json").read_text())["v"])'


def producer(value: int) -> str:
    return f"def figure():\n    return {{'v': {value}}}\n"


@pytest.fixture
def site(tmp_path):
    src = tmp_path / "src"
    (src / "toypkg").mkdir(parents=True)
    (src / "toypkg" / "__init__.py").write_text("VERSION = 1\n")
    (src / "producers.py").write_text(producer(1))
    (src / "conf.py").write_text(f"import sys\nsys.path[:0] = {[str(EXT), str(src)]!r}\n" + CONF)
    (src / "index.md").write_text(
        "# Site\n\n```{toctree}\nfirst\nother\nauto_examples/index\n```\n"
    )
    log = tmp_path / "executions.log"
    for name, show in [("first", SHOW), ("other", "")]:
        (src / f"{name}.md").write_text(PAGE.format(name=name, log=str(log), show=show))
    (tmp_path / "gallery").mkdir()
    (tmp_path / "gallery" / "GALLERY_HEADER.rst").write_text("Gallery\n=======\n")
    (tmp_path / "gallery" / "plot_second.py").write_text(SCRIPT.format(log=str(log), show=SHOW))
    return SimpleNamespace(src=src, out=tmp_path / "_build" / "html", log=log)


def build(site) -> list[str]:
    """Build incrementally into the same folder; return the pages that executed."""
    site.log.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNGUIDE_")}
    done = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", site.src, site.out],
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return sorted(site.log.read_text().split())


def figure(site, page: str) -> str:
    html = (site.out / f"{page}.html").read_text()
    return html.split("figure: ", 1)[1].split("\n", 1)[0].split("<", 1)[0].strip()


def test_a_changed_record_reruns_the_pages_that_read_it_and_no_other(site):
    assert build(site) == ["first", "other", "second"]
    assert (figure(site, "first"), figure(site, "auto_examples/plot_second")) == ("1", "1")
    results = site.out.parent / "results"
    (results / "run-cache.json").write_text("{}")  # as nnguide.lab.experiment.run writes

    (site.src / "producers.py").write_text(producer(2))  # only the record's producer changes
    assert build(site) == ["first", "second"]
    assert (figure(site, "first"), figure(site, "auto_examples/plot_second")) == ("2", "2")
    assert (results / "run-cache.json").is_file()  # written by this package: kept

    (site.src / "toypkg" / "__init__.py").write_text("VERSION = 2\n")
    assert build(site) == ["first", "other", "second"]  # every output depends on the package
    assert not (results / "run-cache.json").exists()  # the older package's cache is gone


def test_banner_names_a_dataset_other_than_mnist(tmp_path):
    (tmp_path / "run.json").write_text(json.dumps({"dataset": "MNIST"}))
    (tmp_path / "speed.json").write_text(json.dumps({"provenance": {"dataset": "MNIST"}}))
    assert records.banner(tmp_path) is None
    (tmp_path / "speed.json").write_text(json.dumps({"provenance": {"dataset": "tiny set"}}))
    assert "built on the tiny set, not on MNIST" in records.banner(tmp_path)


def test_a_page_reading_an_unknown_record_is_a_config_error():
    config = SimpleNamespace(
        nnguide_records={"speed": "m:f"},
        nnguide_page_inputs={"claims": ["sped"]},
        nnguide_threads_record=None,
    )
    with pytest.raises(records.ExtensionError, match=r"page 'claims' reads \['sped'\]"):
        records.check_config(None, config)


def test_a_record_is_remade_when_a_setting_its_producer_reads_changes(tmp_path, monkeypatch):
    (tmp_path / "counting.py").write_text(
        "calls = []\n\ndef produce():\n    calls.append(1)\n    return {'n': len(calls)}\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import counting

    monkeypatch.delenv("NNGUIDE_SHORT_RUN", raising=False)
    first = records.make_record(tmp_path, "x", "counting:produce", "digest")
    again = records.make_record(tmp_path, "x", "counting:produce", "digest")
    assert first == again and len(counting.calls) == 1  # same inputs: kept
    monkeypatch.setenv("NNGUIDE_SHORT_RUN", "1")  # a short run's record is another record
    short = records.make_record(tmp_path, "x", "counting:produce", "digest")
    assert json.loads(short) == {"n": 2}
    monkeypatch.setenv("NNGUIDE_DATA", str(tmp_path))  # so is one made from other data
    records.make_record(tmp_path, "x", "counting:produce", "digest")
    assert len(counting.calls) == 3
