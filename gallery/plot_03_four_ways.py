"""
One two-layer network, four ways
================================

The PyTorch tutorial `Learning PyTorch with Examples
<https://pytorch.org/tutorials/beginner/pytorch_with_examples.html>`_ solves one
problem again and again, each time letting the library do more of the work: it
fits a third-order polynomial to sin(x) with NumPy, then with PyTorch
tensors, then with autograd, a custom autograd function, ``nn`` and ``optim``
(its examples ``polynomial_numpy.py`` to ``polynomial_module.py``). This page
borrows that progression, not its problem: a fully connected ReLU network with
one hidden layer, trained on random data to minimise the squared error (the
tutorial's running example before the polynomial replaced it), written

(a) in NumPy, gradients derived by hand;
(b) with PyTorch tensors, gradients still by hand;
(c) with autograd computing the gradients;
(d) with ``nn.Sequential`` and ``torch.optim``.

All four start from the same weights and take the same number of steps
(``STEPS``, below) in float64, so their losses should agree to many digits:
four spellings of one computation.
"""

# %%
# The problem
# -----------
#
# ``N`` examples of ``D_in`` features, a hidden layer of ``H`` units, ``D_out``
# outputs. The loss is the *sum* of squared errors, as in the tutorial, so the
# learning rate is small.
import inspect

import numpy as np
import torch

N, D_in, H, D_out = 64, 1000, 100, 10
STEPS, LR = 500, 1e-6

rng = np.random.default_rng(0)
x_np = rng.standard_normal((N, D_in))
y_np = rng.standard_normal((N, D_out))
w1_init = rng.standard_normal((D_in, H))
w2_init = rng.standard_normal((H, D_out))


# %%
# (a) NumPy, by hand
# ------------------
#
# Forward: :math:`h = x W_1`, :math:`r = \max(h, 0)`, :math:`\hat y = r W_2`,
# :math:`L = \sum (\hat y - y)^2`. Backward, by the chain rule:
# :math:`\partial L/\partial \hat y = 2(\hat y - y)`,
# :math:`\partial L/\partial W_2 = r^\top \partial L/\partial \hat y`,
# :math:`\partial L/\partial r = \partial L/\partial \hat y\, W_2^\top`, zeroed
# where :math:`h < 0`, and :math:`\partial L/\partial W_1 = x^\top \partial L/\partial h`.
def numpy_by_hand(x, y, w1, w2):
    w1, w2 = w1.copy(), w2.copy()
    losses = []
    for _ in range(STEPS):
        h = x @ w1
        h_relu = np.maximum(h, 0)
        y_pred = h_relu @ w2
        loss = np.square(y_pred - y).sum()
        losses.append(loss)

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.T @ grad_y_pred
        grad_h = grad_y_pred @ w2.T
        grad_h[h < 0] = 0
        grad_w1 = x.T @ grad_h

        w1 -= LR * grad_w1
        w2 -= LR * grad_w2
    return losses


# %%
# (b) PyTorch tensors, by hand
# ----------------------------
#
# The same code with tensors: ``@``, ``clamp`` and ``.t()`` in place of NumPy's
# operators. The tensors could live on a GPU; the gradients are still ours.
def tensors_by_hand(x, y, w1, w2):
    w1, w2 = w1.clone(), w2.clone()
    losses = []
    for _ in range(STEPS):
        h = x @ w1
        h_relu = h.clamp(min=0)
        y_pred = h_relu @ w2
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())

        grad_y_pred = 2.0 * (y_pred - y)
        grad_w2 = h_relu.t() @ grad_y_pred
        grad_h = grad_y_pred @ w2.t()
        grad_h[h < 0] = 0
        grad_w1 = x.t() @ grad_h

        w1 -= LR * grad_w1
        w2 -= LR * grad_w2
    return losses


# %%
# (c) Autograd
# ------------
#
# Mark the weights ``requires_grad`` and call ``loss.backward()``: the
# hand-written backward pass disappears. The update runs under ``torch.no_grad()`` so
# that it is not itself recorded, and the gradients are zeroed after use.
def with_autograd(x, y, w1, w2):
    w1 = w1.clone().requires_grad_()
    w2 = w2.clone().requires_grad_()
    losses = []
    for _ in range(STEPS):
        y_pred = (x @ w1).clamp(min=0) @ w2
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= LR * w1.grad
            w2 -= LR * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return losses


# %%
# (d) ``nn.Sequential`` and ``torch.optim``
# -----------------------------------------
#
# Layers, loss and update rule all come from the library. ``nn.Linear`` stores
# its weight as (out, in), hence the transposes when we load our initial weights.
def with_nn_and_optim(x, y, w1, w2):
    model = torch.nn.Sequential(
        torch.nn.Linear(D_in, H, bias=False),
        torch.nn.ReLU(),
        torch.nn.Linear(H, D_out, bias=False),
    ).double()
    with torch.no_grad():
        model[0].weight.copy_(w1.t())
        model[2].weight.copy_(w2.t())
    loss_fn = torch.nn.MSELoss(reduction="sum")
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for _ in range(STEPS):
        loss = loss_fn(model(x), y)
        losses.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return losses


# %%
# Run all four
# ------------
x_t, y_t = torch.from_numpy(x_np), torch.from_numpy(y_np)
w1_t, w2_t = torch.from_numpy(w1_init), torch.from_numpy(w2_init)
ways = {
    "(a) NumPy, by hand": (numpy_by_hand, (x_np, y_np, w1_init, w2_init)),
    "(b) tensors, by hand": (tensors_by_hand, (x_t, y_t, w1_t, w2_t)),
    "(c) autograd": (with_autograd, (x_t, y_t, w1_t, w2_t)),
    "(d) nn + optim": (with_nn_and_optim, (x_t, y_t, w1_t, w2_t)),
}
results = {}
for name, (fn, args) in ways.items():
    results[name] = losses = fn(*args)
    print(name)
    for step in range(99, STEPS, 100):
        print(f"    step {step + 1:3d}  loss {losses[step]:.6g}")


# %%
# The four agree
# --------------
#
# Lines of code count each function's non-blank, non-comment lines, from its
# own source, so the table follows the code above if it is ever edited.
def lines_of_code(fn):
    lines = inspect.getsource(fn).splitlines()
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


reference = results["(a) NumPy, by hand"]
print(f"{'way':24s} {'final loss':>12s} {'max rel. diff to (a)':>22s} {'lines':>6s}")
for name, (fn, _) in ways.items():
    losses = np.array(results[name])
    diff = np.max(np.abs(losses - reference) / np.abs(reference))
    print(f"{name:24s} {losses[-1]:12.6g} {diff:22.1e} {lines_of_code(fn):6d}")

# %%
# The loss curves lie on top of each other:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 3.5))
for name, losses in results.items():
    ax.semilogy(losses, label=name, linewidth=1.5)
ax.set_xlabel("step")
ax.set_ylabel("sum of squared errors")
ax.legend()
ax.set_title("Four implementations, one loss curve")
fig.tight_layout()
