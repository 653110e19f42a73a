"""One network declared, trained and evaluated three ways: Keras, the guide's PyTorch, its NumPy.

Gallery page 4b shows the three side by side; the claims page counts them.
Each function below is all the code its way needs, beyond what its library
and the guide provide: the same 784-128-10 sigmoid network, trained with SGD
with momentum on batches, then scored on the test set. They take features
as :func:`nnguide.data.to_features` makes them (float32 rows of 784 pixels in
[0, 1]) and integer labels, and return the trained model and its test accuracy.

Keras runs on the backend that ``KERAS_BACKEND`` names, PyTorch's when it
names none (importing this module sets it then); :func:`keras_backend` says
which ran.
"""

from __future__ import annotations

import os

# Keras 3 on PyTorch: no TensorFlow needed. A reader's own choice wins.
os.environ.setdefault("KERAS_BACKEND", "torch")

#: The modules each side of the guide relies on besides its library, which a
#: reader of the guide writes. Keras relies on nothing but Keras.
GUIDE_MODULES = {
    "pytorch": (
        "nnguide.pytorch.model",
        "nnguide.pytorch.losses",
        "nnguide.pytorch.optimizers",
        "nnguide.pytorch.train",
    ),
    "scratch": (
        "nnguide.scratch.layers",
        "nnguide.scratch.model",
        "nnguide.scratch.losses",
        "nnguide.scratch.optimizers",
        "nnguide.scratch.train",
    ),
}


def keras_backend() -> str:
    """The backend Keras runs on in this process."""
    import keras

    return keras.backend.backend()


# fmt: off
# Formatted by hand within 79 columns: page 4b shows these three functions, and
# a longer line would not fit its code box.
def with_keras(train, test, *, epochs, batch_size, lr, momentum, seed):
    """The network in Keras: declared, compiled, fitted and evaluated."""
    import keras

    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(128, activation="sigmoid"),
            keras.layers.Dense(10),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=lr, momentum=momentum),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    model.fit(*train, batch_size=batch_size, epochs=epochs, verbose=0)
    _, accuracy = model.evaluate(*test, verbose=0)
    return model, accuracy


def with_pytorch(train, test, *, epochs, batch_size, lr, momentum, seed):
    """The guide's PyTorch side: ``MLP``, ``torch.optim.SGD`` and ``fit``."""
    import torch

    from nnguide import pytorch

    model = pytorch.MLP((784, 128, 10), "sigmoid", seed=seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)
    tensors = [(torch.from_numpy(x), torch.from_numpy(y))
               for x, y in (train, test)]
    records = pytorch.fit(model, optimizer, *tensors,
                          epochs=epochs, batch_size=batch_size)
    return model, records[-1]["test_accuracy"]


def with_numpy(train, test, *, epochs, batch_size, lr, momentum, seed):
    """The guide's NumPy side: ``MLP``, ``SGD`` and ``fit``."""
    from nnguide import scratch

    model = scratch.MLP((784, 128, 10), "sigmoid", seed=seed)
    optimizer = scratch.SGD(model.parameters(), lr=lr, momentum=momentum)
    records = scratch.fit(model, optimizer, train, test,
                          epochs=epochs, batch_size=batch_size)
    return model, records[-1]["test_accuracy"]


# fmt: on


#: The three ways, by the side of the comparison each stands for.
WAYS = {"keras": with_keras, "pytorch": with_pytorch, "scratch": with_numpy}


def parameter_count(model) -> int:
    """The number of trainable values in a model of any of the three ways."""
    if hasattr(model, "count_params"):  # Keras
        return int(model.count_params())
    if hasattr(model, "named_parameters"):  # torch.nn.Module
        return sum(p.numel() for p in model.parameters())
    return sum(p.size for p in model.parameters())  # nnguide.scratch.MLP


def predictions(model, x):
    """The class each of the three ways' models predicts for each row of ``x``.

    ``x`` holds features as :func:`nnguide.data.to_features` makes them; the
    result is a NumPy array of integer labels, whichever way made the model.
    """
    import numpy as np

    if hasattr(model, "count_params"):  # Keras: class scores, as NumPy
        scores = model.predict(x, batch_size=1024, verbose=0)
        return np.asarray(scores).argmax(axis=1)
    if hasattr(model, "named_parameters"):  # torch.nn.Module
        import torch

        return model.predict(torch.from_numpy(x)).numpy()
    return model.predict(x)  # nnguide.scratch.MLP
