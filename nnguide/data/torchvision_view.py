"""``torchvision.datasets.MNIST`` over nnguide's verified files, and nothing else.

torchvision reads the four files uncompressed from ``root/MNIST/raw``. This
module writes verified copies there (:func:`export_uncompressed`) and hands
torchvision that folder (:func:`torchvision_mnist`), never asking it to
download, so what a PyTorch page trains on is byte for byte what the NumPy
pages read. torch and torchvision are imported only when called.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from nnguide.data import locate
from nnguide.data.download import fetch_mnist
from nnguide.data.errors import DataError
from nnguide.data.lock import folder_lock
from nnguide.files import atomic_write


def _export(source: Path, folder: Path) -> None:
    """Write verified, uncompressed copies of the four files from ``source`` into ``folder``.

    The caller holds ``folder``'s lock. Files already there are kept if intact.
    """
    for name in locate.SHA256:
        target = folder / name
        if target.is_file():
            try:
                locate.read_verified(target, name)
                continue
            except DataError:
                pass  # a damaged or outdated copy: rewritten below
        atomic_write(target, locate.read_verified(locate.local_file(source, name), name))


def export_uncompressed(folder: str | os.PathLike, *, data_dir=None) -> Path:
    """Write the four verified, uncompressed IDX files into ``folder``.

    This is the layout ``torchvision.datasets.MNIST`` reads from
    ``root/MNIST/raw`` (:func:`torchvision_mnist` uses it). Each file is
    verified first and written atomically; files already there are checked
    and kept if intact, rewritten if not. Nothing unverified is written.

    Parameters
    ----------
    folder : str or os.PathLike
        Where to write the files; created if needed.
    data_dir : str or os.PathLike, optional
        Where the IDX files are; see :func:`~nnguide.data.resolve_data_dir`.

    Returns
    -------
    pathlib.Path
        ``folder``.

    Raises
    ------
    ~nnguide.data.DataError
        As :func:`~nnguide.data.fetch_mnist`, or when a source file fails its check.
    """
    folder = Path(folder)
    source = fetch_mnist(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with folder_lock(folder):
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
        Where the IDX files are; see :func:`~nnguide.data.resolve_data_dir`.
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
    ~nnguide.data.DataError
        As :func:`~nnguide.data.fetch_mnist`; no offline fallback (torchvision
        cannot read the subset): catch :class:`~nnguide.data.DownloadError` to
        fall back yourself.
    """
    if split not in locate.FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    from torchvision.datasets import MNIST  # lazily: importing nnguide.data never imports torch

    source = fetch_mnist(data_dir)
    root = locate.cache_dir() / "torchvision"
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    # Held until torchvision has read the files, so no other nnguide process
    # rewrites them, or their folder, in between.
    with folder_lock(raw):
        _export(source, raw)
        _remove(root / "MNIST" / "processed")
        return MNIST(root, train=split == "train", transform=transform, download=False)
