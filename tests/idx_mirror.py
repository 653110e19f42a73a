"""Small generated MNIST look-alikes, served by a loopback HTTP server.

The download tests run offline against this server, so checksums, mirror
fallback and broken transfers are checked everywhere, without the real MNIST.
The files are real IDX files (20 training and 10 test images of 28 x 28, with
labels); :func:`patch_tables` points nnguide's checksum and shape tables at them.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import socket
import threading
import time

import numpy as np

N_TRAIN, N_TEST = 20, 10


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX file of a uint8 array: magic number, dimensions, then the bytes."""
    header = bytes([0, 0, 0x08, array.ndim]) + np.array(array.shape, dtype=">u4").tobytes()
    return header + array.astype(np.uint8).tobytes()


def make_files(seed: int = 0) -> dict[str, bytes]:
    """The four uncompressed IDX files, keyed by MNIST's file names.

    Each image is black with one bright rectangle, like a digit mostly
    background, so gzip compresses it with Huffman codes (random pixels would
    be stored verbatim, and a flipped byte could then only break the CRC).
    """
    rng = np.random.default_rng(seed)
    files = {}
    for prefix, n in (("train", N_TRAIN), ("t10k", N_TEST)):
        images = np.zeros((n, 28, 28), dtype=np.uint8)
        for image in images:
            top, left = rng.integers(2, 14, size=2)
            height, width = rng.integers(6, 14, size=2)
            image[top : top + height, left : left + width] = rng.integers(128, 256)
        files[f"{prefix}-images-idx3-ubyte"] = idx_bytes(images)
        files[f"{prefix}-labels-idx1-ubyte"] = idx_bytes(np.arange(n) % 10)
    return files


def tables(files: dict[str, bytes]) -> tuple[dict[str, str], dict[str, tuple]]:
    """The SHA256 and SHAPES tables nnguide.data needs to accept ``files``."""
    sha = {name: hashlib.sha256(raw).hexdigest() for name, raw in files.items()}
    shapes = {
        name: (N_TRAIN if name.startswith("train") else N_TEST,)
        + ((28, 28) if "images" in name else ())
        for name in files
    }
    return sha, shapes


def patch_tables(monkeypatch, files: dict[str, bytes]) -> None:
    """Make nnguide.data accept ``files`` (and only them) as MNIST.

    Patched where they are looked up: the checksums in ``nnguide.data.locate``,
    the shapes in ``nnguide.data.idx``.
    """
    from nnguide.data import idx, locate

    sha, shapes = tables(files)
    monkeypatch.setattr(locate, "SHA256", sha)
    monkeypatch.setattr(idx, "SHAPES", shapes)


def flip(blob: bytes, position: int) -> bytes:
    """``blob`` with every bit of one byte inverted."""
    damaged = bytearray(blob)
    damaged[position] ^= 0xFF
    return bytes(damaged)


class Mirrors:
    """A loopback HTTP server with one mirror per behaviour, under ``/<kind>/``.

    Kinds: ``good``; ``missing`` (404); ``bad`` (a valid gzip of the wrong
    content); ``flipped`` (one byte of the deflate stream flipped); ``html``
    (a 200 page, as a captive portal serves); ``half`` (declares the whole
    length, sends half, closes); ``hangup`` (closes without answering).
    Every request is recorded in :attr:`requests` as ``(kind, file name)``.
    """

    KINDS = ("good", "missing", "bad", "flipped", "html", "half", "hangup")

    def __init__(self, files: dict[str, bytes], *, delay: float = 0.0):
        self.gz = {f"{name}.gz": gzip.compress(raw, mtime=0) for name, raw in files.items()}
        self.delay = delay
        self.requests: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        mirrors = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                kind, _, filename = self.path.strip("/").partition("/")
                with mirrors._lock:
                    mirrors.requests.append((kind, filename))
                time.sleep(mirrors.delay)
                mirrors.answer(self, kind, filename)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        # A socket that listens but never accepts: connections hang until the client times out.
        self._silent = socket.socket()
        self._silent.bind(("127.0.0.1", 0))
        self._silent.listen(16)

    def answer(self, handler, kind: str, filename: str) -> None:
        blob = self.gz.get(filename)
        if kind not in self.KINDS or kind == "missing" or blob is None:
            handler.send_error(404)
            return
        if kind == "hangup":
            return  # the server closes the connection without a status line
        if kind == "bad":
            blob = gzip.compress(bytes(len(gzip.decompress(blob))), mtime=0)
        elif kind == "flipped":
            blob = flip(blob, len(blob) // 2)
        elif kind == "html":
            blob = b"<html><body>Sign in to the network to continue.</body></html>"
        handler.send_response(200)
        handler.send_header("Content-Type", "application/octet-stream")
        handler.send_header("Content-Length", str(len(blob)))
        handler.end_headers()
        if kind == "half":
            handler.wfile.write(blob[: len(blob) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        handler.wfile.write(blob)

    def url(self, kind: str) -> str:
        """The base URL of the mirror that behaves as ``kind``."""
        return f"{self.base}/{kind}/"

    @property
    def silent(self) -> str:
        """A mirror that accepts connections and never answers (a timeout)."""
        return f"http://127.0.0.1:{self._silent.getsockname()[1]}/"

    @staticmethod
    def dead() -> str:
        """A mirror on a port nothing listens on (connection refused)."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}/"

    def count(self, kind: str) -> int:
        """How many requests the mirror ``kind`` has received."""
        with self._lock:
            return sum(1 for k, _ in self.requests if k == kind)

    def __enter__(self) -> Mirrors:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._silent.close()
