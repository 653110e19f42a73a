"""How fast is each implementation? A benchmark harness that compares them in one run.

Every contender trains the same network (784-H-10, sigmoid, SGD with momentum)
on the same batches of MNIST. Each is timed over whole epochs, after a warm-up
epoch, several times, in rounds that take the contenders in turn; the record
keeps every repeat, and tables report the median and the spread. Threads are
pinned for NumPy's BLAS (through ``threadpoolctl``) and for PyTorch, and recorded.

The slowest contenders (the per-example loop, the per-image torchvision
pipeline) are timed on a slice of the epoch and extrapolated to 60,000 images;
their rows say so. The sweeps over batch size and hidden width also time
slices, to keep the whole run short.

Run it with ``python -m nnguide bench`` (``--quick`` for about a minute).
"""

from __future__ import annotations

import json
import logging
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from nnguide.batching import epoch_batches
from nnguide.files import atomic_write

N_TRAIN = 60_000  # images per MNIST epoch: every time is reported per full epoch
LR, MOMENTUM = 0.1, 0.9


# -- Arithmetic -------------------------------------------------------------------


def epoch_flops(sizes=(784, 128, 10), n: int = N_TRAIN) -> int:
    """Floating-point operations of the matrix products in one training epoch.

    Per example and per layer of ``fan_in x fan_out`` weights, the forward
    product costs ``2 * fan_in * fan_out`` (a multiply and an add per weight),
    and the backward pass costs the same again for the weight gradient and, for
    every layer but the first, once more for the gradient of the layer's input.
    Elementwise work (activations, softmax, updates) is left out: it is small
    next to the products and is not what BLAS accelerates.
    """
    per_example = 0
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        products = 3 if i > 0 else 2  # forward, weight gradient, (input gradient)
        per_example += products * 2 * fan_in * fan_out
    return per_example * n


def median_and_spread(values) -> tuple[float, float]:
    """The median, and the spread as (max - min) / median (0 for one value)."""
    values = list(values)
    median = statistics.median(values)
    spread = (max(values) - min(values)) / median if median > 0 and len(values) > 1 else 0.0
    return median, spread


def matmul_gflops(m: int, k: int, n: int, *, dtype=np.float32, seconds: float = 0.2) -> float:
    """Measured GFLOP/s of NumPy's ``(m x k) @ (k x n)`` product on this machine."""
    rng = np.random.default_rng(0)
    a = rng.random((m, k), dtype=np.float64).astype(dtype)
    b = rng.random((k, n), dtype=np.float64).astype(dtype)
    out = np.empty((m, n), dtype=dtype)
    np.matmul(a, b, out=out)  # warm-up
    calls, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        np.matmul(a, b, out=out)
        calls += 1
    return 2 * m * k * n * calls / elapsed / 1e9


def ceiling(sizes=(784, 128, 10), batch_size: int = 64, *, quick: bool = False) -> dict:
    """What the matrix-multiply ceiling is made of, at ``batch_size``.

    Returns the FLOPs per epoch and the throughput of the network's own two
    large product shapes. The ceiling itself, the epoch's FLOPs at the peak
    throughput of large products, is measured in every round of
    :func:`measure` (its :data:`CEILING` row), because the peak drifts.
    """
    seconds = 0.1 if quick else 0.3
    fan_in, hidden = sizes[0], sizes[1]
    shapes = {  # the two large products of a step: forward, and the weight gradient
        "forward x @ W1": matmul_gflops(batch_size, fan_in, hidden, seconds=seconds),
        "gradient x.T @ d": matmul_gflops(fan_in, batch_size, hidden, seconds=seconds),
    }
    return {
        "shape_gflops": shapes,
        "epoch_gflop": epoch_flops(sizes) / 1e9,
        "batch_size": batch_size,
    }


# -- Contenders ---------------------------------------------------------------------

#: The three rows the speed page compares.
PLAIN = "NumPy, guide network (plain), float32"
TUNED = "NumPy, tuned in place, float32"
TORCH = "PyTorch eager, in-memory tensors"

#: The name of the ceiling's row in a record's results (see :func:`measure`).
CEILING = "Ceiling: the epoch's matrix products at peak throughput"


@dataclass
class Result:
    """The timings of one contender at one setting.

    ``repeats`` holds seconds per epoch (extrapolated to 60,000 images when
    ``images_timed`` is smaller); ``data_seconds`` the part of each repeat
    spent producing batches, where the contender lets it be separated.
    """

    contender: str
    batch_size: int
    hidden: int
    repeats: list[float]
    images_timed: int = N_TRAIN
    data_seconds: list[float] = field(default_factory=list)
    compile_seconds: float | None = None

    @property
    def median(self) -> float:
        return median_and_spread(self.repeats)[0]

    @property
    def spread(self) -> float:
        return median_and_spread(self.repeats)[1]

    @property
    def images_per_second(self) -> float:
        return N_TRAIN / self.median

    @property
    def extrapolated(self) -> bool:
        return self.images_timed < N_TRAIN


# A contender is a function make(x, y, hidden, batch_size) that builds a fresh
# network and returns run(epoch, n_batches): train on the first n_batches of that
# epoch's batches and return the seconds spent producing them (or None).
# make.library names the library whose threads do the work ("numpy" or "torch").

#: Seconds to wait when the next contender runs on another library's threads.
#: After its last call, a library's idle worker threads keep spinning for a
#: moment (OpenBLAS's for about 0.1 s) before they sleep; on a machine with few
#: cores they would take CPU time from the next contender's threads. Measured on
#: 2 cores: PyTorch's epoch right after NumPy's took 1.2 to 2 times as long without it.
SETTLE_SECONDS = 0.25


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


def numpy_contender(dtype="float32", *, per_example: bool = False):
    """The guide's NumPy network, vectorized (or Nielsen's per-example loop).

    Batches are gathered as :func:`nnguide.scratch.fit` gathers them, ``x[idx]``.
    """

    def make(x, y, hidden, batch_size):
        from nnguide import scratch

        x = x.astype(dtype)
        model = scratch.MLP((784, hidden, 10), "sigmoid", seed=0, dtype=dtype)
        optimizer = scratch.SGD(model.parameters(), LR, momentum=MOMENTUM)
        step = per_example_step if per_example else scratch.train_step

        def batches(epoch):
            for idx in epoch_batches(len(x), batch_size, seed=0, epoch=epoch):
                yield x[idx], y[idx]

        def run(epoch, n_batches):
            timed = TimedBatches(batches(epoch), n_batches)
            for xb, yb in timed:
                step(model, optimizer, xb, yb)
            return timed.seconds

        return run

    make.library = "numpy"
    return make


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


def tuned_contender():
    """The NumPy network tuned in place (:class:`nnguide.lab.tuned.TunedSigmoidMLP`)."""

    def make(x, y, hidden, batch_size):
        from nnguide import scratch
        from nnguide.lab.tuned import TunedSigmoidMLP

        start = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
        net = TunedSigmoidMLP(start, batch_size, lr=LR, momentum=MOMENTUM)

        def batches(epoch):
            for idx in epoch_batches(len(x), batch_size, seed=0, epoch=epoch):
                yield net.gather(x, y, idx)

        def run(epoch, n_batches):
            timed = TimedBatches(batches(epoch), n_batches)
            for xb, yb in timed:
                net.step(xb, yb)
            return timed.seconds

        return run

    make.library = "numpy"
    return make


def torch_contender(feed: str = "tensors", *, device: str = "cpu", compile: bool = False):
    """The PyTorch network, fed by ``feed``.

    ``"tensors"``: batches sliced from in-memory tensors, as
    :func:`nnguide.pytorch.fit` slices them.
    ``"dataloader"``: the tutorials' way, a :class:`~torch.utils.data.DataLoader`
    over ``torchvision.datasets.MNIST`` with ``ToTensor``, one image at a time.
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
        forward = torch.compile(model) if compile else model
        sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)

        def step(xb, yb):  # nnguide.pytorch.train_step, inlined
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(forward(xb), yb)
            loss.backward()
            optimizer.step()

        if feed == "dataloader":
            from torchvision import transforms

            from nnguide.data import torchvision_mnist

            dataset = torchvision_mnist("train", transform=transforms.ToTensor())
            generator = torch.Generator().manual_seed(0)
            loader = torch.utils.data.DataLoader(
                dataset, batch_size=batch_size, shuffle=True, generator=generator
            )

            def batches(epoch):
                for xb, yb in loader:
                    yield xb.reshape(len(xb), -1).to(device), yb.to(device)

        else:

            def batches(epoch):
                for idx in epoch_batches(len(x), batch_size, seed=0, epoch=epoch):
                    index = torch.from_numpy(idx).to(device)
                    yield x_t[index], y_t[index]

        def run(epoch, n_batches):
            timed = TimedBatches(batches(epoch), n_batches)
            for xb, yb in timed:
                step(xb, yb)
            sync()
            return timed.seconds

        return run

    make.library = "torch"
    return make


def contenders(*, quick: bool = False) -> dict[str, tuple[Callable, int | None]]:
    """Every contender, by name, with the number of images to time (None: a full epoch)."""
    import torch

    table = {
        "NumPy, per-example loop": (numpy_contender(per_example=True), 2048),
        PLAIN: (numpy_contender("float32"), None),
        TUNED: (tuned_contender(), None),
        "NumPy, guide network, float64": (numpy_contender("float64"), None),
        TORCH: (torch_contender("tensors"), None),
        "PyTorch eager, DataLoader over torchvision MNIST with ToTensor": (
            torch_contender("dataloader"),
            6400 if quick else 12_800,
        ),
        "PyTorch, torch.compile": (torch_contender("tensors", compile=True), None),
    }
    if torch.cuda.is_available():
        table["PyTorch eager on the GPU, in-memory tensors"] = (
            torch_contender("tensors", device="cuda"),
            None,
        )
    return table


def measure(
    table: dict[str, tuple[Callable, int | None]],
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 64,
    hidden: int = 128,
    repeats: int = 3,
    with_ceiling: bool = False,
) -> list[Result]:
    """Time several contenders in turn: warm each up, then ``repeats`` rounds.

    Each round times one repeat of every contender, one after the other, so a
    slow spell of a shared machine (another process, a throttled core) lands on
    all of them alike rather than on whichever happened to be running; and
    repeat ``i`` of every contender comes from the same round, so two of them
    can be compared round by round (:func:`paired_ratio`).

    Parameters
    ----------
    table : dict
        Contender name to ``(make, images)``: ``make`` as described above,
        ``images`` the number of images to time per repeat (None: a full epoch).
    x, y : numpy.ndarray
        The training images (N, 784) as float32 and their labels.
    batch_size, hidden : int
    repeats : int
        Timed rounds.
    with_ceiling : bool
        Also measure the matrix-multiply ceiling in every round, as a last
        result named :data:`CEILING`: the time the epoch's matrix products would
        take at the peak throughput measured in that round. Dividing by it round
        by round gives each contender's fraction of the ceiling, unmoved by the
        machine slowing down between the measurement of the peak and of the contender.

    Returns
    -------
    list of Result
        One per contender, in the order of ``table`` (then the ceiling). The
        first step is timed on its own and reported as ``compile_seconds`` when
        the contender compiles (it is then much slower than the steps after it);
        a whole untimed pass follows it as warm-up.
    """
    runs, results = [], []
    for name, (make, images) in table.items():
        n_batches = -(-(images or len(x)) // batch_size)
        run = make(x, y, hidden, batch_size)
        start = time.perf_counter()
        run(0, 1)  # the first step: for torch.compile, this is where compilation happens
        first_step = time.perf_counter() - start
        run(0, n_batches)  # warm-up: caches, thread pools, any recompilation for the last batch
        images_timed = min(n_batches * batch_size, len(x))
        compile_seconds = first_step if "compile" in name else None
        runs.append((run, n_batches, N_TRAIN / images_timed))
        results.append(Result(name, batch_size, hidden, [], images_timed, [], compile_seconds))
    flops = epoch_flops((784, hidden, 10))
    bound = Result(CEILING, batch_size, hidden, [])
    libraries = [getattr(make, "library", None) for make, _ in table.values()]
    library = None

    def switch_to(next_library):  # first let the other library's threads go idle
        nonlocal library
        if next_library != library:
            time.sleep(SETTLE_SECONDS)
            library = next_library

    for r in range(1, repeats + 1):
        for (run, n_batches, scale), result, run_library in zip(runs, results, libraries):
            switch_to(run_library)
            start = time.perf_counter()
            data = run(r, n_batches)
            result.repeats.append((time.perf_counter() - start) * scale)
            if data is not None:
                result.data_seconds.append(data * scale)
        if with_ceiling:
            switch_to("numpy")
            bound.repeats.append(flops / (matmul_gflops(2048, 2048, 2048, seconds=0.15) * 1e9))
    return results + [bound] if with_ceiling else results


def paired_ratio(a: Result, b: Result) -> float:
    """The median over rounds of ``a``'s time divided by ``b``'s time in the same round.

    ``a`` and ``b`` must come from one :func:`measure` call. Dividing within a
    round cancels what the machine did to both at once, so this ratio is steadier
    than the ratio of the two medians.
    """
    if len(a.repeats) != len(b.repeats):
        raise ValueError(f"{a.contender!r} and {b.contender!r} were not measured together.")
    return statistics.median(ta / tb for ta, tb in zip(a.repeats, b.repeats))


def profile_numpy(x, y, *, batch_size: int = 64, hidden: int = 128, epochs: int = 3) -> dict:
    """Seconds per epoch the vectorized NumPy network (float32) spends in each part of a step.

    Each layer's ``forward`` and ``backward`` and the optimizer's ``step`` are
    wrapped in a timer, and batching is timed as in the contenders; what is left
    of the epoch is the loss, the argument checks and the Python in between.
    A warm-up epoch runs first; each part's time is its median over ``epochs``
    more.

    Returns
    -------
    dict
        Part of the step to seconds per epoch, in the order a step runs them.
    """
    from nnguide import scratch

    model = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
    optimizer = scratch.SGD(model.parameters(), LR, momentum=MOMENTUM)
    seconds = {"batching": 0.0}

    def timed(part, method):
        seconds[part] = 0.0

        def call(*args, **kwargs):
            start = time.perf_counter()
            out = method(*args, **kwargs)
            seconds[part] += time.perf_counter() - start
            return out

        return call

    names = [
        f"{type(layer).__name__} {'x'.join(map(str, layer.W.shape))}"
        if hasattr(layer, "W")
        else type(layer).__name__
        for layer in model.layers
    ]
    # Instance attributes shadow the class's methods: the model calls the timed ones.
    for layer, name in zip(model.layers, names):
        layer.forward = timed(f"{name}, forward", layer.forward)
    for layer, name in zip(reversed(model.layers), reversed(names)):
        layer.backward = timed(f"{name}, backward", layer.backward)
    optimizer.step = timed("optimizer step (SGD with momentum)", optimizer.step)
    per_epoch = []
    for epoch in range(epochs + 1):  # epoch 0 is the warm-up
        seconds.update(dict.fromkeys(seconds, 0.0))
        start = time.perf_counter()
        order = epoch_batches(len(x), batch_size, seed=0, epoch=epoch)
        timed_batches = TimedBatches(((x[idx], y[idx]) for idx in order), len(order))
        for xb, yb in timed_batches:
            scratch.train_step(model, optimizer, xb, yb)
        seconds["batching"] = timed_batches.seconds
        glue = time.perf_counter() - start - sum(seconds.values())
        per_epoch.append({**seconds, "loss, checks and Python in between": glue})
    # The median of each part over the epochs: a slow spell of the machine in
    # one epoch does not move it.
    return {part: statistics.median(e[part] for e in per_epoch[1:]) for part in per_epoch[0]}


# -- A whole benchmark run ------------------------------------------------------------

BATCH_SIZES = (16, 32, 64, 128, 256, 512)
HIDDEN_WIDTHS = (32, 64, 128, 256, 512, 1024)
SWEEP_CONTENDERS = (PLAIN, TORCH)


def run_benchmark(
    *,
    quick: bool = False,
    threads: int | None = None,
    repeats: int | None = None,
    data_dir=None,
    log: Callable[[str], object] | None = print,
) -> dict:
    """Run every contender, profile the NumPy step, run both sweeps; return the record.

    The record is ready for JSON (:func:`save_record`).

    Parameters
    ----------
    quick : bool
        About a minute: fewer repeats and smaller slices, batch sizes 64 and 256.
    threads : int, optional
        Threads for NumPy's BLAS and for PyTorch (default: all cores).
    repeats : int, optional
        Timed rounds of the main table (default 5, or 2 when quick); the sweeps
        take at most 3.
    data_dir : str or os.PathLike, optional
        Where the MNIST files are.
    log : callable or None
        Receives a line per measurement.
    """
    import torch
    from threadpoolctl import threadpool_limits

    from nnguide.data import load_dataset, to_features
    from nnguide.lab.environment import describe

    threads = threads or os.cpu_count()
    repeats = repeats or (2 if quick else 5)
    slice_images = 3200 if quick else 12_800
    dataset = load_dataset(data_dir=data_dir)
    x, y = to_features(dataset.train[0]), dataset.train[1]
    say = log or (lambda line: None)

    with threadpool_limits(limits=threads, user_api="blas"):
        torch_threads = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            record = {
                "environment": describe(),
                "settings": {
                    "threads": threads,
                    "repeats": repeats,
                    "quick": quick,
                    "network": "784-H-10, sigmoid, SGD lr 0.1 momentum 0.9",
                    "sweep_images": slice_images,
                },
                "dataset": dataset.name,
                "ceiling": {bs: ceiling(batch_size=bs, quick=quick) for bs in (64, 256)},
                "results": [],
                "sweeps": {"batch_size": [], "hidden": []},
            }
            table = contenders(quick=quick)
            for batch_size in (64, 256):
                for result in measure(
                    table, x, y, batch_size=batch_size, repeats=repeats, with_ceiling=True
                ):
                    record["results"].append(asdict(result))
                    say(f"{result.contender}, batch {batch_size}: {result.median:.3f} s per epoch")
            record["profile"] = profile_numpy(x, y, epochs=1 if quick else 3)
            say(f"profiled the NumPy step: {sum(record['profile'].values()):.3f} s per epoch")
            # The sweeps time both contenders on the same slice, interleaved; they
            # compare sizes with each other, so three rounds do.
            pair = {name: (table[name][0], slice_images) for name in SWEEP_CONTENDERS}
            sweeps = {
                "batch_size": [{"batch_size": bs} for bs in ((64, 256) if quick else BATCH_SIZES)],
                "hidden": [{"hidden": h} for h in ((32, 1024) if quick else HIDDEN_WIDTHS)],
            }
            for sweep, settings in sweeps.items():
                for setting in settings:
                    for result in measure(pair, x, y, repeats=min(repeats, 3), **setting):
                        record["sweeps"][sweep].append(asdict(result))
                        say(f"sweep: {result.contender}, {setting}: {result.median:.3f} s")
        finally:
            torch.set_num_threads(torch_threads)
    return record


# -- Records: save, load, tabulate, compare -----------------------------------------------


def save_record(record: dict, path) -> None:
    """Write a record as JSON, atomically."""
    atomic_write(path, json.dumps(record, indent=1).encode())


def load_record(path) -> dict:
    """Read a record written by :func:`save_record`, checking that it is one."""
    with open(path, encoding="utf-8") as f:
        record = json.load(f)
    missing = {"environment", "settings", "ceiling", "results"} - set(record)
    if missing:
        raise ValueError(f"{path} is not a benchmark record: it lacks {sorted(missing)}.")
    record["ceiling"] = {int(k): v for k, v in record["ceiling"].items()}  # JSON keys are str
    return record


def results(record: dict, part: str = "results") -> list[Result]:
    """The :class:`Result` objects of a record (``part``: "results", or a sweep's name)."""
    rows = record[part] if part == "results" else record["sweeps"][part]
    return [Result(**row) for row in rows]


def fraction_of_ceiling(record: dict, result: Result) -> float | None:
    """The fraction of the ceiling that ``result``, one of ``record``'s results, reaches.

    It is the median, over rounds, of the ceiling's time divided by the
    contender's time in the same round (:func:`paired_ratio`); None when the
    record has no ceiling row measured with it.
    """
    setting = (result.batch_size, result.hidden)
    for bound in results(record):
        if bound.contender == CEILING and (bound.batch_size, bound.hidden) == setting:
            return paired_ratio(bound, result)
    return None


def results_table(record: dict):
    """The main table (a :class:`nnguide.lab.tables.Table`): one row per contender and batch size.

    A compiling contender's compile time gets a row of its own, after its timed
    row; and a record made without a GPU ends with a row that says so.
    """
    from nnguide.lab.tables import Table

    rows = []
    for r in results(record):
        fraction = fraction_of_ceiling(record, r)
        notes = []
        if r.contender == CEILING:
            notes.append("no network: 2048 x 2048 products, measured in every round")
        if r.extrapolated:
            notes.append(f"timed on {r.images_timed:,} images, extrapolated")
        if r.compile_seconds is not None:
            notes.append("compile time excluded: see the next row")
        data = f"{statistics.median(r.data_seconds):.3f}" if r.data_seconds else "n/a"
        rows.append(
            [
                r.contender,
                r.batch_size,
                f"{r.median:.3f}",
                f"±{100 * r.spread / 2:.0f}%",
                f"{r.images_per_second:,.0f}",
                data,
                "n/a" if fraction is None else f"{100 * fraction:.0f}%",
                "; ".join(notes),
            ]
        )
        if r.compile_seconds is not None:
            rows.append(
                [f"{r.contender}: compiling", r.batch_size, f"{r.compile_seconds:.3f}"]
                + ["", "", "", ""]
                + ["seconds, once: the first step, which compiles the network"]
            )
    if not record["environment"].get("gpu"):
        rows.append(["PyTorch on the GPU", "", "n/a", "", "", "", "", "no GPU was present"])
    return Table(
        [
            "contender",
            "batch",
            "s / epoch (median)",
            "spread",
            "images / s",
            "of which batching, s",
            "of the ceiling",
            "note",
        ],
        rows,
    )


def profile_table(record: dict):
    """Where the NumPy network's epoch goes (a :class:`nnguide.lab.tables.Table`), from
    the record's profile (:func:`profile_numpy`)."""
    from nnguide.lab.tables import Table

    profile = record["profile"]
    total = sum(profile.values())
    rows = [[part, f"{s:.3f}", f"{100 * s / total:.0f}%"] for part, s in profile.items()]
    rows.append(["the whole epoch", f"{total:.3f}", "100%"])
    return Table(["part of the step", "s / epoch", "share"], rows)


def compare(records: dict[str, dict]) -> str:
    """Median seconds per epoch of each contender in several records, side by side.

    Parameters
    ----------
    records : dict
        A label for each record (a machine, a date) to the record itself.
    """
    from nnguide.lab.tables import markdown_table

    medians = {
        label: {(r.contender, r.batch_size): r.median for r in results(record)}
        for label, record in records.items()
    }
    keys = list(dict.fromkeys(k for m in medians.values() for k in m))
    rows = [
        [name, bs] + [f"{m[name, bs]:.3f}" if (name, bs) in m else "" for m in medians.values()]
        for name, bs in keys
    ]
    return markdown_table(["contender", "batch", *records], rows)
