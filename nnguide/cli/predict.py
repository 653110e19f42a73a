"""``python -m nnguide predict model.safetensors digit.png ...``: classify a user's images."""

from __future__ import annotations

import sys
from pathlib import Path

HELP = "classify images of digits (PNG, JPEG) with a saved network or an ONNX file"


def add_arguments(parser) -> None:
    """The command's options."""
    parser.add_argument(
        "model", help="a weight file (train --save) or an ONNX file (export), run by onnxruntime"
    )
    parser.add_argument("images", nargs="+", help="images of one digit each, any size")
    parser.add_argument(
        "--impl",
        choices=("scratch", "pytorch"),
        default=None,
        help="which side runs a weight file (default: scratch); not for an ONNX file, "
        "which onnxruntime runs",
    )


def classifier(path, impl: str | None = None):
    """``x -> probabilities`` for the weight or ONNX file at ``path``, and what they mean.

    ``impl`` picks the side that runs a weight file (default ``"scratch"``); it
    does not apply to an ONNX file (``.onnx``, any case), which onnxruntime runs.
    """
    from nnguide.deploy import routes
    from nnguide.deploy.weights import PROBABILITY_NOTES, load, probability_note

    if Path(path).suffix.lower() == ".onnx":
        if impl is not None:
            raise ValueError(
                f"--impl {impl} does not apply to the ONNX file {path}: onnxruntime runs it; "
                "drop --impl, or give the weight file."
            )
        from nnguide.deploy.onnx_export import PROBABILITIES

        output = routes.output_of(path)
        meaning = PROBABILITY_NOTES.get(output, "the ONNX file's probabilities output")
        return routes.runner(path, PROBABILITIES), meaning
    impl = impl or "scratch"
    model, info = load(path, impl)
    route = routes.numpy_route(model) if impl == "scratch" else routes.pytorch_route(model)
    dtype = info.dtype

    def probabilities(x):
        return routes.probabilities(route(x.astype(dtype)), info.output)

    return probabilities, probability_note(info)


def run(args) -> int:
    """Print each image's digit and probability; a one-line error for each bad image.

    The exit status is 1 when any image could not be classified.
    """
    from nnguide.data import to_features
    from nnguide.deploy.images import read_digit

    probabilities, meaning = classifier(args.model, args.impl)
    failed = 0
    for name in args.images:
        try:
            digit = read_digit(name)
        except (ValueError, OSError) as err:
            from nnguide.cli.common import describe

            print(f"error: {describe(err)}", file=sys.stderr)
            failed += 1
            continue
        p = probabilities(to_features(digit[None]))[0]
        print(f"{name}: {int(p.argmax())} (probability {p.max():.3f})")
    print(f"probability: {meaning}")
    return 1 if failed else 0
