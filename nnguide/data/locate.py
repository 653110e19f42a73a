"""Where the four MNIST files are, and whether each one is intact.

The data folder is, in this order:

1. the ``data_dir`` argument (``--data-dir`` on the command line), if given;
2. else the folder named by the ``NNGUIDE_DATA`` environment variable, if set
   (read through ``nnguide.settings.data_dir()``);
3. else a per-user cache folder (:func:`cache_dir`).

A folder named by 1 or 2 is used as it is: a file missing there is an error
(:func:`missing_file_error`) that says which file, where it was looked for,
and what to do. Each file may be gzipped or not; whichever it is, its
*uncompressed* content must have the canonical SHA-256 of :data:`SHA256`
(:func:`verify`), so any mirror's gzip of the same bytes is accepted, and
nothing else is.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import zlib
from pathlib import Path

import pooch

from nnguide import settings
from nnguide.data.errors import DataError

#: The IDX files of each split, as ``(images, labels)``.
FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}

#: SHA-256 of each file's *uncompressed* content: the canonical MNIST sums.
#: Checking the uncompressed bytes means any mirror's gzip of them is accepted.
SHA256 = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: What a damaged file on disk asks the reader to do.
FIX_LOCAL = (
    "Delete it and run again (in nnguide's cache a fresh copy is downloaded; "
    "elsewhere, copy an intact one there)."
)


def cache_dir() -> Path:
    """The per-user cache folder of nnguide (for example ``~/.cache/nnguide``)."""
    return Path(pooch.os_cache("nnguide"))


def data_folder(data_dir: str | os.PathLike | None = None) -> tuple[Path, str | None]:
    """The data folder, and who named it.

    Parameters
    ----------
    data_dir : str or os.PathLike, optional
        A folder the caller names (``--data-dir`` on the command line).

    Returns
    -------
    folder : pathlib.Path
        ``data_dir`` if given, else ``$NNGUIDE_DATA`` if set, else
        ``cache_dir() / "mnist"``.
    origin : str or None
        Who named ``folder``, as error messages say it (``"NNGUIDE_DATA"``,
        say); None when it is nnguide's own cache, the one folder that is
        downloaded into by default.
    """
    if data_dir is not None:
        return Path(data_dir).expanduser(), "data_dir (--data-dir)"
    named = settings.data_dir()
    if named is not None:
        return named, "NNGUIDE_DATA"
    return cache_dir() / "mnist", None


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The folder that holds (or will hold) the MNIST files.

    ``data_dir`` if given, else ``$NNGUIDE_DATA`` if set, else ``cache_dir() / "mnist"``.
    """
    return data_folder(data_dir)[0]


def local_file(folder: Path, name: str) -> Path | None:
    """The file for ``name`` in ``folder``, compressed or not, if there is one."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def missing_files(folder: Path) -> list[str]:
    """The names of :data:`SHA256` that ``folder`` holds no file for (it only looks)."""
    return [name for name in SHA256 if local_file(folder, name) is None]


def missing_file_error(name: str, folder: Path, origin: str | None) -> DataError:
    """The one-line error for a file missing from the data folder: which, where, and what to do.

    Parameters
    ----------
    name : str
        The missing file, without ``.gz``.
    folder, origin
        As :func:`data_folder` returns them.

    Returns
    -------
    ~nnguide.data.DataError
        The error to raise.
    """
    named = f"named by {origin}" if origin else "nnguide's cache"
    if not folder.exists():
        problem = f"looked in {folder} ({named}), which does not exist"
    elif not folder.is_dir():
        problem = f"looked in {folder} ({named}), which is a file, not a folder"
    else:
        problem = f"neither {name} nor {name}.gz is in {folder} ({named})"
    if origin is None:
        return DataError(
            f"{name}: {problem}. Run again with a network connection to download it, "
            "or set NNGUIDE_DATA to a folder that holds the four MNIST files."
        )
    unname = "unset NNGUIDE_DATA" if origin == "NNGUIDE_DATA" else f"leave out {origin}"
    return DataError(
        f"{name}: {problem}. Put the four MNIST files (.gz or uncompressed) there, "
        f"correct the path, or {unname} to use nnguide's cache {cache_dir() / 'mnist'}, "
        "which is downloaded on first use."
    )


def decompress(blob: bytes, source: str, fix: str = FIX_LOCAL) -> bytes:
    """The uncompressed content of ``blob``, which may or may not be gzipped.

    Parameters
    ----------
    blob : bytes
        A file's bytes, as read or downloaded.
    source : str
        Where they came from (a path or a URL), to begin the error message.
    fix : str
        What the error message asks the reader to do.

    Raises
    ------
    ~nnguide.data.DataError
        If ``blob`` starts as gzip does but is not a valid gzip stream.
    """
    if blob[:2] != b"\x1f\x8b":  # gzip's magic bytes
        return blob
    try:
        return gzip.decompress(blob)
    # A damaged deflate stream raises a bare zlib.error (which names no file);
    # a damaged header or CRC raises BadGzipFile (an OSError); a cut-off one, EOFError.
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(f"{source}: not a valid gzip file ({err}). {fix}".rstrip()) from err


def verify(raw: bytes, name: str, source: str, fix: str = FIX_LOCAL) -> bytes:
    """Return ``raw`` if its SHA-256 is the canonical one for ``name``, else raise.

    Parameters
    ----------
    raw : bytes
        The uncompressed content.
    name : str
        The MNIST file it should be, a key of :data:`SHA256`.
    source, fix : str
        As for :func:`decompress`.

    Raises
    ------
    ~nnguide.data.DataError
        If the SHA-256 is not the one :data:`SHA256` gives for ``name``.
    """
    digest = hashlib.sha256(raw).hexdigest()
    if digest != SHA256[name]:
        raise DataError(
            f"{source}: SHA-256 of the uncompressed content is {digest}, "
            f"expected {SHA256[name]}: the file is damaged or is not {name}. {fix}".rstrip()
        )
    return raw


def read_verified(path: Path, name: str) -> bytes:
    """The uncompressed, verified content of ``path``, which holds ``name``.

    Raises
    ------
    ~nnguide.data.DataError
        If the file cannot be read or decompressed, or fails its checksum.
    """
    try:
        blob = path.read_bytes()
    except OSError as err:
        raise DataError(f"{path}: cannot read it ({err.strerror or err}).") from err
    return verify(decompress(blob, str(path)), name, str(path))
