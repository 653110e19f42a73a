"""The examples in the docstrings are true: each runs and prints what it shows."""

import doctest
import importlib

import pytest

MODULES = [
    "nnguide.scratch.model",
    "nnguide.pytorch.model",
    "nnguide.lab.tables",
    "nnguide.lab.epoch_time",
    "nnguide.parallel.shares",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples to check"
    assert result.failed == 0
