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
# in [0, 1], and its test images. Each declaration is a function of
# ``nnguide.lab.declarations``: the page shows its source, read from the
# package, then runs it, and the claims page counts the same functions. The
# libraries are imported here, before anything is timed: Keras's first import
# (which imports its backend) takes seconds that no declaration should be
# charged for.
import textwrap
import time

from nnguide import pytorch, scratch  # noqa: F401  imported before timing, as Keras is
from nnguide.data import load_dataset, to_features
from nnguide.lab import declarations  # sets KERAS_BACKEND to torch where the reader set none
from nnguide.lab.listing import Listing

print(f"Keras imported, on its {declarations.keras_backend()} backend")  # imports it now

EPOCHS, BATCH_SIZE, LR, MOMENTUM = 1, 64, 0.1, 0.9
SETTINGS = dict(epochs=EPOCHS, batch_size=BATCH_SIZE, lr=LR, momentum=MOMENTUM, seed=0)

dataset = load_dataset()
train = to_features(dataset.train[0]), dataset.train[1]
test = to_features(dataset.test[0]), dataset.test[1]
print(
    textwrap.fill(
        f"{dataset.name}: {len(train[1]):,} training and {len(test[1]):,} test images. Each "
        f"declaration trains {EPOCHS} epoch{'s' * (EPOCHS != 1)} with SGD (momentum "
        f"{MOMENTUM}, learning rate {LR}) in batches of {BATCH_SIZE}.",
        79,  # the width of the page's output box
    )
)
results = {}  # way -> (trained model, test accuracy, seconds to declare, train and evaluate)


def declare_train_evaluate(way):
    start = time.perf_counter()
    model, accuracy = declarations.WAYS[way](train, test, **SETTINGS)
    results[way] = model, accuracy, time.perf_counter() - start


# %%
# Keras
# -----
#
# Keras infers each layer's input size and puts the activation inside the
# layer. The output layer has no activation: the loss is told it receives
# logits (``from_logits=True``), as ``torch.nn.functional.cross_entropy`` does.
declare_train_evaluate("keras")
Listing(declarations.with_keras)

# %%
# PyTorch
# -------
#
# ``nnguide.pytorch.MLP`` takes the layer sizes and the hidden activation, and
# ``nnguide.pytorch.fit`` runs the usual loop of forward, ``backward()`` and
# ``optimizer.step()``.
declare_train_evaluate("pytorch")
Listing(declarations.with_pytorch)

# %%
# NumPy
# -----
#
# The same two calls on the NumPy side; behind them, every layer's backward
# pass is written by hand.
declare_train_evaluate("scratch")
Listing(declarations.with_numpy)

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
# run each on a shared machine, not a benchmark (the speed page is), each
# after the libraries were imported.
import keras

from nnguide.lab.tables import Table

NAMES = {
    "keras": f"Keras {keras.__version__} ({declarations.keras_backend()} backend)",
    "pytorch": "nnguide.pytorch",
    "scratch": "nnguide.scratch",
}


def first_layer_shapes(model) -> str:
    """The shapes of the first weight and bias, as the model stores them."""
    weights = model.get_weights() if hasattr(model, "get_weights") else model.parameters()
    return str([tuple(w.shape) for w in weights][:2])


rows = [
    [
        NAMES[way],
        f"{declarations.parameter_count(model):,}",
        first_layer_shapes(model),
        f"{100 * accuracy:.2f}%",
        f"{seconds:.1f}",
    ]
    for way, (model, accuracy, seconds) in results.items()
]
after = f"after {EPOCHS} epoch{'s' * (EPOCHS != 1)}"
Table(
    [
        "declaration",
        "parameters",
        "first layer's shapes",
        f"test accuracy {after}",
        "seconds to declare, train and evaluate",
    ],
    rows,
)

# %%
# Equal accuracies need not mean equal answers: the number of test images on
# which each pair's predictions differ.
import numpy as np

from nnguide.lab.tables import Prose

predicted = {way: declarations.predictions(model, test[0]) for way, (model, *_) in results.items()}
ways = list(results)
pairs = [(a, b) for i, a in enumerate(ways) for b in ways[i + 1 :]]
differ = {(a, b): int(np.sum(predicted[a] != predicted[b])) for a, b in pairs}
right = {way: predicted[way] == test[1] for way in ways}
same_score = [(a, b) for a, b in pairs if right[a].sum() == right[b].sum() and differ[a, b]]
Prose(
    f"Of the {len(test[1]):,} test images, "
    + "; ".join(
        f"{NAMES[a].split(' (')[0]} and {NAMES[b]} predict differently on {differ[a, b]:,}"
        for a, b in pairs
    )
    + "."
    + "".join(
        f" {NAMES[a].split(' (')[0]} and {NAMES[b]} score the same, "
        f"{100 * right[a].mean():.2f}%, with different answers: each is right on "
        f"{int(right[a].sum()):,} images, both on {int((right[a] & right[b]).sum()):,}."
        for a, b in same_score
    )
)

# %%
# The test accuracy of each after its training, on an axis that starts at 0,
# so that each bar's length is its accuracy and the gaps keep their size:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(6, 2.6))
colours = {"keras": "#d62728", "pytorch": "#ff7f0e", "scratch": "#4c72b0"}
accuracies = [100 * accuracy for _, accuracy, _ in results.values()]
ax.barh(
    [NAMES[way].split(" (")[0] for way in results],
    accuracies,
    color=[colours[way] for way in results],
)
ax.set(xlabel=f"test accuracy {after} (%)", xlim=(0, 100))
ax.set_title(f"Test accuracy {after}, by declaration", fontsize=10)
for y, value in enumerate(accuracies):
    ax.text(value - 1, y, f"{value:.2f}%", va="center", ha="right", color="white")
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
