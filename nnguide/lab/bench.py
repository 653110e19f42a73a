"""How fast is each implementation? A benchmark harness that compares them in one run.

Every contender trains the same network (784-H-10, sigmoid, SGD with momentum)
on the same batches of MNIST, gathered each step. The harness warms each up,
then times it in rounds that take the contenders in turn, so that a slow spell
of a shared machine falls on all of them alike and two contenders can be
compared round by round.

What the record states, and why:

* **Thread counts are chosen, not assumed.** The main contenders are timed on
  every thread count worth trying up to the cores this process may use
  (:func:`nnguide.lab.threads.usable_cores`: CPU affinity and cgroup quota,
  not ``os.cpu_count()``), and each library gets the count that is fastest
  for it where the rounds show one conclusively, the fewest threads otherwise
  (:func:`chosen`). Every row states its count; the verdicts compare the
  libraries on their chosen counts and on equal counts; the other contenders
  run on their library's chosen count.
* **Every time has an interval**, the order-statistics interval of its median
  over the rounds, and every comparison is a ratio taken round by round with
  its own interval (:mod:`nnguide.lab.stats`). A verdict says "faster" only
  when the ratio's interval excludes 1.
* **Every measurement has a time budget.** Rounds continue until the rows are
  steady (an interval narrower than :data:`~nnguide.lab.stats.NOISE_THRESHOLD`
  of the median, after at least five rounds) or the next round would overrun
  the budget. On a busy machine each round takes longer, so fewer fit, and
  the slices of the epoch that each contender trains on shrink so that five
  rounds can fit; each row records its rounds, its budget, why it stopped, and
  whether the budget cut it short.

Times are seconds per epoch: a slice of the 60,000 training images, made of
whole batches, scaled to 60,000. A "full epoch" is every whole batch
(59,968 images at batch 64); the slowest contenders (the per-example loop,
the per-image torchvision pipeline), the sweeps and ``--quick`` time smaller
slices, and their rows say so.

Run it with ``python -m nnguide bench`` (``--quick`` for about a minute).
"""

from __future__ import annotations

import functools
import json
import logging
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np

from nnguide.batching import epoch_batches
from nnguide.files import atomic_write
from nnguide.lab import stats
from nnguide.lab.threads import set_threads

N_TRAIN = 60_000  # images per MNIST epoch: every time is reported per full epoch
LR, MOMENTUM = 0.1, 0.9

#: Seconds of measurement in a whole run (``bench``), and in ``bench --quick``.
#: Loading the data and importing the libraries come on top (a few seconds).
FULL_BUDGET, QUICK_BUDGET = 240.0, 45.0

#: The most rounds of one measurement, enough for an interval of the median whose
#: ends are the 3rd and 13th of 15 rounds (96% coverage).
MAX_ROUNDS = 15

#: Images per repeat of the full-epoch contenders in ``--quick`` (a quarter epoch).
QUICK_IMAGES = 16_000


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


def ceiling(
    sizes=(784, 128, 10), batch_size: int = 64, *, quick: bool = False, counts=None
) -> dict:
    """What the matrix-multiply ceiling is made of, at ``batch_size``.

    Returns the FLOPs per epoch and the throughput of the network's own two
    large product shapes: the best of five short tries on each thread count
    of ``counts`` (default: the count in force), since another process can
    only slow a try down. The ceiling itself, the epoch's FLOPs at the peak
    throughput of large products, is measured in every round of
    :func:`measure` (its :data:`CEILING` row), because the peak drifts.
    """
    from nnguide.lab.threads import get_threads

    seconds = 0.02 if quick else 0.06
    fan_in, hidden = sizes[0], sizes[1]
    products = {  # the two large products of a step: forward, and the weight gradient
        "forward x @ W1": (batch_size, fan_in, hidden),
        "gradient x.T @ d": (fan_in, batch_size, hidden),
    }
    before = get_threads()["numpy"]
    shapes = dict.fromkeys(products, 0.0)
    try:
        for count in counts or [before]:
            set_threads("numpy", count)
            for name, shape in products.items():
                best = max(matmul_gflops(*shape, seconds=seconds) for _ in range(5))
                shapes[name] = max(shapes[name], best)
    finally:
        set_threads("numpy", before)
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
MAIN = (PLAIN, TUNED, TORCH)

#: The name of the ceiling's row in a record's results (see :func:`measure`).
CEILING = "Ceiling: the epoch's matrix products at peak throughput"

# A contender's make(x, y, hidden, batch_size) builds a fresh network and returns
# run(epoch, n_batches): train on the first n_batches of that epoch's batches and
# return the seconds spent producing them (or None). make.library names the
# library whose threads do the work ("numpy" or "torch"); make.compiles is true
# when the first step compiles.


@dataclass(frozen=True)
class Contender:
    """One way of training the network, as :func:`measure` times it.

    Parameters
    ----------
    name : str
    make : callable
        ``make(x, y, hidden, batch_size) -> run``, see above.
    images : int, optional
        Images to time per repeat (None: a full epoch).
    threads : int, optional
        Threads of its library while it runs (None: leave them as they are).
    batch_size, hidden : int, optional
        Its own batch size or hidden width, where it differs from the
        measurement's (the sweeps time every setting in the same rounds).
    """

    name: str
    make: Callable
    images: int | None = None
    threads: int | None = None
    batch_size: int | None = None
    hidden: int | None = None

    @property
    def library(self) -> str | None:
        return getattr(self.make, "library", None)

    def at(self, threads: int | None) -> Contender:
        """The same contender on ``threads`` threads."""
        return replace(self, threads=threads)


@dataclass
class Result:
    """The timings of one contender at one setting, and how they were taken.

    ``repeats`` holds seconds per epoch, one per round (scaled to 60,000
    images from the ``images_timed`` of each repeat); ``data_seconds`` the
    part of each repeat spent producing batches, where the contender lets it
    be separated.

    The rest says how the measurement went, the same for every row of one
    :func:`measure` call: its ``budget_seconds``; ``round_starts`` and
    ``round_seconds`` (when each round started, from the start of the
    measurement, and how long it took); ``stop_reason`` ("steady", "max rounds"
    or "budget"); ``stopped_at`` and ``next_round_estimate`` (the clock and the
    expected length of one more round when it stopped); ``cut_short`` (the
    budget stopped it before its rows were steady); ``images_requested`` (what
    the slice would have been had the budget not shrunk it).
    """

    contender: str
    batch_size: int
    hidden: int
    repeats: list[float]
    images_timed: int = N_TRAIN
    data_seconds: list[float] = field(default_factory=list)
    compile_seconds: float | None = None
    threads: int | None = None
    budget_seconds: float | None = None
    round_starts: list[float] = field(default_factory=list)
    round_seconds: list[float] = field(default_factory=list)
    stop_reason: str = ""
    stopped_at: float | None = None
    next_round_estimate: float | None = None
    cut_short: bool = False
    images_requested: int | None = None

    @property
    def rounds(self) -> int:
        return len(self.repeats)

    @property
    def interval(self) -> stats.Interval:
        """The median seconds per epoch and its interval (:func:`.stats.median_interval`)."""
        return stats.median_interval(self.repeats)

    @property
    def median(self) -> float:
        return statistics.median(self.repeats)

    @property
    def spread(self) -> float:
        """The interval's width as a fraction of the median."""
        return self.interval.relative_width

    @property
    def noisy(self) -> bool:
        return self.interval.noisy

    @property
    def images_per_second(self) -> float:
        return N_TRAIN / self.median

    @property
    def extrapolated(self) -> bool:
        """Timed on less than every whole batch of an epoch."""
        return self.images_timed + self.batch_size <= N_TRAIN

    @property
    def shrunk(self) -> bool:
        """The budget made the slice smaller than requested."""
        return self.images_requested is not None and self.images_timed < self.images_requested

    @classmethod
    def from_dict(cls, row: dict) -> Result:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in row.items() if k in names})


#: Seconds to wait when the next contender runs on another library's threads.
#: After its last call, a library's idle worker threads keep spinning for a
#: moment (OpenBLAS's for about 0.1 s) before they sleep; on a machine with few
#: cores they would take CPU time from the next contender's threads. Measured on
#: 2 cores: PyTorch's epoch right after NumPy's took 1.2 to 2 times as long without it.
SETTLE_SECONDS = 0.25

#: Seconds each round spends measuring the peak throughput, with ``with_ceiling``.
CEILING_SECONDS = 0.15

#: How much longer than the warm-up predicts a round is taken to last, when
#: deciding whether to shrink the slices: a round also switches threads and
#: pauses, and its first steps after a switch are slower.
MARGIN = 1.25


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
def batch_order(n: int, batch_size: int, epoch: int) -> list[np.ndarray]:
    """The batches of ``epoch`` (seed 0), computed once: :func:`measure` asks for each
    round's order before timing it, so that drawing the permutation is not timed."""
    return epoch_batches(n, batch_size, seed=0, epoch=epoch)


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
            for idx in batch_order(len(x), batch_size, epoch):
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
            for idx in batch_order(len(x), batch_size, epoch):
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
                for idx in batch_order(len(x), batch_size, epoch):
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
    make.compiles = compile
    return make


def contenders(*, quick: bool = False) -> dict[str, Contender]:
    """Every contender, by name, each with the images to time per repeat.

    ``quick`` times a quarter of an epoch where the others time a full one,
    smaller slices of the slow contenders, and leaves ``torch.compile`` out
    (compiling alone takes longer than a quick run's budget; see :data:`SKIPPED_IN_QUICK`).
    """
    import torch

    full = QUICK_IMAGES if quick else None
    table = [
        Contender(
            "NumPy, per-example loop", numpy_contender(per_example=True), 1024 if quick else 2048
        ),
        Contender(PLAIN, numpy_contender("float32"), full),
        Contender(TUNED, tuned_contender(), full),
        Contender("NumPy, guide network, float64", numpy_contender("float64"), full),
        Contender(TORCH, torch_contender("tensors"), full),
        Contender(
            "PyTorch eager, DataLoader over torchvision MNIST with ToTensor",
            torch_contender("dataloader"),
            3200 if quick else 12_800,
        ),
    ]
    if not quick:
        table.append(Contender(COMPILED, torch_contender("tensors", compile=True), full))
    if torch.cuda.is_available():
        table.append(Contender(GPU, torch_contender("tensors", device="cuda"), full))
    return {c.name: c for c in table}


COMPILED = "PyTorch, torch.compile"
GPU = "PyTorch eager on the GPU, in-memory tensors"

#: What ``--quick`` leaves out, and why.
SKIPPED_IN_QUICK = {
    COMPILED: "left out of --quick: compiling takes 10 to 30 s per batch size on 2 cores",
    "sweeps": "left out of --quick: the batch-size and width sweeps take another minute",
}


def _switches(libraries: list) -> int:
    """Library changes in one round, counting the turn from the last contender to the first."""
    return sum(a != b for a, b in zip(libraries, libraries[1:] + libraries[:1])) if libraries else 0


def _steady(result: Result, noise: float) -> bool:
    """Whether a row's interval is narrower than ``noise`` times its median."""
    return stats.median_interval(result.repeats).relative_width <= noise


def measure(
    table,
    x: np.ndarray,
    y: np.ndarray,
    *,
    batch_size: int = 64,
    hidden: int = 128,
    budget: float = 60.0,
    min_rounds: int | None = None,
    max_rounds: int = MAX_ROUNDS,
    noise: float = stats.NOISE_THRESHOLD,
    with_ceiling: bool = False,
    ceiling_threads: int | None = None,
    min_batches: int = 4,
) -> list[Result]:
    """Time several contenders in turn, within ``budget`` seconds: warm each up, then rounds.

    Each round times one repeat of every contender, one after the other, so a
    slow spell of a shared machine (another process, a throttled core) lands on
    all of them alike rather than on whichever happened to be running; and
    repeat ``i`` of every contender comes from the same round, so two of them
    can be compared round by round (:func:`ratio`).

    How many rounds: at least ``min_rounds`` (the rounds an interval of the
    median needs, 5), then more while any row is noisy (its interval wider
    than ``noise`` times its median), up to ``max_rounds``; and no round is
    started that is expected to end after ``budget`` seconds from the start
    of the call (the first round always runs). When the warm-up shows that
    ``min_rounds`` rounds would not fit, every contender's slice is shrunk in
    proportion (to no fewer than ``min_batches`` batches), and again after any
    of the first ``min_rounds`` rounds that ran slower than predicted (each
    repeat is scaled to a whole epoch, so rounds of different slices
    compare). The budget counts everything: building each network, its first
    step (compiling, for ``torch.compile``) and its warm-up.

    Parameters
    ----------
    table : dict or list of Contender
        The contenders (a dict's values), in the order to run them.
    x, y : numpy.ndarray
        The training images (N, 784) as float32 and their labels.
    batch_size, hidden : int
    budget : float
        Seconds for the whole call.
    min_rounds, max_rounds : int
    noise : float
        A row is steady when its interval is narrower than this fraction of its median.
    with_ceiling : bool
        Also measure the matrix-multiply ceiling in every round, as a last
        result named :data:`CEILING`: the time the epoch's matrix products would
        take at the peak throughput measured in that round (on
        ``ceiling_threads`` threads, default all usable cores). Dividing by it
        round by round gives each contender's fraction of the ceiling, unmoved
        by the machine slowing down between the measurement of the peak and of
        the contender.
    min_batches : int
        The smallest slice, in batches, that shrinking may leave.

    Returns
    -------
    list of Result
        One per contender, in the order of ``table`` (then the ceiling). The
        first step is timed on its own and reported as ``compile_seconds`` when
        the contender compiles.
    """
    from nnguide.lab.threads import usable_cores

    contenders = list(table.values() if isinstance(table, dict) else table)
    min_rounds = min_rounds or stats.rounds_needed()
    start = time.perf_counter()

    def clock():
        return time.perf_counter() - start

    library = None

    def switch_to(next_library, threads):  # first let the other library's threads go idle
        nonlocal library
        if next_library != library:
            time.sleep(SETTLE_SECONDS)
            library = next_library
        if next_library is not None and threads is not None:
            set_threads(next_library, threads)

    prepared, results = [], []
    for c in contenders:
        bs, width = c.batch_size or batch_size, c.hidden or hidden
        full = max(1, len(x) // bs)  # whole batches only: every step the same shape
        switch_to(c.library, c.threads)
        run = c.make(x, y, width, bs)
        n_batches = full if c.images is None else max(1, min(full, -(-c.images // bs)))
        first = clock()
        run(0, 1)  # the first step: for torch.compile, this is where compilation happens
        first = clock() - first
        warm = min(n_batches, max(min_batches, n_batches // 10))
        per_batch = clock()
        run(0, warm)  # warm-up: caches, thread pools; and an estimate of a batch's time
        per_batch = (clock() - per_batch) / warm
        prepared.append([run, n_batches, per_batch, bs])
        compile_seconds = first if getattr(c.make, "compiles", False) else None
        row = Result(c.name, bs, width, [], compile_seconds=compile_seconds, threads=c.threads)
        row.images_requested = n_batches * bs
        results.append(row)
    flops = epoch_flops((784, hidden, 10))
    ceiling_threads = ceiling_threads or usable_cores()
    libraries = [c.library for c in contenders] + (["numpy"] if with_ceiling else [])
    overhead = SETTLE_SECONDS * _switches(libraries) + CEILING_SECONDS * with_ceiling
    estimate = overhead + sum(n * per_batch for _, n, per_batch, _ in prepared)

    def shrink(rounds: int, room: float, estimate: float) -> float:
        """Shrink every slice alike so that ``rounds`` rounds fit ``room`` seconds.

        ``estimate`` is a round's expected seconds at the current slices; the
        result, at the new ones.
        """
        work = estimate - overhead
        planned = sum(n * per_batch for _, n, per_batch, _ in prepared)
        if work <= 0 or planned <= 0:
            return estimate
        scale = max(0.0, room / (MARGIN * rounds) - overhead) / work
        if scale >= 1:
            return estimate
        for p in prepared:
            p[1] = max(min(min_batches, p[1]), min(p[1], int(p[1] * scale)))
        return overhead + work * sum(n * per_batch for _, n, per_batch, _ in prepared) / planned

    if MARGIN * estimate * min_rounds > budget - clock():
        estimate = shrink(min_rounds, budget - clock(), estimate)
    bound = Result(CEILING, batch_size, hidden, [], threads=ceiling_threads)
    rows = results + [bound] if with_ceiling else results

    round_starts, round_seconds = [], []
    since = 0  # the first round of the current slices
    while True:
        done = len(round_starts)
        if done >= max_rounds:
            reason = "max rounds"
            break
        if done >= min_rounds and all(_steady(r, noise) for r in rows):
            reason = "steady"
            break
        if round_seconds[since:]:
            estimate = statistics.median(round_seconds[since:])
        now = clock()
        if 1 <= done < min_rounds and now + (min_rounds - done) * estimate > budget:
            # The rounds run slower than the warm-up predicted (a busy machine):
            # shrink the slices again, so that the rounds an interval needs fit.
            before = [p[1] for p in prepared]
            estimate = shrink(min_rounds - done, budget - now, estimate)
            if [p[1] for p in prepared] != before:
                since = done
        if done >= 1 and now + estimate > budget:
            reason = "budget"
            break
        round_starts.append(now)
        for bs in {p[3] for p in prepared}:  # drawn here, untimed, for every contender
            batch_order(len(x), bs, done + 1)
        for c, (run, n_batches, _, bs), result in zip(contenders, prepared, results):
            switch_to(c.library, c.threads)
            began = time.perf_counter()
            data = run(done + 1, n_batches)
            scale = N_TRAIN / (n_batches * bs)
            result.repeats.append((time.perf_counter() - began) * scale)
            if data is not None:
                result.data_seconds.append(data * scale)
        if with_ceiling:
            switch_to("numpy", ceiling_threads)
            peak = matmul_gflops(2048, 2048, 2048, seconds=CEILING_SECONDS)
            bound.repeats.append(flops / (peak * 1e9))
        round_seconds.append(clock() - now)
    steady = all(_steady(r, noise) for r in rows)
    for result, (_, n_batches, _, bs) in zip(results, prepared):
        result.images_timed = n_batches * bs
    for result in rows:
        result.budget_seconds = budget
        result.round_starts, result.round_seconds = list(round_starts), list(round_seconds)
        result.stop_reason, result.stopped_at = reason, now if reason == "budget" else clock()
        result.next_round_estimate = estimate
        result.cut_short = reason == "budget" and (len(round_starts) < min_rounds or not steady)
    return rows


def ratio(a: Result, b: Result) -> stats.Interval:
    """``a``'s time divided by ``b``'s, round by round: its median and interval.

    ``a`` and ``b`` must come from one :func:`measure` call. Dividing within a
    round cancels what the machine did to both at once, so this ratio is steadier
    than the ratio of the two medians.
    """
    if len(a.repeats) != len(b.repeats) or a.round_starts != b.round_starts:
        raise ValueError(f"{a.contender!r} and {b.contender!r} were not measured together.")
    return stats.ratio_interval(a.repeats, b.repeats)


def paired_ratio(a: Result, b: Result) -> float:
    """The median of :func:`ratio`: ``a``'s time over ``b``'s, round by round."""
    return ratio(a, b).median


def threads_text(count: int) -> str:
    """``"1 thread"``, ``"2 threads"``."""
    return f"{count} thread{'s' * (count != 1)}"


def label(result: Result) -> str:
    """A row's name with its thread count, as verdicts name it."""
    if result.threads is None:
        return result.contender
    return f"{result.contender} ({threads_text(result.threads)})"


def verdict(a: Result, b: Result) -> stats.Verdict:
    """Whether ``a`` is faster than ``b`` (:func:`nnguide.lab.stats.verdict` of :func:`ratio`)."""
    return stats.verdict(ratio(a, b), label(a), label(b))


class _PartTimer:
    """Seconds spent in each of some wrapped methods, added up between resets."""

    def __init__(self):
        self.seconds = {}

    def wrap(self, part: str, method):
        self.seconds[part] = 0.0

        def call(*args, **kwargs):
            start = time.perf_counter()
            out = method(*args, **kwargs)
            self.seconds[part] += time.perf_counter() - start
            return out

        return call

    def epochs(self, run_epoch, epochs: int, rest: str) -> dict:
        """Each part's median seconds over ``epochs`` epochs, after a warm-up epoch.

        ``run_epoch(epoch)`` trains one epoch and returns the seconds spent
        batching; ``rest`` names what the wrapped parts leave of the epoch.
        """
        per_epoch = []
        for epoch in range(epochs + 1):  # epoch 0 is the warm-up
            self.seconds.update(dict.fromkeys(self.seconds, 0.0))
            start = time.perf_counter()
            batching = run_epoch(epoch)
            parts = {"batching": batching, **self.seconds}
            rest_seconds = time.perf_counter() - start - sum(parts.values())
            per_epoch.append({**parts, rest: rest_seconds})
        # The median of each part over the epochs: a slow spell of the machine in
        # one epoch does not move it.
        return {part: statistics.median(e[part] for e in per_epoch[1:]) for part in per_epoch[0]}


def profile_numpy(x, y, *, batch_size: int = 64, hidden: int = 128, epochs: int = 3) -> dict:
    """Seconds per epoch the plain NumPy network (float32) spends in each part of a step.

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
    timer = _PartTimer()
    names = [
        f"{type(layer).__name__} {'x'.join(map(str, layer.W.shape))}"
        if hasattr(layer, "W")
        else type(layer).__name__
        for layer in model.layers
    ]
    # Instance attributes shadow the class's methods: the model calls the timed ones.
    for layer, name in zip(model.layers, names):
        layer.forward = timer.wrap(f"{name}, forward", layer.forward)
    for layer, name in zip(reversed(model.layers), reversed(names)):
        layer.backward = timer.wrap(f"{name}, backward", layer.backward)
    optimizer.step = timer.wrap("optimizer step (SGD with momentum)", optimizer.step)

    def run_epoch(epoch):
        order = batch_order(len(x), batch_size, epoch)
        batches = TimedBatches(((x[idx], y[idx]) for idx in order), len(order))
        for xb, yb in batches:
            scratch.train_step(model, optimizer, xb, yb)
        return batches.seconds

    return timer.epochs(run_epoch, epochs, "loss, checks and Python in between")


def profile_tuned(x, y, *, batch_size: int = 64, hidden: int = 128, epochs: int = 3) -> dict:
    """Seconds per epoch the tuned network spends in each part of a step (as :func:`profile_numpy`).

    Returns
    -------
    dict
        Part of the step to seconds per epoch: batching (gathering into the
        reused buffer), the forward pass, the loss's gradient, the backward
        pass, the update, and the Python in between.
    """
    from nnguide import scratch
    from nnguide.lab.tuned import TunedSigmoidMLP

    start = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
    net = TunedSigmoidMLP(start, batch_size, lr=LR, momentum=MOMENTUM)
    timer = _PartTimer()
    parts = {
        "forward": "forward: x W1 (784 x H product), sigmoid, logits",
        "loss_gradient": "softmax cross-entropy's gradient",
        "backward": "backward: x.T dh (784 x H product), the small products, bias sums",
        "update": "update: two axpy over the flat buffers",
    }
    for method, part in parts.items():
        setattr(net, method, timer.wrap(part, getattr(net, method)))

    def run_epoch(epoch):
        order = batch_order(len(x), batch_size, epoch)
        batches = TimedBatches((net.gather(x, y, idx) for idx in order), len(order))
        for xb, yb in batches:
            net.step(xb, yb)
        return batches.seconds

    return timer.epochs(run_epoch, epochs, "Python in between")


# -- A whole benchmark run ------------------------------------------------------------

BATCH_SIZES = (16, 32, 64, 128, 256, 512)
HIDDEN_WIDTHS = (32, 64, 128, 256, 512, 1024)
SWEEP_CONTENDERS = (PLAIN, TORCH)
SWEEP_IMAGES = 12_800  # images per repeat of the sweeps' contenders

#: How a run shares its budget among its parts (``--quick`` has neither
#: ``torch.compile`` nor sweeps). Each measurement gets its weight's share of
#: what is left of the budget when it starts, so one that overruns leaves less
#: to the next, and one that settles early leaves more. ``torch.compile`` has a
#: measurement of its own, at batch 64, because compiling takes 10 to 30 s of
#: its budget on 2 cores. The profile is not budgeted: it takes an epoch or
#: three of the plain network.
SHARES = {"main": 0.40, "others": 0.25, "compile": 0.15, "sweeps": 0.20}
QUICK_SHARES = {"main": 0.7, "others": 0.3}


def chosen(rows: list[Result], name: str, batch_size: int) -> Result:
    """The row of ``name`` at ``batch_size`` on the thread count the harness chooses for it.

    Counts are taken from fewest to most; the choice moves to a count only when
    that count is faster than the current choice with a ratio interval that
    excludes 1 (:func:`verdict`). So it is the fastest count wherever the rounds
    show it, and otherwise the fewer threads: they suffer less when the machine
    gets busy, which shared build machines do (on 2 cores with one busy,
    PyTorch took six times as long on 2 threads as on 1).
    """
    candidates = [r for r in rows if r.contender == name and r.batch_size == batch_size]
    if not candidates:
        raise KeyError(f"no row of {name!r} at batch {batch_size}.")
    candidates.sort(key=lambda r: r.threads or 0)
    choice = candidates[0]
    for r in candidates[1:]:
        if verdict(r, choice).kind == "faster":
            choice = r
    return choice


class _Budget:
    """Seconds left of a run's budget, shared among its measurements by weight."""

    def __init__(self, seconds: float, weights: list[float]):
        self.seconds, self.weights = seconds, list(weights)
        self.start = time.perf_counter()

    def next(self) -> float:
        """The next measurement's budget (its weight's share of what is left)."""
        left = self.seconds - (time.perf_counter() - self.start)
        weight = self.weights.pop(0)
        return max(0.0, left * weight / (weight + sum(self.weights)))


def run_benchmark(
    *,
    quick: bool = False,
    threads: int | None = None,
    budget: float | None = None,
    max_rounds: int = MAX_ROUNDS,
    data_dir=None,
    log: Callable[[str], object] | None = print,
) -> dict:
    """Time every contender, profile the NumPy step, run both sweeps; return the record.

    The main contenders (``MAIN``) are timed at batch 64 and 256 on every
    thread count of :func:`nnguide.lab.threads.thread_counts`, with the
    ceiling, and each gets a chosen count (:func:`chosen`). The others are
    timed at batch 64 (and 256 unless ``quick``) on the count chosen for the
    plain network (NumPy's contenders) or for PyTorch eager (PyTorch's), next
    to those two; the profile and the sweeps use the counts chosen at batch 64.
    The record is ready for JSON (:func:`save_record`).

    Parameters
    ----------
    quick : bool
        About a minute: quarter-epoch slices, the others at batch 64 only, no
        ``torch.compile`` and no sweeps.
    threads : int, optional
        Time every contender on this one thread count only (at most the usable cores).
    budget : float, optional
        Seconds for all the measurements (default :data:`FULL_BUDGET`, or
        :data:`QUICK_BUDGET` when quick).
    max_rounds : int
        The most rounds of any one measurement.
    data_dir : str or os.PathLike, optional
        Where the MNIST files are.
    log : callable or None
        Receives a line per row measured.
    """
    from nnguide.data import load_dataset, to_features
    from nnguide.lab import threads as threading
    from nnguide.lab.environment import describe

    cores = threading.usable_cores()
    if threads is not None and not 1 <= threads <= cores:
        raise ValueError(
            f"threads must be between 1 and the {cores} cores this process may use, got {threads}."
        )
    counts = [threads] if threads else threading.thread_counts(cores)
    budget = budget or (QUICK_BUDGET if quick else FULL_BUDGET)
    dataset = load_dataset(data_dir=data_dir)
    x, y = to_features(dataset.train[0]), dataset.train[1]
    say = log or (lambda line: None)
    before = threading.get_threads()

    def said(rows, where=""):
        for r in rows:
            cut = ", cut short by the budget" if r.cut_short else ""
            width = f", hidden {r.hidden}" if r.hidden != 128 else ""
            say(
                f"{label(r)}, batch {r.batch_size}{width}{where}: {r.interval.format()} s per "
                f"epoch, {r.rounds} rounds{cut}"
            )
        return rows

    main_sizes, other_sizes = (64, 256), (64,) if quick else (64, 256)
    sweeps = {} if quick else {"batch_size": BATCH_SIZES, "hidden": HIDDEN_WIDTHS}
    shares = QUICK_SHARES if quick else SHARES
    weights = [shares["main"] / len(main_sizes)] * len(main_sizes)
    weights += [shares["others"] / len(other_sizes)] * len(other_sizes)
    weights += [shares["compile"]] if not quick else []
    weights += [shares.get("sweeps", 0) / max(1, len(sweeps))] * len(sweeps)
    plan = _Budget(budget, weights)
    try:
        table = contenders(quick=quick)
        record = {
            "environment": describe(),
            "cores": threading.describe_cores(),
            "settings": {
                "thread_counts": counts,
                "budget_seconds": budget,
                "max_rounds": max_rounds,
                "min_rounds": stats.rounds_needed(),
                "noise_threshold": stats.NOISE_THRESHOLD,
                "confidence": stats.CONFIDENCE,
                "quick": quick,
                "network": "784-H-10, sigmoid, SGD lr 0.1 momentum 0.9",
                "sweep_images": SWEEP_IMAGES,
            },
            "skipped": SKIPPED_IN_QUICK if quick else {},
            "dataset": dataset.name,
            "ceiling": {},
            "chosen_threads": {},
            "results": [],
            "others": [],
            "sweeps": {name: [] for name in sweeps},
        }
        # Every thread count of the main rows, ordered so that the library
        # changes twice a round (NumPy's rows, PyTorch's, then the ceiling's).
        main = [table[name].at(t) for name in (PLAIN, TUNED) for t in counts]
        main += [table[TORCH].at(t) for t in counts]
        for bs in main_sizes:
            threading.set_threads("numpy", cores)
            record["ceiling"][bs] = ceiling(batch_size=bs, quick=quick, counts=counts)
            settings = dict(batch_size=bs, budget=plan.next(), max_rounds=max_rounds)
            rows = measure(main, x, y, with_ceiling=True, ceiling_threads=cores, **settings)
            record["results"] += [asdict(r) for r in said(rows)]
            record["chosen_threads"][bs] = {n: chosen(rows, n, bs).threads for n in MAIN}
        # The others, each on its library's chosen count, next to the two references.
        others = [c for name, c in table.items() if name not in (*MAIN, COMPILED)]
        for bs in other_sizes:
            choice = record["chosen_threads"][bs]
            count = {"numpy": choice[PLAIN], "torch": choice[TORCH]}
            group = [table[PLAIN].at(choice[PLAIN])]
            group += [c.at(count[c.library]) for c in others if c.library == "numpy"]
            group += [table[TORCH].at(choice[TORCH])]
            group += [c.at(count[c.library]) for c in others if c.library == "torch"]
            rows = measure(group, x, y, batch_size=bs, budget=plan.next(), max_rounds=max_rounds)
            record["others"] += [asdict(r) for r in said(rows)]
        choice = record["chosen_threads"][64]
        if COMPILED in table:
            group = [c.at(choice[TORCH]) for c in (table[TORCH], table[COMPILED])]
            rows = measure(group, x, y, budget=plan.next(), max_rounds=max_rounds)
            record["others"] += [asdict(r) for r in said(rows)]
        threading.set_threads("numpy", choice[PLAIN])
        record["profile"] = profile_numpy(x, y, epochs=1 if quick else 3)
        record["profile_threads"] = choice[PLAIN]
        say(f"profiled the plain step: {sum(record['profile'].values()):.3f} s per epoch")
        threading.set_threads("numpy", choice[TUNED])
        record["profile_tuned"] = profile_tuned(x, y, epochs=1 if quick else 3)
        record["profile_tuned_threads"] = choice[TUNED]
        say(f"profiled the tuned step: {sum(record['profile_tuned'].values()):.3f} s per epoch")
        # Each sweep times both contenders at every setting in the same rounds,
        # on the same slice: NumPy's settings, then PyTorch's.
        pair = [table[PLAIN].at(choice[PLAIN]), table[TORCH].at(choice[TORCH])]
        for sweep, settings in sweeps.items():
            group = [replace(c, images=SWEEP_IMAGES, **{sweep: v}) for c in pair for v in settings]
            rows = measure(group, x, y, budget=plan.next(), max_rounds=max_rounds)
            record["sweeps"][sweep] = [asdict(r) for r in said(rows, f", {sweep} sweep")]
        record["elapsed_seconds"] = time.perf_counter() - plan.start
    finally:
        for library, count in before.items():
            threading.set_threads(library, count)
    return record


# -- Records: save, load, tabulate, compare -----------------------------------------------


def save_record(record: dict, path) -> None:
    """Write a record as JSON, atomically."""
    atomic_write(path, json.dumps(record, indent=1).encode())


def load_record(path) -> dict:
    """Read a record written by :func:`save_record`, checking that it is one."""
    with open(path, encoding="utf-8") as f:
        try:
            record = json.load(f)
        except json.JSONDecodeError as err:
            raise ValueError(
                f"{path} is not a benchmark record: it is not valid JSON ({err})."
            ) from None
    if not isinstance(record, dict):
        raise ValueError(f"{path} is not a benchmark record: it holds a {type(record).__name__}.")
    missing = {"environment", "settings", "ceiling", "results"} - set(record)
    if missing:
        raise ValueError(f"{path} is not a benchmark record: it lacks {sorted(missing)}.")
    for key in ("ceiling", "chosen_threads"):  # JSON keys are str
        record[key] = {int(k): v for k, v in record.get(key, {}).items()}
    return record


def results(record: dict, part: str = "results") -> list[Result]:
    """The :class:`Result` objects of a record.

    ``part``: "results" (the main rows and the ceiling), "others", or a
    sweep's name ("batch_size", "hidden").
    """
    rows = record[part] if part in ("results", "others") else record["sweeps"][part]
    return [Result.from_dict(row) for row in rows]


def find(record: dict, name: str, batch_size: int, threads: int | None = None) -> Result:
    """The main row of ``name`` at ``batch_size``, on ``threads`` threads or its chosen count."""
    rows = [r for r in results(record) if r.contender == name and r.batch_size == batch_size]
    if threads is None:
        threads = record["chosen_threads"][batch_size][name]
    for r in rows:
        if r.threads == threads:
            return r
    raise KeyError(f"no row of {name!r} at batch {batch_size} on {threads} threads.")


def fraction_of_ceiling(record: dict, result: Result) -> stats.Interval | None:
    """The fraction of the ceiling that ``result``, one of ``record``'s main rows, reaches.

    The ceiling's time divided by the contender's time in the same round,
    with its interval (:func:`ratio`); None when the record has no ceiling
    row measured with it.
    """
    setting = (result.batch_size, result.hidden, result.round_starts)
    for bound in results(record):
        if bound.contender == CEILING and (bound.batch_size, bound.hidden, bound.round_starts) == (
            setting
        ):
            return ratio(bound, result)
    return None


def _percent(interval: stats.Interval | None) -> str:
    return "n/a" if interval is None else interval.format(0, 100, "%")


def _rounds(r: Result) -> str:
    text = str(r.rounds)
    if r.cut_short:
        text += ", cut short by the budget"
    return text


def _notes(r: Result) -> list[str]:
    notes = []
    if r.contender == CEILING:
        notes.append("no network: 2048 x 2048 products, measured in every round")
    if r.shrunk:
        notes.append(
            f"timed on slices down to {r.images_timed:,} images of the "
            f"{r.images_requested:,} planned, to fit the budget; extrapolated"
        )
    elif r.extrapolated:
        notes.append(f"timed on {r.images_timed:,} images, extrapolated")
    if r.noisy and r.rounds > 1:
        notes.append(f"noisy: the interval spans {100 * r.spread:.0f}% of the median")
    if r.compile_seconds is not None:
        notes.append(f"compile time excluded: {r.compile_seconds:.1f} s, once")
    return notes


def _threads(record: dict, r: Result, mark: bool = True) -> str:
    if r.threads is None:
        return "n/a"
    choice = record.get("chosen_threads", {}).get(r.batch_size, {}).get(r.contender)
    several = len(record["settings"].get("thread_counts", [])) > 1
    return f"{r.threads} (chosen)" if mark and several and choice == r.threads else str(r.threads)


def results_table(record: dict):
    """The main rows (a :class:`nnguide.lab.tables.Table`): every thread count of
    each main contender, and the ceiling, at each batch size."""
    from nnguide.lab.tables import Table

    rows = []
    for r in results(record):
        data = f"{statistics.median(r.data_seconds):.3f}" if r.data_seconds else "n/a"
        fraction = _percent(fraction_of_ceiling(record, r))
        rows.append([r.contender, r.batch_size, _threads(record, r), r.interval.format()])
        rows[-1] += [f"{r.images_per_second:,.0f}", data, fraction, _rounds(r)]
        rows[-1].append("; ".join(_notes(r)))
    header = ["contender", "batch", "threads", "s / epoch: median [interval]", "images / s"]
    header += ["of which batching, s", "of the ceiling", "rounds", "note"]
    return Table(header, rows)


def others_table(record: dict):
    """Every other contender (a :class:`nnguide.lab.tables.Table`), each on its
    library's chosen thread count, next to the plain network and PyTorch eager."""
    from nnguide.lab.tables import Table

    rows = []
    for r in results(record, "others"):
        data = f"{statistics.median(r.data_seconds):.3f}" if r.data_seconds else "n/a"
        rows.append([r.contender, r.batch_size, _threads(record, r, mark=False)])
        rows[-1] += [r.interval.format(), f"{r.images_per_second:,.0f}", data, _rounds(r)]
        rows[-1].append("; ".join(_notes(r)))
    for name, why in record.get("skipped", {}).items():
        if name != "sweeps":
            rows.append([name, "", "", "not measured", "", "", "", why])
    if not record["environment"].get("gpu"):
        rows.append(["PyTorch on the GPU", "", "", "not measured", "", "", "", "no GPU here"])
    header = ["contender", "batch", "threads", "s / epoch: median [interval]", "images / s"]
    return Table(header + ["of which batching, s", "rounds", "note"], rows)


def verdicts(record: dict) -> list[dict]:
    """Every comparison the main rows support, each a ratio with its interval and verdict.

    At each batch size: the plain network against PyTorch eager, and the tuned
    network against the plain one, each on its chosen thread count
    (:func:`chosen`) and on every equal count; and, for each main contender,
    its chosen count against each other count.

    Returns
    -------
    list of dict
        ``comparison`` (what is compared), ``batch``, ``a`` and ``b`` (the
        rows), ``ratio`` (``a``'s time over ``b``'s, an
        :class:`~nnguide.lab.stats.Interval`) and ``verdict``
        (a :class:`~nnguide.lab.stats.Verdict`).
    """
    out = []

    def add(comparison, a, b):
        row = dict(comparison=comparison, batch=a.batch_size, a=a, b=b)
        out.append({**row, "ratio": ratio(a, b), "verdict": verdict(a, b)})

    counts = record["settings"].get("thread_counts", [])
    for bs in sorted({r.batch_size for r in results(record)}):
        plain, tuned, torch = (find(record, name, bs) for name in MAIN)
        add("guide network against PyTorch eager, each on its chosen count", plain, torch)
        for t in counts if len(counts) > 1 else []:
            both = f"both on {threads_text(t)}"
            a, b = find(record, PLAIN, bs, t), find(record, TORCH, bs, t)
            add(f"guide network against PyTorch eager, {both}", a, b)
        add("tuned in place against the guide network, each on its chosen count", tuned, plain)
        for t in counts if len(counts) > 1 else []:
            a, b = find(record, TUNED, bs, t), find(record, PLAIN, bs, t)
            add(f"tuned in place against the guide network, both on {threads_text(t)}", a, b)
        for name, best in ((PLAIN, plain), (TUNED, tuned), (TORCH, torch)):
            for t in counts:
                if t != best.threads:
                    other = find(record, name, bs, t)
                    add(f"{name}: its chosen thread count against {t}", best, other)
    return out


def verdict_table(record: dict):
    """:func:`verdicts` as a :class:`nnguide.lab.tables.Table`."""
    from nnguide.lab.tables import Table

    rows = [
        [v["comparison"], v["batch"], v["ratio"].format(2), v["verdict"].kind, v["verdict"].text]
        for v in verdicts(record)
    ]
    return Table(["comparison", "batch", "time ratio [interval]", "verdict", "in words"], rows)


#: The other contenders' comparisons, each against the reference it varies.
OTHER_PAIRS = {
    "NumPy, per-example loop": PLAIN,
    "NumPy, guide network, float64": PLAIN,
    "PyTorch eager, DataLoader over torchvision MNIST with ToTensor": TORCH,
    COMPILED: TORCH,
    GPU: TORCH,
}


def others_verdicts(record: dict) -> list[dict]:
    """Each other contender against its reference (:data:`OTHER_PAIRS`), round by round.

    Returns
    -------
    list of dict
        ``a``, ``b`` (the rows, measured together), ``batch``, ``ratio`` and ``verdict``.
    """
    rows = results(record, "others")
    out = []
    for a in rows:
        reference = OTHER_PAIRS.get(a.contender)
        for b in rows:
            if (
                b.contender == reference
                and b.round_starts == a.round_starts
                and (b.batch_size == a.batch_size)
            ):
                out.append(dict(a=a, b=b, batch=a.batch_size, ratio=ratio(a, b)))
                out[-1]["verdict"] = verdict(a, b)
    return out


def others_verdict_table(record: dict):
    """:func:`others_verdicts` as a :class:`nnguide.lab.tables.Table`."""
    from nnguide.lab.tables import Table

    rows = [
        [v["a"].contender, v["b"].contender, v["batch"], v["ratio"].format(2), v["verdict"].kind]
        for v in others_verdicts(record)
    ]
    return Table(["contender", "against", "batch", "time ratio [interval]", "verdict"], rows)


def speed_table(record: dict):
    """The speed section's rows: the plain, tuned and PyTorch networks on their chosen
    counts, at each batch size, with the ratios and the fractions of the ceiling."""
    from nnguide.lab.tables import Table

    rows = []
    for bs in sorted(record["chosen_threads"]):
        plain, tuned, torch = (find(record, name, bs) for name in MAIN)
        for r in (plain, tuned, torch):
            versus = ""
            if r is tuned:
                versus = f"tuned / plain time: {ratio(tuned, plain).format(2)}"
            elif r is torch:
                versus = f"plain / PyTorch time: {ratio(plain, torch).format(2)}"
            fraction = _percent(fraction_of_ceiling(record, r))
            rows.append([r.contender, bs, r.threads, r.interval.format(), fraction, versus])
            rows[-1].append(_rounds(r))
    header = ["contender", "batch", "threads", "s / epoch: median [interval]", "of the ceiling"]
    return Table(header + ["ratio, round by round [interval]", "rounds"], rows)


def sweep(record: dict, name: str) -> list[dict]:
    """A sweep's settings, each with both contenders' rows, their ratio and its verdict.

    Parameters
    ----------
    record : dict
    name : {"batch_size", "hidden"}

    Returns
    -------
    list of dict
        Per setting, in increasing order: ``setting``, ``numpy`` and ``torch``
        (the two :class:`Result` rows), ``ratio`` (PyTorch's time over the
        plain network's, an :class:`~nnguide.lab.stats.Interval`) and
        ``verdict`` (whether the plain network is faster than PyTorch).
    """
    rows = results(record, name)
    by = {(r.contender, getattr(r, name)): r for r in rows}
    out = []
    for value in sorted({getattr(r, name) for r in rows}):
        numpy_row, torch_row = by[PLAIN, value], by[TORCH, value]
        row = dict(setting=value, numpy=numpy_row, torch=torch_row)
        row.update(ratio=ratio(torch_row, numpy_row), verdict=verdict(numpy_row, torch_row))
        out.append(row)
    return out


def sweep_table(record: dict, name: str):
    """:func:`sweep` as a :class:`nnguide.lab.tables.Table`."""
    from nnguide.lab.tables import Table

    title = {"batch_size": "batch size", "hidden": "hidden units"}[name]
    rows = []
    for s in sweep(record, name):
        rows.append([s["setting"], s["numpy"].interval.format(), s["torch"].interval.format()])
        rows[-1] += [s["ratio"].format(2), s["verdict"].kind, _rounds(s["numpy"])]
    header = [title, "plain, s / epoch", "PyTorch, s / epoch", "PyTorch / plain time"]
    return Table(header + ["plain network", "rounds"], rows)


#: The speed targets of the guide (issue "Teach first"), the tuned network's
#: least fraction of the matrix-multiply ceiling, by batch size.
TUNED_TARGETS = {64: 0.40, 256: 0.55}


def targets(record: dict) -> list[dict]:
    """Whether the record meets the speed targets, each "met", "not met" or "inconclusive".

    The plain network must be faster than PyTorch eager (the ratio's interval
    below 1), and the tuned network must reach :data:`TUNED_TARGETS` of the
    ceiling (met when the interval's low end reaches it, not met when its high
    end falls short).
    """
    out = []
    for bs in sorted(record["chosen_threads"]):
        plain, tuned, torch = (find(record, name, bs) for name in MAIN)
        v = verdict(plain, torch)
        status = {"faster": "met", "slower": "not met"}.get(v.kind, "inconclusive")
        target = f"plain faster than PyTorch eager at batch {bs}"
        out.append(dict(target=target, status=status, evidence=v.text))
        goal, fraction = TUNED_TARGETS.get(bs), fraction_of_ceiling(record, tuned)
        if goal is None or fraction is None:
            continue
        if not fraction.enough_rounds:
            status = "inconclusive"
        else:
            status = (
                "met"
                if fraction.low >= goal
                else "not met"
                if fraction.high < goal
                else ("inconclusive")
            )
        target = f"tuned at {100 * goal:.0f}% of the ceiling at batch {bs}"
        evidence = f"{_percent(fraction)} of the ceiling"
        out.append(dict(target=target, status=status, evidence=evidence))
    return out


def budget_notes(record: dict) -> list[str]:
    """One sentence per measurement that the budget cut short or whose slices it shrank."""
    notes = []
    parts = [("results", "main rows"), ("others", "other contenders")]
    titles = {"batch_size": "batch-size sweep", "hidden": "hidden-width sweep"}
    parts += [(name, titles.get(name, f"{name} sweep")) for name in record.get("sweeps", {})]
    for part, title in parts:
        measurements = {}  # the rows of one measurement share their rounds
        for r in results(record, part):
            measurements.setdefault((tuple(r.round_starts), r.budget_seconds), []).append(r)
        for rows in measurements.values():
            first = rows[0]
            if not any(r.cut_short or r.shrunk for r in rows):
                continue
            what = []
            if any(r.shrunk for r in rows):
                what.append("slices shrunk to fit it")
            if first.cut_short:
                rounds = f"{first.rounds} round{'s' * (first.rounds != 1)}"
                what.append(f"stopped after {rounds}, before the rows were steady")
            name = title
            if part in ("results", "others"):
                name += f", batch {first.batch_size}"
            if any(r.contender == COMPILED for r in rows):
                name = f"{COMPILED} beside {TORCH}, batch {first.batch_size}"
            notes.append(
                f"{name[0].upper()}{name[1:]}: a budget of {first.budget_seconds:.0f} s, "
                f"{' and '.join(what)}."
            )
    return notes


def profile_table(record: dict, which: str = "profile"):
    """Where the plain network's epoch goes (a :class:`nnguide.lab.tables.Table`), from
    the record's profile (:func:`profile_numpy`); ``which="profile_tuned"``: the
    tuned network's (:func:`profile_tuned`)."""
    from nnguide.lab.tables import Table

    profile = record[which]
    total = sum(profile.values())
    rows = [[part, f"{s:.3f}", f"{100 * s / total:.0f}%"] for part, s in profile.items()]
    rows.append(["the whole epoch", f"{total:.3f}", "100%"])
    return Table(["part of the step", "s / epoch", "share"], rows)


def compare(records: dict[str, dict]) -> str:
    """Median seconds per epoch of each main row in several records, side by side.

    Parameters
    ----------
    records : dict
        A label for each record (a machine, a date) to the record itself.
    """
    from nnguide.lab.tables import markdown_table

    medians = {
        label: {(r.contender, r.batch_size, r.threads): r.interval for r in results(record)}
        for label, record in records.items()
    }
    keys = list(dict.fromkeys(k for m in medians.values() for k in m))
    rows = [
        [name, bs, "n/a" if t is None else t]
        + [m[name, bs, t].format() if (name, bs, t) in m else "" for m in medians.values()]
        for name, bs, t in keys
    ]
    return markdown_table(["contender", "batch", "threads", *records], rows)
