"""
How the gap moves with batch size and width
===========================================

Every operation PyTorch runs has a fixed cost of dispatch before any
arithmetic, and an autograd step runs many operations. If that fixed cost is
what separates the two sides, the gap should shrink as batches grow or the
hidden layer widens, where the matrix products take over, and both sides
hand those to a BLAS. This page puts that to the test: it times the plain
NumPy network and PyTorch eager at several batch sizes and hidden widths,
each sweep's settings in the same rounds, on a slice of the epoch. The record
is the one the first speed page shows.
"""

# %%
# Both sweeps
# -----------
import matplotlib.pyplot as plt

from nnguide.lab.bench import figures, report, speed_record

record = speed_record()  # this build's record; run on its own, the page measures afresh
figure = figures.sweeps(record)  # None where the sweeps did not run (a quick run)
plt.show()

# %%
# Round by round, PyTorch's time over the plain network's at each batch size
# (above 1: the plain network is faster).
report.sweep_table(record, "batch_size")

# %%
# The same at each hidden width.
report.sweep_table(record, "hidden")
