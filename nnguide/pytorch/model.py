"""The multi-layer perceptron as a :class:`torch.nn.Module`."""

from __future__ import annotations

import torch
from torch import nn

from .checks import (
    check_choice,
    check_device,
    check_dtype,
    check_inputs,
    check_seed,
    check_sizes,
)

#: The hidden-layer activations, by name.
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}

#: Weight initialisation schemes, PyTorch's ``nn.Linear`` default or Nielsen's N(0, 1).
INITS = ("pytorch", "nielsen")


class MLP(nn.Module):
    """The same network as :class:`nnguide.scratch.MLP`, in PyTorch.

    ``sizes=(784, 128, 10)`` gives ``Linear(784, 128) -> activation -> Linear(128, 10)``;
    the output is logits. PyTorch computes every gradient by autograd.

    Parameters
    ----------
    sizes : sequence of int
        Width of each layer, inputs first, classes last.
    activation : {"sigmoid", "relu"}
        The hidden layers' activation.
    seed : int
        Seed of the weight initialisation. The weights come from a generator
        of their own, so they do not depend on the global random state
        (building the ``nn.Linear`` layers still advances it).
    init : {"pytorch", "nielsen"}
        ``"pytorch"`` draws from :class:`torch.nn.Linear`'s default distribution,
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)), with the seeded generator;
        ``"nielsen"`` draws from N(0, 1).
    dtype : {"float32", "float64"}
        The parameters' floating-point type.
    device : str or torch.device, optional
        Where the parameters live, for example ``"cuda"``.

    Examples
    --------
    >>> MLP((784, 128, 10), "sigmoid", seed=0)
    MLP(
      (layers): Sequential(
        (0): Linear(in_features=784, out_features=128, bias=True)
        (1): Sigmoid()
        (2): Linear(in_features=128, out_features=10, bias=True)
      )
    )
    """

    def __init__(
        self,
        sizes=(784, 128, 10),
        activation: str = "sigmoid",
        *,
        seed: int = 0,
        init: str = "pytorch",
        dtype="float32",
        device=None,
    ):
        super().__init__()
        self.sizes = check_sizes(sizes)
        check_choice("activation", activation, ACTIVATIONS)
        check_device(device)
        self.activation = activation
        self.dtype = check_dtype(dtype)
        layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            layers += [
                nn.Linear(fan_in, fan_out, dtype=self.dtype, device=device),
                ACTIVATIONS[activation](),
            ]
        self.layers = nn.Sequential(*layers[:-1])  # no activation after the output layer
        self.reset_parameters(init, seed)

    @torch.no_grad()
    def reset_parameters(self, init: str = "pytorch", seed: int = 0) -> None:
        """Draw fresh weights from the ``init`` scheme, from a generator seeded by ``seed``."""
        check_choice("init", init, INITS)
        check_seed(seed)
        generator = torch.Generator(device=self.layers[0].weight.device).manual_seed(int(seed))
        for layer in self.layers:
            if isinstance(layer, nn.Linear):
                for p in (layer.weight, layer.bias):
                    if init == "pytorch":
                        bound = 1 / layer.in_features**0.5
                        nn.init.uniform_(p, -bound, bound, generator=generator)
                    else:
                        nn.init.normal_(p, 0.0, 1.0, generator=generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The logits, shape (N, sizes[-1]), for inputs ``x`` of shape (N, sizes[0]).

        Checks ``x`` first (its type, shape and dtype), as the NumPy side's
        ``forward`` does: a wrong batch fails here, with a message, rather than
        inside a matrix product.
        """
        check_inputs(x, self.sizes[0], self.dtype)
        return self.layers(x)

    @torch.no_grad()
    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """The most likely class of each row of ``x``."""
        return self(x).argmax(dim=1)
