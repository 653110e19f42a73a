"""Every ``NNGUIDE_*`` environment variable, read in one place.

Each function reads its variable when called (not at import), so a test or a
build that sets one later is seen. The install page documents each. The one
variable also read elsewhere is ``NNGUIDE_INSTALL_SOURCE``: a downloaded
notebook's first cell reads it before nnguide is installed.

==============================  ====================================================
variable                        effect
==============================  ====================================================
``NNGUIDE_DATA``                the folder that holds the four MNIST files
``NNGUIDE_RESULTS``             where the site's build keeps the records its pages share
``NNGUIDE_SHORT_RUN=1``         a copy of a page is only tested: shorter runs, said so
``NNGUIDE_THREADS``             each library's thread count, as ``numpy=1,torch=2``
``NNGUIDE_DOCS_QUICK=1``        build the site without executing anything
``NNGUIDE_GALLERY_PATTERN``     execute only the gallery scripts whose path matches
``NNGUIDE_SITE_URL``            the site's public address (canonical links, sitemap)
``NNGUIDE_REPOSITORY``          the repository's address (edit and launch links)
``NNGUIDE_REPOSITORY_BRANCH``   its branch (default ``main``)
``NNGUIDE_SITE_ARCHIVE=0``      build no downloadable archive of the site
``NNGUIDE_INSTALL_SOURCE``      what a downloaded notebook's first cell installs
==============================  ====================================================
"""

from __future__ import annotations

import os
from pathlib import Path

#: Every variable this module reads, for the install page and its test.
VARIABLES = (
    "NNGUIDE_DATA",
    "NNGUIDE_RESULTS",
    "NNGUIDE_SHORT_RUN",
    "NNGUIDE_THREADS",
    "NNGUIDE_DOCS_QUICK",
    "NNGUIDE_GALLERY_PATTERN",
    "NNGUIDE_SITE_URL",
    "NNGUIDE_REPOSITORY",
    "NNGUIDE_REPOSITORY_BRANCH",
    "NNGUIDE_SITE_ARCHIVE",
    "NNGUIDE_INSTALL_SOURCE",
)


def _get(name: str) -> str:
    return os.environ.get(name, "").strip()


def data_dir() -> Path | None:
    """``$NNGUIDE_DATA`` as a path, or None when unset."""
    value = _get("NNGUIDE_DATA")
    return Path(value).expanduser() if value else None


def results_dir() -> Path | None:
    """``$NNGUIDE_RESULTS``: where a build's pages share their records; None outside a build."""
    value = _get("NNGUIDE_RESULTS")
    return Path(value).expanduser() if value else None


def short_run() -> bool:
    """Whether ``NNGUIDE_SHORT_RUN=1``: a copy of a page that is only being tested."""
    return _get("NNGUIDE_SHORT_RUN") == "1"


def threads() -> dict[str, int]:
    """``$NNGUIDE_THREADS`` (``numpy=1,torch=2``) as a dict; empty when unset.

    Raises
    ------
    ValueError
        When the value is not of that form.
    """
    value = _get("NNGUIDE_THREADS")
    if not value:
        return {}
    out = {}
    for item in value.split(","):
        library, _, count = item.partition("=")
        if not count.strip().isdigit() or int(count) < 1:
            raise ValueError(
                f"NNGUIDE_THREADS={value!r} is not of the form numpy=1,torch=2: "
                "set it that way or unset it."
            )
        out[library.strip()] = int(count)
    return out


def docs_quick() -> bool:
    """Whether ``NNGUIDE_DOCS_QUICK=1``: the site is built without executing anything."""
    return _get("NNGUIDE_DOCS_QUICK") == "1"


def gallery_pattern() -> str | None:
    """``$NNGUIDE_GALLERY_PATTERN``: a regular expression of the gallery scripts to run."""
    return _get("NNGUIDE_GALLERY_PATTERN") or None


def site_url() -> str:
    """``$NNGUIDE_SITE_URL`` (empty when unset)."""
    return _get("NNGUIDE_SITE_URL")


def repository() -> str:
    """``$NNGUIDE_REPOSITORY`` without a trailing slash (empty when unset)."""
    return _get("NNGUIDE_REPOSITORY").rstrip("/")


def repository_branch() -> str:
    """``$NNGUIDE_REPOSITORY_BRANCH``, ``main`` when unset."""
    return _get("NNGUIDE_REPOSITORY_BRANCH") or "main"


def site_archive() -> bool:
    """Whether to build the downloadable archive of the site (``NNGUIDE_SITE_ARCHIVE=0``: no)."""
    return _get("NNGUIDE_SITE_ARCHIVE") != "0"


def install_source() -> str:
    """``$NNGUIDE_INSTALL_SOURCE`` (empty when unset): the build writes it into each
    notebook's first cell as the default of what that cell installs."""
    return _get("NNGUIDE_INSTALL_SOURCE")
