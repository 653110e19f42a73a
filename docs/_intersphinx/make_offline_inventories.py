"""Write the offline fallback inventories numpy.inv, torch.inv, torchvision.inv
and matplotlib.inv (see README.md beside this file).

Run ``python docs/_intersphinx/make_offline_inventories.py`` (needs sphobjinv)
after adding a cross-reference to an object not listed below.
"""

from pathlib import Path

import sphobjinv as soi

HERE = Path(__file__).parent


def generated(name, role="class"):
    """An object with a page of its own under generated/, as NumPy and PyTorch lay them out."""
    return name, role, f"generated/{name}.html#$"


INVENTORIES = {
    "numpy": (
        "NumPy",
        "2.4",
        [
            ("numpy.ndarray", "class", "reference/generated/numpy.ndarray.html#$"),
            ("numpy.dtype", "class", "reference/generated/numpy.dtype.html#$"),
            ("numpy.frombuffer", "function", "reference/generated/numpy.frombuffer.html#$"),
            ("numpy.random.Generator", "class", "reference/random/generator.html#$"),
            ("numpy.random.default_rng", "function", "reference/random/generator.html#$"),
        ],
    ),
    "torch": (
        "PyTorch",
        "2.14",
        [
            ("torch.Tensor", "class", "tensors.html#$"),
            ("torch.dtype", "class", "tensor_attributes.html#$"),
            ("torch.device", "class", "tensor_attributes.html#$"),
            ("torch.optim", "module", "optim.html#module-torch.optim"),
            ("torch.optim.Optimizer", "class", "optim.html#$"),
            ("torch.autograd.Function", "class", "autograd.html#$"),
            (
                "torch.autograd.gradcheck",
                "function",
                "autograd.html#module-torch.autograd.gradcheck",
            ),
            ("torch.utils.data.DataLoader", "class", "data.html#$"),
            ("torch.utils.data.TensorDataset", "class", "data.html#$"),
            ("torch.utils.data.Sampler", "class", "data.html#$"),
            ("torch.utils.data.distributed.DistributedSampler", "class", "data.html#$"),
            generated("torch.nn.Module"),
            generated("torch.nn.Sequential"),
            generated("torch.nn.Linear"),
            generated("torch.nn.ReLU"),
            generated("torch.nn.Sigmoid"),
            generated("torch.optim.SGD"),
            generated("torch.optim.Adam"),
            generated("torch.no_grad"),
            generated("torch.nn.functional.cross_entropy", "function"),
            generated("torch.nn.functional.mse_loss", "function"),
            generated("torch.from_numpy", "function"),
            generated("torch.tensor", "function"),
            generated("torch.compile", "function"),
            generated("torch.jit.trace", "function"),
            generated("torch.manual_seed", "function"),
            generated("torch.set_num_threads", "function"),
        ],
    ),
    "torchvision": (
        "Torchvision",
        "0.29",
        [
            generated("torchvision.datasets.MNIST"),
            generated("torchvision.transforms.ToTensor"),
        ],
    ),
    "matplotlib": (
        "Matplotlib",
        "3.11",
        [
            ("matplotlib.figure.Figure", "class", "api/_as_gen/matplotlib.figure.Figure.html#$"),
        ],
    ),
}


def main():
    for key, (project, version, objects) in INVENTORIES.items():
        inventory = soi.Inventory()
        inventory.project, inventory.version = project, version
        for name, role, uri in objects:
            inventory.objects.append(
                soi.DataObjStr(
                    name=name, domain="py", role=role, priority="1", uri=uri, dispname="-"
                )
            )
        data = soi.compress(inventory.data_file(contract=True))
        soi.writebytes(str(HERE / f"{key}.inv"), data)
        print(f"{key}.inv: {len(objects)} objects")


if __name__ == "__main__":
    main()
