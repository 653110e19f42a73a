"""
MNIST from scratch
==================

The network of Michael Nielsen's book, vectorized: 784 inputs, 128 sigmoid
hidden units, 10 outputs with softmax, trained by mini-batch SGD on all 60,000
MNIST training images and scored on all 10,000 test images. Every gradient is
derived by hand in :mod:`nnguide.scratch`; nothing here needs PyTorch.
"""

# %%
# The data
# --------
#
# :func:`nnguide.data.load_dataset` finds (or downloads) the four MNIST files,
# checks their SHA-256 sums and parses them with NumPy. Each image becomes a row
# of 784 pixel values in [0, 1].
import inspect

import numpy as np

from nnguide import plots, scratch
from nnguide.data import load_dataset, to_features
from nnguide.environment import summary
from nnguide.metrics import confusion_matrix, top_confusions

dataset = load_dataset()
(train_images, y_train), (test_images, y_test) = dataset.train, dataset.test
x_train, x_test = to_features(train_images), to_features(test_images)
print(f"{dataset.name}: train {x_train.shape} {x_train.dtype}, test {x_test.shape}")

# %%
# The network
# -----------
#
# Two linear layers with a sigmoid between them. Weights start as PyTorch's
# ``nn.Linear`` would start them, U(-1/√fan_in, 1/√fan_in), so the comparison
# with the PyTorch page is fair.
model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
print(model)
print("parameters:", [p.shape for p in model.params()])
print("count:", sum(p.size for p in model.params()))

# %%
# One training step is three lines: the forward and backward passes inside
# :meth:`~nnguide.scratch.MLP.loss_and_grads`, then the update. This is the
# code that runs:
print(inspect.getsource(scratch.train_step))
print(inspect.getsource(scratch.MLP.backward))

# %%
# Training
# --------
#
# SGD with momentum 0.9, learning rate 0.1, batches of 64, ten epochs. Each log
# line gives the epoch's mean training loss, the test loss and accuracy after it,
# and the seconds its training steps took.
EPOCHS = 10
optimizer = scratch.SGD(model.params(), lr=0.1, momentum=0.9)
history = scratch.fit(
    model,
    optimizer,
    (x_train, y_train),
    (x_test, y_test),
    epochs=EPOCHS,
    batch_size=64,
    seed=0,
    progress=False,
    log=print,
    dataset=dataset.name,
)
seconds = sum(e.seconds for e in history.epochs)
print(
    f"final test accuracy {100 * history.final.test_accuracy:.2f}% "
    f"after {EPOCHS} epochs, {seconds:.1f} s of training"
)

# %%
# Learning curves
# ---------------
plots.learning_curves({"from scratch (NumPy), sigmoid": history})

# %%
plots.step_losses({"from scratch (NumPy), sigmoid": history})

# %%
# Where it goes wrong
# -------------------
#
# The confusion matrix counts each (true digit, predicted digit) pair over the
# test set; the diagonal is what the network got right.
predicted = model.predict(x_test)
matrix = confusion_matrix(y_test, predicted)
plots.confusion(matrix, title="from scratch (NumPy): test set")
for count, true, pred in top_confusions(matrix):
    print(f"{count:3d} images of {true} read as {pred}")

# %%
# Some of the misclassified test digits, with the true label and the prediction.
# Many are hard for a person too.
wrong = np.flatnonzero(predicted != y_test)
print(f"{len(wrong)} of {len(y_test)} test images misclassified")
plots.digits(test_images[wrong], y_test[wrong], predicted[wrong], n=24)

# %%
# Where these numbers come from
# -----------------------------
print(summary(dataset=dataset.name))
