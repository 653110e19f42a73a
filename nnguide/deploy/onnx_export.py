"""A saved network as an ONNX file, from either side.

The NumPy side's file is written with ``onnx.helper`` from its own arrays,
no framework involved: one ``Gemm`` per layer (``x @ W + b``, with ``W`` in the
NumPy side's (in, out) layout), the hidden activation between them, and the
output function at the end. The PyTorch side's file comes from
``torch.onnx.export`` (the ``torch.export``-based exporter, which needs
``onnxscript``). The two are different graphs; :mod:`nnguide.deploy.routes`
compares them by what they compute.

Both take a batch of any size, ``pixels`` (N, 784) scaled as the file's
metadata say, and give two outputs: ``logits`` (N, 10) and
``probabilities``, the output function the network was trained with, which
the file's metadata name (:data:`nnguide.deploy.routes.OUTPUT_KEY`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from nnguide.deploy import require
from nnguide.deploy.routes import OUTPUT_KEY
from nnguide.deploy.weights import WeightFile, read, tensor_names
from nnguide.files import atomic_write

#: The ONNX operator set both files use.
OPSET = 18
#: The names of the graph's input and outputs.
INPUT, LOGITS, PROBABILITIES = "pixels", "logits", "probabilities"
#: The ONNX operator of each hidden activation and output function.
OPERATORS = {"sigmoid": "Sigmoid", "relu": "Relu", "softmax": "Softmax"}


def scratch_graph(info: WeightFile):
    """The NumPy network of ``info`` as an ``onnx.ModelProto``, built by hand.

    Parameters
    ----------
    info : nnguide.deploy.weights.WeightFile

    Returns
    -------
    object
        An ``onnx.ModelProto``, checked by ``onnx.checker.check_model``.
    """
    onnx = require("onnx", "to export to ONNX")
    from onnx import helper, numpy_helper

    elem = helper.np_dtype_to_tensor_dtype(np.dtype(info.dtype))
    names = tensor_names(info.sizes)
    nodes, initializers = [], []
    current = INPUT
    n_layers = len(info.sizes) - 1
    for i in range(n_layers):
        weight, bias = info.tensors[names[2 * i]], info.tensors[names[2 * i + 1]]
        W, b = f"W{i + 1}", f"b{i + 1}"
        # The file keeps nn.Linear's (out, in); the NumPy side's W is its transpose.
        initializers += [
            numpy_helper.from_array(np.ascontiguousarray(weight.T), W),
            numpy_helper.from_array(bias, b),
        ]
        z = LOGITS if i == n_layers - 1 else f"z{i + 1}"
        nodes.append(helper.make_node("Gemm", [current, W, b], [z], name=f"linear{i + 1}"))
        if i < n_layers - 1:
            current = f"a{i + 1}"
            op = OPERATORS[info.activation]
            nodes.append(helper.make_node(op, [z], [current], name=f"{info.activation}{i + 1}"))
    output = helper.make_node(
        OPERATORS[info.output],
        [LOGITS],
        [PROBABILITIES],
        name=info.output,
        **({"axis": 1} if info.output == "softmax" else {}),
    )
    graph = helper.make_graph(
        [*nodes, output],
        "nnguide_scratch_mlp",
        [helper.make_tensor_value_info(INPUT, elem, ["batch", info.sizes[0]])],
        [
            helper.make_tensor_value_info(LOGITS, elem, ["batch", info.sizes[-1]]),
            helper.make_tensor_value_info(PROBABILITIES, elem, ["batch", info.sizes[-1]]),
        ],
        initializers,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="nnguide.scratch"
    )
    model.doc_string = f"exported from {info.path.name} by nnguide.deploy.onnx_export"
    _name_output(model, info.output)
    onnx.checker.check_model(model, full_check=True)
    return model


def pytorch_graph(info: WeightFile):
    """The PyTorch network of ``info`` as an ``onnx.ModelProto``, from ``torch.onnx.export``.

    Returns
    -------
    object
        An ``onnx.ModelProto``, checked by ``onnx.checker.check_model``.
    """
    onnx = require("onnx", "to export to ONNX")
    require("onnxscript", "by torch.onnx.export")
    import torch

    from nnguide.deploy.weights import load

    model, _ = load(info.path, "pytorch")
    model.eval()
    output = torch.softmax if info.output == "softmax" else torch.sigmoid

    class WithOutput(torch.nn.Module):  # logits and the output function, as the NumPy graph
        def __init__(self, net):
            super().__init__()
            self.net = net

        def forward(self, pixels):
            logits = self.net.layers(pixels)  # the layers alone: the checks are Python, not graph
            return logits, output(logits, 1) if info.output == "softmax" else output(logits)

    example = torch.zeros(2, info.sizes[0], dtype=getattr(torch, info.dtype))
    batch = torch.export.Dim("batch")
    program = torch.onnx.export(
        WithOutput(model).eval(),
        (example,),
        input_names=[INPUT],
        output_names=[LOGITS, PROBABILITIES],
        dynamic_shapes={"pixels": {0: batch}},
        opset_version=OPSET,
        dynamo=True,
        verbose=False,
    )
    proto = program.model_proto
    _name_output(proto, info.output)
    onnx.checker.check_model(proto, full_check=True)
    return proto


def _name_output(model, output: str) -> None:
    """Record the output function in the file's metadata, keeping what the exporter put there."""
    entry = model.metadata_props.add()
    entry.key, entry.value = OUTPUT_KEY, output


def export(source, target, impl: str = "scratch") -> Path:
    """Write the network in the weight file ``source`` to the ONNX file ``target``, atomically.

    Parameters
    ----------
    source : str or os.PathLike or nnguide.deploy.weights.WeightFile
    target : str or os.PathLike
    impl : {"scratch", "pytorch"}
        ``"scratch"``: the graph written with ``onnx.helper``; ``"pytorch"``:
        ``torch.onnx.export``'s.

    Returns
    -------
    pathlib.Path
        ``target``.
    """
    info = source if isinstance(source, WeightFile) else read(source)
    if impl not in ("scratch", "pytorch"):
        raise ValueError(f"unknown impl {impl!r}; choose 'scratch' or 'pytorch'.")
    proto = scratch_graph(info) if impl == "scratch" else pytorch_graph(info)
    return atomic_write(target, proto.SerializeToString())


def operators(path) -> list[str]:
    """The operators of the ONNX file at ``path``, in graph order (what the page lists)."""
    onnx = require("onnx", "to read ONNX files")
    return [node.op_type for node in onnx.load(str(path)).graph.node]
