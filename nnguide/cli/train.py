"""``python -m nnguide train``: train one network on MNIST, print its epochs, keep its record."""

from __future__ import annotations

import sys

from nnguide.cli.common import check_writable, describe

HELP = "train one network on MNIST"


def add_arguments(train) -> None:
    """The command's options. The choices come from the guide's own tables; every
    value is checked by the guide's checks (``nnguide/scratch/checks.py``), through
    :class:`~nnguide.lab.experiment.TrainConfig`."""
    from nnguide.lab.experiment import DEFAULT_LR, DEFAULT_MOMENTUM, IMPLS
    from nnguide.scratch.checks import DTYPES
    from nnguide.scratch.layers import ACTIVATIONS, INITS
    from nnguide.scratch.losses import LOSSES
    from nnguide.scratch.optimizers import OPTIMIZERS

    def defaults(table):
        return ", ".join(f"{value:g} for {name}" for name, value in table.items() if value)

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
    train.add_argument(
        "--save",
        metavar="PATH",
        help="write the trained network here, a safetensors file (needs nnguide[deploy])",
    )


def run(args) -> int:
    """Train as ``args`` say; the exit status (130 when interrupted)."""
    from nnguide.data import OFFLINE_SUBSET
    from nnguide.lab.experiment import TrainConfig, run
    from nnguide.parallel.launch import LostRank, join

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
    keeper = None
    if args.save:
        from nnguide.deploy.trained import Keeper

        check_writable(args.save, "--save")
        keeper = Keeper(config, args.save)  # under a launcher, only rank 0 gets to use it
    # Under torchrun or mpiexec: this process's place in the job (nnguide/parallel/launch.py).
    job = join(config)
    if job is not None and not job.lead:  # the other ranks train their shares, silently
        from nnguide.cli.common import EXPECTED_ERRORS

        try:
            job.run(data_dir=args.data_dir, log=None)
        except EXPECTED_ERRORS as err:  # rank 0 says what went wrong, unless it was lost
            if isinstance(err, LostRank):
                raise
            return 1
        return 0
    print(
        f"training {config.impl} {config.sizes} {config.activation}, {config.optimizer} "
        f"lr={config.lr}, batch {config.batch_size}, {config.epochs} epochs"
    )
    try:
        if job:
            history = job.run(data_dir=args.data_dir, on_model=keeper)
        else:
            history = run(config, data_dir=args.data_dir, on_model=keeper)
    except FloatingPointError as err:  # diverged: keep what finished, marked as such
        if args.json and getattr(err, "history", None) is not None:
            err.history.to_json(args.json)
            done = len(err.history.epochs)
            err.args = (
                f"{describe(err)} The {done} finished epoch{'s' * (done != 1)} are written "
                f"to {args.json}, marked as diverged.",
            )
        if args.save:
            err.args = (f"{describe(err)} No network is saved to {args.save}.",)
        raise
    if keeper is not None and keeper.record:
        history.saved = keeper.record
        print(f"saved the network to {args.save}")
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
        if args.save:
            print(
                f"the network is not saved to {args.save}: its training did not finish",
                file=sys.stderr,
            )
        return 130
    data = "the OFFLINE SUBSET, not MNIST" if history.dataset == OFFLINE_SUBSET else "MNIST"
    print(f"final test accuracy {100 * history.final.test_accuracy:.2f}% on {data}")
    return 0
