"""How closely the two sides agree, step by step, when they start from the same weights.

Both sides train the same network from identical weights on identical
batches; what is left between their training losses is the libraries'
arithmetic. Measured in float64 it shows whether the two compute the same
thing (then they agree to a few machine epsilons); measured in float32 it shows
how far rounding alone moves them. The claims page runs it on a slice of the
training set, so that its explanation of an accuracy gap is measured, not said.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: How many machine epsilons of the dtype "agreement to rounding error" allows.
#: A few hundred is what summing in different orders gives over thousands of
#: steps (page 7 checks the same bound); a different computation is off by
#: far more.
ROUNDING_EPSILONS = 1000


@dataclass(frozen=True)
class Agreement:
    """The two sides' largest relative difference over one run in one dtype.

    Attributes
    ----------
    dtype : str
        ``"float32"`` or ``"float64"``.
    images, steps : int
        How many training images the run used, and how many steps it took.
    loss_difference : float
        The largest relative difference between the two sides' step losses.
    weight_difference : float
        The largest relative difference between their weights at the end
        (:func:`nnguide.bridge.max_difference`).
    """

    dtype: str
    images: int
    steps: int
    loss_difference: float
    weight_difference: float

    @property
    def epsilon(self) -> float:
        """The dtype's machine epsilon."""
        return float(np.finfo(self.dtype).eps)

    @property
    def epsilons(self) -> float:
        """The larger of the two differences, in machine epsilons of the dtype."""
        return max(self.loss_difference, self.weight_difference) / self.epsilon

    @property
    def within_rounding(self) -> bool:
        """Whether the two sides agree to rounding error (:data:`ROUNDING_EPSILONS`)."""
        return self.epsilons <= ROUNDING_EPSILONS


def measure(config, dataset, images: int, dtype: str) -> Agreement:
    """Train both sides of ``config`` for one epoch on ``images`` training images in ``dtype``.

    Parameters
    ----------
    config : nnguide.lab.experiment.TrainConfig
        The settings (sizes, activation, optimizer, batch size, seed); its
        ``impl``, ``epochs`` and ``dtype`` are replaced.
    dataset : nnguide.data.Dataset
    images : int
        The first ``images`` training images are used, and 1,000 test images
        (the test set only feeds the epoch's record).
    dtype : {"float32", "float64"}
    """
    import dataclasses

    from nnguide import bridge
    from nnguide.data import Dataset
    from nnguide.lab import experiment

    (x, y), (x_test, y_test) = dataset.train, dataset.test
    part = Dataset(dataset.name, (x[:images], y[:images]), (x_test[:1000], y_test[:1000]))
    finals, histories = [], []
    for impl in experiment.IMPLS:
        c = dataclasses.replace(config, impl=impl, epochs=1, dtype=dtype, device="cpu")
        model, optimizer = experiment.build(c)
        train, test = experiment.splits(c, part)
        side = experiment.guide_side(impl)
        (record,) = side.fit(
            model, optimizer, train, test, epochs=1, batch_size=c.batch_size, loss=c.loss,
            seed=c.seed,
        )  # fmt: skip
        finals.append(model)
        histories.append(np.asarray(record["step_losses"], dtype=np.float64))
    numpy_losses, torch_losses = histories
    scratch_model, torch_model = finals
    return Agreement(
        dtype=dtype,
        images=len(part.train[1]),
        steps=len(numpy_losses),
        loss_difference=float(np.max(np.abs(numpy_losses - torch_losses) / np.abs(torch_losses))),
        weight_difference=bridge.max_difference(scratch_model, torch_model),
    )
