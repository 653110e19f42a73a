"""The multi-layer perceptron as a :class:`torch.nn.Module`."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from nnguide.checks import check_batch, check_choice, check_sizes
from nnguide.scratch.layers import INITS

#: The hidden-layer activations, by name.
ACTIVATIONS = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}

_DTYPES = {np.dtype(np.float32): torch.float32, np.dtype(np.float64): torch.float64}


class MLP(nn.Module):
    """The same network as :class:`nnguide.scratch.MLP`, in PyTorch.

    ``sizes=(784, 128, 10)`` gives ``Linear(784, 128) -> activation -> Linear(128, 10)``;
    the output is logits. PyTorch computes every gradient by autograd.

    Parameters
    ----------
    sizes : sequence of int
        Width of each layer, inputs first, classes last.
    activation : {"relu", "sigmoid"}
        The hidden layers' activation.
    seed : int, optional
        Seed of the weight initialisation; ``None`` uses PyTorch's global generator.
    init : {"pytorch", "nielsen"}
        ``"pytorch"`` keeps :class:`torch.nn.Linear`'s default
        U(-1/sqrt(fan_in), 1/sqrt(fan_in)); ``"nielsen"`` draws from N(0, 1).
    dtype : torch.dtype
        ``torch.float32`` or ``torch.float64``.
    device : str or torch.device, optional
        Where the parameters live, for example ``"cuda"``.

    Examples
    --------
    >>> MLP((784, 128, 10), "relu", seed=0)
    MLP(
      (layers): Sequential(
        (0): Linear(in_features=784, out_features=128, bias=True)
        (1): ReLU()
        (2): Linear(in_features=128, out_features=10, bias=True)
      )
    )
    """

    def __init__(
        self,
        sizes=(784, 128, 10),
        activation: str = "relu",
        *,
        seed: int | None = None,
        init: str = "pytorch",
        dtype: torch.dtype = torch.float32,
        device=None,
    ):
        super().__init__()
        self.sizes = check_sizes(sizes)
        check_choice("activation", activation, ACTIVATIONS)
        check_choice("init", init, INITS)
        self.activation = activation
        layers = []
        for fan_in, fan_out in zip(self.sizes[:-1], self.sizes[1:]):
            layers += [
                nn.Linear(fan_in, fan_out, dtype=dtype, device=device),
                ACTIVATIONS[activation](),
            ]
        self.layers = nn.Sequential(*layers[:-1])  # no activation after the output layer
        if seed is not None or init != "pytorch":
            self.reset_parameters(init, seed)

    @torch.no_grad()
    def reset_parameters(self, init: str = "pytorch", seed: int | None = None) -> None:
        """Draw fresh weights from the ``init`` scheme, from a generator seeded by ``seed``."""
        generator = None
        if seed is not None:
            generator = torch.Generator(device=self.layers[0].weight.device).manual_seed(seed)
        for layer in self.layers:
            if isinstance(layer, nn.Linear):
                for p in (layer.weight, layer.bias):
                    if init == "pytorch":
                        bound = 1 / layer.in_features**0.5
                        nn.init.uniform_(p, -bound, bound, generator=generator)
                    else:
                        nn.init.normal_(p, 0.0, 1.0, generator=generator)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The logits, shape (N, sizes[-1]), for inputs ``x`` of shape (N, sizes[0])."""
        check_batch(x, None, self.sizes[0], self.sizes[-1])
        return self.layers(x)

    @classmethod
    def from_scratch(cls, scratch_model, device=None) -> MLP:
        """A PyTorch copy of a :class:`nnguide.scratch.MLP`, with exactly its weights.

        ``nn.Linear`` stores its weight as (fan_out, fan_in), the transpose of
        the scratch layout, so each ``W`` is transposed on the way.
        """
        model = cls(
            scratch_model.sizes,
            scratch_model.activation,
            dtype=_DTYPES[scratch_model.dtype],
            device=device,
        )
        with torch.no_grad():
            for p, q in zip(model.parameters(), scratch_model.params()):
                p.copy_(torch.from_numpy(q.T if q.ndim == 2 else q))
        return model

    def to_scratch(self):
        """A :class:`nnguide.scratch.MLP` with exactly this model's weights."""
        from nnguide.scratch import MLP as ScratchMLP

        dtype = next(self.parameters()).dtype
        numpy_dtype = {v: k for k, v in _DTYPES.items()}[dtype]
        model = ScratchMLP(self.sizes, self.activation, dtype=numpy_dtype)
        for q, p in zip(model.params(), self.parameters()):
            value = p.detach().cpu().numpy()
            q[...] = value.T if value.ndim == 2 else value
        return model
