"""The lock that makes processes writing into one data folder take turns.

Two processes that fill one cache (two test workers, two notebook kernels)
would otherwise download every file twice and rename over each other's
copies; with the lock, one downloads and the other finds the files there.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from nnguide.data.errors import DataError

#: Seconds a process waits for another one's download into the same folder.
LOCK_TIMEOUT = 900
#: The lock file, inside the folder being written to.
LOCK_NAME = ".nnguide.lock"


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the lock of ``folder`` while writing into it, so that one process downloads.

    The lock is an OS file lock (``flock``), :data:`LOCK_NAME` in ``folder``:
    a process that dies releases it.

    Parameters
    ----------
    folder : pathlib.Path
        The folder about to be written into; it must exist.

    Raises
    ------
    ~nnguide.data.DataError
        If another process held the lock for :data:`LOCK_TIMEOUT` seconds, or
        the lock file cannot be created.
    """
    from filelock import FileLock, Timeout

    path = folder / LOCK_NAME
    lock = FileLock(path, timeout=LOCK_TIMEOUT)
    try:
        lock.acquire()
    except Timeout as err:
        raise DataError(
            f"{path}: another process has held this lock for {LOCK_TIMEOUT} s while "
            f"writing into {folder}; wait for it to finish and run again."
        ) from err
    except PermissionError as err:
        raise DataError(
            f"{path}: cannot create the lock file ({err.strerror}); nnguide needs to "
            f"write into {folder}. Set NNGUIDE_DATA to a folder that holds the MNIST files."
        ) from err
    try:
        yield
    finally:
        lock.release()
