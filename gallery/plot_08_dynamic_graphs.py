"""
Dynamic computation graphs
==========================

PyTorch builds the graph that ``backward`` walks *while the forward pass
runs* ("define by run"). So ``forward`` can be any Python: loops whose length
depends on the data, branches on a tensor's value. This page shows a model
whose graph changes from call to call, and what happens when we try to capture
it once and for all with ``torch.jit.trace`` and with ``torch.compile``.
"""

# %%
# A model with data-dependent control flow
# ----------------------------------------
#
# The PyTorch tutorial `Learning PyTorch with Examples
# <https://pytorch.org/tutorials/beginner/pytorch_with_examples.html>`_ shows
# dynamic graphs with a ``DynamicNet`` (its example ``dynamic_net.py``) that
# fits a third-order polynomial to :math:`\sin(x)` and, on each forward pass,
# draws at random whether to add a fourth-order term, a fourth- and a
# fifth-order term, or neither; the terms it adds share one weight. The model
# below borrows that idea, a loop in ``forward`` and one weight used more than
# once, but decides from the data instead of a random draw: its middle layer,
# with the same weights each time, is applied as many times as ``repeats``
# picks from ``REPEATS`` by the sign of the input's mean (printed below). It
# is the model the claims page judges dynamic graphs by
# (``nnguide.lab.dynamic.DepthNet``, in float64 so that its gradients can be
# checked against finite differences); its source, read from the package:
import textwrap

import torch

from nnguide.lab.dynamic import REPEATS, DepthNet, graph_size, repeats
from nnguide.lab.listing import Listing

WIDTH = 79  # the page's output box: longer printed lines would scroll on a phone


def say(text: str) -> None:
    """Print ``text`` wrapped to the output box."""
    print(textwrap.fill(text, WIDTH))


def times(n: int) -> str:
    """``"once"``, ``"twice"``, ``"3 times"``."""
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


say(
    f"REPEATS = {REPEATS}: the middle layer runs {times(REPEATS[0])} when the "
    f"input's mean is 0 or below, {times(REPEATS[1])} when it is above 0."
)
Listing(DepthNet, repeats)

# %%
# One call per input: each builds its own graph, as long as its path through
# the loop. ``graph_size`` (also in ``nnguide.lab.dynamic``) counts the
# operations autograd recorded.
model = DepthNet(seed=0)
negative = -torch.ones(2, 4, dtype=torch.float64)
positive = torch.ones(2, 4, dtype=torch.float64)
for name, x in [("negative input", negative), ("positive input", positive)]:
    y = model(x)
    say(
        f"{name}: the middle layer ran {times(repeats(x))}, output "
        f"{y[0, 0].item():.4f}, a graph of {graph_size(y)} operations"
    )

# %%
# Eager PyTorch built two different graphs, one per call, and ``backward``
# differentiates whichever was built. The middle layer's weight is shared by
# its passes, so its gradient is the sum of one contribution per pass. A
# forward hook on the layer keeps each pass's input and output (asking autograd
# to keep the output's gradient too); after ``backward``, a pass's
# contribution to the weight's gradient is that output's gradient, transposed,
# times that input. The page asserts that they add up to the gradient autograd
# stored; their norms show each pass's share. (The two inputs' gradients are
# not comparable in size: each path computes a different function.)
passes = []


def keep_pass(layer, inputs, output):
    output.retain_grad()  # autograd frees an intermediate gradient unless asked
    passes.append((inputs[0], output))


hook = model.middle.register_forward_hook(keep_pass)
for name, x in [("negative input", negative), ("positive input", positive)]:
    passes.clear()
    model.zero_grad()
    model(x).sum().backward()
    shares = [output.grad.T @ given for given, output in passes]
    total = model.middle.weight.grad
    assert torch.allclose(sum(shares), total)  # the passes add up to the gradient
    norms = ", ".join(f"{share.norm():.4f}" for share in shares)
    say(
        f"{name}: {len(shares)} pass{'es' * (len(shares) != 1)}; the norm of each "
        f"pass's contribution: {norms}; of their sum, autograd's gradient of "
        f"middle.weight: {total.norm():.4f}"
    )
hook.remove()

# %%
# Capturing the graph once: ``torch.jit.trace``
# ---------------------------------------------
#
# Tracing runs the model once on an example and records the operations that
# happened. The branch is evaluated during the trace and frozen: PyTorch warns
# about it, and the traced model then gives the *wrong* answer for inputs that
# should take the other branch. ``torch.jit.trace`` belongs to TorchScript,
# which PyTorch has deprecated in favour of ``torch.compile`` (next section)
# and ``torch.export``; recent versions say so with a ``FutureWarning``. It
# stays on this page because its failure shows what a captured graph is. The
# warnings it raised in this build, in full:
import warnings

from nnguide.lab.tables import Prose, Table

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    traced = torch.jit.trace(model, negative)
messages = {(w.category.__name__, " ".join(str(w.message).split())) for w in caught}
Table(["warning", "message"], sorted(messages))

# %%
# And the frozen branch at work:
with torch.no_grad():
    print(f"eager  on positive input: {model(positive)[0, 0].item():.4f}")
    print(f"traced on positive input: {traced(positive)[0, 0].item():.4f}")
    assert not torch.equal(traced(positive), model(positive))  # the frozen branch

# %%
# Capturing in pieces, with guards: ``torch.compile``
# ---------------------------------------------------
#
# ``torch.compile`` (TorchDynamo) reads the Python bytecode instead. At the
# data-dependent branch it cannot know the answer ahead of time, so it splits
# the program into graphs around it ("graph breaks") and falls back to Python
# for the branch itself. Each captured graph comes with *guards*: checks of
# what the capture assumed (the inputs' shapes and types, the value of a
# Python number such as the loop's count). Before reusing a graph, Dynamo runs
# its guards; when one fails, it captures the code again for the new case. The
# answers stay right. A small backend that records each graph it is handed
# lets us see the pieces (a real backend, such as the default Inductor, would
# compile each one to fast code).
import torch._dynamo

graphs, ran = [], []  # the graphs captured; the graphs each call ran, by number


def recording_backend(graph_module, example_inputs):
    number = len(graphs)
    graphs.append(graph_module)

    def run(*args):
        ran.append(number)
        return graph_module.forward(*args)

    return run


torch._dynamo.reset()
compiled = torch.compile(model, backend=recording_backend)
captured_by, used = [], {}  # for each graph, the call that captured it; each call's graphs
with torch.no_grad():
    for name, x in [("negative input", negative), ("positive input", positive)]:
        before = len(graphs)
        ran.clear()
        answer = compiled(x)
        captured_by += [name] * (len(graphs) - before)
        used[name] = list(dict.fromkeys(ran))
        say(f"{name}: compiled {answer[0, 0].item():.4f}, eager {model(x)[0, 0].item():.4f}")
        assert torch.allclose(compiled(x), model(x))

# %%
# Dynamo captured these graphs: for each, the call that captured it, the part
# of ``DepthNet`` it computes (read from its operations) and its operations in
# order.


def part(ops: list[str]) -> str:
    """The piece of ``DepthNet`` a captured graph computes, read from its operations."""
    if "mean" in ops:
        return "in repeats: the test of the input's mean"
    layers = ops.count("linear")
    if ops and ops[-1] == "linear":  # ends with the output layer: no tanh after it
        return f"the middle layer {times(layers - 1)}, then the output layer"
    if layers == 1:
        return "the input layer, up to the call of repeats"
    return "part of forward"


rows = []
for k, (graph, name) in enumerate(zip(graphs, captured_by)):
    ops = [
        node.target.__name__ if callable(node.target) else str(node.target)
        for node in graph.graph.nodes
        if node.op in ("call_function", "call_module", "call_method")
    ]
    rows.append([k, name, part(ops), ", ".join(ops)])
Table(["graph", "captured on the call with", "computes", "operations"], rows)

# %%
# What the second call did with the first call's graphs:
second = used["positive input"]
reused = [k for k in second if captured_by[k] == "negative input"]
new = [k for k in second if captured_by[k] == "positive input"]


def numbered(ks: list[int]) -> str:
    return " and ".join(f"graph {k} ({rows[k][2]})" for k in ks) or "none"


Prose(
    f"The first call, on the negative input, ran as {len(used['negative input'])} graphs, "
    "with Python in between where the branch needs the mean's value. The second call, on "
    f"the positive input, ran {len(second)}: it reused {numbered(reused)}, whose guards "
    f"held, and captured anew {numbered(new)}, where a guard failed."
)

# %%
# Eager, compiled and traced side by side, on inputs ``c * ones(2, 4)`` for
# ``c`` from -1 to 1: eager and compiled PyTorch switch branches where the mean
# turns positive; the traced model keeps the branch it saw while tracing.
import matplotlib.pyplot as plt

cs = torch.linspace(-1, 1, 81)
with torch.no_grad():
    outputs = {
        "eager": [model(c * positive)[0, 0].item() for c in cs],
        "torch.compile": [compiled(c * positive)[0, 0].item() for c in cs],
        "torch.jit.trace": [traced(c * positive)[0, 0].item() for c in cs],
    }
fig, ax = plt.subplots(figsize=(5.5, 3.4))
for (name, values), style in zip(outputs.items(), ["-", "o", "--"]):
    ax.plot(cs, values, style, label=name, markersize=3)
ax.axvline(0, color="0.7", linewidth=1)
ax.set(
    xlabel="c (the input is c · ones)",
    ylabel="output",
)
ax.set_title("A trace keeps one branch; eager and compiled switch at c = 0", fontsize=10)
ax.legend()
fig.tight_layout()
plt.show()

# %%
# The NumPy network has no graph at all
# -------------------------------------
#
# ``nnguide.scratch.MLP`` records nothing: each layer's ``forward`` saves
# what its own ``backward`` needs, and ``backward``
# calls the layers in reverse order. That fixed order is exactly what autograd
# generalises: for a model like ``DepthNet`` we would have to write the
# backward pass of every path through the branch by hand.
