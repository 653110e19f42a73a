"""One weight file for both sides: safetensors, in the layout PyTorch users expect.

A file holds one tensor per parameter, named as in :class:`nnguide.pytorch.MLP`'s
``state_dict`` (``layers.0.weight``, ``layers.0.bias``, ``layers.2.weight``...),
each weight shaped ``(out, in)`` as ``nn.Linear`` keeps it; the NumPy side's ``W``
is ``(in, out)``, so it is transposed on the way in and out. Nothing is
computed on a value, so a network saved by one side loads into either bit for bit.

Its metadata (strings, as safetensors keeps them) say what the tensors alone
cannot: the format and its version, the sizes, the hidden activation, the
loss the network was trained with and the output function it implies
(softmax for cross-entropy, the sigmoid for the book's quadratic cost: what
"probability" means), the input scaling, the dtype, which side trained it,
its settings and its epochs.

safetensors reads only a JSON header and raw numbers: loading a file cannot
run code, unlike a pickle (``torch.save``), which this module refuses to read.
:func:`read` checks everything before any network is built.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from nnguide.deploy import require
from nnguide.deploy.weightfile import (  # noqa: F401  (the format, read here too)
    FORMAT,
    INPUT_SCALE,
    KNOWN_VERSIONS,
    OUTPUTS,
    REQUIRED,
    VERSION,
    check,
    json_value,
    tensor_names,
    tensor_shapes,
)
from nnguide.files import atomic_write


@dataclass(frozen=True)
class WeightFile:
    """A checked weight file: its tensors (PyTorch layout) and what its metadata say.

    Attributes
    ----------
    path : pathlib.Path
    tensors : dict of str to numpy.ndarray
        ``layers.0.weight`` (out, in), ``layers.0.bias``, ... in layer order.
    sizes : tuple of int
    activation, loss, output, dtype, trained_by, status : str
    settings : dict
        The training settings (:class:`nnguide.lab.experiment.TrainConfig`), or {}.
    epochs : int or None
        The epochs it trained.
    metadata : dict of str to str
        The metadata as the file keeps them (read); for a network being saved,
        what :func:`metadata_for` writes.
    """

    path: Path
    tensors: dict
    sizes: tuple
    activation: str
    loss: str
    output: str
    dtype: str
    trained_by: str
    status: str
    settings: dict = field(default_factory=dict)
    epochs: int | None = None
    metadata: dict = field(default_factory=dict)


def metadata_for(info) -> dict[str, str]:
    """The metadata strings of a :class:`WeightFile` (or anything with its attributes)."""
    return {
        "format": FORMAT,
        "format_version": VERSION,
        "architecture": "mlp",
        "sizes": json.dumps(list(info.sizes)),
        "activation": info.activation,
        "loss": info.loss,
        "output": OUTPUTS[info.loss],
        "input_scale": INPUT_SCALE,
        "dtype": info.dtype,
        "trained_by": info.trained_by,
        "status": info.status,
        "settings": json.dumps(info.settings, sort_keys=True),
        "epochs": "" if info.epochs is None else str(info.epochs),
    }


def side_of(model) -> str:
    """``"scratch"`` or ``"pytorch"``: which side's network ``model`` is (torch not imported)."""
    module = type(model).__module__
    if module.startswith("nnguide.scratch") and type(model).__name__ == "MLP":
        return "scratch"
    if module.startswith("nnguide.pytorch") and type(model).__name__ == "MLP":
        return "pytorch"
    raise TypeError(
        f"save takes a nnguide.scratch.MLP or a nnguide.pytorch.MLP, got {module}."
        f"{type(model).__qualname__}."
    )


def arrays_of(model) -> dict[str, np.ndarray]:
    """``model``'s parameters as NumPy arrays in PyTorch's layout, named as in the file."""
    if side_of(model) == "pytorch":
        return {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    names = tensor_names(model.sizes)
    # ascontiguousarray: safetensors writes an array's memory, so W.T must be laid out anew.
    return {
        name: np.ascontiguousarray(p.T if p.ndim == 2 else p)
        for name, p in zip(names, model.parameters())
    }


def save(
    model,
    path,
    *,
    loss: str = "cross_entropy",
    settings: dict | None = None,
    epochs: int | None = None,
    status: str = "finished",
) -> Path:
    """Write ``model`` (either side's ``MLP``) to ``path`` as a safetensors file, atomically.

    Parameters
    ----------
    model : nnguide.scratch.MLP or nnguide.pytorch.MLP
    path : str or os.PathLike
    loss : {"cross_entropy", "quadratic"}
        The loss it was trained with; it fixes the output function.
    settings : dict, optional
        Its training settings (``TrainConfig.to_dict()``).
    epochs : int, optional
        The epochs it trained.
    status : str
        ``"finished"``, or what else ended its training.

    Returns
    -------
    pathlib.Path
        ``path``. The bytes are assembled in memory first and then written by
        :func:`nnguide.files.atomic_write`: a save that fails leaves any earlier file whole.
    """
    st = require("safetensors.numpy", "to write weight files")
    if loss not in OUTPUTS:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(OUTPUTS)}.")
    arrays = arrays_of(model)
    dtype = next(iter(arrays.values())).dtype.name
    info = WeightFile(
        path=Path(path),
        tensors=arrays,
        sizes=tuple(model.sizes),
        activation=model.activation,
        loss=loss,
        output=OUTPUTS[loss],
        dtype=dtype,
        trained_by=side_of(model),
        status=status,
        settings=dict(settings or {}),
        epochs=epochs,
    )
    return atomic_write(path, st.save(arrays, metadata=metadata_for(info)))


def read(path) -> WeightFile:
    """Read and check the weight file at ``path``; build nothing.

    Raises
    ------
    OSError
        If the file cannot be read.
    ValueError
        On one line naming the file and the problem: not a safetensors file
        (a pickle, an image, text...), truncated or corrupt, metadata missing
        or of an unknown format, version or architecture, a tensor missing or
        extra, a wrong shape or dtype, a value that is not finite.
    """
    path = Path(path)
    data = path.read_bytes()

    def bad(problem: str) -> ValueError:
        return ValueError(f"{path}: {problem}")

    meta, sizes = check(data, bad)
    try:
        tensors = require("safetensors.numpy", "to read weight files").load(data)
    except Exception as err:  # safetensors' own error type; the message says what
        raise bad(f"corrupt safetensors data ({' '.join(str(err).split())}).") from None
    for name in tensor_names(sizes):
        if not np.isfinite(tensors[name]).all():
            raise bad(f"{name} holds NaN or infinite values; the run that saved it diverged.")
    return WeightFile(
        path=path,
        tensors={name: tensors[name] for name in tensor_names(sizes)},
        sizes=sizes,
        activation=meta["activation"],
        loss=meta["loss"],
        output=meta["output"],
        dtype=meta["dtype"],
        trained_by=meta["trained_by"],
        status=meta["status"],
        settings=json_value(meta.get("settings") or "{}", "settings", bad),
        epochs=int(meta["epochs"]) if meta.get("epochs", "").isdigit() else None,
        metadata=dict(meta),
    )


def load(path, impl: str = "scratch", *, device=None):
    """The network in the weight file at ``path``, on side ``impl``, and the checked file.

    Parameters
    ----------
    path : str or os.PathLike
    impl : {"scratch", "pytorch"}
    device : str, optional
        With ``impl="pytorch"``: where its parameters go.

    Returns
    -------
    model : nnguide.scratch.MLP or nnguide.pytorch.MLP
        With exactly the file's weights.
    info : WeightFile
    """
    from nnguide import scratch

    info = read(path)
    model = scratch.MLP(info.sizes, info.activation, dtype=info.dtype)
    for p, name in zip(model.parameters(), tensor_names(info.sizes)):
        value = info.tensors[name]
        p[...] = value.T if value.ndim == 2 else value
    if impl == "scratch":
        return model, info
    if impl != "pytorch":
        raise ValueError(f"unknown impl {impl!r}; choose 'scratch' or 'pytorch'.")
    from nnguide import bridge  # the one place that copies into the PyTorch network

    return bridge.to_pytorch(model, device=device), info


def sha256(path: str | os.PathLike) -> str:
    """The file's SHA-256, in hexadecimal (what a record names the file by)."""
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


#: What a probability is, in words, for each output function.
PROBABILITY_NOTES = {
    "softmax": "softmax of the logits (the ten sum to 1)",
    "sigmoid": "sigmoid of the logit (each digit scored alone; they need not sum to 1)",
}


def probability_note(info: WeightFile) -> str:
    """What a probability from this network is, in words, from its output function."""
    return PROBABILITY_NOTES[info.output]
