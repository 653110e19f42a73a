"""
One network, three declarations: Keras, PyTorch and NumPy
=========================================================

Readers often arrive from Keras. The same network, one hidden layer of
sigmoid units, declared three ways (Keras 3, ``nnguide.pytorch`` and
``nnguide.scratch``), each trained on MNIST with the same settings: SGD with
momentum, the same learning rate, epochs and batch size, printed as the page
runs. Keras runs on its PyTorch backend unless ``KERAS_BACKEND`` named another
before the page started; the table names the backend that ran. What differs
is what each declaration leaves to the library.
"""

# %%
# The data
# --------
#
# All three read the same arrays: MNIST's training images as rows of pixels
# in [0, 1], and its test images.
import os
import textwrap
import time

# Keras 3 on PyTorch, no TensorFlow needed; a backend the reader chose wins.
os.environ.setdefault("KERAS_BACKEND", "torch")


from nnguide.data import load_dataset, to_features

SIZES = (784, 128, 10)  # inputs, hidden units, outputs
EPOCHS, BATCH_SIZE, LR, MOMENTUM = 1, 64, 0.1, 0.9

dataset = load_dataset()
x_train, y_train = to_features(dataset.train[0]), dataset.train[1]
x_test, y_test = to_features(dataset.test[0]), dataset.test[1]
print(
    textwrap.fill(
        f"{dataset.name}: {len(y_train):,} training and {len(y_test):,} test images. Each "
        f"declaration trains {EPOCHS} epoch{'s' * (EPOCHS != 1)} with SGD (momentum "
        f"{MOMENTUM}, learning rate {LR}) in batches of {BATCH_SIZE}.",
        79,  # the width of the page's output box
    )
)

# %%
# Keras
# -----
#
# Keras infers each layer's input size and puts the activation inside the
# layer. The output layer has no activation: the loss is told it receives
# logits (``from_logits=True``), as ``torch.nn.functional.cross_entropy`` does.
import keras

keras.utils.set_random_seed(0)
keras_model = keras.Sequential(
    [
        keras.Input(shape=(SIZES[0],)),
        keras.layers.Dense(SIZES[1], activation="sigmoid"),
        keras.layers.Dense(SIZES[2]),
    ]
)
keras_model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=LR, momentum=MOMENTUM),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
start = time.perf_counter()
keras_model.fit(x_train, y_train, batch_size=BATCH_SIZE, epochs=EPOCHS, shuffle=True, verbose=0)
keras_seconds = time.perf_counter() - start
_, keras_accuracy = keras_model.evaluate(x_test, y_test, verbose=0)

# %%
# PyTorch
# -------
#
# ``nnguide.pytorch.MLP`` takes the layer sizes and the hidden activation, and
# ``nnguide.pytorch.fit`` runs the usual loop of forward, ``backward()`` and
# ``optimizer.step()``.
import torch

from nnguide import pytorch

torch_model = pytorch.MLP(SIZES, "sigmoid", seed=0)
torch_optimizer = torch.optim.SGD(torch_model.parameters(), lr=LR, momentum=MOMENTUM)
tensors = [
    (torch.from_numpy(x), torch.from_numpy(y)) for x, y in [(x_train, y_train), (x_test, y_test)]
]
*_, torch_record = pytorch.fit(
    torch_model, torch_optimizer, *tensors, epochs=EPOCHS, batch_size=BATCH_SIZE
)

# %%
# NumPy
# -----
#
# The same two calls on the NumPy side; behind them, every layer's backward
# pass is written by hand.
from nnguide import scratch

numpy_model = scratch.MLP(SIZES, "sigmoid", seed=0)
numpy_optimizer = scratch.SGD(numpy_model.parameters(), lr=LR, momentum=MOMENTUM)
arrays = [(x_train, y_train), (x_test, y_test)]
*_, numpy_record = scratch.fit(
    numpy_model, numpy_optimizer, *arrays, epochs=EPOCHS, batch_size=BATCH_SIZE
)

# %%
# Side by side
# ------------
#
# The three have the same parameters: a weight matrix and a bias vector per
# layer. Keras stores a ``Dense`` kernel as (in, out), like ``nnguide.scratch``;
# ``nn.Linear.weight`` is (out, in), which bites when porting weights. Their
# starting weights differ: Keras draws kernels from the Glorot uniform
# distribution and starts biases at zero, where the other two draw both from
# ``nn.Linear``'s U(-1/√fan_in, 1/√fan_in), each from its own generator. So
# their accuracies may differ for that reason alone; and the times are one
# run each on a shared machine, not a benchmark (the speed page is).
from nnguide.lab.tables import Table

rows = [
    [
        f"Keras {keras.__version__} ({keras.backend.backend()} backend)",
        keras_model.count_params(),
        str([tuple(w.shape) for w in keras_model.get_weights()][:2]),
        f"{100 * keras_accuracy:.2f}%",
        f"{keras_seconds / EPOCHS:.1f}",
    ],
    [
        "nnguide.pytorch",
        sum(p.numel() for p in torch_model.parameters()),
        str([tuple(p.shape) for p in torch_model.parameters()][:2]),
        f"{100 * torch_record['test_accuracy']:.2f}%",
        f"{torch_record['seconds']:.1f}",
    ],
    [
        "nnguide.scratch",
        sum(p.size for p in numpy_model.parameters()),
        str([p.shape for p in numpy_model.parameters()][:2]),
        f"{100 * numpy_record['test_accuracy']:.2f}%",
        f"{numpy_record['seconds']:.1f}",
    ],
]
after = f"after {EPOCHS} epoch{'s' * (EPOCHS != 1)}"
Table(
    ["declaration", "parameters", "first layer's shapes", f"test accuracy {after}", "s / epoch"],
    rows,
)

# %%
# The test accuracy of each after its training:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 2.6))
names = ["Keras", "nnguide.pytorch", "nnguide.scratch"]
accuracies = [
    100 * keras_accuracy,
    100 * torch_record["test_accuracy"],
    100 * numpy_record["test_accuracy"],
]
ax.barh(names, accuracies, color=["#d62728", "#ee4c2c", "#4c72b0"])
ax.set(xlabel=f"test accuracy {after} (%)", xlim=(min(accuracies) - 2, 100))
for y, value in enumerate(accuracies):
    ax.text(value + 0.1, y, f"{value:.2f}%", va="center")
fig.tight_layout()
plt.show()

# %%
# Where these numbers come from
# -----------------------------
#
# The machine and the library versions, named by the site's lab the same way on
# every page.
from nnguide.lab.environment import summary
from nnguide.lab.tables import Prose

Prose(summary(dataset=dataset.name))
