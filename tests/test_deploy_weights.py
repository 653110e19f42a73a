"""The weight file: exact in both directions, PyTorch's layout, every bad file refused in one line.

A network saved by either side loads into either side bit for bit (float32
and float64), and into a plain ``nn.Sequential`` through safetensors' own
loader. Every kind of bad file (truncated, corrupt, a tensor missing or
extra, a wrong shape or dtype, an unknown version or architecture, a pickle,
an image, text) is refused before a network is built, with one line naming
the file and the problem; a save that fails inside the writer leaves the
earlier file whole.
"""

import json
import pickle
import struct

import numpy as np
import pytest
import torch
from safetensors.numpy import save_file
from safetensors.torch import load_file
from torch import nn

from nnguide import bridge, files, pytorch, scratch
from nnguide.deploy import weights

SIZES = (784, 24, 16, 10)


def network(side, dtype, activation="relu", seed=3):
    model = scratch.MLP(SIZES, activation, seed=seed, dtype=dtype)
    return model if side == "scratch" else bridge.to_pytorch(model)


def arrays(model):
    """The parameters as NumPy arrays in the scratch layout, whichever side."""
    if isinstance(model, pytorch.MLP):
        model = bridge.to_scratch(model)
    return model.parameters()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("saved_by", ["scratch", "pytorch"])
@pytest.mark.parametrize("loaded_by", ["scratch", "pytorch"])
def test_a_network_loads_into_either_side_bit_for_bit(saved_by, loaded_by, dtype, tmp_path):
    model = network(saved_by, dtype)
    path = weights.save(model, tmp_path / "net.safetensors", epochs=2, settings={"seed": 3})
    loaded, info = weights.load(path, loaded_by)
    assert type(loaded) is type(network(loaded_by, dtype))
    assert info.trained_by == saved_by and info.dtype == dtype and info.epochs == 2
    for a, b in zip(arrays(model), arrays(loaded), strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()  # bit for bit, not merely close


def test_the_file_loads_into_a_plain_sequential(tmp_path):
    model = network("scratch", "float32")
    path = weights.save(model, tmp_path / "net.safetensors")
    state = load_file(path)
    assert set(state) == set(weights.tensor_names(SIZES))
    assert state["layers.0.weight"].shape == (SIZES[1], SIZES[0])  # nn.Linear's (out, in)
    plain = nn.Sequential(
        nn.Linear(784, 24), nn.ReLU(), nn.Linear(24, 16), nn.ReLU(), nn.Linear(16, 10)
    )
    # The names carry pytorch.MLP's attribute, "layers."; a bare Sequential drops it.
    plain.load_state_dict({k.removeprefix("layers."): v for k, v in state.items()})
    linears = [layer for layer in plain if isinstance(layer, nn.Linear)]
    for layer, (W, b) in zip(linears, zip(*[iter(model.parameters())] * 2), strict=True):
        assert np.array_equal(layer.weight.detach().numpy(), W.T)
        assert np.array_equal(layer.bias.detach().numpy(), b)
    net = pytorch.MLP(SIZES, "relu")
    net.load_state_dict(state)  # and into the PyTorch side's network directly, strictly
    x = torch.from_numpy(np.random.default_rng(0).random((5, 784), dtype=np.float32))
    with torch.no_grad():
        assert torch.equal(plain(x), net(x))


def test_the_metadata_say_how_it_was_trained(tmp_path):
    model = network("scratch", "float32", activation="sigmoid")
    path = weights.save(model, tmp_path / "n.safetensors", loss="quadratic", settings={"lr": 0.1})
    info = weights.read(path)
    assert (info.sizes, info.activation, info.loss, info.output) == (
        SIZES,
        "sigmoid",
        "quadratic",
        "sigmoid",
    )
    assert info.settings == {"lr": 0.1} and info.status == "finished"
    assert info.metadata["format_version"] == weights.VERSION
    assert info.metadata["input_scale"] == weights.INPUT_SCALE
    with_metadata(note="added by hand")(path)
    assert weights.read(path).metadata["note"] == "added by hand"  # as the file keeps them


# -- Bad files: each refused in one line that names the file and the problem. ---------------


def saved(tmp_path):
    return weights.save(network("scratch", "float32"), tmp_path / "good.safetensors")


def header_and_data(path):
    data = path.read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    return json.loads(data[8 : 8 + n]), data[8 + n :]


def rewrite(path, header, body):
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + body)


def with_metadata(**changes):
    def edit(path):
        header, body = header_and_data(path)
        header["__metadata__"].update(changes)
        rewrite(path, header, body)

    return edit


def header_edit(**entries):
    """Replace header entries (``__metadata__`` or a tensor's) as they are, unchecked."""

    def edit(path):
        header, body = header_and_data(path)
        header.update(entries)
        rewrite(path, header, body)

    return edit


def drop_tensor(path):
    header, body = header_and_data(path)
    del header["layers.2.bias"]
    rewrite(path, header, body)


def extra_tensor(path):
    tensors = dict(weights.read(path).tensors, extra=np.zeros(3, np.float32))
    save_file(tensors, path, metadata=weights.read(path).metadata)


def wrong_shape(path):
    info = weights.read(path)
    tensors = dict(info.tensors, **{"layers.0.weight": np.zeros((24, 783), np.float32)})
    save_file(tensors, path, metadata=info.metadata)


def wrong_dtype(path):
    info = weights.read(path)
    tensors = {k: v.astype(np.float64) for k, v in info.tensors.items()}
    save_file(tensors, path, metadata=info.metadata)


def not_finite(path):
    info = weights.read(path)
    tensors = dict(info.tensors)
    tensors["layers.0.bias"] = np.full(24, np.nan, np.float32)
    save_file(tensors, path, metadata=info.metadata)


def no_metadata(path):
    save_file(weights.read(path).tensors, path)


def pickle_file(path):
    path.write_bytes(pickle.dumps({"layers.0.weight": [1.0]}))


def torch_save(path):
    torch.save(network("pytorch", "float32").state_dict(), path)


def png(path):
    from PIL import Image

    Image.new("L", (28, 28)).save(path, format="PNG")


BAD_FILES = {
    "empty": (lambda p: p.write_bytes(b""), "empty or truncated"),
    "truncated": (lambda p: p.write_bytes(p.read_bytes()[:-100]), "truncated"),
    "truncated header": (lambda p: p.write_bytes(p.read_bytes()[:200]), "truncated"),
    "corrupt header": (
        lambda p: p.write_bytes(p.read_bytes()[:8] + b"{garbage" + p.read_bytes()[16:]),
        "not valid JSON",
    ),
    "text": (lambda p: p.write_text("these are my weights\n" * 10), "not a safetensors file"),
    "png": (png, "not a safetensors file"),
    "pickle": (pickle_file, "a zip archive or pickle"),
    "torch.save": (torch_save, "a zip archive or pickle"),
    "metadata not an object": (header_edit(__metadata__="a string"), "__metadata__ is not"),
    "metadata not strings": (with_metadata(epochs=3), "__metadata__ is not a JSON object of"),
    "one data offset": (
        header_edit(**{"layers.0.bias": {"dtype": "F32", "shape": [24], "data_offsets": [0]}}),
        "layers.0.bias has data_offsets [0]",
    ),
    "offsets as text": (
        header_edit(**{"layers.0.bias": {"dtype": "F32", "shape": [24], "data_offsets": "xy"}}),
        "layers.0.bias has data_offsets 'xy'",
    ),
    "entry not an object": (header_edit(**{"layers.0.bias": [1, 2]}), "is not a JSON object"),
    "shape not sizes": (
        header_edit(**{"layers.0.bias": {"dtype": "F32", "shape": "24", "data_offsets": [0, 96]}}),
        "has shape '24', not a list",
    ),
    "no dtype": (
        header_edit(**{"layers.0.bias": {"shape": [24], "data_offsets": [0, 96]}}),
        "layers.0.bias names no dtype",
    ),
    "no metadata": (no_metadata, "not a network nnguide saved"),
    "unknown version": (with_metadata(format_version="99"), "format version '99'"),
    "unknown architecture": (with_metadata(architecture="cnn"), "unknown architecture 'cnn'"),
    "unknown activation": (with_metadata(activation="tanh"), "unknown activation 'tanh'"),
    "bad sizes": (with_metadata(sizes="[784, -1, 10]"), "positive widths"),
    "sizes against tensors": (with_metadata(sizes="[784, 30, 16, 10]"), "has shape"),
    "missing tensor": (drop_tensor, "tensor layers.2.bias missing"),
    "extra tensor": (extra_tensor, "unexpected tensor extra"),
    "wrong shape": (wrong_shape, "layers.0.weight has shape [24, 783]"),
    "wrong dtype": (wrong_dtype, "is float64, and the metadata say float32"),
    "not finite": (not_finite, "NaN or infinite"),
    "output against loss": (with_metadata(output="sigmoid"), "does not go with loss"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
@pytest.mark.parametrize("impl", ["scratch", "pytorch"])
def test_a_bad_file_is_refused_in_one_line(case, impl, tmp_path):
    spoil, phrase = BAD_FILES[case]
    path = saved(tmp_path)
    spoil(path)
    with pytest.raises(ValueError) as caught:
        weights.load(path, impl)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: "), message
    assert phrase in message, message


def test_a_pickle_is_never_unpickled(tmp_path, monkeypatch):
    path = saved(tmp_path)
    pickle_file(path)

    def refuse(*args, **kwargs):
        raise AssertionError("the loader unpickled a file")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(torch, "load", refuse)
    with pytest.raises(ValueError, match="a zip archive or pickle"):
        weights.read(path)


def test_a_save_that_fails_inside_the_writer_leaves_the_earlier_file(tmp_path, monkeypatch):
    path = saved(tmp_path)
    before = path.read_bytes()

    def disk_full(fd):  # the bytes are written; the flush to disk fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", disk_full)
    other = network("scratch", "float32", seed=9)
    with pytest.raises(OSError, match="No space left"):
        weights.save(other, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no temporary file left


def test_only_a_network_of_the_guide_is_saved(tmp_path):
    with pytest.raises(TypeError, match="nnguide.scratch.MLP or a nnguide.pytorch.MLP"):
        weights.save(nn.Linear(3, 2), tmp_path / "x.safetensors")
