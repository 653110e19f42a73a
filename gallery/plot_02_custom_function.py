"""
A custom autograd Function
==========================

Autograd knows the derivative of every built-in operation. For a new one, we
write the forward pass *and* the backward pass ourselves by subclassing
``torch.autograd.Function``: exactly what every layer of the NumPy network
does by hand. Here is ReLU, written that way, checked numerically, and used
inside a model. Its twin for nnguide's own autograd engine,
``nnguide.scratch.autograd.Function``, is on `the side-by-side autograd page <../autograd.html>`_.
"""

# %%
# The Function
# ------------
#
# ``forward`` computes the output and saves what ``backward`` will need with
# ``ctx.save_for_backward``. ``backward`` receives :math:`\partial L/\partial y`
# and returns :math:`\partial L/\partial x`. For :math:`y = \max(x, 0)` the slope
# is 1 where :math:`x > 0` and 0 where :math:`x < 0`. At :math:`x = 0` the function
# has no slope, and each implementation picks one: this ``backward`` zeroes only
# the negative inputs, so it passes the gradient through at 0 (slope 1).
import torch


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[x < 0] = 0
        return grad_input


# %%
# Checked against finite differences
# ----------------------------------
#
# ``torch.autograd.gradcheck`` compares our ``backward`` with numerical
# derivatives, in float64. It passes:
x = torch.randn(20, 5, dtype=torch.float64, requires_grad=True)
print("gradcheck(MyReLU):", torch.autograd.gradcheck(MyReLU.apply, (x,)))

# %%
# What ``forward`` and ``backward`` compute, on a range of inputs: the function,
# and the slope that ``backward`` sends back for an upstream gradient of 1.
import matplotlib.pyplot as plt

grid = torch.linspace(-2, 2, 401, dtype=torch.float64, requires_grad=True)
MyReLU.apply(grid).sum().backward()
fig, ax = plt.subplots(figsize=(4.5, 3.2))
ax.plot(grid.detach(), MyReLU.apply(grid).detach(), label="forward: max(x, 0)")
ax.plot(grid.detach(), grid.grad, "--", label="backward: slope")
ax.set(xlabel="x")
ax.legend()
fig.tight_layout()
plt.show()


# %%
# A mistake is caught: forget to zero the negative inputs.
class BrokenReLU(MyReLU):
    @staticmethod
    def backward(ctx, grad_output):
        return grad_output  # wrong: the slope is 1 everywhere


import textwrap

try:
    torch.autograd.gradcheck(BrokenReLU.apply, (x,))
except RuntimeError as err:  # a GradcheckError, which subclasses RuntimeError
    print(textwrap.fill(f"gradcheck(BrokenReLU) failed: {str(err).splitlines()[0]}", 72))
else:
    raise AssertionError("gradcheck did not catch the broken backward")

# %%
# Used inside a model
# -------------------
#
# ``MyReLU.apply`` is used like any PyTorch function. A two-layer network with it
# gives exactly the gradients of the same network with ``torch.nn.ReLU``.
from torch import nn


class TwoLayerNet(nn.Module):
    def __init__(self, relu):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.output = nn.Linear(128, 10)
        self.relu = relu

    def forward(self, x):
        return self.output(self.relu(self.hidden(x)))


torch.manual_seed(0)
custom = TwoLayerNet(MyReLU.apply)
builtin = TwoLayerNet(nn.ReLU())
builtin.load_state_dict(custom.state_dict())

inputs = torch.rand(64, 784)
labels = torch.randint(0, 10, (64,))
for model in (custom, builtin):
    nn.functional.cross_entropy(model(inputs), labels).backward()

for (name, p), q in zip(custom.named_parameters(), builtin.parameters()):
    print(f"{name:15s} gradients equal: {torch.equal(p.grad, q.grad)}")
    assert torch.equal(p.grad, q.grad)

# %%
# They agree because no hidden unit's input is exactly 0 here. At 0 itself the
# two differ: ``torch.nn.ReLU`` sends back slope 0 there, ``MyReLU`` slope 1.
zero = torch.zeros(1, dtype=torch.float64, requires_grad=True)
MyReLU.apply(zero).backward()
mine = zero.grad.item()
zero.grad = None
nn.ReLU()(zero).backward()
print(f"slope at x = 0: MyReLU {mine:g}, torch.nn.ReLU {zero.grad.item():g}")
assert (mine, zero.grad.item()) == (1.0, 0.0)

# %%
# The same layer from scratch
# ---------------------------
#
# ``nnguide.scratch.layers.ReLU`` is the NumPy twin: ``forward`` saves its
# output, ``backward`` multiplies the incoming gradient by the slope, which it
# takes as 0 at :math:`x = 0`, as ``torch.nn.ReLU`` does. Fed the same numbers
# (none of them exactly 0), it returns the same gradient as ``MyReLU``:
import numpy as np

from nnguide.scratch.layers import ReLU

assert not torch.any(x == 0)  # where the two would differ
layer = ReLU()
layer.forward(x.detach().numpy())
upstream = torch.randn_like(x)
ours = layer.backward(upstream.numpy())
x.grad = None
MyReLU.apply(x).backward(upstream)
print("NumPy ReLU backward equals MyReLU backward:", np.array_equal(ours, x.grad.numpy()))
assert np.array_equal(ours, x.grad.numpy())
layer.forward(np.zeros(1))
print(f"slope at x = 0: NumPy ReLU {layer.backward(np.ones(1))[0]:g}")
assert layer.backward(np.ones(1))[0] == 0
