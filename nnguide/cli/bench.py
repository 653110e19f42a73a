"""``python -m nnguide bench``: time one epoch of every implementation, or compare records."""

from __future__ import annotations

from nnguide.cli.common import POSITIVE, POSITIVE_INT, check_writable

HELP = "time one epoch of every implementation"


def add_arguments(bench) -> None:
    """The command's options; the defaults shown are the lab's own."""
    from nnguide.lab.bench.harness import MAX_ROUNDS
    from nnguide.lab.bench.runner import FULL_BUDGET, QUICK_BUDGET

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


def run(args) -> int:
    """Benchmark (or compare) as ``args`` say, print the tables; the exit status."""
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
