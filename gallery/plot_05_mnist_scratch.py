"""
MNIST from scratch
==================

A network with one hidden layer of sigmoid units, written in NumPy alone,
trained by mini-batch SGD with momentum on every MNIST training image the page
loads and scored on every test image (the page prints how many of each). Every
gradient is derived by hand in the guide's ``nnguide.scratch`` folder; the
training loop is written out below. The page "MNIST in PyTorch" trains the
same network with the same settings, so the two loops can be read line for
line.
"""

# %%
# The data
# --------
#
# ``nnguide.data.load_dataset`` finds (or downloads) the four MNIST files,
# checks their SHA-256 sums and parses them with NumPy. Each image becomes a row
# of its pixel values, scaled to [0, 1].
import time

import numpy as np

from nnguide import scratch, settings
from nnguide.data import load_dataset, to_features

dataset = load_dataset()
(train_images, y_train), (test_images, y_test) = dataset.train, dataset.test
x_train, x_test = to_features(train_images), to_features(test_images)
print(f"{dataset.name}: train {x_train.shape}, test {x_test.shape}, {x_train.dtype}")

# %%
# The network
# -----------
#
# Two linear layers with a sigmoid between them. The weights start as PyTorch's
# ``nn.Linear`` would start them, drawn from U(-1/√fan_in, 1/√fan_in), from seed 0.
# The last layer outputs logits; the loss applies the softmax.
model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
print(model)
print("parameters:", sum(p.size for p in model.parameters()))

# %%
# Training
# --------
#
# Each step takes a batch of ``BATCH_SIZE`` images, runs the network forward,
# computes the softmax cross-entropy and its gradient with respect to the
# logits, ``(softmax(logits) - onehot) / n`` for a batch of n images (the last
# batch of an epoch holds whatever is left over), sends that gradient backward
# through every layer, and moves each parameter against its gradient (SGD with
# momentum, at the ``LR`` and ``MOMENTUM`` below). Each epoch visits the images
# in the order ``scratch.batch_order`` draws from seed 0, the order the PyTorch
# page uses too.
from nnguide.scratch.losses import cross_entropy

# NNGUIDE_SHORT_RUN=1, set where a copy of this page is only tested, trains
# fewer epochs; the result below says how many ran.
FULL_EPOCHS = 10
EPOCHS = 1 if settings.short_run() else FULL_EPOCHS
BATCH_SIZE, LR, MOMENTUM = 64, 0.1, 0.9
optimizer = scratch.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
log = {"train_loss": [], "test_accuracy": [], "seconds": []}

for epoch in range(1, EPOCHS + 1):
    order = scratch.batch_order(len(x_train), seed=0, epoch=epoch - 1)
    start = time.perf_counter()
    losses = []
    for i in range(0, len(order), BATCH_SIZE):
        idx = order[i : i + BATCH_SIZE]
        x, y = x_train[idx], y_train[idx]
        # Forward
        logits = model.forward(x)
        loss, grad = cross_entropy(logits, y)
        # Backward
        grads = model.backward(grad)
        # Update
        optimizer.step(grads)
        losses.append(loss)
    seconds = time.perf_counter() - start
    test_loss, test_accuracy = scratch.evaluate(model, x_test, y_test)
    train_loss = np.mean(losses)
    print(f"epoch {epoch:2d}  loss {train_loss:.4f}  test {test_accuracy:.2%}")
    log["train_loss"].append(train_loss)
    log["test_accuracy"].append(test_accuracy)
    log["seconds"].append(seconds)

# %%
# How long it took
# ----------------
#
# ``nnguide.lab.epoch_time`` computes an epoch's time the way every page of
# this site reports it, with its spread and its rule, which the paragraph
# states. (``Prose``, from the site's lab too, only shows a computed paragraph
# as text rather than as a printed line; the network uses no lab code.)
from nnguide.lab.epoch_time import epoch_time, rule_text
from nnguide.lab.tables import Prose

timing = epoch_time(log["seconds"])
ran = f"{EPOCHS} epoch{'s' * (EPOCHS != 1)} on {len(y_train):,} training images"
if EPOCHS != FULL_EPOCHS:
    ran += f" (a short run: the page trains {FULL_EPOCHS} epochs)"
Prose(
    f"After {ran}, the network classifies **{100 * log['test_accuracy'][-1]:.2f}%** of the "
    f"{len(y_test):,} test images correctly. "
    + timing.sentence("On this build's machine, the training steps")
    + f" {rule_text()}"
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
# The confusion matrix counts each (true digit, predicted digit) pair over the
# test set; the diagonal is what the network got right. Each pair ``(t, p)``
# becomes one number ``10 t + p``, and ``np.bincount`` counts them all at once.
# (The heat map is drawn by the site's ``nnguide.lab.plots``, plain matplotlib
# shared by every page.)
from nnguide.lab import plots

predicted = model.predict(x_test)
matrix = np.bincount(10 * y_test + predicted, minlength=100).reshape(10, 10)
plots.confusion(matrix, title="from scratch (NumPy): test set")
plt.show()
mistakes = matrix - np.diag(np.diag(matrix))  # the diagonal set to 0
worst = np.argsort(-mistakes, axis=None, kind="stable")[:3]  # flat indices of (true, predicted)
Prose(
    "The most frequent mistakes: "
    + "; ".join(f"{mistakes.flat[i]} images of {i // 10} read as {i % 10}" for i in worst)
    + "."
)

# %%
# Some of the misclassified test digits, with the true label and the prediction.
# Many are hard for a person too.
wrong = np.flatnonzero(predicted != y_test)
plots.digits(test_images[wrong], y_test[wrong], predicted[wrong], n=24)
plt.show()

# %%
# Where these numbers come from
# -----------------------------
#
# The machine and the library versions, named by the site's lab the same way on
# every page.
from nnguide.lab.environment import summary

Prose(summary(dataset=dataset.name))
