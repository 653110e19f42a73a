"""nnguide: a neural network from scratch in NumPy, side by side with PyTorch.

The guide, the code to read and copy: :mod:`nnguide.scratch` (NumPy) and
:mod:`nnguide.pytorch`, which mirror each other name for name and import
nothing of each other. Below them, shared by their callers:
:mod:`nnguide.data` (MNIST). Beside them: :mod:`nnguide.bridge`, which copies
weights from one side to the other; :mod:`nnguide.deploy`, which keeps a
trained network in a file, exports it to ONNX and runs it; :mod:`nnguide.parallel`,
which trains either side across processes; and :mod:`nnguide.lab`, which
measures them (benchmarks, runs, records, tables, plots).
"""

__version__ = "0.1.0"
