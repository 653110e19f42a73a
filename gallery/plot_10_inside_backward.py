"""
Inside backward()
=================

``loss.backward()`` looks like magic. :mod:`nnguide.scratch.autograd` is the
same idea in about two hundred lines of NumPy: this page builds a small graph
with it, draws the graph, and follows the backward pass node by node. Then it
trains the MNIST network with gradients from the engine and compares the cost
with hand-written backpropagation and with PyTorch.
"""

# %%
# A small graph
# -------------
#
# A one-layer network on a batch of three examples:
# :math:`L = \mathrm{mean}(\sigma(x W + b))`. Every operation on a
# :class:`~nnguide.scratch.autograd.Tensor` returns a new Tensor that remembers
# its inputs and how to send a gradient back to them.
import numpy as np

from nnguide import plots
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
    print(
        f"{step}. {name:8s} value {str(node.shape):7s} receives dL/d(node) of shape "
        f"{grad.shape}: {np.array2string(np.ravel(grad)[:3], precision=4)}..."
    )


loss.backward(trace=show)

# %%
# The mean sends :math:`1/6` to each of its six inputs; the sigmoid multiplies by
# :math:`\sigma(z)(1-\sigma(z))`; the addition passes the gradient on to both
# inputs (summed over the batch for the broadcast bias); the product sends
# :math:`\partial L/\partial z \cdot W^\top` towards :math:`x` (which needs none)
# and :math:`x^\top \partial L/\partial z` to :math:`W`. The graph, with each
# node's value and gradient:
plots.computation_graph(loss, title="L = mean(sigmoid(x @ W + b))")

# %%
# The same numbers from PyTorch:
import torch

W_t = torch.tensor(W.data, requires_grad=True)
b_t = torch.tensor(b.data, requires_grad=True)
torch.sigmoid(torch.from_numpy(x.data) @ W_t + b_t).mean().backward()
print("dL/dW equal:", np.allclose(W.grad, W_t.grad.numpy(), rtol=1e-14, atol=0))
print("dL/db equal:", np.allclose(b.grad, b_t.grad.numpy(), rtol=1e-14, atol=0))

# %%
# Three ways to get the MNIST network's gradients
# -----------------------------------------------
#
# :func:`nnguide.scratch.autograd.loss_and_grads` writes only the forward pass of
# the 784-128-10 network with Tensors; the engine finds the gradients. On one
# batch they equal the hand-written backward pass of :class:`nnguide.scratch.MLP`
# and PyTorch's autograd:
from nnguide import pytorch, scratch
from nnguide.data import load_dataset, to_features
from nnguide.scratch import autograd
from nnguide.scratch.gradcheck import relative_error

dataset = load_dataset()
x64 = to_features(dataset.train[0][:64], np.float64)
y64 = dataset.train[1][:64]
model = scratch.MLP((784, 128, 10), "sigmoid", seed=0, dtype=np.float64)
_, hand = model.loss_and_grads(x64, y64)
hand = [g.copy() for g in hand]
_, engine = autograd.loss_and_grads(model, x64, y64)
twin = pytorch.MLP.from_scratch(model)
torch.nn.functional.cross_entropy(twin(torch.from_numpy(x64)), torch.from_numpy(y64)).backward()
torch_grads = [p.grad.numpy().T if p.ndim == 2 else p.grad.numpy() for p in twin.parameters()]
for name, h, e, t in zip(["W1", "b1", "W2", "b2"], hand, engine, torch_grads):
    print(
        f"{name}: engine vs hand-written {relative_error(e, h):.1e}, "
        f"engine vs PyTorch {relative_error(e, t):.1e}"
    )

# %%
# What it costs
# -------------
#
# One epoch of training (batches of 64, float32, SGD with momentum) with each:
# the hand-written backward pass, this engine, and PyTorch. The engine does the
# same arithmetic as the hand-written version, plus the bookkeeping of building
# and walking a graph on every step.
import time

from nnguide.batching import Batches
from nnguide.pytorch.data import in_memory_loader, to_tensors

x_train, y_train = to_features(dataset.train[0]), dataset.train[1]
x_test, y_test = to_features(dataset.test[0]), dataset.test[1]
results = {}
for name, step_fn in [
    ("hand-written backprop", scratch.train_step),
    ("nnguide.scratch.autograd", autograd.train_step),
]:
    model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
    optimizer = scratch.SGD(model.params(), 0.1, momentum=0.9)
    start = time.perf_counter()
    for xb, yb in Batches(x_train, y_train, 64, seed=0, epoch=0):
        step_fn(model, optimizer, xb, yb)
    seconds = time.perf_counter() - start
    results[name] = seconds, np.mean(model.predict(x_test) == y_test)

twin = pytorch.MLP((784, 128, 10), "sigmoid", seed=0)
optimizer = torch.optim.SGD(twin.parameters(), lr=0.1, momentum=0.9)
loader = in_memory_loader(*to_tensors(*dataset.train), batch_size=64, seed=0)
start = time.perf_counter()
for xb, yb in loader:  # the same batches, in the same order
    pytorch.train_step(twin, optimizer, xb, yb)
seconds = time.perf_counter() - start
with torch.no_grad():
    accuracy = (twin(to_tensors(*dataset.test)[0]).argmax(1).numpy() == y_test).mean()
results["PyTorch autograd"] = seconds, accuracy

for name, (seconds, accuracy) in results.items():
    print(f"{name:26s} {seconds:5.2f} s per epoch, test accuracy {100 * accuracy:.2f}%")

# %%
# Where these numbers come from
# -----------------------------
from nnguide.environment import summary

print(summary(dataset=dataset.name))
