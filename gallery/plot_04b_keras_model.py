"""
One network, three declarations: Keras, PyTorch and NumPy
=========================================================

Readers often arrive from Keras. The same 784-128-10 sigmoid network declared
three ways (Keras 3 running on its PyTorch backend, ``nnguide.pytorch`` and
``nnguide.scratch``), each trained for one epoch on MNIST with the same
settings: SGD with momentum 0.9, learning rate 0.1, batches of 64. What
differs is what each declaration leaves to the library.
"""

# %%
# The data
# --------
#
# All three read the same arrays: MNIST's training images as rows of 784 pixels
# in [0, 1], and its test images.
import os
import time

os.environ.setdefault("KERAS_BACKEND", "torch")  # Keras 3 on PyTorch: no TensorFlow needed


from nnguide.data import load_dataset, to_features

dataset = load_dataset()
x_train, y_train = to_features(dataset.train[0]), dataset.train[1]
x_test, y_test = to_features(dataset.test[0]), dataset.test[1]

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
        keras.Input(shape=(784,)),
        keras.layers.Dense(128, activation="sigmoid"),
        keras.layers.Dense(10),
    ]
)
keras_model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
start = time.perf_counter()
keras_model.fit(x_train, y_train, batch_size=64, epochs=1, shuffle=True, verbose=0)
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

torch_model = pytorch.MLP((784, 128, 10), "sigmoid", seed=0)
torch_optimizer = torch.optim.SGD(torch_model.parameters(), lr=0.1, momentum=0.9)
tensors = [
    (torch.from_numpy(x), torch.from_numpy(y)) for x, y in [(x_train, y_train), (x_test, y_test)]
]
(torch_record,) = pytorch.fit(torch_model, torch_optimizer, *tensors, epochs=1, batch_size=64)

# %%
# NumPy
# -----
#
# The same two calls on the NumPy side; behind them, every layer's backward
# pass is written by hand.
from nnguide import scratch

numpy_model = scratch.MLP((784, 128, 10), "sigmoid", seed=0)
numpy_optimizer = scratch.SGD(numpy_model.parameters(), lr=0.1, momentum=0.9)
arrays = [(x_train, y_train), (x_test, y_test)]
(numpy_record,) = scratch.fit(numpy_model, numpy_optimizer, *arrays, epochs=1, batch_size=64)

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
# their accuracies may differ for that reason alone; and the epoch times are
# single epochs on a shared machine, not a benchmark (the speed page is).
from nnguide.lab.tables import Table

rows = [
    [
        "Keras 3 (PyTorch backend)",
        keras_model.count_params(),
        str([tuple(w.shape) for w in keras_model.get_weights()][:2]),
        f"{100 * keras_accuracy:.2f}%",
        f"{keras_seconds:.1f}",
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
Table(
    ["declaration", "parameters", "first layer's shapes", "test accuracy after 1 epoch", "seconds"],
    rows,
)

# %%
# The test accuracy of each after its one epoch:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 2.6))
names = ["Keras", "nnguide.pytorch", "nnguide.scratch"]
accuracies = [
    100 * keras_accuracy,
    100 * torch_record["test_accuracy"],
    100 * numpy_record["test_accuracy"],
]
ax.barh(names, accuracies, color=["#d62728", "#ee4c2c", "#4c72b0"])
ax.set(xlabel="test accuracy after one epoch (%)", xlim=(min(accuracies) - 2, 100))
for y, value in enumerate(accuracies):
    ax.text(value + 0.1, y, f"{value:.2f}%", va="center")
fig.tight_layout()
plt.show()
