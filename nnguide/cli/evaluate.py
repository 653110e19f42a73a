"""``python -m nnguide evaluate model.safetensors``: a saved network on the MNIST test set."""

from __future__ import annotations

HELP = "score a saved network on the MNIST test set"


def add_arguments(parser) -> None:
    """The command's options."""
    from nnguide.lab.experiment import IMPLS

    parser.add_argument("model", help="a weight file (python -m nnguide train --save)")
    parser.add_argument("--impl", choices=IMPLS, default="scratch", help="which side runs it")
    parser.add_argument(
        "--data-dir", help="folder with the MNIST files (default: $NNGUIDE_DATA or the user cache)"
    )


def evaluate(path, impl: str = "scratch", data_dir=None) -> dict:
    """Load the weight file at ``path`` on side ``impl``; its loss and accuracy on the test set.

    Returns
    -------
    dict
        ``loss``, ``accuracy`` (a fraction), ``images``, ``dataset``, ``trained_by``.
    """
    from nnguide.data import load_dataset, to_features
    from nnguide.deploy.weights import load
    from nnguide.lab.experiment import guide_side

    model, info = load(path, impl)  # checks the file before the data load
    dataset = load_dataset(data_dir=data_dir)
    x, y = dataset.test
    x = to_features(x, info.dtype)
    if impl == "pytorch":
        import torch

        x, y = torch.from_numpy(x), torch.from_numpy(y)
    loss, accuracy = guide_side(impl).evaluate(model, x, y, loss=info.loss)
    return dict(
        loss=float(loss),
        accuracy=float(accuracy),
        images=len(y),
        dataset=dataset.name,
        trained_by=info.trained_by,
    )


def run(args) -> int:
    """Print the test accuracy of ``args.model`` on side ``args.impl``."""
    from nnguide.data import OFFLINE_SUBSET

    result = evaluate(args.model, args.impl, args.data_dir)
    data = "the OFFLINE SUBSET, not MNIST" if result["dataset"] == OFFLINE_SUBSET else "MNIST"
    print(
        f"{args.model} (trained by {result['trained_by']}), run by {args.impl}: "
        f"test accuracy {100 * result['accuracy']:.2f}% on {result['images']:,} images of {data}, "
        f"loss {result['loss']:.4f}"
    )
    return 0
