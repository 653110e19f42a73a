"""Intervals and verdicts for timings repeated in rounds.

A timing's interval is a confidence interval for its median, taken from the
rounds themselves by order statistics: with ``n`` rounds, the ``k``-th
smallest and the ``k``-th largest time bracket the true median with a
probability that depends on ``n`` and ``k`` alone (a binomial count of how
many rounds fall below the median), whatever the distribution of the
times, which on a shared machine is skewed and far from normal. The same
holds for the ratio of two contenders measured in the same rounds, taken
round by round.

A verdict (:func:`judge`) is "faster" or "slower" only when the ratio's
interval excludes 1; otherwise it is "inconclusive", with its reason: too few
rounds for an interval, rounds too noisy (an interval wider than
:data:`NOISE_THRESHOLD`), or a difference smaller than the rounds resolve.

Paired runs that are not timings (the two sides trained from one seed, for
several seeds) compare by the mean of their differences, with Student's t
interval (:func:`paired_difference`, :func:`judge_difference`).
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from scipy.stats import binom, sem, t

#: The confidence that an interval covers the median.
CONFIDENCE = 0.90

#: Rounds are "too noisy" when the interval of their median spans more than
#: this fraction of the median: (high - low) / median > 0.2, about ±10%.
NOISE_THRESHOLD = 0.20


def _coverage(n: int, k: int) -> float:
    """P(k-th smallest < median < k-th largest) for ``n`` independent draws.

    Each draw falls below the median with probability 1/2, so the number below
    is binomial: the interval fails when fewer than ``k`` fall on either side.
    """
    return 1 - 2 * float(binom.cdf(k - 1, n, 0.5))


def rounds_needed(confidence: float = CONFIDENCE) -> int:
    """The fewest rounds whose extremes cover the median with ``confidence`` (5 for 90%)."""
    n = 1
    while _coverage(n, 1) < confidence:
        n += 1
    return n


@dataclass(frozen=True)
class Interval:
    """The median of some rounds and an interval for it.

    ``low`` and ``high`` are order statistics of the rounds; ``confidence``
    is the probability that they bracket the true median, at least
    :data:`CONFIDENCE` when there are enough rounds (:func:`rounds_needed`),
    and less (what [min, max] covers) when there are not.
    """

    median: float
    low: float
    high: float
    confidence: float
    n: int

    @property
    def relative_width(self) -> float:
        """The interval's width over the median (0 for identical rounds, inf for one round)."""
        if self.n < 2:
            return math.inf
        return (self.high - self.low) / self.median if self.median else math.inf

    @property
    def enough_rounds(self) -> bool:
        return self.confidence >= CONFIDENCE

    @property
    def noisy(self) -> bool:
        return self.relative_width > NOISE_THRESHOLD

    def excludes(self, value: float) -> bool:
        """Whether ``value`` lies outside the interval, at the stated confidence."""
        return self.enough_rounds and not (self.low <= value <= self.high)

    def format(self, digits: int = 3, scale: float = 1.0, suffix: str = "") -> str:
        """``median [low, high]``, each multiplied by ``scale``."""
        m, lo, hi = (f"{scale * v:.{digits}f}{suffix}" for v in (self.median, self.low, self.high))
        return m if self.n < 2 else f"{m} [{lo}, {hi}]"


def median_interval(values, confidence: float = CONFIDENCE) -> Interval:
    """The median of ``values`` and a distribution-free interval for it.

    The interval is ``[x_(k), x_(n+1-k)]`` of the sorted values, with the
    largest ``k`` whose coverage reaches ``confidence`` (``k = 1``, the
    minimum and maximum, with its lower coverage, when none does).

    Examples
    --------
    >>> iv = median_interval([1.0, 1.2, 0.9, 1.1, 1.0])
    >>> iv.median, iv.low, iv.high, round(iv.confidence, 4)
    (1.0, 0.9, 1.2, 0.9375)
    """
    values = sorted(values)
    n = len(values)
    if n == 0:
        raise ValueError("an interval needs at least one value.")
    k = 1
    while k + 1 <= n // 2 and _coverage(n, k + 1) >= confidence:
        k += 1
    return Interval(
        median=statistics.median(values),
        low=values[k - 1],
        high=values[n - k],
        confidence=_coverage(n, k) if n > 1 else 0.0,
        n=n,
    )


def ratio_interval(a, b, confidence: float = CONFIDENCE) -> Interval:
    """The interval of ``a[i] / b[i]``, round by round (the rounds of one measurement)."""
    if len(a) != len(b):
        raise ValueError(f"paired ratios need the same rounds: {len(a)} against {len(b)}.")
    return median_interval([x / y for x, y in zip(a, b)], confidence)


#: The reasons a verdict is inconclusive (too few rounds for an interval, rounds
#: too noisy to decide, or a difference smaller than the rounds resolve).
REASONS = ("few_rounds", "noisy", "unresolved")


def judge(ratio: Interval) -> tuple[str, str]:
    """What the interval of ``a``'s time over ``b``'s says: ``(kind, reason)``.

    ``kind`` is "faster" (the whole interval below 1), "slower" (above 1) or
    "inconclusive"; ``reason``, one of :data:`REASONS` for an inconclusive
    verdict and ``""`` otherwise. Words are for :mod:`nnguide.lab.bench.report`.

    Examples
    --------
    >>> judge(median_interval([0.5, 0.52, 0.49, 0.5, 0.51]))
    ('faster', '')
    >>> judge(median_interval([0.9, 1.3, 1.0, 0.8, 1.2]))
    ('inconclusive', 'noisy')
    """
    if not ratio.enough_rounds:
        return "inconclusive", "few_rounds"
    if ratio.high < 1:
        return "faster", ""
    if ratio.low > 1:
        return "slower", ""
    return "inconclusive", "noisy" if ratio.noisy else "unresolved"


@dataclass(frozen=True)
class Difference:
    """The mean of paired differences ``b[i] - a[i]`` and an interval for it.

    ``low`` and ``high`` bound the mean difference with probability
    ``confidence`` (Student's t over the ``n`` pairs); both equal ``mean``
    when every pair differs by the same amount.
    """

    mean: float
    low: float
    high: float
    confidence: float
    n: int


def paired_difference(a, b, confidence: float = CONFIDENCE) -> Difference:
    """The mean of ``b[i] - a[i]`` over paired runs (for example, one pair per seed).

    Examples
    --------
    >>> d = paired_difference([0.90, 0.91, 0.92], [0.91, 0.93, 0.93])
    >>> round(d.mean, 4), round(d.low, 4), round(d.high, 4)
    (0.0133, 0.0036, 0.0231)
    """
    if len(a) != len(b) or len(a) < 2:
        raise ValueError(f"a paired difference needs two or more pairs, got {len(a)} and {len(b)}.")
    diffs = [y - x for x, y in zip(a, b)]
    mean, spread = statistics.fmean(diffs), float(sem(diffs))
    low = high = mean
    if spread > 0:
        low, high = (float(v) for v in t.interval(confidence, len(diffs) - 1, mean, spread))
    return Difference(mean, low, high, confidence, len(diffs))


def judge_difference(diff: Difference) -> str:
    """ "higher" (``b`` above ``a``: the whole interval above 0), "lower" or "inconclusive"."""
    if diff.low > 0:
        return "higher"
    if diff.high < 0:
        return "lower"
    return "inconclusive"
