"""From images to the features both networks take: rows of 784 pixels in [0, 1]."""

from __future__ import annotations

import numpy as np


def to_features(images: np.ndarray, dtype=np.float32) -> np.ndarray:
    """Flatten images to rows of 784 pixels scaled to [0, 1].

    Parameters
    ----------
    images : numpy.ndarray
        uint8 array of shape (N, 28, 28), as :func:`~nnguide.data.load_mnist` returns.
    dtype : numpy dtype
        The floating-point type of the result.

    Returns
    -------
    numpy.ndarray
        Array of shape (N, 784).

    Raises
    ------
    TypeError
        If ``images`` is not uint8 (scaling by 255 assumes 0 to 255 pixel
        values) or ``dtype`` is not a floating-point type.
    ValueError
        If ``images`` is not of shape (N, 28, 28).
    """
    images = np.asarray(images)
    if images.dtype != np.uint8:
        raise TypeError(
            f"images must be uint8 (pixel values 0 to 255, as load_mnist returns), got "
            f"{images.dtype}. Features already scaled to [0, 1] need no to_features."
        )
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise ValueError(f"images must have shape (N, 28, 28), got {images.shape}.")
    if not np.issubdtype(np.dtype(dtype), np.floating):
        raise TypeError(f"dtype must be a floating-point type, got {np.dtype(dtype)}.")
    features = images.reshape(len(images), -1).astype(dtype)
    features /= 255  # in place: no second copy of the whole dataset
    return features
