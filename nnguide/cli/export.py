"""``python -m nnguide export model.safetensors model.onnx``: a saved network as an ONNX file."""

from __future__ import annotations

from nnguide.cli.common import check_writable

HELP = "write a saved network as an ONNX file, for onnxruntime and other runtimes"


def add_arguments(parser) -> None:
    """The command's options."""
    parser.add_argument("model", help="a weight file (python -m nnguide train --save)")
    parser.add_argument("onnx", help="the ONNX file to write")
    parser.add_argument(
        "--impl",
        choices=("scratch", "pytorch"),
        default="scratch",
        help="scratch: a graph written with onnx.helper from the NumPy arrays (default); "
        "pytorch: torch.onnx.export's",
    )


def run(args) -> int:
    """Export ``args.model`` to ``args.onnx``."""
    from nnguide.deploy.onnx_export import export, operators
    from nnguide.deploy.weights import read

    info = read(args.model)  # the weight file is checked before the target is touched
    check_writable(args.onnx, "the ONNX file")
    export(info, args.onnx, args.impl)
    print(f"wrote {args.onnx} ({args.impl}): {' -> '.join(operators(args.onnx))}")
    return 0
