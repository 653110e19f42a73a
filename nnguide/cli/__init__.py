"""The command line: ``python -m nnguide <command> ...``, one module per command.

Every expected failure (a bad argument, missing or corrupt data, a diverging
run, a file that cannot be written, no GPU) ends with one line, ``error: ...``,
saying what is wrong and what to do, and a non-zero exit status (2 for a bad
argument, 1 for a failure while running); ``--debug`` shows the traceback instead.

A command is a module with ``HELP`` (one line), ``add_arguments(parser)`` and
``run(args)`` returning the exit status; :data:`COMMANDS` lists them.
"""

from __future__ import annotations

import importlib
import sys

from nnguide.cli.common import EXPECTED_ERRORS, Parser, UsageError, describe

#: Command name -> the module that implements it.
COMMANDS = {"train": "nnguide.cli.train", "bench": "nnguide.cli.bench"}
COMMANDS.update(
    evaluate="nnguide.cli.evaluate", export="nnguide.cli.export", predict="nnguide.cli.predict"
)


def build_parser() -> Parser:
    """The parser of every command, with its subcommands."""
    parser = Parser(prog="python -m nnguide", description=__doc__.split("\n")[0])
    parser.add_argument("--debug", action="store_true", help="show tracebacks of errors")
    commands = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        command = importlib.import_module(module)
        command.add_arguments(commands.add_parser(name, help=command.HELP))
    return parser


def main(argv=None) -> int:
    """Run the command ``argv`` names (default: ``sys.argv``); the exit status."""
    try:
        args = build_parser().parse_args(argv)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    command = importlib.import_module(COMMANDS[args.command])
    try:
        return command.run(args)
    except EXPECTED_ERRORS as err:
        if args.debug:
            raise
        print(f"error: {describe(err)}", file=sys.stderr)
        # 2 for a bad argument, as argparse itself; 1 for what went wrong while running.
        return 2 if isinstance(err, (ValueError, TypeError)) else 1
    except KeyboardInterrupt:  # outside training (loading data, benchmarking)
        print("interrupted", file=sys.stderr)
        return 130
