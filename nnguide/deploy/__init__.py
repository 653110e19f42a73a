"""After training: keep a trained network, load it anywhere, export it, run it.

Beside the guide, not in it: :mod:`nnguide.scratch` and :mod:`nnguide.pytorch`
keep their import rules, and this package reads and writes their networks.

Modules: :mod:`~nnguide.deploy.weights` (one safetensors file for both sides,
in PyTorch's layout), :mod:`~nnguide.deploy.weightfile` (its format and the
checks a file passes before a network is built from it),
:mod:`~nnguide.deploy.onnx_export` (an ONNX file from either side),
:mod:`~nnguide.deploy.images` (a user's PNG or JPEG as an MNIST-like input)
and :mod:`~nnguide.deploy.routes` (the four ways to run a saved network).
They need the ``deploy`` extra: ``pip install "nnguide[deploy]"``.
"""

from __future__ import annotations

import importlib

#: What a command says when one of the extra's libraries is missing.
EXTRA = 'pip install "nnguide[deploy]"'


def require(module: str, purpose: str):
    """Import ``module``, or fail in one line naming the extra that installs it.

    Parameters
    ----------
    module : str
        The module to import, for example ``"safetensors.numpy"``.
    purpose : str
        What it is needed for, as the message says it ("to read weight files").

    Raises
    ------
    MissingExtra
        With a message naming the ``deploy`` extra.
    """
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as err:
        message = f"{err.name} is not installed; it is needed {purpose}: {EXTRA}."
        raise MissingExtra(message) from None


class MissingExtra(RuntimeError):
    """A library of the ``deploy`` extra is not installed (a command ends with its message)."""
