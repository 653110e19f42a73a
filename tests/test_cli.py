"""The command line fails loud and loses nothing.

Every expected error (a bad argument, missing or damaged data, a diverging run,
a file that cannot be written or read, no GPU) ends with exactly one line on
stderr, ``error: ...``, saying what is wrong and what to do, and a non-zero
exit status; no traceback unless ``--debug``. What can be checked before the
data loads is checked first, by the guide's own checks (the command line
repeats none of them). Ctrl-C stops cleanly and keeps the finished epochs.

The inputs, by class: bad arguments, files (``--json``, ``--data-dir``,
``bench --compare``), divergence, signals. Most run ``main()`` in this process
(an exception escaping it fails the test, as a traceback would); the cases
where the process itself matters (its exit status, a traceback, a signal) run
``python -m nnguide`` in a subprocess.
"""

import gzip
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from nnguide.cli import main
from nnguide.lab.history import History
from nnguide.scratch import checks

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]
# Small runs: one epoch of the smallest sensible network.
TRAIN = ["train", "--hidden", "16", "--epochs", "1"]


def run_main(argv, capsys):
    """``main(argv)`` in this process: its exit status, stdout and stderr."""
    try:
        status = main(argv)
    except SystemExit as exit:  # argparse's errors
        status = exit.code
    out, err = capsys.readouterr()
    return status, out, err


def run_process(argv, timeout=120, **kwargs):
    """``python -m nnguide argv`` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "nnguide", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


def assert_one_error_line(err: str, phrase: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err
    assert re.search(phrase, lines[0]), lines[0]


def real_data() -> Path:
    folder = os.environ.get("NNGUIDE_DATA")
    if not folder or not all(
        (Path(folder) / f"{name}.gz").is_file() or (Path(folder) / name).is_file() for name in FILES
    ):
        pytest.skip("the MNIST files are not available (set NNGUIDE_DATA)")
    return Path(folder)


def data_folder(tmp_path, leave_out=None, corrupt=None) -> Path:
    """A folder of links to the real MNIST files, less ``leave_out``, with ``corrupt`` damaged."""
    source, folder = real_data(), tmp_path / "mnist"
    folder.mkdir()
    for name in FILES:
        gz = source / f"{name}.gz"
        original = gz if gz.is_file() else source / name
        target = folder / original.name
        if name == leave_out:
            continue
        if name == corrupt:
            data = bytearray(
                gz.read_bytes() if gz.is_file() else gzip.compress(original.read_bytes())
            )
            data[len(data) // 2] ^= 0xFF  # one flipped byte inside the compressed stream
            (folder / f"{name}.gz").write_bytes(bytes(data))
            continue
        target.symlink_to(original)
    return folder


# -- Bad arguments: each fails before any data is loaded. ------------------------------------
# Every case names a data folder that does not exist: had the data been loaded
# first, the error would be about the data, and the phrase would not match.

NO_DATA = ["--data-dir", "/nonexistent/nnguide-mnist"]
ADAM_MOMENTUM = "momentum applies to SGD only: leave it out for optimizer 'adam'"
ARGUMENTS = [
    ("--momentum 1.5", ["--momentum", "1.5"], r"momentum must be a number in \[0, 1\), got 1.5"),
    ("--momentum with adam", ["--optimizer", "adam", "--momentum", "0.9"], ADAM_MOMENTUM),
    ("--seed -1", ["--seed", "-1"], "seed must be a non-negative integer below 2"),
    ("--lr 0", ["--lr", "0"], "lr must be a positive number, got 0.0"),
    ("--lr -1", ["--lr", "-1"], "lr must be a positive number, got -1.0"),
    ("--lr nan", ["--lr", "nan"], "lr must be a positive number, got nan"),
    ("--epochs 0", ["--epochs", "0"], "epochs must be a positive integer, got 0"),
    ("--epochs 2.5", ["--epochs", "2.5"], "--epochs: invalid int value: '2.5'"),
    ("--hidden 0", ["--hidden", "0"], "hidden width must be a positive integer, got 0"),
    ("--batch-size 0", ["--batch-size", "0"], "batch_size must be a positive integer, got 0"),
    ("--impl jax", ["--impl", "jax"], "--impl: invalid choice: 'jax'"),
    ("--optimizer rmsprop", ["--optimizer", "rmsprop"], "--optimizer: invalid choice: 'rmsprop'"),
    ("--device nonsense", ["--impl", "pytorch", "--device", "nonsense"], "not one PyTorch knows"),
    ("--device cuda, NumPy", ["--device", "cuda"], "runs on the CPU only"),
]
if not torch.cuda.is_available():
    ARGUMENTS.append(
        ("--device cuda, no GPU", ["--impl", "pytorch", "--device", "cuda"], "needs a CUDA GPU")
    )


@pytest.mark.parametrize(
    ("argv", "phrase"), [pytest.param(a, p, id=name) for name, a, p in ARGUMENTS]
)
def test_bad_arguments_fail_before_the_data_loads(argv, phrase, capsys):
    status, out, err = run_main([*TRAIN, *argv, *NO_DATA], capsys)
    assert status == 2
    assert_one_error_line(err, phrase)
    assert "training" not in out  # nothing started


# Each flag's value is checked by the guide's checks.py: the line is the guide's own message.
GUIDE_CHECKS = [
    (["--epochs", "0"], lambda: checks.check_positive("epochs", 0, integer=True)),
    (["--lr", "inf"], lambda: checks.check_positive("lr", float("inf"))),
    (["--momentum", "1.5"], lambda: checks.check_fraction("momentum", 1.5)),
    (["--optimizer", "adam", "--momentum", "0"], lambda: checks.check_momentum("adam", 0.0)),
    (["--seed", "4294967296"], lambda: checks.check_seed(2**32)),
]


@pytest.mark.parametrize(
    ("argv", "check"), GUIDE_CHECKS, ids=[" ".join(a) for a, _ in GUIDE_CHECKS]
)
def test_the_command_line_reports_the_guides_own_check(argv, check, capsys):
    with pytest.raises(ValueError) as guide:
        check()
    status, _, err = run_main([*TRAIN, *argv, *NO_DATA], capsys)
    assert status == 2
    assert err == f"error: {guide.value}\n"


def test_the_choices_are_the_guides_own_tables():
    """``--help`` lists the guide's own names: a name added to the guide is a choice at once."""
    import argparse

    from nnguide.cli import build_parser
    from nnguide.lab.experiment import IMPLS
    from nnguide.scratch.layers import ACTIVATIONS, INITS
    from nnguide.scratch.losses import LOSSES
    from nnguide.scratch.optimizers import OPTIMIZERS

    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    choices = {a.dest: list(a.choices) for a in commands.choices["train"]._actions if a.choices}
    assert choices == {
        "impl": list(IMPLS),
        "activation": list(ACTIVATIONS),
        "optimizer": list(OPTIMIZERS),
        "loss": list(LOSSES),
        "init": list(INITS),
        "dtype": list(checks.DTYPES),
    }


@pytest.mark.parametrize(
    ("where", "phrase"),
    [
        ("folder", "is a folder: give a file name"),
        ("missing folder", "does not exist; create it first"),
        ("unwritable", "cannot write in"),
    ],
    ids=["folder", "missing-folder", "unwritable"],
)
def test_json_that_cannot_be_written_fails_before_training(where, phrase, tmp_path, capsys):
    if where == "folder":
        path = tmp_path
    elif where == "missing folder":
        path = tmp_path / "no such folder" / "run.json"
    elif os.geteuid() != 0:  # a folder without write permission
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        path = locked / "run.json"
    elif Path("/proc/self").is_dir():  # root writes anywhere, but not in /proc
        path = Path("/proc/nnguide-run.json")
    else:
        pytest.skip("no unwritable folder to try as root")
    status, out, err = run_main([*TRAIN, "--json", str(path), *NO_DATA], capsys)
    assert status == 2
    assert_one_error_line(err, phrase)
    assert "training" not in out


@pytest.mark.parametrize(
    ("argv", "phrase"),
    [
        (["--momentum", "1.5"], r"^error: momentum must be a number in \[0, 1\), got 1.5\.$"),
        (["--optimizer", "adam", "--momentum", "0.9"], f"^error: {ADAM_MOMENTUM}\\.$"),
    ],
    ids=["momentum-1.5", "momentum-with-adam"],
)
def test_a_bad_argument_is_one_line_from_the_process_too(argv, phrase):
    result = run_process([*TRAIN, *argv])
    assert result.returncode == 2
    assert_one_error_line(result.stderr, phrase)


# -- Data errors: a named folder that is wrong or damaged is an error, never a fallback. -------


@pytest.mark.parametrize(
    ("case", "phrase"),
    [
        ("typo", "mnsit.* does not exist"),
        ("a file", "is a file, not a folder"),
        ("missing file", "neither t10k-labels-idx1-ubyte nor t10k-labels-idx1-ubyte.gz is in"),
        ("corrupt file", "t10k-labels-idx1-ubyte.gz: not a valid gzip file"),
    ],
    ids=["typo", "a-file", "missing-file", "corrupt-file"],
)
def test_data_errors(case, phrase, tmp_path, capsys):
    if case == "typo":
        folder = tmp_path / "mnsit"
    elif case == "a file":
        folder = tmp_path / "mnist.gz"
        folder.write_bytes(b"not a folder")
    elif case == "missing file":
        folder = data_folder(tmp_path, leave_out="t10k-labels-idx1-ubyte")
    else:
        folder = data_folder(tmp_path, corrupt="t10k-labels-idx1-ubyte")
    status, out, err = run_main([*TRAIN, "--data-dir", str(folder)], capsys)
    assert status == 1
    assert_one_error_line(err, phrase)
    assert str(folder) in err  # where it looked
    assert "accuracy" not in out  # no run on other data


# -- Divergence: a non-zero exit, no record claiming success. --------------------------------


@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
@pytest.mark.parametrize("lr", ["1e3", "1e6"])
def test_divergence_exits_non_zero_with_a_record_marked_diverged(impl, lr, tmp_path, capsys):
    real_data()
    record = tmp_path / "run.json"
    status, out, err = run_main([*TRAIN, "--impl", impl, "--lr", lr, "--json", str(record)], capsys)
    assert status == 1
    assert_one_error_line(err, r"training diverged at epoch 1, step \d+: the loss is")
    assert f"such as {float(lr) / 10:g}" in err  # a smaller learning rate to try
    assert "The 0 finished epochs are written to" in err and "marked as diverged" in err
    saved = History.from_json(record)
    assert saved.status == "diverged" and saved.epochs == []  # no record claims success
    assert "final test accuracy" not in out


# -- bench --compare on files that are not records. -----------------------------------------


def test_compare_a_missing_record(tmp_path, capsys):
    missing = tmp_path / "no-record.json"
    status, _, err = run_main(["bench", "--compare", str(missing)], capsys)
    assert status != 0
    assert_one_error_line(err, re.escape(str(missing)))


def test_compare_a_broken_record(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [1, 2', encoding="utf-8")
    status, _, err = run_main(["bench", "--compare", str(broken)], capsys)
    assert status != 0
    assert_one_error_line(err, ".")


def test_compare_a_broken_record_names_it(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text('{"results": [1, 2', encoding="utf-8")
    _, _, err = run_main(["bench", "--compare", str(broken)], capsys)
    assert str(broken) in err


def test_debug_shows_the_traceback(tmp_path):
    result = run_process(["--debug", "bench", "--compare", str(tmp_path / "no-record.json")])
    assert result.returncode != 0
    assert "Traceback" in result.stderr


# -- Ctrl-C: stop cleanly, say where, keep the finished epochs. -------------------------------


def test_sigint_keeps_the_finished_epochs(tmp_path):
    real_data()
    record = tmp_path / "run.json"
    # Batches of 16: each epoch is long enough (a few seconds) for the signal to land in epoch 2.
    argv = [*TRAIN, "--epochs", "3", "--batch-size", "16", "--json", str(record)]
    process = subprocess.Popen(
        [sys.executable, "-m", "nnguide", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A shell's background job (as CI may run this suite) ignores SIGINT, and
        # its children inherit that: give the command line the default, as a terminal does.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        for line in process.stdout:
            if line.startswith("epoch 1/3"):
                process.send_signal(signal.SIGINT)
                break
        out, err = process.communicate(timeout=120)
    finally:
        process.kill()
    assert process.returncode == 130
    assert "Traceback" not in err
    where = "interrupted after 1 of 3 epochs; the finished ones are written to"
    assert err.strip() == f"{where} {record}", err
    run = json.loads(record.read_text(encoding="utf-8"))
    assert run["status"] == "interrupted"
    assert [epoch["epoch"] for epoch in run["epochs"]] == [1]
    assert "final test accuracy" not in out
