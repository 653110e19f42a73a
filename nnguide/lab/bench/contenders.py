"""The contenders: each way of training the network that the harness times.

Every contender trains the same network (784-H-10, sigmoid, SGD with
momentum) on the same batches of MNIST, gathered each step in the order the
guide's :func:`nnguide.scratch.batch_order` draws. A contender is a factory:
``make(x, y, hidden, batch_size)`` builds a fresh network and returns
``run(epoch, n_batches)``, which trains on the first ``n_batches`` of that
epoch's batches and returns the seconds spent producing them (or None).

Each contender has a stable key and a role (what the pages compare it as);
its label is only what a reader sees. Pages and reports find contenders by
role, never by label.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

LR, MOMENTUM = 0.1, 0.9

#: The roles the pages compare, each with the role it is compared against
#: (None: a reference itself). The three main rows are "plain", "tuned" and "torch".
REFERENCES = {
    "plain": None,
    "tuned": "plain",
    "torch": None,
    "per_example": "plain",
    "float64": "plain",
    "dataloader": "torch",
    "compiled": "torch",
    "gpu": "torch",
}
MAIN = ("plain", "tuned", "torch")

#: What a reader sees for each role.
LABELS = {
    "plain": "NumPy, guide network (plain), float32",
    "tuned": "NumPy, tuned in place, float32",
    "torch": "PyTorch eager, in-memory tensors",
    "per_example": "NumPy, per-example loop",
    "float64": "NumPy, guide network, float64",
    "dataloader": "PyTorch eager, DataLoader over torchvision MNIST with ToTensor",
    "compiled": "PyTorch, torch.compile",
    "gpu": "PyTorch eager on the GPU, in-memory tensors",
}


@dataclass(frozen=True)
class Contender:
    """One way of training the network, as :func:`nnguide.lab.bench.harness.measure` times it.

    Parameters
    ----------
    key : str
        Its name in a record (the pages find it by ``role``).
    make : callable
        ``make(x, y, hidden, batch_size) -> run`` (see the module's docstring).
    role : str
        What it is compared as, a key of :data:`REFERENCES` (or any string in tests).
    label : str
        What a reader sees.
    library : str, optional
        The library whose threads do the work: "numpy" or "torch".
    compiles : bool
        Whether its first step compiles (its time is reported apart).
    images : int, optional
        Images to time per repeat (None: a full epoch).
    threads : int, optional
        Threads of its library while it runs (None: leave them as they are).
    batch_size, hidden : int, optional
        Its own batch size or hidden width, where it differs from the measurement's.
    """

    key: str
    make: Callable
    role: str = ""
    label: str = ""
    library: str | None = None
    compiles: bool = False
    images: int | None = None
    threads: int | None = None
    batch_size: int | None = None
    hidden: int | None = None

    def at(self, threads: int | None) -> Contender:
        """The same contender on ``threads`` threads."""
        return replace(self, threads=threads)


class TimedBatches:
    """The first ``n`` of ``batches``, adding up in ``seconds`` the time spent producing them.

    What the iterator does inside ``next()`` (gather rows, run a DataLoader,
    convert images) is data loading; the rest of the loop is training.
    """

    def __init__(self, batches, n: int):
        self.batches, self.n, self.seconds = batches, n, 0.0

    def __iter__(self):
        batches = iter(self.batches)
        for _ in range(self.n):
            start = time.perf_counter()
            batch = next(batches, None)
            self.seconds += time.perf_counter() - start
            if batch is None:
                return
            yield batch


@functools.lru_cache(maxsize=16)
def batches_of(n: int, batch_size: int, epoch: int) -> tuple[np.ndarray, ...]:
    """The whole batches of ``epoch`` (seed 0) in the guide's order, computed once.

    The harness asks for each round's order before timing it, so that drawing
    the permutation is not timed.
    """
    from nnguide.scratch import batch_order

    order = batch_order(n, 0, epoch)
    whole = n - n % batch_size
    return tuple(order[i : i + batch_size] for i in range(0, whole, batch_size))


def per_example_step(model, optimizer, x, y) -> None:
    """One step of :class:`nnguide.scratch.MLP` with its gradient summed one example at a time.

    The loop of Nielsen's book (a forward and a backward pass per example),
    applied to the guide network and its cross-entropy: what vectorizing saves.
    """
    total = [np.zeros_like(p) for p in model.parameters()]
    for i in range(len(x)):
        _, grads = model.loss_and_grads(x[i : i + 1], y[i : i + 1])
        total = [t + g for t, g in zip(total, grads)]
    optimizer.step([t / len(x) for t in total])


def numpy_contender(dtype="float32", *, per_example: bool = False, step=None):
    """The guide's NumPy network, vectorized (or Nielsen's per-example loop).

    Batches are gathered as :func:`nnguide.scratch.fit` gathers them, ``x[idx]``.
    ``step``, a function with :func:`nnguide.scratch.train_step`'s arguments,
    replaces the guide's step (page 10 passes the autograd engine's).
    """

    def make(x, y, hidden, batch_size):
        from nnguide import scratch

        x = x.astype(dtype)
        model = scratch.MLP((784, hidden, 10), "sigmoid", seed=0, dtype=dtype)
        optimizer = scratch.SGD(model.parameters(), LR, momentum=MOMENTUM)
        train = step or (per_example_step if per_example else scratch.train_step)

        def run(epoch, n_batches):
            gathered = ((x[idx], y[idx]) for idx in batches_of(len(x), batch_size, epoch))
            timed = TimedBatches(gathered, n_batches)
            for xb, yb in timed:
                train(model, optimizer, xb, yb)
            return timed.seconds

        return run

    return make


def tuned_contender():
    """The NumPy network tuned in place (:class:`nnguide.lab.tuned.TunedSigmoidMLP`)."""

    def make(x, y, hidden, batch_size):
        from nnguide import scratch
        from nnguide.lab.tuned import TunedSigmoidMLP

        start = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
        net = TunedSigmoidMLP(start, batch_size, lr=LR, momentum=MOMENTUM)

        def run(epoch, n_batches):
            gathered = (net.gather(x, y, idx) for idx in batches_of(len(x), batch_size, epoch))
            timed = TimedBatches(gathered, n_batches)
            for xb, yb in timed:
                net.step(xb, yb)
            return timed.seconds

        return run

    return make


def torch_contender(
    feed: str = "tensors", *, device: str = "cpu", compile: bool = False, data_dir=None
):
    """The PyTorch network, fed by ``feed``.

    ``"tensors"``: batches sliced from in-memory tensors, as
    :func:`nnguide.pytorch.fit` slices them.
    ``"dataloader"``: the tutorials' way, a :class:`~torch.utils.data.DataLoader`
    over ``torchvision.datasets.MNIST`` with ``ToTensor``, one image at a time,
    from the MNIST files in ``data_dir`` (found as :func:`nnguide.data.load_dataset` finds them).
    """

    def make(x, y, hidden, batch_size):
        import torch

        from nnguide import pytorch

        x_t = torch.from_numpy(x).to(device=device, dtype=torch.float32)
        y_t = torch.from_numpy(y).to(device)
        model = pytorch.MLP((784, hidden, 10), "sigmoid", seed=0, device=device)
        optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
        if compile:
            # Inductor warns that this machine has no CUDA runtime: true, and beside the point.
            logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
            torch._dynamo.reset()  # compile afresh, so that each row reports its compile time
        # The guide's own step, checks included, as the NumPy contenders run
        # theirs; compiled, it calls the compiled module in the same step.
        network = torch.compile(model) if compile else model
        sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

        def step(xb, yb):
            pytorch.train_step(network, optimizer, xb, yb)

        if feed == "dataloader":
            from torchvision import transforms

            from nnguide.data import torchvision_mnist

            dataset = torchvision_mnist("train", transform=transforms.ToTensor(), data_dir=data_dir)
            generator = torch.Generator().manual_seed(0)
            loader = torch.utils.data.DataLoader(
                dataset, batch_size=batch_size, shuffle=True, generator=generator
            )

            def batches(epoch):
                for xb, yb in loader:
                    yield xb.reshape(len(xb), -1).to(device), yb.to(device)

        else:

            def batches(epoch):
                for idx in batches_of(len(x), batch_size, epoch):
                    index = torch.from_numpy(idx).to(device)
                    yield x_t[index], y_t[index]

        def run(epoch, n_batches):
            timed = TimedBatches(batches(epoch), n_batches)
            for xb, yb in timed:
                step(xb, yb)
            sync()
            return timed.seconds

        return run

    return make


#: Images per repeat of the full-epoch contenders in a quick run (a quarter epoch).
QUICK_IMAGES = 16_000


def contenders(*, quick: bool = False, mnist: bool = True, data_dir=None) -> dict[str, Contender]:
    """Every contender, by key, each with the images to time per repeat.

    ``quick`` times a quarter of an epoch where the others time a full one,
    smaller slices of the slow contenders, and leaves ``torch.compile`` out
    (compiling alone takes longer than a quick run's budget). Without the
    MNIST files (``mnist=False``: the offline subset) the torchvision
    DataLoader, which reads them, is left out.
    """
    import torch

    full = QUICK_IMAGES if quick else None
    made = {
        "per_example": (numpy_contender(per_example=True), "numpy", 1024 if quick else 2048),
        "plain": (numpy_contender("float32"), "numpy", full),
        "tuned": (tuned_contender(), "numpy", full),
        "float64": (numpy_contender("float64"), "numpy", full),
        "torch": (torch_contender("tensors"), "torch", full),
        "dataloader": (
            torch_contender("dataloader", data_dir=data_dir),
            "torch",
            3200 if quick else 12_800,
        ),
    }
    if not mnist:
        del made["dataloader"]
    if not quick:
        made["compiled"] = (torch_contender("tensors", compile=True), "torch", full)
    if torch.cuda.is_available():
        made["gpu"] = (torch_contender("tensors", device="cuda"), "torch", full)
    return {
        role: Contender(role, make, role, LABELS[role], library, role == "compiled", images)
        for role, (make, library, images) in made.items()
    }
