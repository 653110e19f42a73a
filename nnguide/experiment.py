"""One training run from one set of settings, on either implementation.

The command line (``python -m nnguide train``) and the site's pages call
:func:`run`; the tests call the lower-level functions it is made of.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from nnguide import environment
from nnguide.checks import check_choice, check_positive
from nnguide.data import Dataset, load_dataset, to_features
from nnguide.history import History
from nnguide.scratch.layers import ACTIVATIONS, INITS
from nnguide.scratch.losses import LOSSES
from nnguide.seeding import seed_everything

#: The default learning rate of each optimizer.
DEFAULT_LR = {"sgd": 0.1, "adam": 1e-3}


@dataclass(frozen=True)
class TrainConfig:
    """The settings of one run; checked on creation.

    ``activation=None`` picks each implementation's classic choice: sigmoid
    from scratch (as in Nielsen's book), ReLU in PyTorch. ``lr=None`` picks
    :data:`DEFAULT_LR` for the optimizer.
    """

    impl: str = "scratch"
    activation: str | None = None
    hidden: tuple[int, ...] = (128,)
    epochs: int = 5
    batch_size: int = 64
    lr: float | None = None
    optimizer: str = "sgd"
    momentum: float = 0.9
    loss: str = "cross_entropy"
    init: str = "pytorch"
    dtype: str = "float32"
    seed: int = 0
    device: str = "cpu"

    def __post_init__(self):
        check_choice("impl", self.impl, ("scratch", "pytorch"))
        if self.activation is None:
            object.__setattr__(self, "activation", "sigmoid" if self.impl == "scratch" else "relu")
        check_choice("activation", self.activation, tuple(ACTIVATIONS))
        hidden = (self.hidden,) if isinstance(self.hidden, int) else tuple(self.hidden)
        for width in hidden:
            check_positive("hidden width", width, integer=True)
        object.__setattr__(self, "hidden", hidden)
        check_positive("epochs", self.epochs, integer=True)
        check_positive("batch_size", self.batch_size, integer=True)
        check_choice("optimizer", self.optimizer, tuple(DEFAULT_LR))
        if self.lr is None:
            object.__setattr__(self, "lr", DEFAULT_LR[self.optimizer])
        check_positive("lr", self.lr)
        check_choice("loss", self.loss, tuple(LOSSES))
        check_choice("init", self.init, INITS)
        check_choice("dtype", self.dtype, ("float32", "float64"))
        if self.impl == "scratch" and self.device != "cpu":
            raise ValueError("the NumPy implementation runs on the CPU only: use device='cpu'.")

    @property
    def sizes(self) -> tuple[int, ...]:
        return (784, *self.hidden, 10)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def run(
    config: TrainConfig,
    dataset: Dataset | None = None,
    *,
    data_dir=None,
    progress: bool = True,
    log=tqdm.write,
    cache_dir=None,
) -> History:
    """Train the network ``config`` describes and return its history.

    Parameters
    ----------
    config : TrainConfig
    dataset : nnguide.data.Dataset, optional
        Already-loaded data. If omitted, the scratch side loads it with
        :func:`nnguide.data.load_dataset`, the PyTorch side through torchvision
        (:func:`nnguide.pytorch.data.load_mnist_tensors`).
    data_dir : str or os.PathLike, optional
        Where the MNIST files are.
    progress : bool
        Show a progress bar.
    log : callable or None
        Receives one line per epoch.
    cache_dir : str or os.PathLike, optional
        If given, a run with the same settings already saved there is loaded
        instead of repeated, and a new run is saved there. The site uses this
        so that pages quoting the same run show the same numbers.
    """
    if cache_dir is not None:
        data = "loaded" if dataset is None else f"{dataset.name}:{len(dataset.train[1])}"
        key = json.dumps([config.to_dict(), data, str(data_dir)], sort_keys=True)
        path = Path(cache_dir) / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
        if path.is_file():
            return History.from_json(path)
        history = run(config, dataset, data_dir=data_dir, progress=progress, log=log)
        history.to_json(path)
        return history
    seed_everything(config.seed)
    c = config
    kwargs = dict(
        epochs=c.epochs,
        batch_size=c.batch_size,
        loss=c.loss,
        seed=c.seed,
        progress=progress,
        log=log,
        config=c.to_dict(),
    )
    if c.impl == "scratch":
        from nnguide import scratch

        if dataset is None:
            dataset = load_dataset(data_dir=data_dir)
        dtype = np.dtype(c.dtype)
        model = scratch.MLP(c.sizes, c.activation, seed=c.seed, init=c.init, dtype=dtype)
        optimizer = scratch.make_optimizer(c.optimizer, model.params(), c.lr, c.momentum)
        train, test = [(to_features(x, dtype), y) for x, y in (dataset.train, dataset.test)]
        history = scratch.fit(model, optimizer, train, test, dataset=dataset.name, **kwargs)
    else:
        import torch

        from nnguide import pytorch
        from nnguide.pytorch.data import load_mnist_tensors, to_tensors

        dtype = getattr(torch, c.dtype)
        model = pytorch.MLP(
            c.sizes, c.activation, seed=c.seed, init=c.init, dtype=dtype, device=c.device
        )
        optimizer = pytorch.make_optimizer(c.optimizer, model.parameters(), c.lr, c.momentum)
        if dataset is None:  # the PyTorch way: through torchvision.datasets.MNIST
            (train, test), name = load_mnist_tensors(
                data_dir=data_dir, dtype=dtype, device=c.device
            )
        else:
            train, test = [
                to_tensors(*split, dtype=dtype, device=c.device)
                for split in (dataset.train, dataset.test)
            ]
            name = dataset.name
        history = pytorch.fit(model, optimizer, train, test, dataset=name, **kwargs)
    history.environment = environment.describe()
    return history
