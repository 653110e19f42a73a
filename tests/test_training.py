"""Whole training runs: reproducibility, accuracy on full MNIST, the command line.

(The command line's refusals of bad settings are tested in test_cli.py.)"""

import json

import pytest

from nnguide.cli import main
from nnguide.lab.experiment import TrainConfig, run
from nnguide.lab.history import History

SIDES = ["scratch", "pytorch"]


def without_times(history: History) -> dict:
    record = history.to_dict()
    for epoch in record["epochs"]:
        epoch.pop("seconds")
    record.pop("environment")
    return record


@pytest.fixture(scope="module")
def mnist_5k(mnist):
    """The first 5,000 training and 1,000 test images: enough to train, quick to run."""
    from nnguide.data import Dataset

    return Dataset(
        mnist.name, tuple(a[:5000] for a in mnist.train), tuple(a[:1000] for a in mnist.test)
    )


@pytest.mark.parametrize("side", SIDES)
def test_same_seed_gives_identical_logs(side, mnist_5k):
    config = TrainConfig(impl=side, epochs=2, seed=3)
    first = run(config, mnist_5k, log=None)
    second = run(config, mnist_5k, log=None)
    assert without_times(first) == without_times(second)
    other = run(TrainConfig(impl=side, epochs=2, seed=4), mnist_5k, log=None)
    assert other.step_losses != first.step_losses


# The accuracy bar of each side, with the exact settings that must reach it
# within 5 epochs on full MNIST (60,000 training images, scored on all 10,000
# test images). Measured values are in the closing note of the issue.
ACCURACY_RUNS = [
    (dict(activation="relu", optimizer="sgd", lr=0.1, momentum=0.9, batch_size=64), 0.97),
    (dict(activation="sigmoid", optimizer="sgd", lr=0.1, momentum=0.9, batch_size=64), 0.95),
]


@pytest.mark.slow
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize(("settings", "bar"), ACCURACY_RUNS)
def test_accuracy_on_full_mnist(side, settings, bar, mnist):
    history = run(TrainConfig(impl=side, epochs=5, seed=0, **settings), mnist)
    assert history.dataset == "MNIST"
    assert len(history.step_losses) == 5 * 938
    accuracies = [e.test_accuracy for e in history.epochs]
    print(f"{side} {settings['activation']}: test accuracy per epoch {accuracies}")
    assert max(accuracies) >= bar  # the bar is reached within the 5 epochs...
    assert history.final.test_accuracy >= bar - 0.005  # ...and training ends near it


def test_command_line_trains_and_writes_json(tmp_path, capsys, mnist):
    out = tmp_path / "run.json"
    code = main(
        [
            "train",
            "--impl",
            "pytorch",
            "--activation",
            "sigmoid",
            "--epochs",
            "1",
            "--batch-size",
            "256",
            "--optimizer",
            "adam",
            "--seed",
            "1",
            "--json",
            str(out),
        ]
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "epoch 1/1  train loss" in printed and "test accuracy" in printed
    record = json.loads(out.read_text())
    assert record["config"]["optimizer"] == "adam" and record["config"]["lr"] == 0.001
    assert record["config"]["momentum"] is None  # Adam takes none: the 0.9 is SGD's only
    assert record["dataset"] == "MNIST" and len(record["epochs"]) == 1
    assert len(record["step_losses"]) == 235  # ceil(60000 / 256)
    assert History.from_json(out).final.test_accuracy > 0.9
