"""
MNIST in PyTorch
================

The network of the page "MNIST from scratch", with the same settings, written
the way the PyTorch tutorials write it: the data through
``torchvision.datasets.MNIST`` and a ``DataLoader``, a ``torch.nn.Module``,
gradients from autograd and the update from ``torch.optim``. Then the same
loop fed from tensors held in memory, and why that second form is the one the
site's comparisons use.
"""

# %%
# The data, the tutorials' way
# ----------------------------
#
# ``torchvision.datasets.MNIST`` reads the four MNIST files; ``ToTensor`` turns
# each image into a float tensor in [0, 1] when the ``DataLoader`` asks for it,
# and the loader stacks ``BATCH_SIZE`` of them into a batch, in a new random
# order every epoch. ``nnguide.data.torchvision_mnist`` hands torchvision the
# files nnguide has checked against their SHA-256 sums (torchvision is never
# asked to download).
import time

import numpy as np
import torch
from torch.utils.data import DataLoader
from torchvision.transforms import ToTensor

from nnguide import pytorch, settings
from nnguide.data import torchvision_mnist

BATCH_SIZE, LR, MOMENTUM = 64, 0.1, 0.9
train_set = torchvision_mnist("train", transform=ToTensor())
test_set = torchvision_mnist("test", transform=ToTensor())
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)
images, labels = next(iter(train_loader))
print(f"{len(train_set)} training images; a batch: {tuple(images.shape)}, {images.dtype}")

# %%
# The network
# -----------
#
# ``pytorch.MLP`` is an ``nn.Module`` holding ``Linear(784, 128) → Sigmoid →
# Linear(128, 10)``; its weights are drawn from ``nn.Linear``'s own
# distribution by PyTorch's generator from seed 0: the distribution the NumPy
# page draws from, not the same numbers (the page "The same network, twice"
# starts both sides from identical weights).
device = "cuda" if torch.cuda.is_available() else "cpu"
model = pytorch.MLP((784, 128, 10), "sigmoid", seed=0, device=device)
print(model)
print("parameters:", sum(p.numel() for p in model.parameters()))

# %%
# One epoch with the DataLoader
# -----------------------------
#
# Autograd replaces the hand-written backward pass: ``loss.backward()`` fills
# every parameter's ``.grad``, and ``optimizer.step()`` applies SGD with
# momentum. Each image arrives as a (channel, height, width) tensor and is
# flattened to one row of pixels.
loss_fn = torch.nn.functional.cross_entropy
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)

start = time.perf_counter()
for x, y in train_loader:
    x, y = x.reshape(len(x), -1).to(device), y.to(device)
    # Forward
    loss = loss_fn(model(x), y)
    # Backward
    optimizer.zero_grad()
    loss.backward()
    # Update
    optimizer.step()
loader_seconds = time.perf_counter() - start
print(f"one epoch through the DataLoader: {loader_seconds:.1f} s")

# %%
# The same loop from tensors in memory
# ------------------------------------
#
# MNIST fits in memory many times over. torchvision already holds each split as
# one uint8 tensor (``.data``) with its labels (``.targets``): scale it to
# [0, 1] once, and each batch is then a single indexing operation instead of
# one conversion per image and a collation. The batches are drawn in the order
# ``pytorch.batch_order`` gives, the order the NumPy page draws.
x_train = train_set.data.reshape(-1, 784).float().div(255).to(device)
y_train = train_set.targets.to(device)
x_test = test_set.data.reshape(-1, 784).float().div(255).to(device)
y_test = test_set.targets.to(device)

# NNGUIDE_SHORT_RUN=1, set where a copy of this page is only tested, trains
# fewer epochs; the result below says how many ran.
FULL_EPOCHS = 10
EPOCHS = 1 if settings.short_run() else FULL_EPOCHS
model = pytorch.MLP((784, 128, 10), "sigmoid", seed=0, device=device)  # a fresh start
optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
log = {"train_loss": [], "test_accuracy": [], "seconds": []}

for epoch in range(1, EPOCHS + 1):
    order = torch.from_numpy(pytorch.batch_order(len(x_train), seed=0, epoch=epoch - 1))
    order = order.to(device)
    start = time.perf_counter()
    losses = []
    for i in range(0, len(order), BATCH_SIZE):
        idx = order[i : i + BATCH_SIZE]
        x, y = x_train[idx], y_train[idx]
        # Forward
        loss = loss_fn(model(x), y)
        # Backward
        optimizer.zero_grad()
        loss.backward()
        # Update
        optimizer.step()
        losses.append(loss.item())
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = pytorch.evaluate(model, x_test, y_test)
    train_loss = np.mean(losses)
    print(f"epoch {epoch:2d}  loss {train_loss:.4f}  test {test_accuracy:.2%}")
    log["train_loss"].append(train_loss)
    log["test_accuracy"].append(test_accuracy)
    log["seconds"].append(seconds)

# %%
# Why the comparison feeds tensors from memory
# --------------------------------------------
#
# The per-image pipeline converts every image on every epoch, work the
# NumPy network never does (it reads a batch with ``x_train[idx]``). Timing the
# network, not the data pipeline, means feeding both sides the same way.
# ``nnguide.lab.epoch_time`` computes an epoch's time the way every page of
# this site reports it, with its spread and its rule, which the paragraph
# states. (``Prose``, from the site's lab too, only shows a computed paragraph
# as text rather than as a printed line; the network uses no lab code.)
from nnguide.lab.epoch_time import epoch_time, rule_text
from nnguide.lab.tables import Prose

timing = epoch_time(log["seconds"])
ran = f"{EPOCHS} epoch{'s' * (EPOCHS != 1)}"
if EPOCHS != FULL_EPOCHS:
    ran += f" (a short run: the page trains {FULL_EPOCHS} epochs)"
Prose(
    f"On this build's machine one epoch through the DataLoader took {loader_seconds:.1f} s. "
    + timing.sentence("Training from in-memory tensors")
    + f" The DataLoader epoch took **{timing.ratio(loader_seconds)}** (one run of each, not "
    "interleaved). "
    + rule_text()
    + f" After {ran}, the network classifies **{100 * log['test_accuracy'][-1]:.2f}%** of "
    f"the {len(y_test):,} test images correctly. The speed page measures the two pipelines "
    "again, interleaved and with intervals."
)

# %%
# Learning curves
# ---------------
import matplotlib.pyplot as plt

fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
epochs = range(1, EPOCHS + 1)
left.plot(epochs, log["train_loss"], "o-")
left.set(xlabel="epoch", ylabel="mean training loss", yscale="log")
right.plot(epochs, [100 * a for a in log["test_accuracy"]], "o-")
right.set(xlabel="epoch", ylabel="test accuracy (%)")
fig.tight_layout()
plt.show()

# %%
# Where it goes wrong
# -------------------
#
# The confusion matrix, counted as on the NumPy page: each (true, predicted)
# pair becomes one number ``10 t + p``, and ``torch.bincount`` counts them.
# (The heat map is drawn by the site's ``nnguide.lab.plots``, plain matplotlib
# shared by every page.)
from nnguide.lab import plots

predicted = model.predict(x_test)
matrix = torch.bincount(10 * y_test + predicted, minlength=100).reshape(10, 10).cpu().numpy()
plots.confusion(matrix, title="PyTorch: test set")
plt.show()
mistakes = matrix - np.diag(np.diag(matrix))  # the diagonal set to 0
worst = np.argsort(-mistakes, axis=None, kind="stable")[:3]  # flat indices of (true, predicted)
Prose(
    "The most frequent mistakes: "
    + "; ".join(f"{mistakes.flat[i]} images of {i // 10} read as {i % 10}" for i in worst)
    + "."
)

# %%
# Where these numbers come from
# -----------------------------
#
# The machine and the library versions, named by the site's lab the same way on
# every page.
from nnguide.lab.environment import summary

Prose(summary(dataset="MNIST"))
