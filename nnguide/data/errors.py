"""The errors the MNIST loader raises, and the warning it gives before it falls back."""

from __future__ import annotations


class DataError(RuntimeError):
    """A dataset file is missing, corrupted or not what it claims to be.

    The message is one line that names the file, where it was looked for, and
    what to do (download errors add one line per mirror tried).
    """


class DownloadError(DataError):
    """Every mirror was unreachable: no connection, a timeout, or an HTTP error.

    No file arrived, so nothing says the data is bad: this is the one error
    after which :func:`~nnguide.data.load_dataset` may fall back to the
    offline subset (and only when no data folder was named).
    """


class CorruptDownloadError(DataError):
    """A mirror delivered a file that failed its check, and no mirror delivered a good one.

    Nothing was written. Never a reason to fall back to other data.
    """


class OfflineSubsetWarning(UserWarning):
    """Results will come from the offline subset, not from MNIST."""
