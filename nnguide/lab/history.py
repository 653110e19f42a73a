"""What a training run records: one row per epoch, the loss of every step, and
the settings and machine that produced them."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field

from nnguide.files import atomic_write
from nnguide.lab.epoch_time import EpochTime, epoch_time


@dataclass
class EpochRecord:
    """The figures of one epoch.

    Attributes
    ----------
    epoch : int
        Counted from 1.
    train_loss : float
        Mean of the epoch's mini-batch losses.
    test_loss, test_accuracy : float
        On the whole test split, after the epoch; accuracy is a fraction in [0, 1].
    seconds : float
        Wall-clock time of the epoch's training steps (evaluation excluded).
    """

    epoch: int
    train_loss: float
    test_loss: float
    test_accuracy: float
    seconds: float

    def log_line(self, epochs: int) -> str:
        """One human-readable line, as the command line prints it."""
        return (
            f"epoch {self.epoch}/{epochs}  train loss {self.train_loss:.4f}  "
            f"test loss {self.test_loss:.4f}  test accuracy {100 * self.test_accuracy:.2f}%  "
            f"{self.seconds:.2f} s"
        )


@dataclass
class History:
    """A whole run: its settings, data, machine, epochs and step losses.

    Attributes
    ----------
    config : dict
        The settings that produced the run (implementation, sizes, optimizer...).
    dataset : str
        ``"MNIST"`` or ``"MNIST-5k offline subset"``.
    environment : dict
        Library versions and hardware, from :func:`nnguide.lab.environment.describe`.
    epochs : list of EpochRecord
        One record per epoch.
    step_losses : list of float
        The loss of every training step, in order.
    status : str
        ``"finished"``, or how the run stopped early: ``"interrupted"``, ``"diverged"``.
    saved : dict
        The weight file the trained network was saved to (``path``, ``sha256``), or {}.
    """

    config: dict
    dataset: str
    environment: dict = field(default_factory=dict)
    epochs: list[EpochRecord] = field(default_factory=list)
    step_losses: list[float] = field(default_factory=list)
    status: str = "finished"
    saved: dict = field(default_factory=dict)

    def add(self, record: dict) -> EpochRecord:
        """Append one epoch's record as the guide's ``fit`` reports it (``on_epoch``)."""
        epoch = EpochRecord(
            **{k: v for k, v in record.items() if k in EpochRecord.__dataclass_fields__}
        )
        self.epochs.append(epoch)
        self.step_losses.extend(record["step_losses"])
        return epoch

    @property
    def epoch_time(self) -> EpochTime:
        """The per-epoch time, by the site's one rule (:mod:`nnguide.lab.epoch_time`)."""
        return epoch_time([e.seconds for e in self.epochs])

    @property
    def median_seconds(self) -> float:
        """The median epoch time, the disturbed epochs left out (:attr:`epoch_time`)."""
        return self.epoch_time.median

    def disturbed_epochs(self) -> list[int]:
        """The epochs left out of :attr:`epoch_time` as disturbed (by their number)."""
        return [self.epochs[i - 1].epoch for i in self.epoch_time.disturbed]

    @property
    def final(self) -> EpochRecord:
        """The last epoch's record."""
        return self.epochs[-1]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> History:
        epochs = [EpochRecord(**record) for record in data.get("epochs", [])]
        return cls(**{**data, "epochs": epochs})

    def to_json(self, path: str | os.PathLike) -> None:
        """Write the run to ``path`` as JSON (atomically: never half a file)."""
        atomic_write(path, json.dumps(self.to_dict(), indent=1).encode())

    @classmethod
    def from_json(cls, path: str | os.PathLike) -> History:
        """Read a run written by :meth:`to_json`."""
        with open(path, encoding="utf-8") as f:
            return cls.from_dict(json.load(f))
