"""Intervals of medians and judgements of ratios (nnguide.lab.stats)."""

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
    assert iv.excludes(1.3) and not iv.excludes(1.2)
    assert iv.format() == "1.000 [0.900, 1.200]" and iv.format(0, 100, "%") == "100% [90%, 120%]"
    # Eight rounds: the 2nd and 7th cover it with 1 - 2 * 9/256 = 93%, the 3rd and 6th would not.
    iv = stats.median_interval(range(1, 9))
    assert (iv.low, iv.high) == (2, 7) and iv.confidence == pytest.approx(1 - 18 / 256)
    assert stats.rounds_needed() == 5 and stats.rounds_needed(0.99) == 8


def test_too_few_rounds_give_an_interval_of_lower_confidence():
    iv = stats.median_interval([2.0, 1.0, 3.0])
    assert (iv.low, iv.high) == (1.0, 3.0) and iv.confidence == 0.75 and not iv.enough_rounds
    assert not iv.excludes(10.0)  # not at the stated confidence
    one = stats.median_interval([2.0])
    assert one.relative_width == math.inf and one.noisy and one.format() == "2.000"
    assert one.confidence == 0.0
    with pytest.raises(ValueError, match="at least one value"):
        stats.median_interval([])


def test_identical_rounds_have_no_width():
    iv = stats.median_interval([0.5] * 5)
    assert iv.relative_width == 0.0 and not iv.noisy
    assert stats.median_interval([0.0] * 5).relative_width == math.inf


def test_ratio_interval_pairs_rounds():
    iv = stats.ratio_interval([1.0, 2.0, 1.0, 1.0, 1.0], [2.0, 4.0, 2.0, 2.0, 2.0])
    assert (iv.median, iv.low, iv.high) == (0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="same rounds"):
        stats.ratio_interval([1.0], [1.0, 2.0])


JUDGED = [
    ([0.50, 0.52, 0.49, 0.50, 0.51], "faster", ""),
    ([2.0, 2.1, 1.9, 2.0, 2.2], "slower", ""),
    # Below 1 in every round, but three rounds cover the median with only 75%.
    ([0.5, 0.6, 0.55], "inconclusive", "few_rounds"),
    # [0.7, 1.3] contains 1 and spans 60% of the median.
    ([0.7, 1.3, 0.9, 1.1, 1.0], "inconclusive", "noisy"),
    # [0.98, 1.02] contains 1 and spans 4%: a difference the rounds do not resolve.
    ([0.99, 1.01, 1.0, 1.02, 0.98], "inconclusive", "unresolved"),
]


@pytest.mark.parametrize(("ratios", "kind", "reason"), JUDGED)
def test_judge_says_faster_or_slower_only_when_the_interval_excludes_one(ratios, kind, reason):
    assert stats.judge(stats.median_interval(ratios)) == (kind, reason)


def test_every_reason_has_a_case_above():
    assert {reason for _, _, reason in JUDGED if reason} == set(stats.REASONS)


def test_docstring_examples():
    result = doctest.testmod(stats)
    assert result.attempted > 0 and result.failed == 0


# -- paired differences (runs paired by seed) -------------------------------------------------


def test_paired_difference_is_students_t_interval_of_the_mean_difference():
    from scipy.stats import ttest_rel

    a, b = [0.90, 0.91, 0.92, 0.93, 0.90], [0.91, 0.93, 0.93, 0.92, 0.92]
    d = stats.paired_difference(a, b)
    expected = ttest_rel(b, a).confidence_interval(stats.CONFIDENCE)
    assert (d.low, d.high) == pytest.approx((expected.low, expected.high))
    assert d.mean == pytest.approx(0.01) and d.n == 5


@pytest.mark.parametrize(
    ("b", "kind"),
    [
        ([1.1, 1.2, 1.1], "higher"),
        ([0.9, 0.8, 0.9], "lower"),
        ([1.1, 0.9, 1.0], "inconclusive"),
        ([1.0, 1.0, 1.0], "inconclusive"),  # identical pairs: an interval of one point, 0
    ],
)
def test_judge_difference_needs_the_interval_clear_of_zero(b, kind):
    assert stats.judge_difference(stats.paired_difference([1.0, 1.0, 1.0], b)) == kind


def test_identical_differences_have_an_interval_of_one_point():
    d = stats.paired_difference([1.0, 2.0, 3.0], [1.5, 2.5, 3.5])
    assert (d.low, d.mean, d.high) == pytest.approx((0.5, 0.5, 0.5))


def test_a_paired_difference_needs_two_pairs_of_equal_length():
    with pytest.raises(ValueError, match="two or more pairs"):
        stats.paired_difference([1.0], [1.0])
    with pytest.raises(ValueError, match="two or more pairs"):
        stats.paired_difference([1.0, 2.0], [1.0])
