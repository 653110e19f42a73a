"""Shared fixtures. Tests read MNIST from $NNGUIDE_DATA, which defaults here to
``../shared/data/mnist`` when that folder exists (as in CI)."""

import os
from pathlib import Path

import numpy as np
import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mnist"
if not os.environ.get("NNGUIDE_DATA") and SHARED.is_dir():
    os.environ["NNGUIDE_DATA"] = str(SHARED)


@pytest.fixture(scope="session")
def mnist():
    """Both splits of MNIST, as an :class:`nnguide.data.Dataset`."""
    from nnguide.data import FULL, load_dataset

    dataset = load_dataset()
    if dataset.name != FULL:
        pytest.skip("full MNIST is not available (set NNGUIDE_DATA)")
    return dataset


@pytest.fixture
def small_batch():
    """A small random float64 batch: 16 inputs of width 20, labels of 5 classes."""
    rng = np.random.default_rng(1)
    return rng.standard_normal((16, 20)), rng.integers(0, 5, size=16)
