"""A user's image of a digit as MNIST's images were made: 28x28, centred, white on black.

MNIST's description (LeCun, Cortes and Burges) says how its digits were
made: each was size-normalised to fit a 20x20 box, keeping its aspect ratio,
with anti-aliasing (hence the grey levels), then centred in a 28x28 image by
its centre of mass. :func:`to_mnist` does the same to any picture of a digit,
after making it grayscale and, where the digit is dark on a light ground (ink
on paper), inverting it: MNIST's digits are light on black.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnguide.deploy import require

#: The box the digit is scaled to fit, and the image it is centred in (MNIST's).
BOX, SIDE = 20, 28

#: A picture whose brightest stroke rises less than this above its background
#: (on 0 to 255) holds no digit.
BLANK_CONTRAST = 32

#: Pixels above this fraction of the strongest stroke count in the digit's bounding box.
INK_FRACTION = 0.2


def open_image(path):
    """The image at ``path`` as grayscale ``PIL.Image.Image``, or a one-line error.

    Raises
    ------
    ValueError
        If the file is not an image Pillow reads (PNG, JPEG...).
    """
    Image = require("PIL.Image", "to read images")
    from PIL import ImageOps

    path = Path(path)
    try:
        with Image.open(path) as image:
            image.load()
            # A phone keeps its pictures as the sensor saw them, with an EXIF tag saying
            # how to turn them upright: turned as any viewer shows them.
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
                # A drawing on a transparent ground: lay it on white, as it shows on a screen.
                ground = Image.new("RGBA", image.size, "white")
                image = Image.alpha_composite(ground, image.convert("RGBA"))
            return image.convert("L")
    except Image.UnidentifiedImageError:
        raise ValueError(
            f"{path}: not an image Pillow can read; give a PNG or JPEG of a digit."
        ) from None
    except (OSError, SyntaxError) as err:  # a truncated or damaged image
        if isinstance(err, FileNotFoundError | IsADirectoryError | PermissionError):
            raise
        raise ValueError(f"{path}: a damaged image ({' '.join(str(err).split())}).") from None


def to_mnist(gray: np.ndarray, name: str = "the image") -> np.ndarray:
    """A grayscale picture of one digit (2-D, 0 to 255) as a 28x28 MNIST-like image.

    Parameters
    ----------
    gray : numpy.ndarray
        2-D, any size, values 0 to 255.
    name : str
        What a message calls the picture (its file name).

    Returns
    -------
    numpy.ndarray
        uint8 (28, 28): the digit light on black, scaled to fit 20x20, centred
        by its centre of mass.

    Raises
    ------
    ValueError
        If the picture is blank (no stroke stands out from its ground).
    """
    Image = require("PIL.Image", "to convert images")
    a = np.asarray(gray, dtype=np.float64)
    if a.ndim != 2 or a.size == 0:
        raise ValueError(f"{name}: expected a 2-D grayscale picture, got shape {a.shape}.")
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    if np.median(border) > 127:  # a light ground: ink on paper, so invert
        a, border = 255 - a, 255 - border
    a = np.clip(a - np.median(border), 0, None)  # the ground becomes black
    if a.max() < BLANK_CONTRAST:
        raise ValueError(f"{name}: blank (no stroke stands out from its background).")
    a = a * (255 / a.max())
    rows = np.flatnonzero((a > INK_FRACTION * 255).any(axis=1))
    cols = np.flatnonzero((a > INK_FRACTION * 255).any(axis=0))
    crop = a[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    h, w = crop.shape
    scale = BOX / max(h, w)
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    digit = Image.fromarray(crop.astype(np.uint8)).resize(size, Image.Resampling.LANCZOS)
    digit = np.asarray(digit, dtype=np.float64)
    # Centre of mass to the middle of the 28x28 image (whole pixels, as a shift of the box).
    total = digit.sum()
    cy = (digit.sum(axis=1) * np.arange(digit.shape[0])).sum() / total
    cx = (digit.sum(axis=0) * np.arange(digit.shape[1])).sum() / total
    top, left = round((SIDE - 1) / 2 - cy), round((SIDE - 1) / 2 - cx)
    out = np.zeros((SIDE, SIDE))
    # Paste, clipped to the frame (a lopsided digit may reach past an edge).
    y0, x0 = max(0, top), max(0, left)
    y1 = min(SIDE, top + digit.shape[0])
    x1 = min(SIDE, left + digit.shape[1])
    out[y0:y1, x0:x1] = digit[y0 - top : y1 - top, x0 - left : x1 - left]
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def read_digit(path) -> np.ndarray:
    """The image file at ``path`` as a 28x28 MNIST-like uint8 image (:func:`to_mnist`)."""
    return to_mnist(np.asarray(open_image(path)), name=str(path))
