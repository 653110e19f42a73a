"""The records that pages share, and re-running the pages whose inputs changed.

The site's data flow, in one place (``docs/conf.py`` sets it):

``nnguide_records``
    record name -> ``"module:function"``, a producer that returns a JSON-able
    dict. Before anything executes (at ``builder-inited``, ahead of
    sphinx-gallery and myst-nb), each record is made into
    ``<results>/<name>.json`` (atomically) unless it is there already and was
    made from the same inputs: the package's sources, the producer's name and
    its module's file, and the settings producers read (``NNGUIDE_SHORT_RUN``,
    ``NNGUIDE_DATA``), whose digest is kept beside it in ``<name>.inputs``.
    Pages only read records; one that writes a record is warned about (an
    error under ``-W``, as the site is built).
``nnguide_page_inputs``
    page (docname: ``auto_examples/plot_...`` for a gallery script, ``claims``
    for a myst-nb page) -> the names of the records it reads.
``nnguide_threads_record``
    the record of each library's thread count (``{"numpy": n, "torch": m}``,
    as :func:`nnguide.lab.threads.limit_threads` measures and returns it).
    It is made first and applied at once to this process and, through
    ``OMP_NUM_THREADS``, ``OPENBLAS_NUM_THREADS`` and ``NNGUIDE_THREADS``, to
    the notebook kernels, so no page runs on more threads than the usable
    cores. A ``NNGUIDE_THREADS`` already set is applied instead (not recorded).
``nnguide_results_dir``, ``nnguide_package``
    ``<results>`` (NNGUIDE_RESULTS is set to it: pages and kernels find it
    with :func:`nnguide.settings.results_dir`) and the package whose sources
    every output depends on.

Neither sphinx-gallery (which keys a script's outputs on its checksum) nor
myst-nb's jupyter-cache (keyed on a notebook's code cells) sees a change in
the package or in a record. So every executed page's inputs are the package's
sources plus the records it declares; their digest is compared with the one
stored after the last successful build (``nnguide-inputs.json`` beside
``<results>``), and a page whose inputs changed is re-executed by the tools'
own means: its sphinx-gallery checksum file (``.md5``) is removed, or its
jupyter-cache records are removed and Sphinx re-reads it. A gallery script
that ``filename_pattern`` leaves out keeps its outputs and stays due. Other
files that pages write into ``<results>`` (training runs cached by
:func:`nnguide.lab.experiment.run`, keyed on their settings, not on the
package) are removed when the package changed: every page re-runs then.

The banner: when a record names a dataset (``dataset``, at its top or in its
``provenance``) other than full MNIST, every page announces it.
With ``NNGUIDE_DOCS_QUICK=1`` nothing executes and this extension does nothing.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.errors import ExtensionError
from sphinx.util import logging

from nnguide import settings
from nnguide.files import atomic_write

logger = logging.getLogger(__name__)
STORE = "nnguide-inputs.json"  # beside <results>: the inputs of the last successful build


@dataclass
class State:
    results: Path
    package: str  # digest of the package's sources
    records: dict[str, bytes] = field(default_factory=dict)  # as the build started
    stale: set[str] = field(default_factory=set)  # pages whose inputs changed
    forced: set[str] = field(default_factory=set)  # ...and that are re-executed now
    banner: str | None = None


def package_digest(package: str) -> str:
    """A digest of the package's ``.py`` files: their paths and contents."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise ExtensionError(f"nnguide_package: no package {package!r} is importable here.")
    root = Path(spec.origin).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def make_record(results: Path, name: str, producer: str, package: str) -> bytes:
    """``<results>/<name>.json``, made by ``producer`` unless made from the same inputs."""
    path, stamp = results / f"{name}.json", results / f"{name}.inputs"
    module, _, function = producer.partition(":")
    try:  # the producer's own file counts too, wherever it lives
        source = Path(importlib.util.find_spec(module).origin).read_bytes()
        # The settings a producer reads count too: a short run's record, or one
        # made from other data, is not reused by a full build.
        reads = f"{settings.short_run()}\0{settings.data_dir()}\0"
        inputs = hashlib.sha256(f"{package}\0{producer}\0{reads}".encode() + source).hexdigest()
        if path.is_file() and stamp.is_file() and stamp.read_text() == inputs:
            return path.read_bytes()
        make = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError, TypeError) as err:
        raise ExtensionError(
            f"nnguide_records: record {name!r} has producer {producer!r}, which cannot be "
            f"imported ({err}): name an importable 'module:function'."
        ) from None
    logger.info(f"[nnguide_records] making {name}.json with {producer}")
    try:
        data = json.dumps(make(), indent=1).encode()
    except TypeError as err:
        raise ExtensionError(f"nnguide_records: {producer} returned no JSON ({err}).") from None
    atomic_write(path, data)
    atomic_write(stamp, inputs.encode())  # after the record: a crash between makes it again
    return data


def page_digest(state: State, records: list[str]) -> str:
    digest = hashlib.sha256(state.package.encode())
    for name in sorted(records):
        record = state.records.get(name, b"")
        digest.update(f"\0{name}\0".encode() + hashlib.sha256(record).digest())
    return digest.hexdigest()


def _galleries(app) -> list[tuple[Path, Path]]:
    """(examples folder, gallery folder) pairs of sphinx-gallery, if it is configured."""
    conf = getattr(app.config, "sphinx_gallery_conf", None) or {}
    examples, galleries = conf.get("examples_dirs", []), conf.get("gallery_dirs", [])
    examples = [examples] if isinstance(examples, str) else examples
    galleries = [galleries] if isinstance(galleries, str) else galleries
    src = Path(app.srcdir)
    return [(src / e, src / g) for e, g in zip(examples, galleries)]


def _cache(app):
    """myst-nb's jupyter-cache, when pages execute in cache mode and it exists."""
    if getattr(app.config, "nb_execution_mode", None) != "cache":
        return None
    path = app.config.nb_execution_cache_path or Path(app.outdir).parent / ".jupyter_cache"
    if not Path(path).is_dir():
        return None
    from jupyter_cache import get_cache

    return get_cache(path)


def _docname(app, path) -> str | None:
    try:
        relative = Path(path).resolve().relative_to(Path(app.srcdir).resolve())
    except ValueError:  # cached from another folder
        return None
    return relative.with_suffix("").as_posix()


def executed_pages(app) -> dict[str, list]:
    """The pages whose outputs the tools keep: docname -> its jupyter-cache records."""
    pages: dict[str, list] = {}
    for _, gallery in _galleries(app):
        for md5 in gallery.rglob("*.py.md5"):  # a script that ran (and passed)
            pages[_docname(app, md5.with_name(md5.name.removesuffix(".md5")))] = []
    cache = _cache(app)
    for record in cache.list_cache_records() if cache else []:
        docname = _docname(app, record.uri)
        if docname is not None:
            pages.setdefault(docname, []).append(record.pk)
    return pages


def force(app, page: str, records: list) -> bool:
    """Make the tools re-execute ``page``; False for a gallery script left out of this build."""
    for examples, gallery in _galleries(app):
        prefix = f"{gallery.relative_to(app.srcdir).as_posix()}/"
        if page.startswith(prefix):
            script = examples / f"{page.removeprefix(prefix)}.py"
            pattern = app.config.sphinx_gallery_conf.get("filename_pattern", "")
            if not re.search(pattern, os.path.normpath(script)):
                return False
            (gallery / f"{page.removeprefix(prefix)}.py.md5").unlink(missing_ok=True)
            return True  # sphinx-gallery re-runs a script whose checksum file is gone
    cache = _cache(app)
    for pk in records if cache else []:
        try:
            cache.remove_cache(pk)
        except KeyError:  # its notebook file is gone already: drop the entry alone
            from jupyter_cache.cache.db import NbCacheRecord

            NbCacheRecord.remove_records([pk], cache.db)
    return True  # and env-get-outdated makes Sphinx re-read it


def prepare(app) -> None:
    """builder-inited: make the records, apply the threads, force the stale pages to re-run."""
    if settings.docs_quick():
        return
    config = app.config
    results = Path(config.nnguide_results_dir or Path(app.outdir).parent / "results")
    os.environ["NNGUIDE_RESULTS"] = str(results)
    state = app.nnguide_records = State(results, package_digest(config.nnguide_package))
    threads = config.nnguide_threads_record
    for name in sorted(config.nnguide_records, key=lambda name: name != threads):  # threads first
        if name == threads and settings.threads():  # chosen by hand: applied, not recorded
            apply_threads(settings.threads())
            continue
        producer = config.nnguide_records[name]
        state.records[name] = make_record(results, name, producer, state.package)
        if name == threads:
            apply_threads(json.loads(state.records[name]))
    stored = read_store(results)
    if stored.get("package") != state.package:  # page-written caches are of an older package
        for path in results.glob("*.json"):
            if path.stem not in config.nnguide_records:
                path.unlink()
    pages = {page: [] for page in stored.get("pages", {})}  # a myst-nb page may have no cache
    for page, records in {**pages, **executed_pages(app)}.items():
        digest = page_digest(state, config.nnguide_page_inputs.get(page, []))
        if stored.get("pages", {}).get(page) != digest:
            state.stale.add(page)
            if force(app, page, records):
                state.forced.add(page)
    if state.forced:
        logger.info(f"[nnguide_records] inputs changed, re-executing: {sorted(state.forced)}")


def apply_threads(counts: dict) -> None:
    from nnguide.lab.threads import limit_threads

    limit_threads(numpy=counts.get("numpy"), torch=counts.get("torch"))  # capped at the cores


def read_store(results: Path) -> dict:
    path = results.parent / STORE
    return json.loads(path.read_text()) if path.is_file() else {}


def reread(app, env, added, changed, removed) -> list[str]:
    state = getattr(app, "nnguide_records", None)
    return sorted(p for p in state.forced if p in env.found_docs) if state else []


def check_pages(app, env) -> None:
    """env-updated: every page named in nnguide_page_inputs exists; the banner."""
    missing = sorted(set(app.config.nnguide_page_inputs) - env.found_docs)
    if missing:
        raise ExtensionError(f"nnguide_page_inputs names {missing}, not pages of this site.")
    state = getattr(app, "nnguide_records", None)
    if state is not None:
        state.banner = banner(state.results)


def banner(results: Path) -> str | None:
    """The announcement when a record in ``results`` names a dataset other than MNIST."""
    from nnguide.data import FULL

    names = set()
    for path in sorted(results.glob("*.json")):
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as err:
            raise ExtensionError(f"{path} is no JSON record ({err}): remove it.") from None
        if isinstance(record, dict):
            provenance = record.get("provenance")
            provenance = provenance if isinstance(provenance, dict) else {}
            names.add(record.get("dataset") or provenance.get("dataset"))
    others = sorted(n for n in names - {None, FULL} if isinstance(n, str))
    if not others:
        return None
    return (
        f"Pages of this site were built on the {' and the '.join(others)}, not on {FULL}: no "
        f"{FULL} files were found and no mirror could be reached. Their numbers are not {FULL}'s."
    )


def announce(app, pagename, templatename, context, doctree) -> None:
    state = getattr(app, "nnguide_records", None)
    if state is not None and state.banner:
        context["theme_announcement"] = state.banner  # the theme's ``announcement`` option


def remember(app, exception) -> None:
    """build-finished: store each executed page's inputs, unless it is still due."""
    state = getattr(app, "nnguide_records", None)
    if exception is not None or state is None:
        return
    for name, data in state.records.items():
        path = state.results / f"{name}.json"
        if not path.is_file() or path.read_bytes() != data:
            logger.warning(
                f"[nnguide_records] {name}.json changed during the build: a record is written "
                "by its producer in nnguide_records only, never by a page."
            )
    old, stored = read_store(state.results).get("pages", {}), {}
    for page in executed_pages(app):
        if page not in state.stale or page in state.forced:
            stored[page] = page_digest(state, app.config.nnguide_page_inputs.get(page, []))
        elif page in old:  # left out of this build: still due
            stored[page] = old[page]
    data = {"package": state.package, "pages": dict(sorted(stored.items()))}
    atomic_write(state.results.parent / STORE, json.dumps(data, indent=1).encode())


def check_config(app, config) -> None:
    names = set(config.nnguide_records)
    for page, records in config.nnguide_page_inputs.items():
        if set(records) - names:
            raise ExtensionError(
                f"nnguide_page_inputs: page {page!r} reads {sorted(set(records) - names)}, "
                "which nnguide_records does not make."
            )
    if config.nnguide_threads_record not in {None, *names}:
        raise ExtensionError("nnguide_threads_record names no record of nnguide_records.")


def setup(app):
    # No setting makes Sphinx re-read pages: the page digests above re-run what they change.
    app.add_config_value("nnguide_records", {}, "", types=[dict])
    app.add_config_value("nnguide_page_inputs", {}, "", types=[dict])
    app.add_config_value("nnguide_threads_record", None, "")
    app.add_config_value("nnguide_results_dir", "", "", types=[str])
    app.add_config_value("nnguide_package", "nnguide", "", types=[str])
    app.connect("config-inited", check_config)
    app.connect("builder-inited", prepare, priority=300)  # before sphinx-gallery runs scripts
    app.connect("env-get-outdated", reread)
    app.connect("env-updated", check_pages)
    app.connect("html-page-context", announce)
    app.connect("build-finished", remember)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
