"""
The same network, twice
=======================

Are :mod:`nnguide.scratch` and :mod:`nnguide.pytorch` really the same network?
Start both from identical weights, feed them identical batches in the same
order, and compare the loss after every step. Then check the hand-written
gradients two more ways: against finite differences and against
``torch.autograd``.
"""

# %%
# Identical starting points
# -------------------------
#
# :meth:`nnguide.pytorch.MLP.from_scratch` copies the NumPy weights into an
# ``nn.Module`` (transposing each ``W``: ``nn.Linear`` stores (out, in)). Both
# training loops draw batches from :func:`nnguide.batching.epoch_batches`, so
# the same seed means the same batches.
import numpy as np
import torch

from nnguide import pytorch, scratch
from nnguide.data import load_dataset, to_features
from nnguide.environment import summary
from nnguide.pytorch.data import to_tensors
from nnguide.scratch.gradcheck import check_model, relative_error

dataset = load_dataset()


def train_both(dtype, *, epochs=1, lr=0.1):
    """Train a scratch MLP and its PyTorch twin on the same batches; return both histories."""
    np_dtype, torch_dtype = np.dtype(dtype), getattr(torch, dtype)
    model = scratch.MLP((784, 128, 10), "sigmoid", seed=0, dtype=np_dtype)
    twin = pytorch.MLP.from_scratch(model)
    numpy_splits = [(to_features(x, np_dtype), y) for x, y in (dataset.train, dataset.test)]
    torch_splits = [to_tensors(x, y, dtype=torch_dtype) for x, y in (dataset.train, dataset.test)]
    kwargs = dict(epochs=epochs, batch_size=64, seed=0, progress=False, log=None)
    a = scratch.fit(model, scratch.SGD(model.params(), lr, momentum=0.9), *numpy_splits, **kwargs)
    b = pytorch.fit(
        twin, torch.optim.SGD(twin.parameters(), lr, momentum=0.9), *torch_splits, **kwargs
    )
    return a, b, model, twin


# %%
# Step by step, in float64 and float32
# ------------------------------------
#
# One epoch on the full training set: 938 steps of SGD with momentum.
runs = {dtype: train_both(dtype) for dtype in ("float64", "float32")}
for dtype, (a, b, model, twin) in runs.items():
    losses_a, losses_b = np.array(a.step_losses), np.array(b.step_losses)
    step_diff = np.abs(losses_a - losses_b) / np.abs(losses_b)
    weights = [(p, q.detach().numpy()) for p, q in zip(model.params(), twin.parameters())]
    param_diff = max(relative_error(p, q.T if q.ndim == 2 else q) for p, q in weights)
    print(
        f"{dtype}: {len(losses_a)} steps; largest relative loss difference "
        f"{step_diff.max():.1e}; weights after the epoch differ by {param_diff:.1e}; "
        f"test accuracy {100 * a.final.test_accuracy:.2f}% (NumPy) vs "
        f"{100 * b.final.test_accuracy:.2f}% (PyTorch)"
    )

# %%
# The two loss curves lie on top of each other. Their difference stays at the
# level of each type's rounding error (its machine epsilon, below), growing
# slowly as the two libraries round sums in different orders.
import matplotlib.pyplot as plt

for dtype in runs:
    print(f"machine epsilon of {dtype}: {np.finfo(dtype).eps:.1e}")

a, b, *_ = runs["float64"]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
top.plot(a.step_losses, label="from scratch (NumPy)", linewidth=2.5, alpha=0.6)
top.plot(b.step_losses, label="PyTorch", linewidth=0.8, linestyle="--")
top.set(ylabel="training loss (float64)", yscale="log")
top.legend()
for dtype, (a, b, *_) in runs.items():
    diff = np.abs(np.array(a.step_losses) - np.array(b.step_losses)) / np.array(b.step_losses)
    bottom.semilogy(np.maximum(diff, 1e-18), ".", markersize=2, label=dtype)
bottom.set(xlabel="training step", ylabel="relative difference")
bottom.legend()
fig.tight_layout()

# %%
# The gradient check table
# ------------------------
#
# For each parameter of the 784-128-10 network, in float64: the relative error
# of the hand-written gradient against ``torch.autograd``, and, on a smaller
# 784-16-10 network (finite differences cost two forward passes per weight),
# against central finite differences.
x = to_features(dataset.train[0][:32], np.float64)
y = dataset.train[1][:32]
rows = []
for activation in ("sigmoid", "relu"):
    for loss in ("cross_entropy", "mse"):
        big = scratch.MLP((784, 128, 10), activation, seed=1, dtype=np.float64)
        _, grads = big.loss_and_grads(x, y, loss)
        twin = pytorch.MLP.from_scratch(big)
        pytorch.losses.get_loss(loss)(twin(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        small = scratch.MLP((784, 16, 10), activation, seed=1, dtype=np.float64)
        finite = check_model(small, x[:8], y[:8], loss)
        for g, p, fd in zip(grads, twin.parameters(), finite):
            torch_grad = p.grad.numpy().T if p.ndim == 2 else p.grad.numpy()
            rows.append(
                (activation, loss, fd["name"], relative_error(g, torch_grad), fd["relative_error"])
            )

print(f"{'activation':10s} {'loss':14s} {'param':5s} {'vs autograd':>12s} {'vs finite diff.':>16s}")
for activation, loss, name, vs_torch, vs_fd in rows:
    print(f"{activation:10s} {loss:14s} {name:5s} {vs_torch:12.1e} {vs_fd:16.1e}")
print(
    f"largest: {max(r[3] for r in rows):.1e} against autograd, "
    f"{max(r[4] for r in rows):.1e} against finite differences"
)

# %%
# Where these numbers come from
# -----------------------------
print(summary(dataset=dataset.name))
