"""
Training on more than one process
=================================

Write-ups say that a network written from scratch in NumPy is "less practical
for large-scale" work, and that PyTorch brings an ecosystem for it. Large scale
starts where one process is not enough: the batch is cut into shares, each
process computes the gradients of its share, and the processes average their
gradients before every update (data parallelism). This page trains the guide's
network that way on both sides, each with the engine its ecosystem uses on
clusters:

* **NumPy**: the guide's network, launched with ``mpiexec`` (MPICH), its
  gradients averaged by MPI through ``mpi4py`` (``comm.Allreduce`` on the NumPy
  arrays, in place). NumPy has no collective of its own: its author brings MPI
  and writes the averaging step (``nnguide/parallel/mpi_numpy.py``).
* **PyTorch**: the guide's network wrapped in ``DistributedDataParallel`` over
  the ``gloo`` backend, launched with ``torchrun``. DDP averages the gradients
  inside ``backward()`` (``nnguide/parallel/ddp_torch.py``).

From the command line, with ``pip install "nnguide[parallel]"``:

.. code-block:: bash

   OMP_NUM_THREADS=1 mpiexec -n 2 python -m nnguide train --impl scratch
   OMP_NUM_THREADS=1 torchrun --standalone --nproc-per-node 2 -m nnguide train --impl pytorch

``--batch-size`` stays the global batch; only the first process logs and
writes ``--json``, whose record names the engine, the number of processes and
each one's share. Each process runs on ``OMP_NUM_THREADS`` threads when it is
set, else on its share of the machine's usable cores. ``torchrun`` itself sets
it to 1, with a warning, when it starts more than one process on a machine
and finds it unset: the commands set it, which chooses the threads and keeps
the warning away.
"""

# %%
# The record
# ----------
#
# Everything below comes from one record, measured once per build before the
# pages run, by jobs of real processes under both launchers
# (``nnguide.lab.scale``); run on its own, this page measures afresh.
import matplotlib.pyplot as plt

from nnguide.lab.scale import report
from nnguide.lab.scale.record import scale_record

record = scale_record()
report.provenance(record)

# %%
report.intervals_note(record)

# %%
# The same steps on one process and on two
# ----------------------------------------
#
# Both sides cut each batch of the guide's own batch order into one share per
# process (not a ``DistributedSampler``, which draws its own order and pads):
# a batch that does not divide is split unevenly, and each share's gradient is
# weighted by its size, so the processes together take exactly the step one
# process takes. Every process starts from the first one's weights (MPI's
# ``Bcast``; DDP copies them when it wraps the model). The runs below train
# from the guide's start on synthetic data whose last batch does not divide by
# two, and compare the final weights with the guide's own one-process
# ``fit``. The test suite runs the same comparison.
report.exactness_table(record)

# %%
report.float32_note(record)

# %%
report.float64_note(record)

# %%
# Seconds per epoch
# -----------------
#
# Each configuration was launched once per round, the rounds interleaved; each
# launch timed slices of an MNIST epoch (the settings above), and its median
# slice, scaled to a whole epoch, is that round's time. The table shows the
# median of the rounds with an interval over them. An epoch's time is the
# slowest process's. The share of the step is the median of the slices' own
# ratios, so it need not equal the all-reduce's median divided by the step's
# (an epoch's median over the steps of an epoch). The all-reduces
# are timed and counted with the bytes they carry, outside the training code:
# on the NumPy side by a communicator with a clock around ``Allreduce``
# (``Timed``), whose one call per step carries the gradients, in one buffer,
# and the batch's loss; on the PyTorch side by a DDP communication hook (DDP's
# own ``allreduce_hook`` with a clock), which sees the gradients' buckets. The
# batch's loss, all-reduced on its own after ``backward()`` on the PyTorch side,
# is not in that side's figures.
report.epoch_table(record)

# %%
# What the rows say:
report.headline(record)

# %%
report.what_the_rows_show(record)

# %%
report.threads_note(record)

# %%
# DDP gathers gradients into buckets and all-reduces each one as soon as its
# gradients are ready, so it can overlap communication with the rest of the
# backward pass when there are several buckets; a larger network, or a smaller
# ``bucket_cap_mb``, has several. Here:
report.buckets(record)

# %%
# An all-reduce, message by message
# ---------------------------------
#
# The time of one all-reduce on two processes against the message's size, for
# both engines on this machine (loopback: MPICH over shared memory, gloo over
# TCP), with the model ``latency + size / bandwidth`` fitted to it (least
# squares on relative errors; on these logarithmic axes the model is a curve).
report.sweep_figure(record)
plt.show()

# %%
# The latency and bandwidth read off the fit, with their standard errors:
report.fit_table(record)

# %%
# The model set beside the all-reduce that training measured, and where it
# misses the sweep most:
report.sweep_vs_training(record)

# %%
# Past this machine, on paper
# ---------------------------
#
# **A projection, not a measurement.** On N machines, a step of the same
# global batch computes a share of it on each machine (the compute time per
# example measured above, one process on one thread) and then all-reduces the
# gradients. A ring all-reduce of ``b`` bytes sends each machine
# ``2 (N-1)/N × b`` bytes in ``2 (N-1)`` messages, so it takes
# ``2 (N-1)/N × b / bandwidth + 2 (N-1) × latency``. The table assumes the link
# named in each row, at its nominal bandwidth, and one latency per message
# (``nnguide.lab.scale.projection``); it ignores everything else a real
# cluster adds.
report.projection_assumptions(record)

# %%
report.projection_table(record)

# %%
# On a cluster
# ------------
#
# The same commands start jobs across machines. With ``torchrun``, every
# machine runs the same line, naming how many machines take part and where
# they meet (a rendezvous on one of them):
#
# .. code-block:: bash
#
#    torchrun --nnodes 4 --nproc-per-node 8 --rdzv-id job1 \
#        --rdzv-backend c10d --rdzv-endpoint node01:29400 \
#        -m nnguide train --impl pytorch
#
# With MPICH, one line on one machine starts every process, across the hosts
# it names:
#
# .. code-block:: bash
#
#    mpiexec -n 32 -ppn 8 -hosts node01,node02,node03,node04 \
#        python -m nnguide train --impl scratch
#
# With a GPU per process, ``--device cuda`` trains each PyTorch process on its
# own GPU (``cuda:LOCAL_RANK``) with the NCCL backend; the NumPy network has
# no GPU to go to.
