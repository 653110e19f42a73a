"""The whole built site as one zip archive, for reading offline (linked from index.md).

``NNGUIDE_SITE_ARCHIVE=0`` skips it (``nox -s docs_live`` does). The notebooks
and Binder files, which exist for the launch branch, stay out of it.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from nnguide_site import BINDER_REQUIREMENTS, NOTEBOOKS_DIR

from nnguide import settings

ARCHIVE = "nnguide-site.zip"
ARCHIVE_FOLDER = "nnguide-site"  # what the archive unpacks to
ARCHIVE_SKIP = {".doctrees", ".buildinfo", ".buildinfo.bak", NOTEBOOKS_DIR}
ARCHIVE_SKIP.add(BINDER_REQUIREMENTS.parent.name)  # the launch branch's files, not the site's


def write_site_archive(app, exception) -> None:
    """Write the whole built site as one zip archive, for reading offline.

    Rewritten only when the content of the site changed since the last archive
    (Sphinx rewrites some files, such as the search index, at every build).
    """
    if exception is not None or app.builder.name != "html":
        return
    if not settings.site_archive():
        return
    out = Path(app.outdir)
    archive = out / ARCHIVE
    files = [
        p
        for p in sorted(out.rglob("*"))
        if p.is_file() and p != archive and p.relative_to(out).parts[0] not in ARCHIVE_SKIP
    ]
    stamp = hashlib.sha256()
    for p in files:
        stamp.update(f"{p.relative_to(out)}\0".encode())
        stamp.update(hashlib.sha256(p.read_bytes()).digest())
    key = out.parent / f"{ARCHIVE}.key"
    if archive.is_file() and key.is_file() and key.read_text() == stamp.hexdigest():
        return
    partial = archive.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for p in files:
            zf.write(p, f"{ARCHIVE_FOLDER}/{p.relative_to(out).as_posix()}")
    partial.replace(archive)
    key.write_text(stamp.hexdigest())


def setup(app):
    app.connect("build-finished", write_site_archive, priority=900)  # after the site is written
    return {"parallel_read_safe": True, "parallel_write_safe": True}
