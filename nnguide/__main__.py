"""The command line: ``python -m nnguide train ...`` and ``python -m nnguide bench ...``.

Every expected failure (a bad argument, missing or corrupt data, a diverging
run, a file that cannot be written, no GPU) ends with one line, ``error: ...``,
saying what is wrong and what to do, and a non-zero exit status (2 for a bad
argument, 1 for a failure while running); ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXPECTED_ERRORS = (ValueError, TypeError, OSError, FloatingPointError, RuntimeError)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nnguide", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one network on MNIST")
    train.add_argument("--impl", choices=["scratch", "pytorch"], default="scratch")
    train.add_argument("--activation", choices=["sigmoid", "relu"], default="sigmoid")
    train.add_argument(
        "--hidden", type=int, nargs="+", default=[128], help="hidden layer widths (default: 128)"
    )
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--lr", type=float, help="default: 0.1 for sgd, 0.001 for adam")
    train.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    train.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default: 0.9)")
    train.add_argument("--loss", choices=["cross_entropy", "quadratic"], default="cross_entropy")
    train.add_argument("--init", choices=["pytorch", "nielsen"], default="pytorch")
    train.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default="cpu", help="pytorch only, e.g. cuda")
    train.add_argument(
        "--data-dir", help="folder with the MNIST files (default: $NNGUIDE_DATA or the user cache)"
    )
    train.add_argument("--json", metavar="PATH", help="write every epoch's figures here")

    bench = commands.add_parser("bench", help="time one epoch of every implementation")
    bench.add_argument("--quick", action="store_true", help="about a minute instead of several")
    bench.add_argument("--threads", type=int, help="BLAS and PyTorch threads (default: all)")
    bench.add_argument(
        "--repeats", type=int, help="timed rounds of the main table (default: 5, quick: 2)"
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
    """Fail before any work if ``path`` cannot be written, rather than after it."""
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"--json {path} is a folder: give a file name, such as {path}/run.json.")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise ValueError(f"--json {path}: the folder {folder} does not exist; create it first.")
    if not os.access(folder, os.W_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise ValueError(f"--json {path} cannot be written here: choose a writable place.")


def check_device(device: str) -> None:
    """Fail at once when the named device is not there."""
    import torch

    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(f"--device {device}: PyTorch sees no CUDA GPU here; use --device cpu.")
    try:
        torch.device(device)
    except RuntimeError as err:
        raise ValueError(f"--device {device} is not a device PyTorch knows: {err}") from None


def train_main(args) -> int:
    from nnguide.data import OFFLINE_SUBSET
    from nnguide.lab.experiment import TrainConfig, run

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
    if config.impl == "pytorch":
        check_device(config.device)
    if args.json:
        check_writable(args.json)
    print(
        f"training {config.impl} {config.sizes} {config.activation}, {config.optimizer} "
        f"lr={config.lr}, batch {config.batch_size}, {config.epochs} epochs"
    )
    history = run(config, data_dir=args.data_dir)
    if args.json:
        history.to_json(args.json)
        print(f"wrote {args.json}")
    if history.status == "interrupted":
        done = len(history.epochs)
        print(f"interrupted after {done} of {config.epochs} epochs", file=sys.stderr)
        return 130
    data = "the OFFLINE SUBSET, not MNIST" if history.dataset == OFFLINE_SUBSET else "MNIST"
    print(f"final test accuracy {100 * history.final.test_accuracy:.2f}% on {data}")
    return 0


def bench_main(args) -> int:
    from nnguide.lab import bench

    if args.compare:
        records = {path: bench.load_record(path) for path in args.compare}
        print(bench.compare(records))
        return 0
    for name, value in (("threads", args.threads), ("repeats", args.repeats)):
        if value is not None and value < 1:
            raise ValueError(f"--{name} must be a positive integer, got {value}.")
    if args.json:
        check_writable(args.json)
    record = bench.run_benchmark(
        quick=args.quick, threads=args.threads, repeats=args.repeats, data_dir=args.data_dir
    )
    print(bench.results_table(record))
    print(bench.profile_table(record))
    if args.json:
        bench.save_record(record, args.json)
        print(f"wrote {args.json}")
    return 0


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    command = bench_main if args.command == "bench" else train_main
    try:
        return command(args)
    except EXPECTED_ERRORS as err:
        if args.debug:
            raise
        print(f"error: {err}", file=sys.stderr)
        # 2 for a bad argument, as argparse itself; 1 for what went wrong while running.
        return 2 if isinstance(err, (ValueError, TypeError)) else 1
    except KeyboardInterrupt:  # outside training (loading data, benchmarking)
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
