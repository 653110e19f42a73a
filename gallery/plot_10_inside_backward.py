"""
Inside backward()
=================

``loss.backward()`` looks like magic. ``nnguide.scratch.autograd`` is the
same idea in NumPy, in a few hundred lines: this page builds a small graph
with it, draws the graph, and follows the backward pass node by node. Then it
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
import numpy as np

from nnguide.lab import plots
from nnguide.scratch.autograd import Tensor

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
# The mean sends :math:`1/6` to each of its six inputs; the sigmoid multiplies by
# :math:`\sigma(z)(1-\sigma(z))`; the addition passes the gradient on to both
# inputs (summed over the batch for the broadcast bias); the product sends
# :math:`\partial L/\partial z \cdot W^\top` towards :math:`x` (which needs none)
# and :math:`x^\top \partial L/\partial z` to :math:`W`. The graph, with each
# node's operation, value (or its shape) and gradient's shape:
fig = plots.computation_graph(loss, title="L = mean(sigmoid(x @ W + b))")

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
from nnguide import bridge, pytorch, scratch
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
    print(
        f"{name}: engine vs hand-written {relative_error(e, h):.1e}, "
        f"engine vs PyTorch {relative_error(e, t):.1e}"
    )
    assert relative_error(e, h) < 1e-10 and relative_error(e, t) < 1e-10

# %%
# What it costs
# -------------
#
# One epoch of training (batches of ``BATCH_SIZE``, float32, SGD with momentum) with each:
# the hand-written backward pass, this engine, and PyTorch. The engine does the
# same arithmetic as the hand-written version, plus the bookkeeping of building
# and walking a graph on every step.
import time

x_train, y_train = to_features(dataset.train[0]), dataset.train[1]
x_test, y_test = to_features(dataset.test[0]), dataset.test[1]
order = scratch.batch_order(len(x_train), 0, 0)  # seed 0, first epoch: the same order for each
batches = [order[i : i + BATCH_SIZE] for i in range(0, len(order), BATCH_SIZE)]
results = {}
for name, step_fn in [
    ("hand-written backprop", scratch.train_step),
    ("nnguide.scratch.autograd", autograd_nn.train_step),
]:
    model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
    optimizer = scratch.SGD(model.parameters(), 0.1, momentum=0.9)
    start = time.perf_counter()
    for idx in batches:
        step_fn(model, optimizer, x_train[idx], y_train[idx])
    seconds = time.perf_counter() - start
    results[name] = seconds, np.mean(model.predict(x_test) == y_test)

twin = bridge.to_pytorch(scratch.MLP((784, 128, 10), "sigmoid", seed=0))  # the same start
optimizer = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
tx, ty = torch.from_numpy(x_train), torch.from_numpy(y_train)
start = time.perf_counter()
for idx in batches:  # the same batches, in the same order
    index = torch.from_numpy(idx)
    pytorch.train_step(twin, optimizer, tx[index], ty[index])
seconds = time.perf_counter() - start
accuracy = (twin.predict(torch.from_numpy(x_test)).numpy() == y_test).mean()
results["PyTorch autograd"] = seconds, accuracy

for name, (seconds, accuracy) in results.items():
    print(f"{name:26s} {seconds:5.2f} s per epoch, test accuracy {100 * accuracy:.2f}%")

# %%
# The same epochs as bars (one epoch each, on this build's machine):
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 2.6))
ax.barh(list(results), [seconds for seconds, _ in results.values()])
ax.set(xlabel="seconds for one training epoch")
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
