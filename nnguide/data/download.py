"""Downloading the MNIST files with pooch from the public mirrors, tried in turn.

Only nnguide's own cache is filled by default (:func:`fetch_mnist`): a folder
the user named must already hold the files. Each download lands in memory, is
decompressed and checked against the canonical SHA-256
(:func:`nnguide.data.locate.verify`), and only then written, atomically, so a
failed or damaged transfer leaves nothing behind. The folder's lock
(:func:`nnguide.data.lock.folder_lock`) makes two processes that fill one
cache share the download.

The errors keep two failures apart: no file arrived
(:class:`~nnguide.data.DownloadError`, the one case that may end in the
offline subset) and a file arrived that failed its check
(:class:`~nnguide.data.CorruptDownloadError`, never a reason to fall back).
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pooch

from nnguide.data import locate
from nnguide.data.errors import CorruptDownloadError, DataError, DownloadError
from nnguide.data.lock import folder_lock
from nnguide.files import atomic_write

#: Public mirrors of the gzip-compressed files, tried in this order.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

#: Seconds to wait for a mirror to connect, and then for each chunk of a download.
TIMEOUT = 30

_FIX_MIRROR = ""  # download errors say once, on their first line, that nothing was written


def _reason(err: Exception) -> str:
    """A short reason for a failed request, without urllib3's nested reprs."""
    import requests

    if isinstance(err, requests.HTTPError) and err.response is not None:
        return f"HTTP {err.response.status_code} {err.response.reason}"
    if isinstance(err, requests.Timeout):
        return f"no answer within {TIMEOUT} s"
    if isinstance(err, requests.exceptions.ChunkedEncodingError):
        return "the connection closed before the whole file arrived"
    text = str(err)
    # The cause is buried in urllib3's nested reprs: "[Errno 111] Connection refused",
    # "RemoteDisconnected('Remote end closed connection without response')".
    for pattern in (r"\[Errno -?\d+\] ([^'\")]+)", r"RemoteDisconnected\('([^']+)'"):
        found = re.search(pattern, text)
        if found:
            return found.group(1).strip()
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def download_file(
    name: str,
    folder: Path,
    mirrors=None,
    *,
    progressbar: bool = True,
    unreachable: set[str] | None = None,
) -> Path:
    """Download ``name``.gz into ``folder``, trying each mirror in turn.

    The download lands in memory, is decompressed and checked against
    :data:`~nnguide.data.locate.SHA256`, and only then written to
    ``folder/name.gz`` atomically, so a failed or damaged download leaves
    nothing behind. Callers that may run in several processes at once hold
    the folder's lock (as :func:`fetch_mnist` does).

    Parameters
    ----------
    name : str
        One of the keys of :data:`~nnguide.data.locate.SHA256`.
    folder : pathlib.Path
        Where to write the file.
    mirrors : sequence of str, optional
        Base URLs, tried in turn; :data:`~nnguide.data.download.MIRRORS` by default.
    progressbar : bool
        Show pooch's progress bar.
    unreachable : set of str, optional
        Mirrors that could not be connected to earlier (skipped here); mirrors
        this call cannot connect to are added, so a dead mirror costs one
        timeout per :func:`fetch_mnist`, not one per file.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    ~nnguide.data.DownloadError
        If every mirror was unreachable (the network is down, say).
    ~nnguide.data.CorruptDownloadError
        If a mirror delivered a file that failed its check and no mirror
        delivered a good one.
    """
    import requests  # pooch's HTTP client; imported here because only downloads need it

    mirrors = MIRRORS if mirrors is None else mirrors
    unreachable = set() if unreachable is None else unreachable
    # Network failures (no file arrived) and bad files (a file arrived and failed
    # its check) are kept apart: only the first may end in the offline fallback.
    network = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)
    failed, bad = [], 0
    for mirror in mirrors:
        url = f"{mirror}{name}.gz"
        if mirror in unreachable:
            failed.append(f"  {url}: unreachable (could not connect for an earlier file)")
            continue
        buffer = io.BytesIO()
        try:
            pooch.HTTPDownloader(progressbar=progressbar, timeout=TIMEOUT)(url, buffer, None)
            blob = buffer.getvalue()
            locate.verify(locate.decompress(blob, url, _FIX_MIRROR), name, url, _FIX_MIRROR)
        except (requests.HTTPError, *network) as err:
            if isinstance(err, (requests.ConnectionError, requests.Timeout)):
                unreachable.add(mirror)
            failed.append(f"  {url}: unreachable ({_reason(err)})")
            continue
        except (requests.RequestException, DataError) as err:
            bad += 1
            detail = _reason(err) if isinstance(err, requests.RequestException) else str(err)
            failed.append(f"  {url}: bad file: {detail.removeprefix(url + ': ')}")
            continue
        return atomic_write(folder / f"{name}.gz", blob)
    details = "\n" + "\n".join(failed)
    if bad:
        raise CorruptDownloadError(
            f"{name}.gz: no mirror delivered an intact copy ({bad} of {len(failed)} served a "
            f"file that failed its check; nothing was written to {folder}). Try again later, "
            "or copy the four MNIST files into a folder and point NNGUIDE_DATA at it." + details
        )
    raise DownloadError(
        f"{name}.gz: no mirror could be reached ({len(failed)} tried). Connect to the "
        f"network and run again, or copy the four MNIST files into {folder} (or into a "
        "folder NNGUIDE_DATA names)." + details
    )


def fetch_mnist(
    data_dir: str | os.PathLike | None = None,
    *,
    mirrors=None,
    download: bool | None = None,
    progressbar: bool = True,
) -> Path:
    """Make sure the four MNIST files are in the data folder.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The folder to use; see :func:`~nnguide.data.resolve_data_dir` for the default.
    mirrors : sequence of str, optional
        Base URLs to download from, tried in turn;
        :data:`~nnguide.data.download.MIRRORS` by default.
    download : bool, optional
        Download missing files. By default only into nnguide's own cache: a
        folder the user named (``data_dir`` or ``NNGUIDE_DATA``) must already
        hold the files, so that a typo is an error, not a second copy of
        MNIST. Pass ``True`` to fill a named folder.
    progressbar : bool
        Show pooch's progress bar while downloading.

    Returns
    -------
    pathlib.Path
        The folder holding the four files (present; each is verified when read).

    Raises
    ------
    ~nnguide.data.DataError
        If a named folder does not exist, is a file, or lacks one of the files.
    ~nnguide.data.DownloadError
        If a file is missing and every mirror was unreachable.
    ~nnguide.data.CorruptDownloadError
        If a file is missing and no mirror delivered an intact copy.
    """
    folder, origin = locate.data_folder(data_dir)
    if download is None:
        download = origin is None
    missing = locate.missing_files(folder)
    if not missing:
        return folder
    if not download or (folder.exists() and not folder.is_dir()):
        raise locate.missing_file_error(missing[0], folder, origin)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(
            f"{folder}: cannot create the data folder ({err.strerror or err}). "
            "Set NNGUIDE_DATA to a folder that holds the four MNIST files."
        ) from err
    unreachable: set[str] = set()
    with folder_lock(folder):
        # Every download writes under this lock, so a partial file here is from a
        # process that was killed while writing: never read, but cleared away.
        for name in locate.SHA256:
            for stale in folder.glob(f".{name}.gz.*.part"):
                stale.unlink(missing_ok=True)
        # Looked for again under the lock: another process may have downloaded
        # a file while this one waited.
        for name in locate.missing_files(folder):
            download_file(name, folder, mirrors, progressbar=progressbar, unreachable=unreachable)
    return folder
