"""The command line: ``python -m nnguide train ...`` and ``python -m nnguide bench ...``.

Every expected failure (a bad argument, missing or corrupt data, a diverging
run, a file that cannot be written, no GPU) ends with one line, ``error: ...``,
saying what is wrong and what to do, and a non-zero exit status (2 for a bad
argument, 1 for a failure while running); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from nnguide.scratch.checks import check_positive

EXPECTED_ERRORS = (ValueError, TypeError, OSError, FloatingPointError, RuntimeError)


class UsageError(ValueError):
    """A command line that does not parse: ``main`` prints it on one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, raising :class:`UsageError` where it would print its usage and exit."""

    def error(self, message):
        raise UsageError(f"{message} (see {self.prog} --help)")


def checked(convert, check):
    """An argparse ``type``: ``convert`` the text, then run one of the guide's checks on it.

    ``check`` raises ``ValueError`` with the guide's message (see
    :mod:`nnguide.scratch.checks`), which argparse shows after the flag's name.
    """

    def parse(text: str):
        value = convert(text)  # a ValueError here: argparse's "invalid int value"
        try:
            check(value)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
        return value

    parse.__name__ = convert.__name__  # what argparse calls the type in its own messages
    return parse


#: The bench's counts and seconds: positive, as the guide's ``check_positive`` says.
POSITIVE_INT = checked(int, lambda value: check_positive("the value", value, integer=True))
POSITIVE = checked(float, lambda value: check_positive("the value", value))


def build_parser() -> argparse.ArgumentParser:
    # The choices come from the guide's own tables; every value is checked by
    # the guide's checks (nnguide/scratch/checks.py), through TrainConfig.
    from nnguide.lab.bench.harness import MAX_ROUNDS
    from nnguide.lab.bench.runner import FULL_BUDGET, QUICK_BUDGET
    from nnguide.lab.experiment import DEFAULT_LR, DEFAULT_MOMENTUM, IMPLS
    from nnguide.scratch.checks import DTYPES
    from nnguide.scratch.layers import ACTIVATIONS, INITS
    from nnguide.scratch.losses import LOSSES
    from nnguide.scratch.optimizers import OPTIMIZERS

    def defaults(table):
        return ", ".join(f"{value:g} for {name}" for name, value in table.items() if value)

    parser = Parser(prog="python -m nnguide", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one network on MNIST")
    train.add_argument("--impl", choices=IMPLS, default="scratch")
    train.add_argument("--activation", choices=tuple(ACTIVATIONS), default="sigmoid")
    train.add_argument(
        "--hidden", type=int, nargs="+", default=[128], help="hidden layer widths (%(default)s)"
    )
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--lr", type=float, help=f"default: {defaults(DEFAULT_LR)}")
    train.add_argument("--optimizer", choices=tuple(OPTIMIZERS), default="sgd")
    train.add_argument(
        "--momentum",
        type=float,
        help=f"SGD's momentum (default: {defaults(DEFAULT_MOMENTUM)}; adam takes none)",
    )
    train.add_argument("--loss", choices=tuple(LOSSES), default="cross_entropy")
    train.add_argument("--init", choices=INITS, default="pytorch")
    train.add_argument("--dtype", choices=DTYPES, default="float32")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default="cpu", help="with --impl pytorch: cpu, cuda, cuda:1...")
    train.add_argument(
        "--data-dir", help="folder with the MNIST files (default: $NNGUIDE_DATA or the user cache)"
    )
    train.add_argument("--json", metavar="PATH", help="write every epoch's figures here")

    bench = commands.add_parser("bench", help="time one epoch of every implementation")
    bench.add_argument("--quick", action="store_true", help="about a minute instead of about five")
    bench.add_argument(
        "--threads",
        type=POSITIVE_INT,
        help="time every contender on this many threads only (default: every count worth "
        "trying, up to the cores this process may use; each library on its chosen count)",
    )
    bench.add_argument(
        "--budget",
        type=POSITIVE,
        help=f"seconds for all the measurements (default: {FULL_BUDGET:g}, quick: "
        f"{QUICK_BUDGET:g}); on a busy machine, fewer rounds and smaller slices fit, and the "
        "tables say so",
    )
    bench.add_argument(
        "--max-rounds",
        type=POSITIVE_INT,
        default=MAX_ROUNDS,
        help="the most timed rounds of one measurement (default: %(default)s)",
    )
    bench.add_argument("--data-dir", help="folder with the MNIST files")
    bench.add_argument("--json", metavar="PATH", help="write the full record here")
    bench.add_argument(
        "--compare",
        nargs="+",
        metavar="JSON",
        help="instead of running, compare records written by --json",
    )
    return parser


def check_writable(path: str) -> None:
    """Fail before any work if ``path`` cannot be written, rather than after it.

    The file is written as a temporary file in its folder, then renamed: the
    check creates (and removes) such a file there, which is the only test that
    also holds for root, read-only mounts and special folders such as /proc.
    """
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"--json {path} is a folder: give a file name, such as {path}/run.json.")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(f"--json {path}: the folder {folder} does not exist; create it first.")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise ValueError(
            f"--json {path}: cannot write in {folder} ({err.strerror}); choose a writable place."
        ) from None


def train_main(args) -> int:
    from nnguide.data import OFFLINE_SUBSET
    from nnguide.lab.experiment import TrainConfig, run

    # Everything that can be checked before the data loads is checked here, first:
    # the settings by TrainConfig (with the guide's own checks), then the --json path.
    config = TrainConfig(
        impl=args.impl,
        activation=args.activation,
        hidden=tuple(args.hidden),
        epochs=args.epochs,
        batch_size=args.batch_size,
        lr=args.lr,
        optimizer=args.optimizer,
        momentum=args.momentum,
        loss=args.loss,
        init=args.init,
        dtype=args.dtype,
        seed=args.seed,
        device=args.device,
    )
    if args.json:
        check_writable(args.json)
    print(
        f"training {config.impl} {config.sizes} {config.activation}, {config.optimizer} "
        f"lr={config.lr}, batch {config.batch_size}, {config.epochs} epochs"
    )
    try:
        history = run(config, data_dir=args.data_dir)
    except FloatingPointError as err:  # diverged: keep what finished, marked as such
        if args.json and getattr(err, "history", None) is not None:
            err.history.to_json(args.json)
            done = len(err.history.epochs)
            err.args = (
                f"{describe(err)} The {done} finished epoch{'s' * (done != 1)} are written "
                f"to {args.json}, marked as diverged.",
            )
        raise
    if args.json:
        history.to_json(args.json)
        print(f"wrote {args.json}")
    if history.status == "interrupted":
        done = len(history.epochs)
        kept = f"written to {args.json}" if args.json else "not saved (no --json given)"
        print(
            f"interrupted after {done} of {config.epochs} epochs; the finished ones are {kept}",
            file=sys.stderr,
        )
        return 130
    data = "the OFFLINE SUBSET, not MNIST" if history.dataset == OFFLINE_SUBSET else "MNIST"
    print(f"final test accuracy {100 * history.final.test_accuracy:.2f}% on {data}")
    return 0


def bench_main(args) -> int:
    from nnguide.lab import bench
    from nnguide.lab.bench import report

    if args.compare:
        records = {path: bench.load_record(path) for path in args.compare}
        print(report.compare_records(records))
        return 0
    if args.json:
        check_writable(args.json)
    record = bench.run_benchmark(
        quick=args.quick,
        threads=args.threads,
        budget=args.budget,
        max_rounds=args.max_rounds,
        data_dir=args.data_dir,
    )
    for title, shown in (
        ("The three rows of the comparison", report.speed_table(record)),
        ("Every thread count, and the ceiling", report.results_table(record)),
        ("The other contenders", report.others_table(record)),
        ("Verdicts", report.verdict_table(record)),
        ("Where the plain network's epoch goes", report.profile_table(record, "plain")),
        ("Where the tuned network's epoch goes", report.profile_table(record, "tuned")),
        ("What the budget cut short", report.budget_notes(record)),
    ):
        print(f"\n{title}\n\n{shown}")
    if args.json:
        bench.save_record(record, args.json)
        print(f"wrote {args.json}")
    return 0


def describe(err: Exception) -> str:
    """The error's message, on one line; an OS error names its file."""
    if isinstance(err, OSError) and err.filename and err.strerror:
        return f"{err.filename}: {err.strerror}."
    return " ".join(str(err).split())


def main(argv=None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    command = bench_main if args.command == "bench" else train_main
    try:
        return command(args)
    except EXPECTED_ERRORS as err:
        if args.debug:
            raise
        print(f"error: {describe(err)}", file=sys.stderr)
        # 2 for a bad argument, as argparse itself; 1 for what went wrong while running.
        return 2 if isinstance(err, (ValueError, TypeError)) else 1
    except KeyboardInterrupt:  # outside training (loading data, benchmarking)
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
