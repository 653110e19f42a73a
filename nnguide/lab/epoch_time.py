"""The time of a training epoch, as every page of the site reports it.

One definition, computed here and nowhere else: the median of the epochs'
times with their interquartile range, after leaving out the epochs that took
more than :data:`DISTURBED_FACTOR` times the median of all of them. Such an
epoch was slowed by something else on the machine (another process, a build
running beside it), not by the code, and it is named rather than averaged in.
The pages quote :meth:`EpochTime.sentence` and :func:`rule_text`, so they say
the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

#: An epoch that took more than this many times the median of all the epochs was disturbed.
DISTURBED_FACTOR = 3.0


def rule_text(factor: float = DISTURBED_FACTOR) -> str:
    """The rule in one sentence, for the pages that report an epoch's time."""
    return (
        "Every page of this site reports an epoch's time as the median over the epochs, with "
        f"their interquartile range; an epoch that took more than {factor:g} times the median "
        "of all of them was slowed by something else on the machine, and is named and left out."
    )


@dataclass(frozen=True)
class EpochTime:
    """The per-epoch time of a run, by :func:`epoch_time`.

    Attributes
    ----------
    median, q1, q3 : float
        Seconds: the median and quartiles of the steady epochs (all but the disturbed).
    epochs : int
        How many epochs were timed.
    disturbed : tuple of int
        The disturbed epochs, counted from 1.
    factor : float
        The rule's factor (:data:`DISTURBED_FACTOR`).
    """

    median: float
    q1: float
    q3: float
    epochs: int
    disturbed: tuple[int, ...]
    factor: float = DISTURBED_FACTOR

    @property
    def steady(self) -> int:
        """How many epochs the median and the range count."""
        return self.epochs - len(self.disturbed)

    def spread(self, unit: str = " s") -> str:
        """``"interquartile range 0.51–0.55 s"``, or why there is none."""
        if self.steady < 2:
            return "a single epoch, so no spread"
        return f"interquartile range {self.q1:.2f}–{self.q3:.2f}{unit}"

    def disturbed_text(self) -> str:
        """Which epochs were left out, or ``""`` when none was."""
        if not self.disturbed:
            return ""
        which = ", ".join(map(str, self.disturbed))
        return (
            f"epoch{'s' * (len(self.disturbed) > 1)} {which} took more than {self.factor:g} "
            "times the median and "
            + ("were" if len(self.disturbed) > 1 else "was")
            + " left out as disturbed"
        )

    def sentence(self, what: str = "Training") -> str:
        """``what`` took so long per epoch, with the spread and the epochs left out."""
        of = f" of {self.epochs}" if self.disturbed else ""
        counted = f"the median of {self.steady}{of} epochs" if self.steady > 1 else ""
        details = "; ".join(x for x in (counted, self.spread(), self.disturbed_text()) if x)
        return f"{what} took {self.median:.2f} s per epoch ({details})."

    def cell(self) -> str:
        """A table cell: the median, its range and the epochs left out."""
        text = f"{self.median:.2f}"
        if self.steady > 1:
            text += f" ({self.q1:.2f}–{self.q3:.2f})"
        if self.disturbed:
            text += f", {len(self.disturbed)} disturbed"
        return text

    def ratio(self, seconds: float) -> str:
        """How many times an epoch's time ``seconds`` is, with the range over the quartiles.

        For a time measured once (one epoch of another loop), against this run's
        epochs: the range comes from this run's spread alone.
        """
        text = f"{seconds / self.median:.1f} times as long"
        if self.steady > 1:
            low, high = seconds / self.q3, seconds / self.q1
            text += f" ({low:.1f}–{high:.1f} times over the interquartile range)"
        return text


def epoch_time(seconds: Sequence[float], factor: float = DISTURBED_FACTOR) -> EpochTime:
    """The per-epoch time of a run from each epoch's seconds, by the site's one rule.

    Parameters
    ----------
    seconds : sequence of float
        Each epoch's wall-clock time, in order.
    factor : float
        An epoch over ``factor`` times the median of all is disturbed, and left out.

    Returns
    -------
    EpochTime

    Raises
    ------
    ValueError
        When there is no epoch, or a time is not a positive number.

    Examples
    --------
    >>> t = epoch_time([1.0, 1.2, 1.0, 5.0, 1.2, 1.1])
    >>> t.median, t.q1, t.q3, t.disturbed
    (1.1, 1.0, 1.2, (4,))
    >>> t.sentence()  # doctest: +NORMALIZE_WHITESPACE
    'Training took 1.10 s per epoch (the median of 5 of 6 epochs; interquartile range
    1.00–1.20 s; epoch 4 took more than 3 times the median and was left out as disturbed).'
    """
    times = np.asarray(seconds, dtype=float)
    if factor < 1:
        raise ValueError(f"the disturbed factor must be at least 1, got {factor}.")
    if times.ndim != 1 or times.size == 0:
        raise ValueError("epoch_time needs the seconds of at least one epoch, as a sequence.")
    if not np.all(np.isfinite(times) & (times > 0)):
        raise ValueError(f"epoch times must be positive numbers of seconds, got {list(seconds)}.")
    disturbed = np.flatnonzero(times > factor * np.median(times))
    steady = np.delete(times, disturbed)
    q1, median, q3 = np.percentile(steady, [25, 50, 75])
    return EpochTime(
        median=float(median),
        q1=float(q1),
        q3=float(q3),
        epochs=int(times.size),
        disturbed=tuple(int(i) + 1 for i in disturbed),
        factor=factor,
    )
