"""
How fast is each implementation?
================================

Comparisons of NumPy and PyTorch networks often say the from-scratch version
is "generally slower due to Python loops" and that PyTorch is "significantly
faster due to its optimized backend". This page measures it, in one run, on the
machine that built this site: one training epoch of the same 784-128-10
network (sigmoid, SGD with momentum) on all 60,000 MNIST training images, for
every way of running it that the package has.

The harness is ``nnguide.lab.bench``; ``python -m nnguide bench`` runs the
same measurement from the command line and ``--json`` saves it, so records from
different machines can be compared.
"""

# %%
# Run the harness
# ---------------
#
# Each contender is warmed up, then timed over whole epochs five times, in
# rounds that take the contenders in turn, so that a slow moment of the machine
# falls on all of them alike. The tables give the median and the spread
# (max - min, as ± half of it around the median). NumPy's BLAS and PyTorch use
# the same number of threads. Where the next contender runs on the other
# library, the harness first waits a quarter of a second: after its last call,
# each library's idle threads spin for a moment before they sleep, and on two
# cores they would slow the other library down. Two contenders are too slow to
# time over whole epochs on every build: they are timed on a slice and
# extrapolated, and their rows say so.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import NullFormatter

from nnguide.lab import bench
from nnguide.lab.environment import summary

record = bench.run_benchmark(log=None)
env, ceiling = record["environment"], record["ceiling"]
print(f"threads: {record['settings']['threads']} (BLAS and PyTorch); data: {record['dataset']}")
print(f"GPU: {env['gpu'] or 'none on this machine'}")

# %%
# The ceiling
# -----------
#
# An epoch's matrix products cost a known number of floating-point operations.
# Divided by the best matrix-multiply throughput this machine reaches (large
# 2048 x 2048 products), that gives a lower bound on an epoch's time that no
# implementation can beat. A shared machine's speed drifts, so the peak is
# measured again in every round, between the contenders, and each contender's
# fraction of the ceiling divides the times of the same round. The network's
# own products are small, so they run below that peak, especially at small
# batches.
main = {(r.contender, r.batch_size): r for r in bench.results(record)}
bound = main[bench.CEILING, 64]
flops = ceiling[64]["epoch_gflop"]
print(f"FLOPs per epoch (matrix products, forward and backward): {flops:.1f} G")
print(
    f"peak matrix-multiply throughput: {flops / bound.median:.0f} GFLOP/s (median of the "
    f"rounds; from {flops / max(bound.repeats):.0f} to {flops / min(bound.repeats):.0f})"
)
print(f"lower bound on an epoch: {bound.median:.3f} s")
for bs in (64, 256):
    for shape, gflops in ceiling[bs]["shape_gflops"].items():
        print(f"  batch {bs}, {shape}: {gflops:.0f} GFLOP/s")

# %%
# Every contender
# ---------------
bench.results_table(record)

# %%
# The same as a picture (log scale): seconds per epoch at batch 64 and 256.
names = [n for n in dict.fromkeys(n for n, _ in main) if n != bench.CEILING]
fig, ax = plt.subplots(figsize=(8, 4.2))
for k, bs in enumerate((64, 256)):
    times = [main[n, bs].median for n in names]
    ax.barh(np.arange(len(names)) + 0.4 * k, times, height=0.4, label=f"batch {bs}")
ax.axvline(bound.median, color="black", linestyle=":", label="ceiling")
ax.set(
    yticks=np.arange(len(names)) + 0.2,
    yticklabels=names,
    xscale="log",
    xlabel="seconds per epoch (log scale)",
)
ticks = [0.1, 0.2, 0.5, 1, 2, 5, 10]
ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
ax.xaxis.set_minor_formatter(NullFormatter())
ax.invert_yaxis()
ax.legend()
fig.tight_layout()

# %%
# Where the NumPy network's epoch goes
# ------------------------------------
#
# Vectorized NumPy stays well below the ceiling at batch 64. A profile of its
# training step shows where the time goes: each layer's forward and backward
# pass, the optimizer's update and the batching are timed on their own (each
# part's median over three epochs).
bench.profile_table(record)

# %%
profile = record["profile"]
total = sum(profile.values())
first_layer = [part for part in profile if part.startswith("Linear 784x")]
products = sum(profile[part] for part in first_layer)
optimizer = profile["optimizer step (SGD with momentum)"]
# The first layer's share of the arithmetic, and its products' time at the ceiling's throughput.
share = bench.epoch_flops((784, 128)) / bench.epoch_flops()
products_at_peak = bound.median * share
print(
    f"* The profiled epoch took {total:.3f} s, against "
    f"{main[bench.PLAIN, 64].median:.3f} s in the table: the timers cost a "
    f"little, and the two were measured at different moments.\n"
    f"* The first layer's two matrix products (forward, and the weights' gradient) are "
    f"{100 * share:.0f}% of the epoch's arithmetic. They take {products:.3f} s, "
    f"{100 * products / total:.0f}% of the epoch; at the peak throughput of large products "
    f"they would take {products_at_peak:.3f} s. Products of 64 rows cannot keep a BLAS as "
    f"busy as 2048 x 2048 ones: on its own, the forward product ran at "
    f"{ceiling[64]['shape_gflops']['forward x @ W1']:.0f} GFLOP/s, against "
    f"{ceiling[64]['epoch_gflop'] / bound.median:.0f} for large ones.\n"
    f"* The optimizer takes {optimizer:.3f} s, {100 * optimizer / total:.0f}%: on every step "
    f"it reads and writes the first layer's weights, their gradient and their velocity, "
    f"{784 * 128:,} numbers each. That is memory traffic, not arithmetic, and no BLAS helps.\n"
    f"* Everything else takes {total - products - optimizer:.3f} s, "
    f"{100 * (total - products - optimizer) / total:.0f}%: copying each batch's rows out of "
    f"the training set, and a few dozen small NumPy calls per step (the activation, the small "
    f"layer, the loss), each with about a microsecond of overhead before any arithmetic: the "
    f"same kind of cost that slows PyTorch down at small batches."
)

# %%
# Batch size: where PyTorch's per-call overhead stops mattering
# --------------------------------------------------------------
#
# Every operation PyTorch runs costs a few microseconds of dispatch before any
# arithmetic, and an autograd step runs dozens. With small batches that fixed cost
# dominates; with large ones the matrix products do, and both sides call a BLAS.
sweep = bench.results(record, "batch_size")
fig, (ax, ratio_ax) = plt.subplots(1, 2, figsize=(9, 3.5))
for name in bench.SWEEP_CONTENDERS:
    points = [(r.batch_size, r.median) for r in sweep if r.contender == name]
    ax.loglog(*zip(*points), "o-", label=name, base=2)
ax.set(xlabel="batch size", ylabel="seconds per epoch")
ax.legend(fontsize=8)
# Both contenders were timed in the same rounds: each ratio divides within a round.
by = {(r.contender, r.batch_size): r for r in sweep}
numpy_name, torch_name = bench.SWEEP_CONTENDERS
ratios = {
    bs: bench.paired_ratio(by[torch_name, bs], by[numpy_name, bs]) for bs in bench.BATCH_SIZES
}
ratio_ax.semilogx(list(ratios), list(ratios.values()), "o-", base=2)
ratio_ax.axhline(1, color="gray", linestyle=":")
ratio_ax.set(xlabel="batch size", ylabel="PyTorch time / NumPy time")
fig.tight_layout()
for bs, ratio in ratios.items():
    print(f"batch {bs:3d}: PyTorch takes {ratio:.2f}x NumPy's time (median of the rounds)")

# %%
# Hidden width: when the products take over
# -----------------------------------------
#
# At batch 64, a wider hidden layer makes each step's products larger while the
# number of operations stays the same, so the per-call overhead shrinks in
# proportion.
sweep = bench.results(record, "hidden")
by = {(r.contender, r.hidden): r for r in sweep}
fig, ax = plt.subplots(figsize=(6, 3.5))
for name in bench.SWEEP_CONTENDERS:
    times = [by[name, h].median for h in bench.HIDDEN_WIDTHS]
    ax.loglog(bench.HIDDEN_WIDTHS, times, "o-", label=name, base=2)
ax.set(xlabel="hidden units", ylabel="seconds per epoch")
ax.legend(fontsize=8)
fig.tight_layout()
for h in bench.HIDDEN_WIDTHS:
    ratio = bench.paired_ratio(by[torch_name, h], by[numpy_name, h])
    flops = bench.epoch_flops((784, h, 10)) / 1e9
    print(f"hidden {h:4d}: {flops:6.1f} GFLOP per epoch; PyTorch takes {ratio:.2f}x NumPy's time")

# %%
# Where these numbers come from
# -----------------------------
print(summary(env, record["dataset"]))
