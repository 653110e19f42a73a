"""Bad input to the Python API fails at once, with a TypeError or ValueError
that names the problem, on both sides of the guide, alike.

The inputs are tried by class, in tables: labels, features, shapes (layer
sizes), hyperparameters, and the API around the guide (the bridge, the lab's
``TrainConfig`` and the loader's ``to_features``). Each row expects a clear
``TypeError`` or ``ValueError`` whose message contains a given phrase; a silent
acceptance (no error), a warning instead of an error (NumPy's ``ComplexWarning``),
or an error from deep inside (``IndexError``, ``AttributeError``,
``ZeroDivisionError``, a message about "mat1 and mat2") fails the test. A guide
side's message names only what a copied folder has: never ``nnguide``.

``python tests/test_api_inputs.py`` prints the tally: inputs tried, clear
errors, silent acceptances, unhelpful crashes.
"""

import importlib
import re
import warnings

import numpy as np
import pytest
import torch

from nnguide import bridge, pytorch, scratch
from nnguide.data import to_features
from nnguide.lab.experiment import TrainConfig

pytestmark = pytest.mark.filterwarnings("error")  # a warning is not an answer

N = 16
SIZES = (784, 16, 10)
RNG = np.random.default_rng(0)
X = RNG.random((N, 784))
Y = np.arange(N) % 10
GOOD_X, GOOD_Y = object(), object()  # "the good batch of this side"


class Side:
    """One side of the guide, with good defaults for every argument but the one tried."""

    def __init__(self, name):
        self.name = name
        self.lib = scratch if name == "scratch" else pytorch
        self.other = torch.from_numpy if name == "scratch" else np.asarray

    def __repr__(self):
        return self.name

    def tensor(self, a):
        """``a`` as this side's array type (NumPy array or tensor)."""
        return a if self.name == "scratch" else torch.from_numpy(np.asarray(a))

    def x(self, a=X):
        return self.tensor(a)

    def y(self, a=Y):
        return self.tensor(a)

    def model(self, sizes=SIZES, activation="relu", **kwargs):
        return self.lib.MLP(sizes, activation, **{"seed": 0, "dtype": "float64", **kwargs})

    def optimizer(self, model=None, name="sgd", lr=0.1, momentum=None, params=None):
        params = (
            (self.model() if model is None else model).parameters() if params is None else params
        )
        return self.lib.make_optimizer(name, params, lr, momentum)

    def step(self, x=GOOD_X, y=GOOD_Y, loss="cross_entropy", model=None):
        model = self.model() if model is None else model
        x = self.x() if x is GOOD_X else x
        y = self.y() if y is GOOD_Y else y
        return self.lib.train_step(model, self.optimizer(model), x, y, loss)

    def fit(self, train=None, test=None, **kwargs):
        model = self.model()
        train = (self.x(), self.y()) if train is None else train
        test = (self.x(), self.y()) if test is None else test
        kwargs = {"epochs": 1, "batch_size": 8, **kwargs}
        return self.lib.fit(model, self.optimizer(model), train, test, **kwargs)

    def evaluate(self, x=GOOD_X, y=GOOD_Y, loss="cross_entropy", model=None):
        x = self.x() if x is GOOD_X else x
        y = self.y() if y is GOOD_Y else y
        return self.lib.evaluate(model or self.model(), x, y, loss)


SIDES = [Side("scratch"), Side("pytorch")]


def with_value(a, index, value):
    a = a.copy()
    a[index] = value
    return a


def spoilt(value):
    """The good features with one ``value`` (NaN, inf) among them."""
    return with_value(X, (4, 2), value)


# Each table row: (what is tried, a call on one side, the error, a phrase of its message).
V, T = ValueError, TypeError
POSITIVE = "must be a positive"
SEED = "seed must be a non-negative integer"
NAN = "holds 1 NaN or infinite"
FRACTION = r"must be a number in \[0, 1\)"
TWO_SIZES = "at least two positive"
UINT8 = r"convert it with x\.(astype\(np|to\(torch)\.float64\) / 255 \(pixels of 0\.\.255"
ADAM_MOMENTUM = "momentum applies to SGD only: leave it out for optimizer 'adam'"

LABELS = [
    ("float labels", lambda s: s.step(y=s.y(Y.astype(float))), T, "class indices"),
    ("bool labels", lambda s: s.step(y=s.y(Y % 2 == 0)), T, "class indices"),
    ("string labels", lambda s: s.step(y=Y.astype(str)), T, "class indices|y must be"),
    ("complex labels", lambda s: s.step(y=s.y(Y + 0j)), T, "class indices"),
    ("label 10 of 10 classes", lambda s: s.step(y=s.y(with_value(Y, 3, 10))), V, "0..9"),
    ("label -1", lambda s: s.step(y=s.y(with_value(Y, 3, -1))), V, "0..9"),
    ("one-hot labels", lambda s: s.step(y=s.y(np.eye(10, dtype=int)[Y])), V, "one-hot"),
    ("a column of labels", lambda s: s.step(y=s.y(Y[:, None])), V, r"shape \(16,\)"),
    ("one label too few", lambda s: s.step(y=s.y(Y[:-1])), V, r"shape \(16,\)"),
    ("a single label", lambda s: s.step(y=s.y(np.array(3))), V, r"shape \(16,\)"),
    ("a list of labels", lambda s: s.step(y=list(Y)), T, "y must be"),
    ("no labels (None)", lambda s: s.step(y=None), T, "y must be"),
    ("the other side's labels", lambda s: s.step(y=s.other(Y)), T, "y must be"),
    ("float labels in fit", lambda s: s.fit((s.x(), s.y(Y * 1.0))), T, "class indices"),
    ("label 10 in evaluate", lambda s: s.evaluate(y=s.y(with_value(Y, 0, 10))), V, "0..9"),
]

FEATURES = [
    ("a list of rows", lambda s: s.step(x=X.tolist()), T, "x must be"),
    ("None", lambda s: s.step(x=None), T, "x must be"),
    ("the other side's array", lambda s: s.step(x=s.other(X)), T, "x must be"),
    ("784 pixels as one row", lambda s: s.step(x=s.x(X[0])), V, r"reshape\(1, -1\)"),
    ("images not flattened", lambda s: s.step(x=s.x(X.reshape(N, 28, 28))), V, "Flatten"),
    ("100 columns", lambda s: s.step(x=s.x(X[:, :100])), V, r"\(N, 784\), got \(16, 100\)"),
    ("float32 into a float64 model", lambda s: s.step(x=s.x(X.astype(np.float32))), T, "dtype"),
    ("uint8 images", lambda s: s.step(x=s.x((X * 255).astype(np.uint8))), T, UINT8),
    ("int64 features", lambda s: s.step(x=s.x(X.astype(np.int64))), T, "dtype int64"),
    ("complex features", lambda s: s.step(x=s.x(X + 1j)), T, "complex"),
    ("string features", lambda s: s.step(x=X.astype(str)), T, "x must"),
    ("an empty batch", lambda s: s.step(x=s.x(X[:0]), y=s.y(Y[:0])), V, "empty"),
    ("NaN in the training set", lambda s: s.fit((s.x(spoilt(np.nan)), s.y())), V, NAN),
    ("inf in the training set", lambda s: s.fit((s.x(spoilt(np.inf)), s.y())), V, NAN),
    ("NaN in the test set", lambda s: s.fit(test=(s.x(spoilt(np.nan)), s.y())), V, NAN),
    ("-inf in evaluate", lambda s: s.evaluate(x=s.x(spoilt(-np.inf))), V, NAN),
    ("NaN in evaluate", lambda s: s.evaluate(x=s.x(spoilt(np.nan))), V, NAN),
    ("an empty training set", lambda s: s.fit((s.x(X[:0]), s.y(Y[:0]))), V, "empty"),
    ("an empty test set", lambda s: s.fit(test=(s.x(X[:0]), s.y(Y[:0]))), V, "empty"),
    ("more rows than labels in fit", lambda s: s.fit((s.x(), s.y(Y[:-3]))), V, r"\(16,\)"),
    ("train without labels", lambda s: s.fit(s.x()), T, r"train must be a pair \(x, y\)"),
    ("test as three arrays", lambda s: s.fit(test=[s.x(), s.y(), s.y()]), T, "test must be a pair"),
    ("complex features in fit", lambda s: s.fit((s.x(X + 0j), s.y())), T, "complex"),
]

SHAPES = [
    ("one size only", lambda s: s.model(sizes=(784,)), V, TWO_SIZES),
    ("a zero width", lambda s: s.model(sizes=(784, 0, 10)), V, TWO_SIZES),
    ("a negative width", lambda s: s.model(sizes=(784, -5, 10)), V, TWO_SIZES),
    ("a fractional width", lambda s: s.model(sizes=(784, 12.5, 10)), V, TWO_SIZES),
    ("a bool width", lambda s: s.model(sizes=(784, True, 10)), V, TWO_SIZES),
    ("a bare integer", lambda s: s.model(sizes=784), V, TWO_SIZES),
    ("a string", lambda s: s.model(sizes="784,16,10"), V, TWO_SIZES),
    ("None", lambda s: s.model(sizes=None), V, TWO_SIZES),
    ("a 100-input model", lambda s: s.step(model=s.model(sizes=(100, 10))), V, r"\(N, 100\)"),
    ("a 3-class model", lambda s: s.evaluate(model=s.model(sizes=(784, 3))), V, "0..2"),
]

HYPERPARAMETERS = [
    ("activation 'tanh'", lambda s: s.model(activation="tanh"), V, "unknown activation 'tanh'"),
    ("activation None", lambda s: s.model(activation=None), V, "unknown activation"),
    ("init 'xavier'", lambda s: s.model(init="xavier"), V, "unknown init 'xavier'"),
    ("dtype float16", lambda s: s.model(dtype="float16"), V, "unknown dtype"),
    ("dtype int32", lambda s: s.model(dtype="int32"), V, "unknown dtype"),
    ("dtype complex128", lambda s: s.model(dtype="complex128"), V, "unknown dtype"),
    ("dtype None", lambda s: s.model(dtype=None), V, "unknown dtype"),
    ("dtype 'garbage'", lambda s: s.model(dtype="garbage"), V, "unknown dtype"),
    ("seed -1", lambda s: s.model(seed=-1), V, SEED),
    ("seed 1.5", lambda s: s.model(seed=1.5), V, SEED),
    ("seed '0'", lambda s: s.model(seed="0"), V, SEED),
    ("seed None", lambda s: s.model(seed=None), V, SEED),
    ("seed 2**64", lambda s: s.model(seed=2**64), V, SEED),
    ("optimizer 'rmsprop'", lambda s: s.optimizer(name="rmsprop"), V, "unknown optimizer"),
    ("optimizer None", lambda s: s.optimizer(name=None), V, "unknown optimizer"),
    ("lr 0", lambda s: s.optimizer(lr=0), V, "lr " + POSITIVE),
    ("lr -0.1", lambda s: s.optimizer(lr=-0.1), V, "lr " + POSITIVE),
    ("lr NaN", lambda s: s.optimizer(lr=float("nan")), V, "lr " + POSITIVE),
    ("lr inf", lambda s: s.optimizer(lr=float("inf")), V, "lr " + POSITIVE),
    ("lr '0.1'", lambda s: s.optimizer(lr="0.1"), V, "lr " + POSITIVE),
    ("lr None", lambda s: s.optimizer(lr=None), V, "lr " + POSITIVE),
    ("lr True", lambda s: s.optimizer(lr=True), V, "lr " + POSITIVE),
    ("lr 1+0j", lambda s: s.optimizer(lr=1 + 0j), V, "lr " + POSITIVE),
    ("momentum 1", lambda s: s.optimizer(momentum=1.0), V, "momentum " + FRACTION),
    ("momentum 1.5", lambda s: s.optimizer(momentum=1.5), V, "momentum " + FRACTION),
    ("momentum -0.1", lambda s: s.optimizer(momentum=-0.1), V, "momentum " + FRACTION),
    ("momentum NaN", lambda s: s.optimizer(momentum=float("nan")), V, "momentum must be"),
    ("momentum '0.9'", lambda s: s.optimizer(momentum="0.9"), V, "momentum must be"),
    ("momentum with adam", lambda s: s.optimizer(name="adam", momentum=0.9), V, ADAM_MOMENTUM),
    ("momentum 0 with adam", lambda s: s.optimizer(name="adam", momentum=0.0), V, ADAM_MOMENTUM),
    ("the model, not its parameters", lambda s: s.optimizer(params=s.model()), T, "parameters"),
    ("no parameters", lambda s: s.optimizer(params=[]), V, "no parameters"),
    ("epochs 0", lambda s: s.fit(epochs=0), V, "epochs " + POSITIVE),
    ("epochs -1", lambda s: s.fit(epochs=-1), V, "epochs " + POSITIVE),
    ("epochs 1.5", lambda s: s.fit(epochs=1.5), V, "epochs " + POSITIVE),
    ("epochs '3'", lambda s: s.fit(epochs="3"), V, "epochs " + POSITIVE),
    ("epochs None", lambda s: s.fit(epochs=None), V, "epochs " + POSITIVE),
    ("batch_size 0", lambda s: s.fit(batch_size=0), V, "batch_size " + POSITIVE),
    ("batch_size -8", lambda s: s.fit(batch_size=-8), V, "batch_size " + POSITIVE),
    ("batch_size 2.5", lambda s: s.fit(batch_size=2.5), V, "batch_size " + POSITIVE),
    ("batch_size True", lambda s: s.fit(batch_size=True), V, "batch_size " + POSITIVE),
    ("fit seed -1", lambda s: s.fit(seed=-1), V, SEED),
    ("fit seed None", lambda s: s.fit(seed=None), V, SEED),
    ("on_epoch not callable", lambda s: s.fit(on_epoch=5), T, "on_epoch must be"),
    ("loss 'hinge' in fit", lambda s: s.fit(loss="hinge"), V, "unknown loss 'hinge'"),
    ("loss 'mse' in train_step", lambda s: s.step(loss="mse"), V, "unknown loss 'mse'"),
    ("loss None in evaluate", lambda s: s.evaluate(loss=None), V, "unknown loss"),
]

# The NumPy side's own optimizer classes (the PyTorch side uses torch.optim's).
MLP64 = scratch.MLP(SIZES, dtype="float64")
SCRATCH_OPTIMIZERS = [
    ("SGD lr 0", lambda p: scratch.SGD(p, 0), V, "lr " + POSITIVE),
    ("SGD momentum 1", lambda p: scratch.SGD(p, 0.1, momentum=1), V, "momentum must be"),
    ("SGD over an array", lambda p: scratch.SGD(p[0], 0.1), T, r"parameters\(\)"),
    ("Adam lr -1", lambda p: scratch.Adam(p, -1), V, "lr " + POSITIVE),
    ("Adam betas (1, 0.999)", lambda p: scratch.Adam(p, betas=(1.0, 0.999)), V, "betas"),
    ("Adam betas (0.9,)", lambda p: scratch.Adam(p, betas=(0.9,)), V, "betas must be a pair"),
    ("Adam betas 0.9", lambda p: scratch.Adam(p, betas=0.9), V, "betas must be a pair"),
    ("Adam betas (0.9, 1.5)", lambda p: scratch.Adam(p, betas=(0.9, 1.5)), V, "betas"),
    ("Adam eps -1", lambda p: scratch.Adam(p, eps=-1), V, "eps must be"),
    ("Adam eps NaN", lambda p: scratch.Adam(p, eps=float("nan")), V, "eps must be"),
    ("Adam over no parameters", lambda p: scratch.Adam([]), V, "no parameters"),
    ("loss_and_grads, labels None", lambda p: MLP64.loss_and_grads(X, None), T, "y must be"),
    ("loss_and_grads, float labels", lambda p: MLP64.loss_and_grads(X, Y / 1), T, "class indices"),
    ("loss_and_grads, loss 'l1'", lambda p: MLP64.loss_and_grads(X, Y, "l1"), V, "unknown loss"),
    ("predict on a list", lambda p: scratch.MLP(SIZES).predict(X.tolist()), T, "x must be"),
]


def scratch_params():
    return scratch.MLP(SIZES, seed=0).parameters()


def pytorch_model(**kwargs):
    return pytorch.MLP(SIZES, seed=0, **kwargs)


def scratch_model(**kwargs):
    return scratch.MLP(SIZES, seed=0, **kwargs)


BRIDGE = [
    (
        "to_pytorch of a PyTorch model",
        lambda: bridge.to_pytorch(pytorch_model()),
        T,
        "nnguide.scratch.MLP",
    ),
    (
        "to_scratch of a NumPy model",
        lambda: bridge.to_scratch(scratch_model()),
        T,
        "nnguide.pytorch.MLP",
    ),
    ("to_pytorch of a string", lambda: bridge.to_pytorch("model.json"), T, "nnguide.scratch.MLP"),
    (
        "to_scratch of a torch Sequential",
        lambda: bridge.to_scratch(torch.nn.Sequential(torch.nn.Linear(784, 10))),
        T,
        "nnguide.pytorch.MLP",
    ),
    (
        "to_pytorch on device 'nonsense'",
        lambda: bridge.to_pytorch(scratch_model(), device="nonsense"),
        V,
        "not one PyTorch knows",
    ),
    (
        "pytorch.MLP on device 'nonsense'",
        lambda: pytorch_model(device="nonsense"),
        V,
        "not one PyTorch knows",
    ),
]
if not torch.cuda.is_available():
    BRIDGE.append(
        (
            "to_pytorch on 'cuda' without a GPU",
            lambda: bridge.to_pytorch(scratch_model(), device="cuda"),
            V,
            "needs a CUDA GPU",
        )
    )

TRAIN_CONFIG = [
    ("impl 'jax'", dict(impl="jax"), V, "unknown impl 'jax'"),
    ("activation 'tanh'", dict(activation="tanh"), V, "unknown activation"),
    ("hidden 0", dict(hidden=(128, 0)), V, "hidden width must be a positive integer"),
    ("hidden '128'", dict(hidden="128"), V, "hidden must be"),
    ("hidden None", dict(hidden=None), V, "hidden must be"),
    ("epochs 0", dict(epochs=0), V, "epochs " + POSITIVE),
    ("batch_size 0", dict(batch_size=0), V, "batch_size " + POSITIVE),
    ("lr -1", dict(lr=-1.0), V, "lr " + POSITIVE),
    ("lr '0.1'", dict(lr="0.1"), V, "lr " + POSITIVE),
    ("momentum 1.5", dict(momentum=1.5), V, "momentum must be"),
    ("momentum with adam", dict(optimizer="adam", momentum=0.9), V, ADAM_MOMENTUM),
    ("optimizer 'lbfgs'", dict(optimizer="lbfgs"), V, "unknown optimizer"),
    ("loss 'hinge'", dict(loss="hinge"), V, "unknown loss"),
    ("init 'xavier'", dict(init="xavier"), V, "unknown init"),
    ("dtype float16", dict(dtype="float16"), V, "unknown dtype"),
    ("seed -1", dict(seed=-1), V, SEED),
    ("seed 2**32", dict(seed=2**32), V, SEED),
    ("device 'cuda' for NumPy", dict(impl="scratch", device="cuda"), V, "CPU only"),
    (
        "device 'nonsense' for PyTorch",
        dict(impl="pytorch", device="nonsense"),
        V,
        "not one PyTorch knows",
    ),
]

IMAGES = (X[:4].reshape(4, 28, 28) * 255).astype(np.uint8)
TO_FEATURES = [
    ("float images", lambda: to_features(IMAGES / 255), T, "must be uint8"),
    ("flat images", lambda: to_features(IMAGES.reshape(4, 784)), V, r"shape \(N, 28, 28\)"),
    ("a list of int images", lambda: to_features(IMAGES.astype(int).tolist()), T, "must be uint8"),
    ("complex images", lambda: to_features(IMAGES + 0j), T, "must be uint8"),
    ("dtype int32", lambda: to_features(IMAGES, dtype=np.int32), T, "floating-point"),
    ("dtype complex64", lambda: to_features(IMAGES, dtype=np.complex64), T, "floating-point"),
]


def sided(table):
    """The rows of ``table``, each once on each side."""
    return [
        pytest.param(side, call, error, phrase, id=f"{side}-{name}")
        for name, call, error, phrase in table
        for side in SIDES
    ]


def unsided(table):
    return [pytest.param(call, error, phrase, id=name) for name, call, error, phrase in table]


@pytest.mark.parametrize(
    ("side", "call", "error", "phrase"),
    sided(LABELS) + sided(FEATURES) + sided(SHAPES) + sided(HYPERPARAMETERS),
)
def test_the_guide_refuses_bad_input(side, call, error, phrase):
    with pytest.raises(error, match=phrase) as refused:
        call(side)
    assert "nnguide" not in str(refused.value)  # a copied folder has no nnguide package


# Batches that forward refuses, on each side, as model(x) does: (what, batch, error, phrase).
BAD_BATCHES = [
    ("100 columns", X[:, :100], V, r"x must have shape \(N, 784\), got \(16, 100\)\.$"),
    ("images not flattened", X.reshape(N, 28, 28), V, r"Flatten images first"),
    ("one row of 784", X[0], V, r"For one example, use x.reshape\(1, -1\)"),
    ("float32 into a float64 model", X.astype(np.float32), T, "has dtype float32 but the model"),
    ("an empty batch", X[:0], V, "x is empty"),
    ("complex numbers", X + 1j, T, r"x is complex \(complex128\)"),
]


@pytest.mark.parametrize(
    ("side", "x", "error", "phrase"),
    [pytest.param(s, x, e, p, id=f"{s}-{n}") for n, x, e, p in BAD_BATCHES for s in SIDES],
)
def test_forward_checks_its_batch_on_both_sides(side, x, error, phrase):
    model = side.model()
    for call in (model.forward, model):  # model(x) is forward(x), on each side
        with pytest.raises(error, match=phrase):
            call(side.x(x))


def test_forward_refuses_the_other_sides_array():
    with pytest.raises(TypeError, match="x must be a NumPy array, got Tensor"):
        SIDES[0].model().forward(torch.from_numpy(X))
    with pytest.raises(TypeError, match="x must be a tensor, got ndarray"):
        SIDES[1].model().forward(X)


def test_momentum_not_given():
    """Not given, momentum is plain SGD's 0 in make_optimizer; TrainConfig picks 0.9 for SGD."""
    assert scratch.make_optimizer("sgd", scratch_params(), 0.1).momentum == 0
    torch_sgd = pytorch.make_optimizer("sgd", pytorch_model().parameters(), 0.1)
    assert torch_sgd.param_groups[0]["momentum"] == 0
    assert scratch.make_optimizer("sgd", scratch_params(), 0.1, 0.5).momentum == 0.5
    assert TrainConfig().momentum == 0.9
    assert TrainConfig(momentum=0.5).momentum == 0.5
    assert TrainConfig(optimizer="adam").momentum is None


@pytest.mark.parametrize(("call", "error", "phrase"), unsided(SCRATCH_OPTIMIZERS))
def test_scratch_optimizers(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call(scratch_params())


@pytest.mark.parametrize(("call", "error", "phrase"), unsided(BRIDGE))
def test_bridge(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


@pytest.mark.parametrize(
    ("kwargs", "error", "phrase"),
    [pytest.param(kwargs, error, phrase, id=name) for name, kwargs, error, phrase in TRAIN_CONFIG],
)
def test_train_config(kwargs, error, phrase):
    with pytest.raises(error, match=phrase):
        TrainConfig(**kwargs)


@pytest.mark.parametrize(("call", "error", "phrase"), unsided(TO_FEATURES))
def test_to_features(call, error, phrase):
    with pytest.raises(error, match=phrase):
        call()


# What the checks must not refuse: the equivalent spellings a user will write.
GOOD = [
    ("sizes as a NumPy array", lambda s: s.model(sizes=np.array(SIZES))),
    ("sizes as a list of NumPy ints", lambda s: s.model(sizes=[np.int64(n) for n in SIZES])),
    (
        "lr and momentum as NumPy floats",
        lambda s: s.optimizer(lr=np.float32(0.1), momentum=np.float64(0.5)),
    ),
    (
        "epochs and batch_size as NumPy ints",
        lambda s: s.fit(epochs=np.int64(1), batch_size=np.int32(8)),
    ),
    ("seed as a NumPy int", lambda s: s.model(seed=np.int64(3))),
    ("adam with momentum not given", lambda s: s.optimizer(name="adam", momentum=None)),
    ("a batch larger than the dataset", lambda s: s.fit(batch_size=1000)),
    ("the largest seed", lambda s: s.model(seed=2**32 - 1)),
]


@pytest.mark.parametrize(
    ("side", "call"),
    [pytest.param(side, call, id=f"{side}-{name}") for name, call in GOOD for side in SIDES],
)
def test_equivalent_spellings_are_accepted(side, call):
    call(side)


def test_scratch_dtype_spellings():
    for dtype in ("float32", np.float32, np.dtype("float64"), "float64"):
        assert scratch.MLP(SIZES, dtype=dtype).dtype.name == np.dtype(dtype).name
    for dtype in ("float32", torch.float64):
        assert pytorch.MLP(SIZES, dtype=dtype).dtype in (torch.float32, torch.float64)


@pytest.mark.parametrize("side", SIDES, ids=str)
def test_datasets_are_checked_once_not_per_step(side, monkeypatch):
    """``fit`` checks each dataset (and the NaN scan) once per epoch at most, never per step."""
    module = importlib.import_module(f"nnguide.{side.name}.train")
    calls = []

    def counting(x, *args):
        calls.append(len(x))
        return check(x, *args)

    check = module.check_dataset
    monkeypatch.setattr(module, "check_dataset", counting)
    side.fit(epochs=2, batch_size=2)  # 8 steps an epoch
    # The training and test sets as they enter fit, then the test set in each epoch's evaluate.
    assert calls == [N, N, N, N]


def tally():
    """Run every row outside pytest and count its outcome by class."""
    classes = {
        "labels": [
            (f"{s}-{n}", lambda c=c, s=s: c(s), e, p) for n, c, e, p in LABELS for s in SIDES
        ],
        "features": [
            (f"{s}-{n}", lambda c=c, s=s: c(s), e, p) for n, c, e, p in FEATURES for s in SIDES
        ],
        "shapes": [
            (f"{s}-{n}", lambda c=c, s=s: c(s), e, p) for n, c, e, p in SHAPES for s in SIDES
        ],
        "hyperparameters": [
            (f"{s}-{n}", lambda c=c, s=s: c(s), e, p)
            for n, c, e, p in HYPERPARAMETERS
            for s in SIDES
        ]
        + [(n, lambda c=c: c(scratch_params()), e, p) for n, c, e, p in SCRATCH_OPTIMIZERS],
        "bridge, TrainConfig, to_features": BRIDGE
        + [(n, lambda k=k: TrainConfig(**k), e, p) for n, k, e, p in TRAIN_CONFIG]
        + TO_FEATURES,
    }
    totals = [0, 0, 0, 0]
    print(f"{'class':34} {'tried':>5} {'clear':>5} {'silent':>6} {'crash':>5}")
    for name, rows in classes.items():
        counts = [len(rows), 0, 0, 0]
        for label, call, error, phrase in rows:
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                try:
                    call()
                except (TypeError, ValueError) as err:
                    if isinstance(err, error) and re.search(phrase, str(err)):
                        counts[1] += 1
                        continue
                    outcome = f"unhelpful {type(err).__name__}: {err}"
                    counts[3] += 1
                except Warning as err:
                    outcome = f"silent but for a {type(err).__name__}"
                    counts[2] += 1
                except Exception as err:  # noqa: BLE001 (the point is to see every kind)
                    outcome = f"unhelpful {type(err).__name__}: {err}"
                    counts[3] += 1
                else:
                    outcome = "silently accepted"
                    counts[2] += 1
            print(f"    {label}: {outcome}"[:200])
        totals = [t + c for t, c in zip(totals, counts)]
        print(f"{name:34} {counts[0]:5} {counts[1]:5} {counts[2]:6} {counts[3]:5}")
    print(f"{'all':34} {totals[0]:5} {totals[1]:5} {totals[2]:6} {totals[3]:5}")


if __name__ == "__main__":
    tally()
