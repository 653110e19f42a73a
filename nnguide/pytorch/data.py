"""MNIST for PyTorch: the verified files read through ``torchvision``.

``torchvision.datasets.MNIST`` holds a whole split as one uint8 tensor
(``.data``) and one label tensor (``.targets``). Training feeds mini-batches
straight from those tensors, scaled once, with a
:class:`~torch.utils.data.DataLoader` that indexes a whole batch at a time.
The textbook per-image pipeline (``transforms.ToTensor`` on each PIL image,
then collation) gives the same numbers about ten times slower; it stays here
as :func:`per_image_loader` for the speed page to measure.
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader, Sampler, TensorDataset

from nnguide.batching import epoch_batches
from nnguide.data import cache_dir, export_uncompressed


def mnist_dataset(split: str, *, data_dir=None, transform=None):
    """A ``torchvision.datasets.MNIST`` over nnguide's verified files.

    The four files are verified (SHA-256) and laid out as torchvision expects,
    ``<cache>/torchvision/MNIST/raw/``; torchvision is never asked to download.

    Parameters
    ----------
    split : {"train", "test"}
    data_dir : str or os.PathLike, optional
        Where the IDX files are; see :func:`nnguide.data.resolve_data_dir`.
    transform : callable, optional
        Applied to each PIL image by ``__getitem__`` (the per-image pipeline).
    """
    from torchvision.datasets import MNIST

    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}.")
    root = torchvision_root(data_dir)
    return MNIST(root, train=split == "train", transform=transform, download=False)


def torchvision_root(data_dir=None):
    """Lay the verified files out as torchvision expects; return the root to give it.

    Raises :class:`nnguide.data.DownloadError` when the files are missing and
    cannot be downloaded.
    """
    root = cache_dir() / "torchvision"
    export_uncompressed(root / "MNIST" / "raw", data_dir=data_dir)
    return root


def to_tensors(images, labels, *, dtype=torch.float32, device=None):
    """Scale uint8 images (N, 28, 28) once into rows (N, 784) in [0, 1], with int64 labels.

    Accepts tensors (``dataset.data``, ``dataset.targets``) or NumPy arrays.
    """
    images = torch.as_tensor(images, device=device)
    labels = torch.as_tensor(labels, device=device)
    if images.ndim != 3:
        raise ValueError(f"images must have shape (N, 28, 28), got {tuple(images.shape)}.")
    x = images.reshape(len(images), -1).to(dtype).div_(255)
    return x, labels.to(torch.int64)


class EpochBatchSampler(Sampler):
    """Yields one epoch's index tensors from :func:`nnguide.batching.epoch_batches`.

    The NumPy side draws the same indices, so both sides see the same batches.
    Call :meth:`set_epoch` before each epoch, as with
    :class:`~torch.utils.data.distributed.DistributedSampler`.
    """

    def __init__(self, n: int, batch_size: int, *, seed: int = 0):
        self.n, self.batch_size, self.seed, self.epoch = n, batch_size, seed, 0

    def set_epoch(self, epoch: int) -> None:
        """Make the next iteration yield the batches of ``epoch`` (counted from 0)."""
        self.epoch = epoch

    def __iter__(self):
        for idx in epoch_batches(self.n, self.batch_size, seed=self.seed, epoch=self.epoch):
            yield torch.from_numpy(idx)

    def __len__(self) -> int:
        return -(-self.n // self.batch_size)


def in_memory_loader(x: torch.Tensor, y: torch.Tensor, batch_size: int, *, seed: int = 0):
    """A DataLoader that slices whole mini-batches out of in-memory tensors.

    With ``sampler`` yielding index tensors and ``batch_size=None``, the
    DataLoader asks the :class:`~torch.utils.data.TensorDataset` for a whole
    batch at once, ``(x[idx], y[idx])``: one indexing operation per batch
    instead of one per image plus a collation.
    """
    sampler = EpochBatchSampler(len(x), batch_size, seed=seed)
    return DataLoader(TensorDataset(x, y), sampler=sampler, batch_size=None)


def per_image_loader(split: str, batch_size: int, *, data_dir=None, shuffle=True, seed=0):
    """The textbook pipeline: ``ToTensor`` on each PIL image, then collation.

    Kept to be measured (see the speed page), not to train with.
    """
    from torchvision import transforms

    dataset = mnist_dataset(split, data_dir=data_dir, transform=transforms.ToTensor())
    generator = torch.Generator().manual_seed(seed)
    return DataLoader(dataset, batch_size=batch_size, shuffle=shuffle, generator=generator)


def load_mnist_tensors(*, data_dir=None, dtype=torch.float32, device=None):
    """Train and test tensors read through torchvision, and the dataset's name.

    Returns ``((x_train, y_train), (x_test, y_test)), name``. With no MNIST
    files and no network, falls back (with a warning) to the offline subset,
    which torchvision cannot read.
    """
    from torchvision.datasets import MNIST

    from nnguide.data import FULL, DownloadError, load_offline_subset, warn_offline

    try:
        root = torchvision_root(data_dir)  # verified once, for both splits
    except DownloadError as err:
        warn_offline(err)
        subset = load_offline_subset()
        splits = [
            to_tensors(*split, dtype=dtype, device=device) for split in (subset.train, subset.test)
        ]
        return tuple(splits), subset.name
    splits = []
    for train in (True, False):
        mnist = MNIST(root, train=train, download=False)
        splits.append(to_tensors(mnist.data, mnist.targets, dtype=dtype, device=device))
    return tuple(splits), FULL
