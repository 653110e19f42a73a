"""The ways to run a saved network: NumPy, PyTorch, and onnxruntime on either ONNX file.

Each route is a function from a batch of inputs, (N, 784) scaled as the
weight file says, to the logits (N, 10) as a NumPy array; they are built from
one weight file, so their differences are the libraries' arithmetic.
:func:`agreement` compares them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nnguide.deploy import require

#: The key of the ONNX files' metadata that names their output function.
OUTPUT_KEY = "nnguide_output"

#: The routes, by key, and what a reader sees.
ROUTES = {
    "numpy": "NumPy (the guide's network)",
    "pytorch": "PyTorch eager",
    "pytorch_inference": "PyTorch under torch.inference_mode()",
    "onnx_scratch": "onnxruntime, the NumPy side's ONNX file",
    "onnx_pytorch": "onnxruntime, PyTorch's ONNX file",
}

#: How far two float32 routes' logits may differ, in units in the last place
#: of the largest logit. Each route sums the same 784 + 128 products in its own
#: order (BLAS blocking, threads), and a float32 sum of n terms moves by up to
#: about n ulps of its magnitude in the worst case; in practice far less.
ULPS = 64

#: onnxruntime's names of the input types an exported file may take.
ONNX_DTYPES = {"tensor(float)": np.float32, "tensor(double)": np.float64}


def session(path, threads: int | None = None):
    """An onnxruntime session on the ONNX file at ``path``, on the CPU.

    ``threads``: its intra-op threads (None: onnxruntime's default, every core).
    """
    ort = require("onnxruntime", "to run ONNX files")
    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
    options.log_severity_level = 3  # errors only: no warnings on the user's terminal
    if Path(path).is_dir():
        raise IsADirectoryError(21, "a folder, not an ONNX file", str(path))
    if not Path(path).is_file():
        raise FileNotFoundError(2, "No such file", str(path))
    try:
        loaded = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as err:  # onnxruntime's own error types; the message says what
        reason = " ".join(str(err).split()).rpartition(":")[2].strip().rstrip(".")
        raise ValueError(f"{path}: not an ONNX file onnxruntime can load ({reason}).") from None
    inputs = [i.name for i in loaded.get_inputs()]
    outputs = [o.name for o in loaded.get_outputs()]
    if (
        inputs != ["pixels"]
        or not {"logits", "probabilities"} <= set(outputs)
        or loaded.get_inputs()[0].type not in ONNX_DTYPES
    ):
        raise ValueError(
            f"{path}: an ONNX file, but not one nnguide exported (inputs {inputs}, outputs "
            f"{outputs}); export one with python -m nnguide export."
        )
    return loaded


def runner(path, output: str = "logits", threads: int | None = None):
    """``x -> output`` of the ONNX file at ``path`` in onnxruntime.

    The input is cast to the file's input type (an export of a float64
    network takes float64); an error of onnxruntime at run time becomes a
    ``RuntimeError`` on one line naming the file.
    """
    loaded = session(path, threads)
    dtype = ONNX_DTYPES[loaded.get_inputs()[0].type]
    run = loaded.run

    def compute(x: np.ndarray) -> np.ndarray:
        try:
            return run([output], {"pixels": np.asarray(x).astype(dtype, copy=False)})[0]
        except Exception as err:  # onnxruntime's own error types; the message says what
            reason = " ".join(str(err).split())
            raise RuntimeError(f"{path}: onnxruntime could not run it ({reason}).") from None

    return compute


def output_of(path) -> str | None:
    """The output function an ONNX file nnguide exported records (``softmax``, ``sigmoid``)."""
    return session(path).get_modelmeta().custom_metadata_map.get(OUTPUT_KEY)


def onnx_route(path, threads: int | None = None):
    """A route running the ONNX file at ``path`` in onnxruntime; ``x -> logits``."""
    return runner(path, "logits", threads)


def numpy_route(model):
    """A route running the NumPy network ``model``; ``x -> logits``."""
    return model.forward


def pytorch_route(model, *, inference_mode: bool = False):
    """A route running the PyTorch network ``model`` eagerly; ``x -> logits``.

    With ``inference_mode``, under ``torch.inference_mode()`` (no autograd
    bookkeeping at all); without, plain eager mode with autograd on, as a
    training script's forward runs.
    """
    import torch

    def logits(x: np.ndarray) -> np.ndarray:
        if inference_mode:
            with torch.inference_mode():
                return model(torch.from_numpy(x)).numpy()
        return model(torch.from_numpy(x)).detach().numpy()

    return logits


def probabilities(logits: np.ndarray, output: str) -> np.ndarray:
    """The output function on the logits: ``softmax`` (rows sum to 1) or ``sigmoid``."""
    z = np.asarray(logits, dtype=np.float64)
    if output == "softmax":
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)
    return 1 / (1 + np.exp(-z))


@dataclass(frozen=True)
class Agreement:
    """How far one route's logits are from a reference's, on the same inputs.

    Attributes
    ----------
    max_difference : float
        The largest absolute difference of any logit.
    bound : float
        The bound it is held to (:data:`ULPS` units in the last place of the largest logit).
    disagreements : int
        Images whose predicted digit differs.
    close_calls : int
        Of those, images whose top two logits (in the reference) are within ``bound``:
        the only disagreements the bound allows.
    """

    max_difference: float
    bound: float
    disagreements: int
    close_calls: int

    @property
    def holds(self) -> bool:
        """Logits within the bound, and every differing prediction a close call."""
        return self.max_difference <= self.bound and self.disagreements == self.close_calls


def bound_for(logits: np.ndarray) -> float:
    """The float32 bound on the logits' differences: :data:`ULPS` ulps of the largest."""
    return float(ULPS * np.spacing(np.float32(np.abs(logits).max())))


def agreement(reference: np.ndarray, other: np.ndarray) -> Agreement:
    """How ``other``'s logits agree with ``reference``'s (same images, same order)."""
    bound = bound_for(reference)
    differ = reference.argmax(axis=1) != other.argmax(axis=1)
    top2 = np.sort(reference, axis=1)[:, -2:]
    close = (top2[:, 1] - top2[:, 0]) <= bound
    return Agreement(
        max_difference=float(np.abs(reference.astype(np.float64) - other).max()),
        bound=bound,
        disagreements=int(differ.sum()),
        close_calls=int((differ & close).sum()),
    )
