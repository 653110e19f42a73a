"""The weight file's format: what its metadata must say, and the checks of its bytes.

:func:`check` reads a file's header (safetensors: 8 bytes giving the header's
length, a JSON header, then the raw numbers) and checks its structure and
metadata before any tensor is read or network built; every problem is one
line naming the file (:mod:`nnguide.deploy.weights` reads and writes the files).
"""

from __future__ import annotations

import json

#: The ``format`` a file's metadata names, and the versions nnguide reads.
FORMAT, VERSION = "nnguide-mlp", "1"
KNOWN_VERSIONS = (VERSION,)

#: The output function each loss trains, which is what the network's probabilities are.
OUTPUTS = {"cross_entropy": "softmax", "quadratic": "sigmoid"}

#: How a pixel (0 to 255) becomes an input, as :func:`nnguide.data.to_features` does.
INPUT_SCALE = "pixel / 255"

#: The metadata every file must have.
REQUIRED = (
    "format",
    "format_version",
    "architecture",
    "sizes",
    "activation",
    "loss",
    "output",
    "input_scale",
    "dtype",
    "trained_by",
    "status",
)

#: Pickle's first byte (protocol 2 and later).
PICKLE_MAGIC = b"\x80"
#: A zip file's first bytes (``torch.save`` writes a zip archive of pickles).
ZIP_MAGIC = b"PK\x03\x04"

#: safetensors' names of the dtypes nnguide saves.
SAFETENSORS_DTYPES = {"F32": "float32", "F64": "float64"}


def tensor_names(sizes) -> list[str]:
    """The tensors' names, in layer order: ``layers.0.weight``, ``layers.0.bias``, ..."""
    # The activations sit between the linear layers in nn.Sequential: indices 0, 2, 4...
    return [f"layers.{2 * i}.{kind}" for i in range(len(sizes) - 1) for kind in ("weight", "bias")]


def tensor_shapes(sizes) -> dict[str, tuple]:
    """Each tensor's shape, as ``nn.Linear`` keeps it: weight (out, in), bias (out,)."""
    shapes = {}
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        shapes[f"layers.{2 * i}.weight"] = (fan_out, fan_in)
        shapes[f"layers.{2 * i}.bias"] = (fan_out,)
    return shapes


def check(data: bytes, bad) -> tuple[dict, tuple]:
    """The file's metadata and sizes, once its header and metadata pass every check.

    Parameters
    ----------
    data : bytes
        The whole file.
    bad : callable
        ``problem -> ValueError`` naming the file; what each check raises.
    """
    from nnguide.scratch.checks import DTYPES
    from nnguide.scratch.layers import ACTIVATIONS

    if data.startswith(PICKLE_MAGIC) or data.startswith(ZIP_MAGIC):
        raise bad(
            "a zip archive or pickle (torch.save or pickle.dump), which can run code when "
            "loaded; nnguide reads safetensors files only (python -m nnguide train --save)."
        )
    header = _header(data, bad)
    meta = header.pop("__metadata__", None) or {}
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        raise bad("corrupt: its __metadata__ is not a JSON object of strings.")
    if meta.get("format") != FORMAT:
        raise bad(
            f"a safetensors file, but not a network nnguide saved (its metadata name no "
            f"format {FORMAT!r}); save one with python -m nnguide train --save."
        )
    missing = [key for key in REQUIRED if key not in meta]
    if missing:
        raise bad(f"its metadata lack {', '.join(missing)}; the file is damaged or not nnguide's.")
    if meta["format_version"] not in KNOWN_VERSIONS:
        raise bad(
            f"format version {meta['format_version']!r}, which this nnguide does not know "
            f"(it reads {', '.join(KNOWN_VERSIONS)}); upgrade nnguide."
        )
    if meta["architecture"] != "mlp":
        raise bad(f"unknown architecture {meta['architecture']!r}; nnguide reads 'mlp'.")
    sizes = _sizes(meta["sizes"], bad)
    for key, known in (("activation", ACTIVATIONS), ("loss", OUTPUTS), ("dtype", DTYPES)):
        if meta[key] not in known:
            raise bad(f"unknown {key} {meta[key]!r}; nnguide knows {', '.join(known)}.")
    if meta["output"] != OUTPUTS[meta["loss"]]:
        raise bad(f"output {meta['output']!r} does not go with loss {meta['loss']!r}.")
    if meta["input_scale"] != INPUT_SCALE:
        raise bad(f"unknown input scaling {meta['input_scale']!r}; nnguide knows {INPUT_SCALE!r}.")
    _check_tensors(header, sizes, meta["dtype"], bad)
    return meta, sizes


def json_value(text, what: str, bad):
    """``text`` parsed as JSON, or ``bad``'s error saying that ``what`` is not valid JSON."""
    try:
        return json.loads(text)
    except (ValueError, UnicodeDecodeError):
        raise bad(f"corrupt: its {what} is not valid JSON.") from None


def _header(data: bytes, bad) -> dict:
    """The safetensors header, each entry's structure checked against the file's size."""
    what = "not a safetensors file"
    if len(data) < 8:
        raise bad(f"{what} (only {len(data)} bytes); it is empty or truncated.")
    if data[8:9] != b"{":  # safetensors: 8 bytes of length, then a JSON object
        raise bad(f"{what} (no JSON header after its first 8 bytes).")
    n = int.from_bytes(data[:8], "little")
    if n > len(data) - 8:
        raise bad(
            f"truncated, or {what}: its first 8 bytes announce a {n}-byte header, "
            f"and {len(data) - 8} bytes follow."
        )
    header = json_value(data[8 : 8 + n], "header", bad)
    if not isinstance(header, dict):
        raise bad(f"{what} (its header is not a JSON object).")
    for name, entry in header.items():
        if name != "__metadata__":
            _check_entry(name, entry, bad)
    ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
    if ends and max(ends) > len(data) - 8 - n:
        raise bad(
            f"truncated: its tensors need {max(ends)} bytes after the header, "
            f"and the file has {len(data) - 8 - n}."
        )
    return header


def _is_count(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _check_entry(name: str, entry, bad) -> None:
    """One tensor's entry: a dtype name, a shape of counts, two ordered data offsets."""
    corrupt = f"corrupt: the header's entry for {name}"
    if not isinstance(entry, dict):
        raise bad(f"{corrupt} is not a JSON object.")
    if not isinstance(entry.get("dtype"), str):
        raise bad(f"{corrupt} names no dtype.")
    shape = entry.get("shape")
    if not isinstance(shape, list) or not all(_is_count(d) for d in shape):
        raise bad(f"{corrupt} has shape {shape!r}, not a list of sizes.")
    offsets = entry.get("data_offsets")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(_is_count(o) for o in offsets)
        or offsets[0] > offsets[1]
    ):
        raise bad(f"{corrupt} has data_offsets {offsets!r}, not [start, end] in bytes.")


def _sizes(text: str, bad) -> tuple[int, ...]:
    sizes = json_value(text, "sizes", bad)
    if (
        not isinstance(sizes, list)
        or len(sizes) < 2
        or not all(isinstance(s, int) and not isinstance(s, bool) and s > 0 for s in sizes)
    ):
        raise bad(f"sizes {text!r} are not a list of two or more positive widths.")
    return tuple(sizes)


def _check_tensors(header: dict, sizes, dtype: str, bad) -> None:
    """Every tensor present, none extra, each of the shape and dtype the metadata imply."""
    shapes = tensor_shapes(sizes)
    missing = [name for name in shapes if name not in header]
    extra = [name for name in header if name not in shapes]
    if missing:
        raise bad(f"tensor {', '.join(missing)} missing for sizes {list(sizes)}.")
    if extra:
        raise bad(f"unexpected tensor {', '.join(extra)} for sizes {list(sizes)}.")
    for name, shape in shapes.items():
        got = header[name]["shape"]
        if tuple(got) != shape:
            raise bad(f"{name} has shape {got}, and sizes {list(sizes)} need {list(shape)}.")
        got = SAFETENSORS_DTYPES.get(header[name]["dtype"], header[name]["dtype"])
        if got != dtype:
            raise bad(f"{name} is {got}, and the metadata say {dtype}.")
