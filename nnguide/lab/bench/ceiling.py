"""The matrix-multiply ceiling: what an epoch's products cost, and how fast BLAS runs them.

An epoch's matrix products cost a known number of floating-point operations
(:func:`epoch_flops`). Divided by the best throughput this machine reaches on
large products, that is a lower bound on an epoch's time that no
implementation can beat; the harness measures that peak in every round
(:func:`nnguide.lab.bench.harness.measure`, ``with_ceiling``). The network's
own products are smaller and run below the peak: :func:`shape_throughput`
measures them on their own.
"""

from __future__ import annotations

import time

import numpy as np

from nnguide.lab.threads import get_threads, set_threads

N_TRAIN = 60_000  # images per MNIST epoch: every time is reported per full epoch


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


#: Short tries per product shape and thread count. Another process can only
#: slow a try down, so the best of several is the machine's own speed.
TRIES = 5


def shape_throughput(
    sizes=(784, 128, 10),
    batch_size: int = 64,
    *,
    quick: bool = False,
    counts=None,
    gflops=matmul_gflops,
) -> list[dict]:
    """The throughput of the first layer's two products at ``batch_size``.

    The best of :data:`TRIES` short tries on each thread count of ``counts``
    (default: the count in force).

    Returns
    -------
    list of dict
        Per product: ``batch_size``, ``product`` ("forward": ``x @ W1``;
        "weight_gradient": ``x.T @ d``), its shape ``m``, ``k``, ``n``, and ``gflops``.
    """
    seconds = 0.02 if quick else 0.06
    fan_in, hidden = sizes[0], sizes[1]
    products = {
        "forward": (batch_size, fan_in, hidden),
        "weight_gradient": (fan_in, batch_size, hidden),
    }
    before = get_threads()["numpy"]
    best = dict.fromkeys(products, 0.0)
    try:
        for count in counts or [before]:
            set_threads("numpy", count)
            for name, shape in products.items():
                tries = max(gflops(*shape, seconds=seconds) for _ in range(TRIES))
                best[name] = max(best[name], tries)
    finally:
        set_threads("numpy", before)
    return [
        dict(batch_size=batch_size, product=name, m=m, k=k, n=n, gflops=best[name])
        for name, (m, k, n) in products.items()
    ]
