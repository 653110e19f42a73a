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
# with the same weights each time, is applied once or more, as ``repeats``
# reads ``REPEATS`` for the sign of the input's mean. It is the model the
# claims page judges dynamic graphs by (``nnguide.lab.dynamic.DepthNet``, in
# float64 so that its gradients can be checked against finite differences);
# its source, read from the package:
import torch

from nnguide.lab.dynamic import REPEATS, DepthNet, graph_size, repeats
from nnguide.lab.listing import Listing

print(f"REPEATS = {REPEATS}  # (mean not positive, mean positive)")
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
    print(
        f"{name}: middle layer {repeats(x)} time(s), output {y[0, 0].item():.4f}, "
        f"a graph of {graph_size(y)} operations"
    )

# %%
# Eager PyTorch built two different graphs, one per call, and ``backward``
# differentiates whichever was built. The middle layer's gradient shows the
# weight sharing: each pass through the layer adds its own contribution.
for name, x in [("negative input", negative), ("positive input", positive)]:
    model.zero_grad()
    model(x).sum().backward()
    print(f"{name}: |grad of middle.weight| = {model.middle.weight.grad.norm():.4f}")

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

from nnguide.lab.tables import Table

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
# Capturing with guards: ``torch.compile``
# ----------------------------------------
#
# ``torch.compile`` (TorchDynamo) reads the Python bytecode instead. At the
# data-dependent branch it cannot know the answer ahead of time, so it splits
# the program into graphs around it ("graph breaks") and falls back to Python
# for the branch itself. The answers stay right. A small backend that records
# each graph it is handed lets us see the pieces (a real backend, such as the
# default Inductor, would compile each one to fast code).
import torch._dynamo

graphs = []


def recording_backend(graph_module, example_inputs):
    graphs.append(graph_module)
    return graph_module.forward


torch._dynamo.reset()
compiled = torch.compile(model, backend=recording_backend)
with torch.no_grad():
    for name, x in [("negative input", negative), ("positive input", positive)]:
        print(f"{name}: compiled {compiled(x)[0, 0].item():.4f}, eager {model(x)[0, 0].item():.4f}")
        assert torch.allclose(compiled(x), model(x))

# %%
# Dynamo captured these graphs, with the operations in each:
rows = []
for k, graph in enumerate(graphs):
    ops = [
        node.target.__name__ if callable(node.target) else str(node.target)
        for node in graph.graph.nodes
        if node.op in ("call_function", "call_module", "call_method")
    ]
    rows.append([k, ", ".join(ops)])
Table(["graph", "operations"], rows)

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
ax.set(xlabel="c (the input is c · ones)", ylabel="output")
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
