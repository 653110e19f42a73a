"""
Other feeds and compilers
=========================

The three rows of the first speed page feed both networks from arrays already
in memory. Other ways of training the same network are common too: Nielsen's
per-example loop, float64 arrays (NumPy's default), the PyTorch tutorials'
``DataLoader`` over ``torchvision.datasets.MNIST`` with ``ToTensor``, and
``torch.compile``. This page times each next to the network it varies, in the
same rounds, so that each can be compared round by round. The record is the
one the first speed page shows.
"""

# %%
# Every other contender
# ---------------------
#
# Each on the thread count chosen for its library, timed in the same rounds as
# the plain network and PyTorch eager (repeated here). The slowest are timed on
# a slice of the epoch and extrapolated; the notes say so.
from nnguide.lab.bench import report, speed_record

record = speed_record()  # this build's record; run on its own, the page measures afresh
report.others_table(record)

# %%
import matplotlib.pyplot as plt

from nnguide.lab.bench import figures

figures.others(record)
plt.show()

# %%
# Round by round: what the per-example loop costs against the vectorized
# network, float64 against float32, feeding PyTorch one image at a time through
# ``ToTensor`` against slicing tensors already in memory, and compiling the
# network against running it eagerly (compile time left out).
report.verdict_table(record, "others")
