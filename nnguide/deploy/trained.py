"""Keeping the network a training run ends with (``python -m nnguide train --save``).

A :class:`Keeper` is handed to :func:`nnguide.lab.experiment.run` as its
``on_model``: it is called only when training finishes, so a run that
diverged or was interrupted writes no file, and no file ever claims a run
that did not finish.
"""

from __future__ import annotations

from pathlib import Path

from nnguide.deploy import require
from nnguide.deploy.weights import save, sha256


class Keeper:
    """Saves the trained network of one run to ``path``, with the run's settings.

    Parameters
    ----------
    config : nnguide.lab.experiment.TrainConfig
        The run's settings, kept in the file's metadata.
    path : str or os.PathLike
    writes : bool
        Whether this process writes the file. Under ``torchrun`` or ``mpiexec``
        every process trains the same network, and only rank 0 should write:
        the launcher passes ``writes=(rank == 0)``.

    Attributes
    ----------
    record : dict
        After a save, ``{"path": ..., "sha256": ...}`` (what ``--json`` keeps); else {}.
    """

    def __init__(self, config, path, *, writes: bool = True):
        require("safetensors", "to save the trained network")  # fail before training, not after
        self.config, self.path, self.writes = config, Path(path), writes
        self.record = {}

    def __call__(self, model) -> None:
        if not self.writes:
            return
        save(
            model,
            self.path,
            loss=self.config.loss,
            settings=self.config.to_dict(),
            epochs=self.config.epochs,
        )
        self.record = {"path": str(self.path), "sha256": sha256(self.path)}
