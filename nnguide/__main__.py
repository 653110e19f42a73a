"""The command line: ``python -m nnguide train ...`` and ``python -m nnguide bench ...``."""

from __future__ import annotations

import argparse
import sys

from nnguide.experiment import TrainConfig, run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m nnguide", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train one network on MNIST")
    train.add_argument("--impl", choices=["scratch", "pytorch"], default="scratch")
    train.add_argument(
        "--activation",
        choices=["sigmoid", "relu"],
        help="default: sigmoid for scratch, relu for pytorch",
    )
    train.add_argument(
        "--hidden", type=int, nargs="+", default=[128], help="hidden layer widths (default: 128)"
    )
    train.add_argument("--epochs", type=int, default=5)
    train.add_argument("--batch-size", type=int, default=64)
    train.add_argument("--lr", type=float, help="default: 0.1 for sgd, 0.001 for adam")
    train.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    train.add_argument("--momentum", type=float, default=0.9, help="SGD momentum (default: 0.9)")
    train.add_argument("--loss", choices=["cross_entropy", "mse"], default="cross_entropy")
    train.add_argument("--init", choices=["pytorch", "nielsen"], default="pytorch")
    train.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    train.add_argument("--seed", type=int, default=0)
    train.add_argument("--device", default="cpu", help="pytorch only, e.g. cuda")
    train.add_argument(
        "--data-dir", help="folder with the MNIST files (default: $NNGUIDE_DATA or the user cache)"
    )
    train.add_argument("--json", metavar="PATH", help="write every epoch's figures here")
    train.add_argument("--no-progress", action="store_true", help="hide the progress bar")

    bench = commands.add_parser("bench", help="time one epoch of every implementation")
    bench.add_argument("--quick", action="store_true", help="about a minute instead of two")
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


def bench_main(args) -> int:
    from nnguide import bench

    if args.compare:
        records = {path: bench.load_record(path) for path in args.compare}
        print(bench.compare(records))
        return 0
    for name, value in (("threads", args.threads), ("repeats", args.repeats)):
        if value is not None and value < 1:
            print(f"error: --{name} must be a positive integer, got {value}.", file=sys.stderr)
            return 2
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
    if args.command == "bench":
        return bench_main(args)
    try:
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
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(
        f"training {config.impl} {config.sizes} {config.activation}, {config.optimizer} "
        f"lr={config.lr}, batch {config.batch_size}, {config.epochs} epochs"
    )
    history = run(config, data_dir=args.data_dir, progress=not args.no_progress)
    print(
        f"dataset: {history.dataset}; final test accuracy {100 * history.final.test_accuracy:.2f}%"
    )
    if args.json:
        history.to_json(args.json)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
