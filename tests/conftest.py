"""Shared fixtures. Tests read MNIST from $NNGUIDE_DATA, which defaults here to
``../shared/data/mnist`` when that folder exists (as in CI)."""

import os
from pathlib import Path

import numpy as np
import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mnist"
if not os.environ.get("NNGUIDE_DATA") and SHARED.is_dir():
    os.environ["NNGUIDE_DATA"] = str(SHARED)


def pytest_configure(config):
    """Threads at each library's fastest count, never above the usable cores.

    With more threads than cores, a suite next to one busy core stalled for
    minutes in the training and benchmark tests.
    """
    from nnguide.lab.threads import limit_threads

    config.nnguide_threads = limit_threads()


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


# The session summary's line about data: which data the tests used, so a run on
# the offline subset says so in one line, not only through skipped tests.
_OFFLINE_USES: list[tuple[str, str]] = []


def pytest_warning_recorded(warning_message, when, nodeid, location):
    """Note each use of the offline subset (warnings a test expected are not recorded)."""
    from nnguide.data import OfflineSubsetWarning

    if issubclass(warning_message.category, OfflineSubsetWarning):
        lines = str(warning_message.message).splitlines()
        _OFFLINE_USES.append((nodeid, lines[1] if len(lines) > 1 else lines[0]))


def data_summary(offline_uses) -> str:
    """One line: the offline subset if any test used it, else what the loader resolves."""
    from nnguide.data import OFFLINE_SUBSET, describe_data

    if offline_uses:
        n = len({nodeid for nodeid, _ in offline_uses})
        reason = offline_uses[0][1]
        tests = "test" if n == 1 else "tests"
        return (
            f"nnguide data: OFFLINE SUBSET ({OFFLINE_SUBSET}), not MNIST, in {n} {tests}: {reason}"
        )
    return f"nnguide data: {describe_data()}"


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    terminalreporter.write_line(data_summary(_OFFLINE_USES))
    threads = getattr(config, "nnguide_threads", None)
    if threads:
        terminalreporter.write_line(
            f"nnguide threads: NumPy's BLAS {threads['numpy']}, PyTorch {threads['torch']}"
        )
