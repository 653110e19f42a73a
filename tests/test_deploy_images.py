"""A user's picture of a digit becomes an MNIST-like 28x28 image, as MNIST's description says.

Grayscale, light on black (inverted when drawn dark on light), the digit's
bounding box scaled to fit 20x20 keeping its aspect ratio, centred by its
centre of mass; a blank picture or a file that is not an image is refused
with one line naming it.
"""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from nnguide.deploy import images


def drawn(size=(120, 200), ink="black", ground="white", mode="L", box=(40, 30, 80, 170)):
    picture = Image.new(mode, size, ground)
    ImageDraw.Draw(picture).ellipse(box, outline=ink, width=8)
    return picture


def centre_of_mass(image):
    a = image.astype(np.float64)
    rows, cols = np.indices(a.shape)
    return (rows * a).sum() / a.sum(), (cols * a).sum() / a.sum()


def bounding_box(image, level=1):
    rows = np.flatnonzero((image >= level).any(axis=1))
    cols = np.flatnonzero((image >= level).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def test_a_picture_becomes_28_by_28_light_on_black_centred_by_mass():
    out = images.to_mnist(np.asarray(drawn()))
    assert out.shape == (images.SIDE, images.SIDE) and out.dtype == np.uint8
    assert out[0].max() == 0 and out[:, 0].max() == 0  # black ground
    cy, cx = centre_of_mass(out)
    assert abs(cy - 13.5) <= 1 and abs(cx - 13.5) <= 1


def test_the_digit_is_scaled_to_fit_20_by_20_keeping_its_aspect_ratio():
    tall = images.to_mnist(np.asarray(drawn(size=(400, 600), box=(100, 50, 200, 550))))
    height, width = bounding_box(tall, level=int(images.INK_FRACTION * 255))
    assert height == images.BOX
    assert width < images.BOX / 2  # the ellipse is 5 times taller than wide, still


def test_dark_on_light_and_light_on_dark_give_the_same_image():
    ink_on_paper = images.to_mnist(np.asarray(drawn(ink="black", ground="white")))
    chalk_on_board = images.to_mnist(np.asarray(drawn(ink="white", ground="black")))
    assert np.array_equal(ink_on_paper, chalk_on_board)


def test_colour_and_transparency(tmp_path):
    colour = drawn(mode="RGB", ink=(20, 20, 120), ground=(250, 245, 230))
    colour.save(tmp_path / "colour.jpg")
    clear = drawn(mode="RGBA", ink=(0, 0, 0, 255), ground=(0, 0, 0, 0))
    clear.save(tmp_path / "clear.png")
    reference = images.to_mnist(np.asarray(drawn()))
    for name in ("colour.jpg", "clear.png"):
        out = images.read_digit(tmp_path / name)
        # JPEG blurs a little; the shape is the same digit.
        assert np.corrcoef(out.ravel(), reference.ravel())[0, 1] > 0.9, name


def test_a_photo_is_turned_as_its_orientation_tag_says(tmp_path):
    upright = drawn(mode="RGB", size=(200, 120), box=(20, 40, 160, 80))  # a wide 0
    stored = upright.rotate(90, expand=True)  # as a phone's sensor kept it, tall
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: turn 90 degrees clockwise to view
    stored.save(tmp_path / "photo.jpg", exif=exif)
    stored.save(tmp_path / "untagged.jpg")
    reference = images.to_mnist(np.asarray(upright.convert("L")))
    turned = images.read_digit(tmp_path / "photo.jpg")
    untagged = images.read_digit(tmp_path / "untagged.jpg")
    assert np.corrcoef(turned.ravel(), reference.ravel())[0, 1] > 0.9
    assert np.corrcoef(untagged.ravel(), reference.ravel())[0, 1] < 0.9  # the tag made it


@pytest.mark.parametrize("ground", ["white", "black", (128,)])
def test_a_blank_picture_is_refused(ground, tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (64, 48), ground).save(path)
    with pytest.raises(ValueError, match=rf"^{path}: blank") as caught:
        images.read_digit(path)
    assert "\n" not in str(caught.value)


def test_a_file_that_is_not_an_image_is_refused(tmp_path):
    path = tmp_path / "digit.png"
    path.write_text("a seven, in words")
    with pytest.raises(ValueError, match=rf"^{path}: not an image"):
        images.read_digit(path)


def test_a_truncated_image_is_refused(tmp_path):
    path = tmp_path / "digit.png"
    drawn().save(path)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(ValueError, match=rf"^{path}: a damaged image"):
        images.read_digit(path)


def test_a_missing_file_is_an_os_error_naming_it(tmp_path):
    with pytest.raises(FileNotFoundError):
        images.read_digit(tmp_path / "nowhere.png")
