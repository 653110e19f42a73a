"""A graph whose shape depends on the data: built, differentiated and trained per call.

PyTorch records the operations of the forward pass as they run ("define by run"), so a
model may take a different path for each input. This module measures what that claim
means, on the model gallery page 8 shows, :class:`DepthNet`: its middle layer is applied
as many times as :data:`REPEATS` gives for the sign of the input's mean. For each path
it counts the operations in the graph that autograd recorded, compares the gradients
autograd computes along that path with central finite differences (in float64), and
compares the model with a static trace of it taken on the other path
(``torch.jit.trace`` records one path and freezes its branch). A few steps of SGD on
inputs of both paths show that the model trains. It runs in well under a second.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch
from torch import nn

#: The middle layer's repeats for an input whose mean is not above 0, and for one whose mean is.
REPEATS = (1, 3)


class DepthNet(nn.Module):
    """A small network whose depth is chosen by its input, in float64.

    Parameters
    ----------
    width : int
        The width of the inner layers; the input has 4 features and the output 1.
    seed : int
        Seeds the weights.
    """

    def __init__(self, width: int = 8, seed: int = 0):
        super().__init__()
        generator = torch.random.fork_rng()
        with generator:
            torch.manual_seed(seed)
            self.inp = nn.Linear(4, width, dtype=torch.float64)
            self.middle = nn.Linear(width, width, dtype=torch.float64)
            self.out = nn.Linear(width, 1, dtype=torch.float64)

    def forward(self, x):
        """The output for ``x``, through the middle layer :func:`repeats` times."""
        h = torch.tanh(self.inp(x))
        for _ in range(repeats(x)):  # a branch on the data itself
            h = torch.tanh(self.middle(h))
        return self.out(h)


def repeats(x) -> int:
    """How many times :class:`DepthNet` applies its middle layer to ``x``."""
    return REPEATS[1] if x.mean() > 0 else REPEATS[0]  # a tensor's truth: a graph break


def graph_size(tensor) -> int:
    """The number of operations in the autograd graph behind ``tensor``."""
    seen, stack = set(), [tensor.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is None or fn in seen:
            continue
        seen.add(fn)
        stack.extend(next_fn for next_fn, _ in fn.next_functions)
    return len(seen)


@dataclass(frozen=True)
class Path:
    """What one input's path through :class:`DepthNet` gave.

    Attributes
    ----------
    repeats : int
        How many times the middle layer ran.
    operations : int
        The operations autograd recorded for it.
    gradient_error : float
        The largest relative difference between autograd's gradient of every
        parameter and central finite differences, along this path.
    trace_error : float
        The largest difference between the model's output and that of a trace
        taken on the other path (0: the trace gave the right answer).
    """

    repeats: int
    operations: int
    gradient_error: float
    trace_error: float


@dataclass(frozen=True)
class DynamicCheck:
    """Both paths, and the loss before and after training on both."""

    paths: tuple[Path, Path]
    loss_before: float
    loss_after: float
    steps: int

    @property
    def gradient_error(self) -> float:
        return max(p.gradient_error for p in self.paths)


def finite_difference_error(model: nn.Module, x, step: float = 1e-6) -> float:
    """Autograd's gradient of ``model(x).sum()`` against central differences, for every weight."""
    model.zero_grad()
    model(x).sum().backward()
    worst = 0.0
    with torch.no_grad():
        for p in model.parameters():
            numeric = torch.zeros_like(p)
            flat, grads = p.view(-1), numeric.view(-1)
            for i in range(flat.numel()):
                kept = flat[i].item()
                flat[i] = kept + step
                up = model(x).sum().item()
                flat[i] = kept - step
                down = model(x).sum().item()
                flat[i] = kept
                grads[i] = (up - down) / (2 * step)
            scale = max(p.grad.abs().max().item(), numeric.abs().max().item(), 1e-12)
            worst = max(worst, (p.grad - numeric).abs().max().item() / scale)
    return worst


def check(seed: int = 0, steps: int = 50, lr: float = 0.05) -> DynamicCheck:
    """Build, differentiate, trace and train :class:`DepthNet` on both of its paths."""
    model = DepthNet(seed=seed)
    inputs = [-torch.ones(2, 4, dtype=torch.float64), torch.ones(2, 4, dtype=torch.float64)]
    traces = []
    with warnings.catch_warnings():
        # The tracer warns that it freezes the branch (and that TorchScript is
        # deprecated): freezing it is what is measured here.
        warnings.simplefilter("ignore")
        for x in inputs:
            traces.append(torch.jit.trace(model, x, check_trace=False))
    paths = []
    for k, x in enumerate(inputs):
        operations = graph_size(model(x))
        gradient_error = finite_difference_error(model, x)
        with torch.no_grad():
            other = traces[1 - k]
            trace_error = (other(x) - model(x)).abs().max().item()
        paths.append(Path(repeats(x), operations, gradient_error, trace_error))

    # Training: inputs of either sign, the target a smooth function of them.
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(64, 4, generator=generator, dtype=torch.float64)
    target = torch.sin(x.sum(dim=1, keepdim=True))
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)

    def loss_on_both_paths() -> torch.Tensor:
        # One call per row, so each row takes its own path.
        return torch.stack([(model(row[None]) - t) ** 2 for row, t in zip(x, target)]).mean()

    with torch.no_grad():
        before = loss_on_both_paths().item()
    for _ in range(steps):
        optimizer.zero_grad()
        loss_on_both_paths().backward()
        optimizer.step()
    with torch.no_grad():
        after = loss_on_both_paths().item()
    return DynamicCheck(tuple(paths), before, after, steps)
