"""
The same network, twice
=======================

Are ``nnguide.scratch`` and ``nnguide.pytorch`` really the same network?
Start both from identical weights, feed them identical batches in the same
order, and compare the loss after every step. Then check the hand-written
gradients two more ways: against finite differences and against
``torch.autograd``.
"""

# %%
# Identical starting points
# -------------------------
#
# ``nnguide.bridge.to_pytorch`` copies the NumPy weights into an
# ``nn.Module`` (transposing each ``W``: ``nn.Linear`` stores (out, in)). Both
# training loops draw their batch order as
# ``np.random.default_rng([seed, epoch]).permutation(n)``, so the same seed
# means the same batches.
import numpy as np
import torch

from nnguide import bridge, pytorch, scratch, settings
from nnguide.data import load_dataset, to_features
from nnguide.scratch.gradcheck import check_model, relative_error

dataset = load_dataset()
# NNGUIDE_SHORT_RUN=1, set where a copy of this page is only tested, trains on
# the first images only; the page says how many.
TRAIN = slice(6_400) if settings.short_run() else slice(None)
EPOCHS, BATCH_SIZE, LR, MOMENTUM = 1, 64, 0.1, 0.9


def train_both(dtype):
    """Train a scratch MLP and its PyTorch twin on the same batches; return both histories."""
    model = scratch.MLP((784, 128, 10), "sigmoid", seed=0, dtype=dtype)
    twin = bridge.to_pytorch(model)
    (x_train, y_train), (x_test, y_test) = dataset.train, dataset.test
    numpy_splits = [
        (to_features(x_train[TRAIN], dtype), y_train[TRAIN]),
        (to_features(x_test, dtype), y_test),
    ]
    torch_splits = [(torch.from_numpy(x), torch.from_numpy(y)) for x, y in numpy_splits]
    kwargs = dict(epochs=EPOCHS, batch_size=BATCH_SIZE, seed=0)
    a = scratch.fit(model, scratch.SGD(model.parameters(), LR, MOMENTUM), *numpy_splits, **kwargs)
    b = pytorch.fit(twin, torch.optim.SGD(twin.parameters(), LR, MOMENTUM), *torch_splits, **kwargs)
    return a[-1], b[-1], model, twin


# %%
# Step by step, in float64 and float32
# ------------------------------------
#
# Each side trains on the same batches with SGD with momentum, first in float64,
# then in float32; what ran:
from nnguide.lab.tables import Prose, Table

trained, available = len(dataset.train[1][TRAIN]), len(dataset.train[1])
Prose(
    f"Each side trained for {EPOCHS} epoch{'s' * (EPOCHS != 1)} on "
    + (f"all {available:,}" if trained == available else f"{trained:,} of the {available:,}")
    + f" training images ({dataset.name})"
    + (", a short run" if trained != available else "")
    + f", in batches of {BATCH_SIZE}, with learning rate {LR} and momentum {MOMENTUM}."
)

# %%

from nnguide.lab.agreement import ROUNDING_EPSILONS  # the claims page's bound, too

runs = {dtype: train_both(dtype) for dtype in ("float64", "float32")}
rows = []
for dtype, (a, b, model, twin) in runs.items():
    losses_a, losses_b = np.array(a["step_losses"]), np.array(b["step_losses"])
    step_diff = np.abs(losses_a - losses_b) / np.abs(losses_b)
    # The claim below, checked: the difference stays within a small multiple of epsilon.
    assert step_diff.max() < ROUNDING_EPSILONS * np.finfo(dtype).eps
    assert bridge.max_difference(model, twin) < ROUNDING_EPSILONS * np.finfo(dtype).eps
    rows.append(
        [
            dtype,
            len(losses_a),
            f"{step_diff.max():.1e}",
            f"{bridge.max_difference(model, twin):.1e}",
            f"{100 * a['test_accuracy']:.2f}%",
            f"{100 * b['test_accuracy']:.2f}%",
        ]
    )
Table(
    [
        "dtype",
        "steps",
        "largest relative loss difference",
        "weights differ by",
        "test accuracy, NumPy",
        "test accuracy, PyTorch",
    ],
    rows,
)

# %%
# The two loss curves lie on top of each other. Their difference stays at the
# level of each type's rounding error (its machine epsilon, below), growing
# slowly as the two libraries round sums in different orders.
import matplotlib.pyplot as plt

Prose(
    "Machine epsilon: " + ", ".join(f"{np.finfo(dtype).eps:.1e} in {dtype}" for dtype in runs) + "."
)

# %%

a, b, *_ = runs["float64"]
fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5.5), sharex=True)
top.plot(a["step_losses"], label="from scratch (NumPy)", linewidth=2.5, alpha=0.6)
top.plot(b["step_losses"], label="PyTorch", linewidth=0.8, linestyle="--")
top.set(ylabel="training loss (float64)", yscale="log")
top.legend()
for dtype, (a, b, *_) in runs.items():
    diff = np.abs(np.array(a["step_losses"]) - np.array(b["step_losses"]))
    diff /= np.array(b["step_losses"])
    bottom.semilogy(np.maximum(diff, 1e-18), ".", markersize=2, label=dtype)
bottom.set(xlabel="training step", ylabel="relative difference")
bottom.legend()
fig.tight_layout()
plt.show()

# %%
# The gradient check table
# ------------------------
#
# For each parameter of the page's network, in float64: the relative error of
# the hand-written gradient against ``torch.autograd``, and, on a network with
# a narrower hidden layer (finite differences cost two forward passes per
# weight), against central finite differences.
x = to_features(dataset.train[0][:32], np.float64)
y = dataset.train[1][:32]
rows = []
for activation in ("sigmoid", "relu"):
    for loss in ("cross_entropy", "quadratic"):
        big = scratch.MLP((784, 128, 10), activation, seed=1, dtype=np.float64)
        _, grads = big.loss_and_grads(x, y, loss)
        twin = bridge.to_pytorch(big)
        pytorch.losses.get_loss(loss)(twin(torch.from_numpy(x)), torch.from_numpy(y)).backward()
        small = scratch.MLP((784, 16, 10), activation, seed=1, dtype=np.float64)
        finite = check_model(small, x[:8], y[:8], loss)
        for g, p, fd in zip(grads, twin.parameters(), finite):
            torch_grad = p.grad.numpy().T if p.ndim == 2 else p.grad.numpy()
            rows.append(
                (activation, loss, fd["name"], relative_error(g, torch_grad), fd["relative_error"])
            )

Table(
    ["activation", "loss", "parameter", "vs autograd", "vs finite differences"],
    [[a, loss, name, f"{t:.1e}", f"{f:.1e}"] for a, loss, name, t, f in rows],
)

# %%
Prose(
    f"The largest relative error: {max(r[3] for r in rows):.1e} against autograd, "
    f"{max(r[4] for r in rows):.1e} against finite differences."
)

# %%
# Where these numbers come from
# -----------------------------
from nnguide.lab.environment import summary

Prose(summary(dataset=dataset.name))
