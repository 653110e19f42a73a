"""The lab's tuned NumPy network takes the same steps as the guide's plain one."""

import numpy as np
import pytest

from nnguide import scratch
from nnguide.lab.tuned import TunedSigmoidMLP


@pytest.mark.parametrize(("dtype", "rtol"), [("float32", 1e-4), ("float64", 1e-10)])
def test_tuned_network_takes_the_plain_networks_steps(dtype, rtol):
    rng = np.random.default_rng(0)
    x = rng.random((300, 784)).astype(dtype)
    y = rng.integers(0, 10, 300)
    plain = scratch.MLP((784, 32, 10), "sigmoid", seed=0, dtype=dtype)
    tuned = TunedSigmoidMLP(plain, 64, lr=0.1, momentum=0.9)
    optimizer = scratch.SGD(plain.parameters(), 0.1, momentum=0.9)
    start = [p.copy() for p in plain.parameters()]
    # Two epochs of batches of 64, each ending with a smaller batch (300 = 4 * 64 + 44).
    for epoch in range(2):
        order = scratch.batch_order(len(x), 0, epoch)
        for idx in (order[i : i + 64] for i in range(0, len(order), 64)):
            scratch.train_step(plain, optimizer, x[idx], y[idx])
            tuned.step(*tuned.gather(x, y, idx))
    assert tuned.steps == 10
    for p, t, p0 in zip(plain.parameters(), tuned.params, start):
        assert t.dtype == np.dtype(dtype) and t.shape == p.shape
        assert not np.allclose(p, p0)  # the weights moved...
        np.testing.assert_allclose(t, p, rtol=rtol, atol=rtol * np.abs(p).max())  # ...alike


def test_tuned_network_keeps_its_parameters_in_one_flat_buffer():
    tuned = TunedSigmoidMLP(scratch.MLP((784, 16, 10), seed=0), 8, lr=0.1, momentum=0.9)
    assert tuned.flat.ndim == 1 and tuned.flat.size == 784 * 16 + 16 + 16 * 10 + 10
    assert all(np.shares_memory(p, tuned.flat) for p in tuned.params)
    with pytest.raises(ValueError, match="one hidden layer"):
        TunedSigmoidMLP(scratch.MLP((784, 16, 16, 10), seed=0), 8, lr=0.1, momentum=0.9)
