"""
MNIST from scratch
==================

A network of 784 inputs, 128 sigmoid hidden units and 10 outputs, written in
NumPy alone, trained by mini-batch SGD with momentum on all 60,000 MNIST
training images and scored on all 10,000 test images. Every gradient is
derived by hand in the guide's ``nnguide.scratch`` folder; the training loop is
written out below. The page "MNIST in PyTorch" trains the same network with the
same settings, so the two loops can be read line for line.
"""

# %%
# The data
# --------
#
# ``nnguide.data.load_dataset`` finds (or downloads) the four MNIST files,
# checks their SHA-256 sums and parses them with NumPy. Each image becomes a row
# of 784 pixel values in [0, 1].
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
# Each step takes a batch of 64 images, runs the network forward, computes the
# softmax cross-entropy and its gradient with respect to the logits,
# ``(softmax(logits) - onehot) / n`` for a batch of n images (64; the last
# batch of an epoch holds the 32 left over), sends that gradient backward through
# every layer, and moves each parameter against its gradient (SGD with
# momentum 0.9, learning rate 0.1). Each epoch visits the images in the order
# ``scratch.batch_order`` draws from seed 0, the order the PyTorch page uses too.
from nnguide.scratch.losses import cross_entropy

# (NNGUIDE_SHORT_RUN=1, set where a copy of this page is only tested, trains one epoch.)
EPOCHS = 1 if settings.short_run() else 10
BATCH_SIZE = 64
optimizer = scratch.SGD(model.parameters(), lr=0.1, momentum=0.9)
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
# The median epoch is the honest figure on a shared machine: an epoch that took
# more than three times as long was slowed by something else running, and is
# named, not averaged in. (``Prose``, from the site's lab, only shows a computed
# paragraph as text rather than as a printed line; the network uses no lab code.)
from nnguide.lab.tables import Prose

median = float(np.median(log["seconds"]))
disturbed = [e + 1 for e, s in enumerate(log["seconds"]) if s > 3 * median]
Prose(
    f"After {EPOCHS} epochs the network classifies "
    f"**{100 * log['test_accuracy'][-1]:.2f}%** of the {len(y_test):,} test images correctly. "
    f"The median epoch's training steps took {median:.2f} s on this build's machine"
    + (f"; epochs {disturbed} took over three times the median: disturbed." if disturbed else ".")
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
worst = np.argsort(-mistakes, axis=None, kind="stable")[:3]  # flat indices, 10 * true + predicted
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
