"""An epoch's time has one definition, nnguide.lab.epoch_time, and every page uses it."""

import re
from pathlib import Path

import pytest

from nnguide.lab.epoch_time import DISTURBED_FACTOR, epoch_time, rule_text
from nnguide.lab.history import EpochRecord, History

ROOT = Path(__file__).resolve().parents[1]
#: The pages that report an epoch's time of their own runs.
PAGES = [
    "gallery/plot_05_mnist_scratch.py",
    "gallery/plot_06_mnist_pytorch.py",
    "gallery/plot_11_nielsens_network.py",
    "docs/comparison.md",
]


def test_a_disturbed_epoch_is_named_and_left_out_of_the_median_and_its_range():
    t = epoch_time([1.0, 1.2, 1.0, 5.0, 1.2, 1.1])  # 5.0 is over three times the median, 1.1
    assert (t.median, t.q1, t.q3) == (1.1, 1.0, 1.2)
    assert t.disturbed == (4,) and (t.steady, t.epochs) == (5, 6)
    assert t.sentence("Training") == (
        "Training took 1.10 s per epoch (the median of 5 of 6 epochs; interquartile range "
        f"1.00–1.20 s; epoch 4 took more than {DISTURBED_FACTOR:g} times the median and was "
        "left out as disturbed)."
    )
    assert t.cell() == "1.10 (1.00–1.20), 1 disturbed"


def test_an_epoch_under_the_factor_is_kept():
    t = epoch_time([1.0, 1.0, 2.9], factor=3.0)
    assert t.disturbed == () and t.median == 1.0
    assert "disturbed" not in t.sentence() and "the median of 3 epochs" in t.sentence()


def test_the_factor_is_the_rules_and_the_words_say_it():
    assert epoch_time([1.0, 1.0, 2.9], factor=2.5).disturbed == (3,)
    assert "more than 2.5 times the median" in rule_text(2.5)
    assert f"more than {DISTURBED_FACTOR:g} times the median" in rule_text()


def test_a_single_epoch_has_no_spread():
    t = epoch_time([2.0])
    assert t.sentence("It") == "It took 2.00 s per epoch (a single epoch, so no spread)."
    assert t.cell() == "2.00"
    assert t.ratio(10.0) == "5.0 times as long"


def test_a_ratio_takes_its_range_from_the_quartiles():
    t = epoch_time([1.0, 2.0, 2.0, 4.0])  # quartiles 1.75 and 2.5
    assert (t.q1, t.median, t.q3) == (1.75, 2.0, 2.5)
    assert t.ratio(10.0) == "5.0 times as long (4.0–5.7 times over the interquartile range)"


@pytest.mark.parametrize(
    "seconds, factor, problem",
    [
        ([], 3.0, "at least one epoch"),
        ([1.0, -1.0], 3.0, "positive numbers"),
        ([1.0, float("nan")], 3.0, "positive numbers"),
        ([1.0], 0.5, "at least 1"),
    ],
)
def test_bad_input_is_a_one_line_error(seconds, factor, problem):
    with pytest.raises(ValueError, match=problem):
        epoch_time(seconds, factor)


def test_a_history_reports_its_time_by_the_same_rule():
    history = History(config={}, dataset="MNIST")
    for epoch, seconds in enumerate([1.0, 1.0, 10.0, 1.2], start=1):
        history.epochs.append(EpochRecord(epoch, 0.5, 0.5, 0.9, seconds))
    assert history.epoch_time == epoch_time([1.0, 1.0, 10.0, 1.2])
    assert history.median_seconds == 1.0  # the disturbed epoch is out of the median too
    assert history.disturbed_epochs() == [3]


@pytest.mark.parametrize("page", PAGES)
def test_each_page_that_times_epochs_reports_them_through_epoch_time(page):
    source = (ROOT / page).read_text(encoding="utf-8")
    assert "epoch_time" in source and "rule_text()" in source, (
        f"{page} does not report its epochs' time through nnguide.lab.epoch_time, with its rule"
    )
    assert not re.search(r"\b(np|numpy|statistics)\.(median|percentile)\(", source), (
        f"{page} computes a median or a percentile of its own"
    )
