"""Reading MNIST's IDX files with NumPy alone.

An IDX file is a tiny header (a magic number, then the size of each
dimension as a big-endian 32-bit integer) followed by the raw values; MNIST's
are unsigned bytes. :func:`parse_idx` checks the header against the shape
each file must have (:data:`SHAPES`); :func:`read_idx_file` reads a file from
disk, verified first. Nothing is unpickled.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from nnguide.data import locate
from nnguide.data.errors import DataError

#: The shape each file must declare in its header (N x 28 x 28 images, N labels).
SHAPES = {
    "train-images-idx3-ubyte": (60_000, 28, 28),
    "train-labels-idx1-ubyte": (60_000,),
    "t10k-images-idx3-ubyte": (10_000, 28, 28),
    "t10k-labels-idx1-ubyte": (10_000,),
}

_UBYTE = 0x08  # the IDX type code for unsigned bytes, the only type MNIST uses


def parse_idx(raw: bytes, name: str) -> np.ndarray:
    """Parse the bytes of one uncompressed IDX file into an array.

    Parameters
    ----------
    raw : bytes
        The whole uncompressed file.
    name : str
        The file's name, used in error messages and to look up its expected shape.

    Returns
    -------
    numpy.ndarray
        A uint8 array with the shape the header declares.

    Raises
    ------
    ~nnguide.data.DataError
        If the magic number, the number of dimensions, a dimension or the
        length does not match what :data:`~nnguide.data.idx.SHAPES` expects for ``name``.
    """
    if name not in SHAPES:
        raise DataError(f"{name}: not one of the MNIST files {sorted(SHAPES)}.")
    expected = SHAPES[name]
    header_size = 4 + 4 * len(expected)
    if len(raw) < header_size:
        raise DataError(f"{name}: {len(raw)} bytes is too short even for the IDX header.")
    # The magic number is two zero bytes, the type code, and the number of dimensions.
    zero0, zero1, type_code, ndim = raw[:4]
    if (zero0, zero1, type_code, ndim) != (0, 0, _UBYTE, len(expected)):
        raise DataError(
            f"{name}: wrong magic number {raw[:4].hex()}, expected "
            f"0000{_UBYTE:02x}{len(expected):02x} (unsigned bytes, {len(expected)} dimensions). "
            "This is not the MNIST file it is named after."
        )
    shape = tuple(int(d) for d in np.frombuffer(raw, dtype=">u4", count=ndim, offset=4))
    if shape != expected:
        raise DataError(f"{name}: the header declares shape {shape}, expected {expected}.")
    size = int(np.prod(shape))
    if len(raw) != header_size + size:
        raise DataError(
            f"{name}: {len(raw) - header_size} bytes of data, expected {size} "
            "(the file is truncated or has trailing bytes)."
        )
    # frombuffer views the (immutable) bytes; copy so callers get an ordinary writable array.
    return np.frombuffer(raw, dtype=np.uint8, offset=header_size).reshape(shape).copy()


def read_idx_file(path: str | os.PathLike) -> np.ndarray:
    """Read, verify and parse one MNIST file (``.gz`` or uncompressed).

    Parameters
    ----------
    path : str or os.PathLike
        The file, named as MNIST names it (with or without ``.gz``).

    Returns
    -------
    numpy.ndarray
        As :func:`parse_idx` returns it.

    Raises
    ------
    ~nnguide.data.DataError
        If the file cannot be read or decompressed, its content's SHA-256 is
        not the canonical one, or the header is wrong.
    """
    path = Path(path)
    name = path.name.removesuffix(".gz")
    if name not in locate.SHA256:
        raise DataError(f"{path}: not one of the MNIST files {sorted(locate.SHA256)}.")
    return parse_idx(locate.read_verified(path, name), name)
