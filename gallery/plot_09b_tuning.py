"""
What tuning in place buys
=========================

The guide's NumPy network is written to be read: every operation returns a
fresh array, as the textbook formulas do. A NumPy author who wants speed
writes the same arithmetic differently: every buffer allocated once, every
result written into one with ``out=``, all parameters in one flat array so
that the update of SGD with momentum is two BLAS calls. This page shows both
kernels side by side, measures what the tuned one buys, and how close either
comes to the machine's matrix-multiply ceiling. The record is the one the
previous page shows.
"""

# %%
# The two kernels
# ---------------
#
# First, the guide network's step as the guide defines it: the linear layers,
# the sigmoid and its derivative, the softmax cross-entropy and its gradient,
# SGD with momentum. Most operations allocate a new array. Then the tuned
# network's whole step, in its four parts: it writes every result into a
# buffer allocated once, keeps all parameters in one flat array so that the
# update is two calls of BLAS's ``axpy`` (``y += a * x``) over it, and writes
# the gradient into the buffer that held the velocity two steps before, so
# that nothing is copied. Both listings are read from the package's source as
# this page runs.
from nnguide.lab.listing import Listing, SideBySide
from nnguide.lab.tuned import TunedSigmoidMLP
from nnguide.scratch.layers import Linear, Sigmoid, sigmoid
from nnguide.scratch.losses import cross_entropy
from nnguide.scratch.optimizers import SGD

plain_code = Listing(
    Linear.forward,
    Linear.backward,
    Sigmoid.forward,
    sigmoid,
    Sigmoid.backward,
    cross_entropy,
    SGD.step,
    title="plain (nnguide/scratch)",
)
tuned_code = Listing(
    TunedSigmoidMLP.step,
    TunedSigmoidMLP.forward,
    TunedSigmoidMLP.loss_gradient,
    TunedSigmoidMLP.backward,
    TunedSigmoidMLP.update,
    title="tuned (nnguide/lab/tuned.py)",
)
SideBySide(plain_code, tuned_code)

# %%
# The measured gain, round by round: the tuned network's time divided by the
# plain network's, each on its chosen thread count.
from nnguide.lab.bench import report, speed_record

record = speed_record()  # this build's record; run on its own, the page measures afresh
report.gain_table(record, f"{tuned_code.lines} against {plain_code.lines}")

# %%
# The ceiling
# -----------
#
# An epoch's matrix products cost a known number of floating-point operations.
# Divided by the best matrix-multiply throughput this machine reaches on
# large products, on every usable core, that gives a lower bound on an epoch's
# time that no implementation can beat. A shared machine's speed drifts, so the
# peak is measured again in every round, and each contender's fraction of the
# ceiling divides the times of the same round. The network's own products are
# small, so they run below that peak, especially at small batches.
report.ceiling_text(record)

# %%
# The guide's speed targets, checked on this build. "Met" means the interval
# lies entirely on the right side; "inconclusive", that it straddles the target.
report.targets_table(record)

# %%
# Where the plain network's epoch goes
# ------------------------------------
#
# A profile of the plain network's training step: each layer's forward and
# backward pass, the optimizer's update and the batching timed on their own
# (each part's median over the profiled epochs), on the thread count chosen
# for NumPy at the profile's batch size. What the timers leave of the epoch is
# shown as one remainder: it is not timed part by part, and the table does not
# say what it holds.
report.profile_table(record, "plain")

# %%
report.profile_text(record)

# %%
# Where the tuned network's epoch goes
# ------------------------------------
#
# The same for the tuned network, on the thread count chosen for it at the
# same batch size. Its two large products are the plain network's; the parts
# around them are timed the same way.
report.profile_table(record, "tuned")

# %%
report.tuned_profile_text(record)

# %%
# The two profiles side by side, each part of the step a segment of its bar.
import matplotlib.pyplot as plt

from nnguide.lab.bench import figures

figures.profiles(record)
plt.show()
