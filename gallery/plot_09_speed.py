"""
Is PyTorch faster than NumPy?
=============================

Comparisons of NumPy and PyTorch networks often say the from-scratch version
is "generally slower due to Python loops" and that PyTorch is "significantly
faster due to its optimized backend". This page puts that to a measurement,
on the machine that built this site: a training epoch of the same network
(the guide's MNIST network with its sigmoid hidden layer, SGD with momentum,
float32, each batch gathered from the training set as it is used), written
three ways:

* **plain**: the guide's NumPy network, written as the textbook formulas read;
* **tuned**: the same network and arithmetic, written the way a NumPy author
  writes a hot loop (the next page shows how, and what it buys);
* **PyTorch**: the guide's PyTorch network, eager, fed from in-memory tensors.

The harness is ``nnguide.lab.bench``; ``python -m nnguide bench`` runs it
from the command line and ``--json`` saves its record, so records from
different machines can be compared. The four speed pages of this site show
one record, measured once per build before any page runs.
"""

# %%
# The record
# ----------
#
# The harness warms each contender up, then times it in rounds that take the
# contenders in turn, so that a slow moment of the machine falls on all of them
# alike, and two contenders can be compared round by round. Every time below
# is the median over the rounds with an interval that covers the true median
# with the confidence stated below (the rounds' order statistics, which assume
# nothing about how the times are spread); every comparison is the ratio of two
# contenders' times taken round by round, with its own interval.
#
# Each library runs on 1, 2, 4, ... threads up to the cores this process may
# use (its CPU affinity and any cgroup quota, not the machine's core count),
# and keeps the count that is conclusively fastest for it, or the fewest
# threads when none is. Every measurement has a time budget: on a busy
# machine fewer rounds fit, and each contender trains on a smaller slice of
# the epoch; the notes at the foot of the page say where.
from nnguide.lab.bench import report, speed_record

record = speed_record()  # this build's record; run on its own, the page measures afresh
report.provenance(record)

# %%
report.method(record)

# %%
# The three rows
# --------------
#
# Seconds per epoch of the three networks at each batch size, each on its
# chosen thread count, with the fraction of the matrix-multiply ceiling it
# reaches (the next page explains the ceiling) and the ratios that compare
# them round by round: a ratio below 1 means the first named is faster.
report.speed_table(record)

# %%
# What the three rows say, each sentence computed from the rounds above. A
# comparison is called "faster" only when its ratio's interval excludes 1.
report.headline(record)

# %%
# Every thread count
# ------------------
#
# The main rows on every thread count tried, with the ceiling. "(chosen)" marks
# the count each contender keeps: the fastest where the rounds show it
# conclusively, the fewest threads otherwise, because extra threads are what
# suffers most when a shared machine gets busy (a thread that waits for a
# descheduled partner stalls the whole product).
report.results_table(record)

# %%
# Every comparison the rows support: the guide network against PyTorch on their
# chosen counts and on equal counts, the tuned network against the plain one,
# and each contender's chosen count against the others.
report.verdict_table(record)

# %%
# The same as a picture: each row's median seconds per epoch (the dot) and its
# interval (the line), on a log scale, with the ceiling's lower bound.
import matplotlib.pyplot as plt

from nnguide.lab.bench import figures

figures.main_rows(record)
plt.show()

# %%
# What the budget cut short
# -------------------------
#
# Every measurement that stopped on its budget before its rows were steady, or
# that shrank its slices to fit the rounds an interval needs. Its verdicts rest
# on fewer or shorter rounds, and say "inconclusive" where the intervals do not
# decide.
report.budget_notes(record)

# %%
# Where these numbers come from
# -----------------------------
from nnguide.lab.environment import summary
from nnguide.lab.tables import Prose

Prose(summary(record["provenance"]["environment"], record["provenance"]["dataset"]))
