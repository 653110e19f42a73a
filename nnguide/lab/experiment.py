"""One training run from one set of settings, on either side of the guide.

The command line (``python -m nnguide train``) and the site's pages call
:func:`run`. Both sides start from the same weights: the NumPy network is
created from the seed, and the PyTorch run gets an exact copy of it through
:mod:`nnguide.bridge`; both then draw the same batches from the same seed. A
difference between two runs of :func:`run` that differ only in ``impl`` is the
libraries' arithmetic, nothing else.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import numbers
from dataclasses import dataclass
from pathlib import Path

from nnguide import scratch
from nnguide.data import Dataset, load_dataset, to_features
from nnguide.lab import environment
from nnguide.lab.history import History
from nnguide.lab.seeding import seed_everything
from nnguide.scratch.checks import (
    DTYPES,
    check_choice,
    check_momentum,
    check_positive,
    check_seed,
)
from nnguide.scratch.layers import ACTIVATIONS, INITS
from nnguide.scratch.losses import LOSSES
from nnguide.scratch.optimizers import OPTIMIZERS

#: The two sides of the guide a run can train.
IMPLS = ("scratch", "pytorch")

#: The default learning rate of each optimizer.
DEFAULT_LR = {"sgd": 0.1, "adam": 1e-3}

#: The settings of the training runs that the comparison and claims pages
#: share (each side, each hidden activation): one dict, so that the two pages
#: quote the same runs from the build's cache.
SHARED_RUNS = dict(epochs=10, batch_size=64, lr=0.1, momentum=0.9, optimizer="sgd", seed=0)

#: The momentum of each optimizer when none is given (SGD's 0.9; Adam takes none).
DEFAULT_MOMENTUM = {"sgd": 0.9, "adam": None}


@dataclass(frozen=True)
class TrainConfig:
    """The settings of one run; checked on creation, by the guide's own checks.

    ``lr=None`` picks :data:`DEFAULT_LR` for the optimizer, and ``momentum=None``
    (not given) :data:`DEFAULT_MOMENTUM`; a momentum given with Adam is an error.
    """

    impl: str = "scratch"
    activation: str = "sigmoid"
    hidden: tuple[int, ...] = (128,)
    epochs: int = 5
    batch_size: int = 64
    lr: float | None = None
    optimizer: str = "sgd"
    momentum: float | None = None
    loss: str = "cross_entropy"
    init: str = "pytorch"
    dtype: str = "float32"
    seed: int = 0
    device: str = "cpu"

    def __post_init__(self):
        check_choice("impl", self.impl, IMPLS)
        check_choice("activation", self.activation, tuple(ACTIVATIONS))
        if isinstance(self.hidden, (tuple, list)):
            hidden = tuple(self.hidden)
        elif isinstance(self.hidden, numbers.Integral):
            hidden = (self.hidden,)
        else:
            raise ValueError(
                f"hidden must be a width or a sequence of widths, such as (128, 64), "
                f"got {self.hidden!r}."
            )
        for width in hidden:
            check_positive("hidden width", width, integer=True)
        object.__setattr__(self, "hidden", hidden)
        check_positive("epochs", self.epochs, integer=True)
        check_positive("batch_size", self.batch_size, integer=True)
        check_choice("optimizer", self.optimizer, tuple(OPTIMIZERS))
        if self.lr is None:
            object.__setattr__(self, "lr", DEFAULT_LR[self.optimizer])
        check_positive("lr", self.lr)
        check_momentum(self.optimizer, self.momentum)
        if self.momentum is None:
            object.__setattr__(self, "momentum", DEFAULT_MOMENTUM[self.optimizer])
        check_choice("loss", self.loss, tuple(LOSSES))
        check_choice("init", self.init, INITS)
        check_choice("dtype", self.dtype, DTYPES)
        check_seed(self.seed)
        if self.impl == "scratch" and self.device != "cpu":
            raise ValueError(
                f"device {self.device!r}: the NumPy implementation runs on the CPU only; "
                "use device='cpu', or impl='pytorch' for a GPU."
            )
        if self.impl == "pytorch":
            from nnguide.pytorch.checks import check_device

            check_device(self.device)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (784, *self.hidden, 10)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def guide_side(impl: str):
    """The guide's package for ``impl``: :mod:`nnguide.scratch` or :mod:`nnguide.pytorch`."""
    if impl == "scratch":
        return scratch
    from nnguide import pytorch

    return pytorch


def build(config: TrainConfig):
    """The model and optimizer of ``config``'s side, from the shared start.

    The NumPy network is drawn from the seed; a PyTorch run gets an exact copy
    of it, so the two sides start from identical weights.
    """
    from nnguide import bridge  # imports torch: only when a run is built

    c = config
    start = scratch.MLP(c.sizes, c.activation, seed=c.seed, init=c.init, dtype=c.dtype)
    if c.impl == "scratch":
        return start, scratch.make_optimizer(c.optimizer, start.parameters(), c.lr, c.momentum)
    model = bridge.to_pytorch(start, device=c.device)
    return model, guide_side("pytorch").make_optimizer(
        c.optimizer, model.parameters(), c.lr, c.momentum
    )


def splits(config: TrainConfig, dataset: Dataset):
    """The dataset's train and test splits as features in the form ``config``'s side takes."""
    pairs = [(to_features(x, config.dtype), y) for x, y in (dataset.train, dataset.test)]
    if config.impl == "scratch":
        return pairs
    import torch

    return [
        (torch.from_numpy(x).to(config.device), torch.from_numpy(y).to(config.device))
        for x, y in pairs
    ]


def run(
    config: TrainConfig,
    dataset: Dataset | None = None,
    *,
    data_dir=None,
    log=print,
    cache_dir=None,
    on_model=None,
) -> History:
    """Train the network ``config`` describes and return its history.

    Parameters
    ----------
    config : TrainConfig
    dataset : nnguide.data.Dataset, optional
        Already-loaded data; if omitted, :func:`nnguide.data.load_dataset` loads it.
    data_dir : str or os.PathLike, optional
        Where the MNIST files are.
    log : callable or None
        Receives one line per epoch.
    cache_dir : str or os.PathLike, optional
        If given, a run with the same settings already saved there is loaded
        instead of repeated, and a new run is saved there. The site uses this
        so that pages quoting the same run show the same numbers.
    on_model : callable, optional
        Receives the trained network when training finishes (not after
        Ctrl-C or divergence): ``python -m nnguide train --save`` keeps it
        through this. Not with ``cache_dir``, which may train nothing.

    Returns
    -------
    nnguide.lab.history.History
        With ``status`` ``"interrupted"`` (and the epochs finished so far) if
        the run was stopped with Ctrl-C.

    Raises
    ------
    FloatingPointError
        If training diverged; the exception's ``history`` holds the epochs
        finished before it.
    """
    if cache_dir is not None:
        if on_model is not None:
            raise ValueError("on_model needs a run that trains: leave out cache_dir.")
        data = "loaded" if dataset is None else f"{dataset.name}:{len(dataset.train[1])}"
        key = json.dumps([config.to_dict(), data, str(data_dir)], sort_keys=True)
        path = Path(cache_dir) / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
        if path.is_file():
            return History.from_json(path)
        history = run(config, dataset, data_dir=data_dir, log=log)
        if history.status == "finished":
            history.to_json(path)
        return history
    seed_everything(config.seed)
    if dataset is None:
        dataset = load_dataset(data_dir=data_dir)
    model, optimizer = build(config)
    train, test = splits(config, dataset)
    side = guide_side(config.impl)
    history = History(config=config.to_dict(), dataset=dataset.name)
    history.environment = environment.describe()

    def on_epoch(record):
        epoch = history.add(record)
        if log is not None:
            log(epoch.log_line(config.epochs))

    c = config
    try:
        side.fit(
            model,
            optimizer,
            train,
            test,
            epochs=c.epochs,
            batch_size=c.batch_size,
            loss=c.loss,
            seed=c.seed,
            on_epoch=on_epoch,
        )
    except KeyboardInterrupt:
        history.status = "interrupted"
    except FloatingPointError as err:
        history.status = "diverged"
        err.history = history
        raise
    if on_model is not None and history.status == "finished":
        on_model(model)
    return history
