"""Intervals of medians and verdicts of ratios (nnguide.lab.stats)."""

import doctest
import math

import pytest

from nnguide.lab import stats


def test_the_interval_of_a_median_uses_order_statistics():
    # Five rounds: the minimum and maximum cover the median with 1 - 2/32 = 93.75%.
    iv = stats.median_interval([1.0, 1.2, 0.9, 1.1, 1.0])
    assert (iv.median, iv.low, iv.high, iv.n) == (1.0, 0.9, 1.2, 5)
    assert iv.confidence == pytest.approx(1 - 2 / 32) and iv.enough_rounds
    assert iv.relative_width == pytest.approx(0.3) and iv.noisy
    # Eight rounds: the 2nd and 7th cover it with 1 - 2 * 9/256 = 93%, the 3rd and 6th would not.
    iv = stats.median_interval(range(1, 9))
    assert (iv.low, iv.high) == (2, 7) and iv.confidence == pytest.approx(1 - 18 / 256)
    assert stats.rounds_needed() == 5 and stats.rounds_needed(0.99) == 8


def test_too_few_rounds_give_an_interval_of_lower_confidence():
    iv = stats.median_interval([2.0, 1.0, 3.0])
    assert (iv.low, iv.high) == (1.0, 3.0) and iv.confidence == 0.75 and not iv.enough_rounds
    assert not iv.excludes(10.0)  # not at the stated confidence
    one = stats.median_interval([2.0])
    assert one.relative_width == math.inf and one.format() == "2.000"
    with pytest.raises(ValueError):
        stats.median_interval([])


def test_ratio_interval_pairs_rounds():
    iv = stats.ratio_interval([1.0, 2.0, 1.0, 1.0, 1.0], [2.0, 4.0, 2.0, 2.0, 2.0])
    assert (iv.median, iv.low, iv.high) == (0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="same rounds"):
        stats.ratio_interval([1.0], [1.0, 2.0])


@pytest.mark.parametrize(
    ("ratios", "kind", "words"),
    [
        ([0.50, 0.52, 0.49, 0.50, 0.51], "faster", "A is faster than B: 2.00x [1.92x, 2.04x]"),
        ([2.0, 2.1, 1.9, 2.0, 2.2], "slower", "A is slower than B: it takes 2.00x [1.90x, 2.20x]"),
        ([0.5, 0.6, 0.55], "inconclusive", "only 3 rounds fitted the time budget"),
        ([0.7, 1.3, 0.9, 1.1, 1.0], "inconclusive", "too noisy"),
        ([0.99, 1.01, 1.0, 1.02, 0.98], "inconclusive", "smaller than the rounds resolve"),
    ],
)
def test_verdicts_say_faster_only_when_the_interval_excludes_one(ratios, kind, words):
    verdict = stats.verdict(stats.median_interval(ratios))
    assert verdict.kind == kind and words in verdict.text
    assert (verdict.reason != "") == (kind == "inconclusive")
    if kind == "inconclusive":
        assert verdict.text.startswith("Inconclusive on this build")


def test_docstring_examples():
    result = doctest.testmod(stats)
    assert result.attempted > 0 and result.failed == 0
