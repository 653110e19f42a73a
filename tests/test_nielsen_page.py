"""The gallery page on Nielsen's network: its batch order, on real MNIST, step by step.

tests/test_reference.py checks one step on random inputs. The page trains the
vectorized twin for 30 epochs and compares it with one epoch of the book's
per-example loop; this checks that the two take the same steps over a run of
consecutive mini-batches of real MNIST images, in the page's setting and order.
"""

import numpy as np
import pytest

from nnguide import scratch
from nnguide.data import to_features
from nnguide.scratch.reference import Network, as_pairs

STEPS, BATCH_SIZE, ETA, SEED = 200, 10, 3.0, 0


def as_guide_params(net):
    """The book's weights and biases in the guide's layout, lined up with ``MLP.parameters()``."""
    return [a for w, b in zip(net.weights, net.biases) for a in (w.T, b[:, 0])]


@pytest.mark.slow
def test_the_pages_first_steps_agree_with_the_books_loop(mnist):
    images, labels = mnist.train
    order = scratch.batch_order(50_000, SEED, 0)[: STEPS * BATCH_SIZE]  # the page's first epoch
    assert order.max() < 50_000  # the page trains on the first 50,000 images only
    x = to_features(images[order], np.float64)  # only the images these steps visit
    y = labels[order]
    net = Network([784, 30, 10], seed=SEED)
    model = scratch.MLP((784, 30, 10), "sigmoid", init="nielsen", dtype="float64")
    for p, q in zip(model.parameters(), as_guide_params(net)):
        p[...] = q
    optimizer = scratch.SGD(model.parameters(), lr=ETA)
    pairs = as_pairs(x, y)
    start = [p.copy() for p in model.parameters()]
    for k in range(0, len(order), BATCH_SIZE):
        net.update_mini_batch(pairs[k : k + BATCH_SIZE], ETA)
        scratch.train_step(
            model, optimizer, x[k : k + BATCH_SIZE], y[k : k + BATCH_SIZE], "quadratic"
        )
        for p, q in zip(model.parameters(), as_guide_params(net)):
            np.testing.assert_allclose(p, q, rtol=0, atol=1e-12)
    # The steps moved the weights far more than the tolerance: the check is not vacuous.
    assert max(np.abs(p - q).max() for p, q in zip(model.parameters(), start)) > 0.1
