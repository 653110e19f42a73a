"""
Autograd basics
===============

PyTorch's autograd records every operation on tensors that *require grad*,
then walks that record backwards to compute derivatives. This page works
through the classic examples of earlier versions of PyTorch's autograd
tutorial (the 60-minute blitz's ``autograd_tutorial.py``) and checks each
number against the derivative worked out by hand.

The NumPy network of ``nnguide.scratch`` has no such machinery: each of its
layers carries a hand-derived ``backward``. Here we see what autograd does for
us instead. The same examples run with nnguide's own small autograd engine,
``nnguide.scratch.autograd``, in synced tabs beside PyTorch's, on
`the side-by-side autograd page <../autograd.html>`_.
"""

# %%
# A scalar: :math:`y = x^2` at :math:`x = 2`
# -------------------------------------------
#
# By hand, :math:`dy/dx = 2x = 4`. ``requires_grad=True`` asks PyTorch to record
# what happens to ``x``; ``y.backward()`` computes the derivative and stores it in
# ``x.grad``.
import torch

x = torch.tensor(2.0, requires_grad=True)
y = x**2
y.backward()
print(f"y = {y.item()}, dy/dx = {x.grad.item()}")
assert x.grad.item() == 4.0

# %%
# The derivative is the slope of the tangent: the line through (2, 4) with
# slope ``x.grad`` touches the parabola there.
import matplotlib.pyplot as plt

xs = torch.linspace(-0.5, 3.5, 100)
fig, ax = plt.subplots(figsize=(4.5, 3.2))
ax.plot(xs, xs**2, label="y = x²")
ax.plot(xs, y.item() + x.grad.item() * (xs - x.item()), "--", label=f"slope {x.grad.item():g}")
ax.plot([x.item()], [y.item()], "o", color="black")
ax.set(xlabel="x", ylabel="y", ylim=(-2, 12))
ax.legend()
fig.tight_layout()
plt.show()

# %%
# The classic: a mean of squares
# ------------------------------
#
# Take a 2x2 matrix of ones and compute
#
# .. math::
#
#    y = x + 2, \qquad z = 3 y^2, \qquad
#    \text{out} = \frac{1}{4} \sum_{i} z_i .
#
# With :math:`x_i = 1`: :math:`y_i = 3`, :math:`z_i = 27`, so
# :math:`\text{out} = 27`. Differentiating,
#
# .. math::
#
#    \frac{\partial\,\text{out}}{\partial x_i}
#    = \frac{1}{4} \cdot 6 y_i \cdot \frac{\partial y_i}{\partial x_i}
#    = \frac{3}{2} (x_i + 2) = 4.5 .
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
print("y =", y)
print("z =", z)
print("out =", out)

# %%
# Each result remembers the operation that made it (``grad_fn``): that chain is
# the graph ``backward`` walks.
print("out.grad_fn:", out.grad_fn)
print("z.grad_fn:  ", z.grad_fn)
print("x.grad_fn:  ", x.grad_fn, "(x is a leaf: made by us, not by an operation)")

out.backward()
print("x.grad =", x.grad)
assert out.item() == 27.0
assert torch.equal(x.grad, torch.full((2, 2), 4.5))

# %%
# Gradients accumulate
# --------------------
#
# ``backward`` *adds* into ``.grad``; it does not overwrite it. That is why every
# training loop calls ``optimizer.zero_grad()`` before each step.
out = ((x + 2) * (x + 2) * 3).mean()
out.backward()
print("after a second backward, x.grad =", x.grad)
x.grad.zero_()  # fills it with zeros (optimizer.zero_grad() sets .grad to None instead)
print("after zero_(), x.grad =", x.grad)

# %%
# What goes wrong, and the real errors
# ------------------------------------
#
# ``backward()`` with no argument needs a scalar: the derivative of a vector
# with respect to a matrix is a larger object than autograd builds. For a
# non-scalar you pass the vector :math:`v` of the vector-Jacobian product
# :math:`v^\top J` yourself.
import textwrap

y = x * 2
try:
    y.backward()
except RuntimeError as err:
    print(textwrap.fill(f"RuntimeError: {err}", 72))

y.backward(torch.ones_like(y))  # v = ones: the gradient of y.sum()
print("with gradient=ones, x.grad =", x.grad)

# %%
# A tensor that was never asked to record has no graph to walk back through:
plain = torch.ones(2, 2)
try:
    (plain * 2).sum().backward()
except RuntimeError as err:
    print(textwrap.fill(f"RuntimeError: {err}", 72))

# %%
# Inside ``torch.no_grad()`` nothing is recorded, which is how evaluation code
# avoids the cost of building a graph:
with torch.no_grad():
    w = x * 2
print("w.requires_grad inside no_grad:", w.requires_grad)

# %%
# The same derivative, by hand, in NumPy
# --------------------------------------
#
# Without autograd we write the chain rule ourselves, as every layer of
# ``nnguide.scratch.layers`` does. For the example above:
import numpy as np

x_np = np.ones((2, 2))
y_np = x_np + 2
out_np = (3 * y_np**2).mean()
dout_dz = np.full_like(x_np, 1 / x_np.size)  # d mean / d z_i = 1/4
dz_dy = 6 * y_np  # d (3 y^2) / dy
dy_dx = 1.0  # d (x + 2) / dx
grad_np = dout_dz * dz_dy * dy_dx
print("out =", out_np, " gradient =\n", grad_np)
assert out_np == 27.0 and np.all(grad_np == 4.5)
