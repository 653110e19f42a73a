"""
Inside backward()
=================

``loss.backward()`` looks like magic. ``nnguide.scratch.autograd`` is the
same idea in NumPy, in one module (its size is printed below): this page
builds a small graph with it, draws the graph, and follows the backward pass
node by node. Then it
trains the MNIST network with gradients from the engine and compares the cost
with hand-written backpropagation and with PyTorch.
"""

# %%
# A small graph
# -------------
#
# A one-layer network on a small batch of examples:
# :math:`L = \mathrm{mean}(\sigma(x W + b))`. Every operation on a
# ``Tensor`` returns a new Tensor that remembers
# its inputs and how to send a gradient back to them.
import textwrap

import numpy as np

from nnguide.lab import codesize, plots
from nnguide.scratch import autograd
from nnguide.scratch.autograd import Tensor

WIDTH = 79  # the page's output box: longer printed lines would scroll on a phone


def say(text: str) -> None:
    """Print ``text`` wrapped to the output box."""
    print(textwrap.fill(text, WIDTH))


say(
    f"nnguide.scratch.autograd: {codesize.code_lines(autograd)} lines of code "
    "(blank lines, comments and docstrings not counted)."
)

rng = np.random.default_rng(0)
x = Tensor(rng.standard_normal((3, 4)))  # data: no gradient needed
W = Tensor(rng.standard_normal((4, 2)), requires_grad=True)
b = Tensor(np.zeros(2), requires_grad=True)

z = x @ W + b
s = z.sigmoid()
loss = s.mean()
for t in (z, s):
    t.retain_grad()  # keep intermediate gradients, to show them (as in PyTorch)
print(loss)

# %%
# Following the backward pass
# ---------------------------
#
# ``backward`` orders the nodes so that each comes after every node that used
# it, seeds :math:`\partial L/\partial L = 1`, and hands each node its gradient.
# The ``trace`` argument lets us watch:
step = 0


def show(node, grad):
    global step
    step += 1
    name = node.op or "leaf"
    first = np.array2string(np.ravel(grad)[:2], precision=3)
    print(f"{step}. {name:7s} {str(node.shape):6s} gets dL/d(node) {str(grad.shape):6s} {first}...")


loss.backward(trace=show)

# %%
# The engine writes the mean as a sum divided by the number of elements: the
# division (``div``, by a constant) hands the sum :math:`1/n` of the gradient,
# and the sum hands that to each of its :math:`n` inputs, the elements of
# :math:`s = \sigma(z)`:
n = s.data.size
say(f"n = {n}: every element of dL/ds is {s.grad.ravel()[0]:.4f} = 1/{n}")
assert np.allclose(s.grad, 1 / n)

# %%
# The sigmoid multiplies by
# :math:`\sigma(z)(1-\sigma(z))`; the addition passes the gradient on to both
# inputs (summed over the batch for the broadcast bias); the product sends
# :math:`\partial L/\partial z \cdot W^\top` towards :math:`x` (which needs none)
# and :math:`x^\top \partial L/\partial z` to :math:`W`. The graph, with each
# node's operation, value (or its shape) and gradient's shape:
fig = plots.computation_graph(
    loss, title="L = mean(sigmoid(x @ W + b))", names={"x": x, "W": W, "b": b}
)

# %%
# The same numbers from PyTorch:
import torch

W_t = torch.tensor(W.data, requires_grad=True)
b_t = torch.tensor(b.data, requires_grad=True)
torch.sigmoid(torch.from_numpy(x.data) @ W_t + b_t).mean().backward()
print("dL/dW equal:", np.allclose(W.grad, W_t.grad.numpy(), rtol=1e-14, atol=0))
print("dL/db equal:", np.allclose(b.grad, b_t.grad.numpy(), rtol=1e-14, atol=0))

# %%
# The MNIST network's gradients: engine, hand-written, PyTorch
# ------------------------------------------------------------
#
# ``nnguide.scratch.autograd_nn.loss_and_grads`` writes only the forward pass of
# the guide's MNIST network with Tensors; the engine finds the gradients. On
# one batch they equal the hand-written backward pass of ``nnguide.scratch.MLP``
# and PyTorch's autograd:
from nnguide import bridge, scratch
from nnguide.data import load_dataset, to_features
from nnguide.scratch import autograd_nn
from nnguide.scratch.gradcheck import relative_error

BATCH_SIZE = 64
dataset = load_dataset()
x64 = to_features(dataset.train[0][:BATCH_SIZE], np.float64)
y64 = dataset.train[1][:BATCH_SIZE]
model = scratch.MLP((784, 128, 10), "sigmoid", seed=0, dtype=np.float64)
_, hand = model.loss_and_grads(x64, y64)
_, engine = autograd_nn.loss_and_grads(model, x64, y64)
twin = bridge.to_pytorch(model)
torch.nn.functional.cross_entropy(twin(torch.from_numpy(x64)), torch.from_numpy(y64)).backward()
torch_grads = [p.grad.numpy().T if p.ndim == 2 else p.grad.numpy() for p in twin.parameters()]
for name, h, e, t in zip(["W1", "b1", "W2", "b2"], hand, engine, torch_grads):
    say(
        f"{name}: engine vs hand-written {relative_error(e, h):.1e}, "
        f"engine vs PyTorch {relative_error(e, t):.1e}"
    )
    assert relative_error(e, h) < 1e-10 and relative_error(e, t) < 1e-10

# %%
# What it costs
# -------------
#
# Training with each (batches of ``BATCH_SIZE``, float32, SGD with momentum, the
# same batches in the same order): the hand-written backward pass, this engine,
# and PyTorch. The engine does the same arithmetic as the hand-written version,
# plus the bookkeeping of building and walking a graph on every step. They
# are timed as the speed page times its contenders (``nnguide.lab.bench``): in
# interleaved rounds, each round one slice of training with each, so that a slow
# spell of the machine falls on each of them alike; each time per epoch comes with
# an interval for its median, and one is ranked ahead of another only when the
# interval of their ratio, taken round by round, excludes 1.
from nnguide import settings
from nnguide.lab.bench.ceiling import N_TRAIN
from nnguide.lab.bench.contenders import Contender, numpy_contender, torch_contender
from nnguide.lab.bench.ranking import measure_ranked, ranked, ranking_text, versus
from nnguide.lab.bench.report.words import rounds_text, verdict_text
from nnguide.lab.stats import CONFIDENCE
from nnguide.lab.tables import Prose

BUDGET = (
    10.0 if settings.short_run() else 25.0
)  # seconds for the whole measurement, warm-ups included
table = [
    Contender("hand", numpy_contender(), label="hand-written backprop", library="numpy"),
    Contender(
        "engine",
        numpy_contender(step=autograd_nn.train_step),
        label="nnguide.scratch.autograd",
        library="numpy",
    ),
    Contender("torch", torch_contender(), label="PyTorch autograd", library="torch"),
]
x_train, y_train = to_features(dataset.train[0]), dataset.train[1]
timed = measure_ranked(table, x_train, y_train, batch_size=BATCH_SIZE, budget=BUDGET)
order = ranked(timed)
labels = {c.key: c.label for c in table}
for s in order:
    print(f"{labels[s.contender]:26s} {s.interval.format(2)} s per epoch")
took = timed["measurements"][0]["elapsed_seconds"]
slices = sorted({images for s in order for images in s.images})
slices = f"{slices[0]:,}" + (f" to {slices[-1]:,}" if len(slices) > 1 else "")
coverage, rounds = order[0].interval.confidence, order[0].rounds
if coverage >= CONFIDENCE:
    interval = (
        f"its interval, asked to be at least {100 * CONFIDENCE:.0f}% confident: from "
        f"{rounds_text(rounds)}, the narrowest interval between two of the sorted times that "
        f"reaches {100 * CONFIDENCE:.0f}% is {100 * coverage:.0f}% confident"
    )
elif rounds > 1:
    interval = (
        f"the rounds' extremes, only {100 * coverage:.0f}% confident: "
        f"{rounds_text(rounds)} are too few for {100 * CONFIDENCE:.0f}%"
    )
else:
    interval = f"no interval: {rounds_text(rounds)} gives none"
Prose(
    f"Seconds per epoch of {N_TRAIN:,} images: the median of the rounds [{interval}]. "
    "Each round timed slices of "
    f"{slices} images of each, scaled to the epoch; the measurement, warm-ups included, took "
    f"{took:.0f} s of a {BUDGET:.0f} s budget. "
    + ranking_text(timed)
    + " The engine against the hand-written pass, which does the same arithmetic: "
    + verdict_text(timed, versus(timed, "engine", "hand"))
)

# %%
# The same times as bars, each with its interval (on this build's machine):
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 2.6))
medians = [s.interval.median for s in order]
spread = [
    [m - s.interval.low for m, s in zip(medians, order)],
    [s.interval.high - m for m, s in zip(medians, order)],
]
ax.barh([labels[s.contender] for s in order], medians, xerr=spread, capsize=4)
ax.set(xlabel="seconds per training epoch")
ax.set_title("Three ways to the gradients: median and interval", fontsize=10)
ax.invert_yaxis()
fig.tight_layout()
plt.show()

# sphinx_gallery_thumbnail_number = 2

# %%
# Where these numbers come from
# -----------------------------
from nnguide.lab.environment import summary
from nnguide.lab.tables import Prose

Prose(summary(dataset=dataset.name))
