"""Where an epoch goes: each part of a training step, timed on its own.

Each part's methods are wrapped in a timer; batching is timed as the
contenders time it; what the timers leave of the epoch is "rest", measured
only as that remainder (it holds the loss, the argument checks and the Python
in between, none timed on its own). Each part's time is its
median over several epochs after a warm-up epoch, so a slow spell of the
machine in one epoch does not move it.

A profile is tidy: one row per part, keyed by what it is (``part``, the
layer's index and shape), never by a label.
"""

from __future__ import annotations

import statistics
import time

from nnguide.lab.bench.ceiling import N_TRAIN
from nnguide.lab.bench.contenders import LR, MOMENTUM, TimedBatches, batches_of


class _PartTimer:
    """Seconds spent in each of some wrapped methods, added up between resets."""

    def __init__(self):
        self.seconds = {}

    def wrap(self, part, method):
        self.seconds[part] = 0.0

        def call(*args, **kwargs):
            start = time.perf_counter()
            out = method(*args, **kwargs)
            self.seconds[part] += time.perf_counter() - start
            return out

        return call

    def epochs(self, run_epoch, epochs: int) -> dict:
        """Each part's median seconds over ``epochs`` epochs, after a warm-up epoch.

        ``run_epoch(epoch)`` trains one epoch and returns the seconds spent batching.
        """
        per_epoch = []
        for epoch in range(epochs + 1):  # epoch 0 is the warm-up
            self.seconds.update(dict.fromkeys(self.seconds, 0.0))
            start = time.perf_counter()
            batching = run_epoch(epoch)
            parts = {("batching", None): batching, **self.seconds}
            rest = time.perf_counter() - start - sum(parts.values())
            per_epoch.append({**parts, ("rest", None): rest})
        return {part: statistics.median(e[part] for e in per_epoch[1:]) for part in per_epoch[0]}


def _rows(network, threads, layers, seconds, scale) -> list[dict]:
    """One row per part, in the order a step runs them, its seconds times ``scale``
    (from the images the profile trained on to an epoch of 60,000)."""
    rows = []
    for (part, layer), s in seconds.items():
        kind, shape = layers[layer] if layer is not None else (None, None)
        rows.append(
            dict(
                network=network,
                threads=threads,
                part=part,
                layer=layer,
                layer_type=kind,
                shape=shape,
                seconds=s * scale,
            )
        )
    return rows


def profile_plain(
    x, y, *, batch_size: int = 64, hidden: int = 128, epochs: int = 3, threads=None
) -> list[dict]:
    """The plain NumPy network's step (float32), part by part.

    Each layer's ``forward`` and ``backward`` and the optimizer's ``step`` are
    wrapped in a timer.

    Returns
    -------
    list of dict
        Per part, in the order a step runs them: ``network`` ("plain"),
        ``threads``, ``part`` ("batching", "forward", "backward", "update" or
        "rest"), ``layer`` (its index in ``model.layers``, or None),
        ``layer_type`` and ``shape`` (a Linear layer's ``W.shape``), ``seconds`` (per epoch of
        60,000 images, scaled from the images it trained on).
    """
    from nnguide import scratch

    model = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
    optimizer = scratch.SGD(model.parameters(), LR, momentum=MOMENTUM)
    timer = _PartTimer()
    layers = {
        i: (type(layer).__name__, list(layer.W.shape) if hasattr(layer, "W") else None)
        for i, layer in enumerate(model.layers)
    }
    # Instance attributes shadow the class's methods: the model calls the timed ones.
    for i, layer in enumerate(model.layers):
        layer.forward = timer.wrap(("forward", i), layer.forward)
    for i, layer in reversed(list(enumerate(model.layers))):
        layer.backward = timer.wrap(("backward", i), layer.backward)
    optimizer.step = timer.wrap(("update", None), optimizer.step)

    def run_epoch(epoch):
        order = batches_of(len(x), batch_size, epoch)
        batches = TimedBatches(((x[idx], y[idx]) for idx in order), len(order))
        for xb, yb in batches:
            scratch.train_step(model, optimizer, xb, yb)
        return batches.seconds

    scale = N_TRAIN / (len(batches_of(len(x), batch_size, 0)) * batch_size)
    return _rows("plain", threads, layers, timer.epochs(run_epoch, epochs), scale)


def profile_tuned(
    x, y, *, batch_size: int = 64, hidden: int = 128, epochs: int = 3, threads=None
) -> list[dict]:
    """The tuned network's step, part by part (as :func:`profile_plain`).

    Returns
    -------
    list of dict
        As :func:`profile_plain`, with ``network`` "tuned" and the parts
        "batching" (gathering into the reused buffer), "forward",
        "loss_gradient", "backward", "update" and "rest".
    """
    from nnguide import scratch
    from nnguide.lab.tuned import TunedSigmoidMLP

    start = scratch.MLP((784, hidden, 10), "sigmoid", seed=0)
    net = TunedSigmoidMLP(start, batch_size, lr=LR, momentum=MOMENTUM)
    timer = _PartTimer()
    for method in ("forward", "loss_gradient", "backward", "update"):
        setattr(net, method, timer.wrap((method, None), getattr(net, method)))

    def run_epoch(epoch):
        order = batches_of(len(x), batch_size, epoch)
        batches = TimedBatches((net.gather(x, y, idx) for idx in order), len(order))
        for xb, yb in batches:
            net.step(xb, yb)
        return batches.seconds

    scale = N_TRAIN / (len(batches_of(len(x), batch_size, 0)) * batch_size)
    return _rows("tuned", threads, {}, timer.epochs(run_epoch, epochs), scale)
