"""What every command shares: the parser that fails in one line, checked argument types,
and the checks and wording of the errors a command ends with."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from nnguide.scratch.checks import check_positive

#: The errors a command ends with in one line (``--debug`` shows their traceback).
EXPECTED_ERRORS = (ValueError, TypeError, OSError, FloatingPointError, RuntimeError)


class UsageError(ValueError):
    """A command line that does not parse: ``main`` prints it on one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse, raising :class:`UsageError` where it would print its usage and exit."""

    def error(self, message):
        """Raise :class:`UsageError` with ``message`` and where to read the usage."""
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


#: A count, checked positive by the guide's ``check_positive``.
POSITIVE_INT = checked(int, lambda value: check_positive("the value", value, integer=True))
#: A number of seconds, checked positive by the guide's ``check_positive``.
POSITIVE = checked(float, lambda value: check_positive("the value", value))


def check_writable(path: str, flag: str = "--json") -> None:
    """Fail before any work if ``path`` cannot be written, rather than after it.

    The file is written as a temporary file in its folder, then renamed: the
    check creates (and removes) such a file there, which is the only test that
    also holds for root, read-only mounts and special folders such as /proc.
    ``flag`` names the option in the message.
    """
    target = Path(path)
    if target.is_dir():
        raise ValueError(f"{flag} {path} is a folder: give a file name inside it.")
    folder = target.parent
    if not folder.is_dir():
        raise ValueError(f"{flag} {path}: the folder {folder} does not exist; create it first.")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as err:
        raise ValueError(
            f"{flag} {path}: cannot write in {folder} ({err.strerror}); choose a writable place."
        ) from None


def describe(err: Exception) -> str:
    """The error's message, on one line; an OS error names its file."""
    if isinstance(err, OSError) and err.filename and err.strerror:
        return f"{err.filename}: {err.strerror}."
    return " ".join(str(err).split())
