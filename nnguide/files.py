"""Writing files so that a crash never leaves half of one behind."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` all at once, or not at all.

    The bytes go to a temporary file in the same folder, which is flushed to
    disk and then renamed over ``path``. A rename within one file system is
    atomic, so a reader sees either the old file or the complete new one, never
    a partial write. The file gets the permissions any new file gets (``0o666``
    less the umask), so a file written into a shared folder stays readable to
    the others who share it.

    Parameters
    ----------
    path : str or os.PathLike
        Where the file should end up. Its folder is created if needed.
    data : bytes
        The file's complete content.

    Returns
    -------
    pathlib.Path
        ``path``, as a :class:`~pathlib.Path`.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not tempfile.mkstemp: it creates files 0600 whatever the umask. Opening with
    # O_CREAT | O_EXCL and mode 0o666 lets the kernel apply the umask (and any
    # default ACL of the folder) exactly as for any other new file, without
    # reading the umask, which only os.umask can do, by changing it.
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.part"
        try:
            fd = os.open(tmp, flags, 0o666)
            break
        except FileExistsError:  # another writer drew the same name: draw again
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())  # the content is on disk before the name points at it
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
