"""
How fast is each implementation?
================================

Comparisons of NumPy and PyTorch networks often say the from-scratch version
is "generally slower due to Python loops" and that PyTorch is "significantly
faster due to its optimized backend". This page measures it, in one run, on the
machine that built this site: a training epoch of the same 784-128-10 network
(sigmoid, SGD with momentum 0.9, float32, each batch gathered from the
training set as it is used), in three ways above all:

* **plain**: the guide's NumPy network, written as the textbook formulas read;
* **tuned**: the same network and arithmetic, written the way a NumPy author
  writes a hot loop (every buffer allocated once, one flat parameter buffer,
  the update fused into two BLAS calls);
* **PyTorch**: the guide's PyTorch network, eager, fed from in-memory tensors.

The harness is ``nnguide.lab.bench``; ``python -m nnguide bench`` runs the
same harness from the command line (with its own default budget; this page
passes 180 seconds) and ``--json`` saves it, so records from different machines
can be compared.
"""

# %%
# Run the harness
# ---------------
#
# The harness warms each contender up, then times it in rounds that take the
# contenders in turn, so that a slow moment of the machine falls on all of them
# alike, and two contenders can be compared round by round. Every time below
# is the median over the rounds with an interval that covers the true median
# with at least 90% confidence (the rounds' order statistics, which assume
# nothing about how the times are spread); every comparison is the ratio of two
# contenders' times taken round by round, with its own interval.
#
# Each library runs on 1, 2, 4, ... threads and on all the cores this process
# may use (its CPU affinity and any cgroup quota, not the machine's core count), and
# each keeps the count that is conclusively fastest for it, or the fewest
# threads when none is.
#
# The whole measurement has a time budget. Rounds continue until every row's
# interval is narrower than a fifth of its median (after at least five rounds,
# the fewest that give a 90% interval), or until the next round would overrun
# the budget. On a busy machine each round takes longer, so fewer fit, and each
# contender trains on a smaller slice of the epoch; the tables say where.
import os

from nnguide.lab import bench
from nnguide.lab.tables import Prose, Table

# (NNGUIDE_SHORT_RUN=1, set where a copy of this page is only tested, runs --quick.)
SHORT = bool(os.environ.get("NNGUIDE_SHORT_RUN"))
BUDGET = 15 if SHORT else 180  # seconds of measurement
record = bench.run_benchmark(quick=SHORT, budget=BUDGET, log=None)
if os.environ.get("NNGUIDE_RESULTS"):  # set by the site's build: the claims page quotes it
    bench.save_record(record, os.path.join(os.environ["NNGUIDE_RESULTS"], "speed.json"))

env, cores, settings = record["environment"], record["cores"], record["settings"]
counts = " and ".join(map(str, settings["thread_counts"]))
Prose(
    f"Measured on **{env['date']}** on the machine that built this page: {env['cpu']}, "
    f"{cores['os_cpu_count']} cores, of which this process may use **{cores['usable']}** "
    f"(affinity {cores['affinity']}, cgroup quota "
    f"{cores['cgroup_quota'] or 'none'}); thread counts tried: {counts}. The measurements "
    f"took {record['elapsed_seconds']:.0f} s of a {settings['budget_seconds']:.0f} s budget."
)

# %%
# The three rows
# --------------
#
# Seconds per epoch of the three networks at batch 64 and 256, each on its
# chosen thread count, with the fraction of the matrix-multiply ceiling it
# reaches (below) and the ratios that compare them round by round: a ratio
# below 1 means the first named is faster.
bench.speed_table(record)

# %%
# What the three rows say, each sentence computed from the rounds above. A
# comparison is called "faster" only when its ratio's interval excludes 1.
plain_torch, tuned_plain = {}, {}
for v in bench.verdicts(record):
    if v["comparison"] == "guide network against PyTorch eager, each on its chosen count":
        plain_torch[v["batch"]] = v
    elif v["comparison"] == "tuned in place against the guide network, each on its chosen count":
        tuned_plain[v["batch"]] = v


def gain(ratio):
    """How much faster a time ratio makes the first, in words, with its interval."""
    return f"{1 / ratio.median:.2f}x as fast [{1 / ratio.high:.2f}x, {1 / ratio.low:.2f}x]"


sentences = []
for bs in sorted(plain_torch):
    v, t = plain_torch[bs], tuned_plain[bs]
    if v["verdict"].kind == "inconclusive":
        sentences.append(
            f"At batch {bs}, whether the guide network or PyTorch is faster is "
            f"inconclusive on this build: {v['verdict'].reason}."
        )
    else:
        sentences.append(f"At batch {bs}, {v['verdict'].text}")
    if t["verdict"].kind == "faster":
        sentences.append(f"Tuned in place, the network is {gain(t['ratio'])} at batch {bs}.")
    elif t["verdict"].kind == "inconclusive":
        sentences.append(
            f"Whether tuning in place pays at batch {bs} is inconclusive on this build: "
            f"{t['verdict'].reason}."
        )
    else:
        sentences.append(f"At batch {bs}, {t['verdict'].text}")
Prose(" ".join(sentences))

# %%
# The guide's speed targets, checked on this build.
goals = " and ".join(f"{100 * f:.0f}% at batch {bs}" for bs, f in bench.TUNED_TARGETS.items())
Prose(
    "The targets: the plain network faster than PyTorch eager at both batch sizes, and "
    f"the tuned network at a fraction of the ceiling of at least {goals}."
)

# %%
# "Met" means the interval lies entirely on the right side; "inconclusive",
# that it straddles the target.
Table(
    ["target", "on this build", "evidence"],
    [[t["target"], t["status"], t["evidence"]] for t in bench.targets(record)],
)

# %%
# The two kernels
# ---------------
#
# What "tuned in place" means. First, the guide network's step as the
# guide defines it: the linear layers, the sigmoid and its derivative, the
# softmax cross-entropy and its gradient, SGD with momentum. Most operations
# allocate a new array. Then the tuned network's whole step, in its
# four parts: it writes every result into a buffer allocated once,
# keeps all parameters in one flat array so that the update is two calls of
# BLAS's ``axpy`` (``y += a * x``) over it, and writes the gradient into the
# buffer that held the velocity two steps before, so that nothing is copied.
# Both listings are read from the package's source as this page runs.
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
lines = f"{tuned_code.lines} against {plain_code.lines}"
Table(
    ["batch", "tuned / plain time [interval]", "verdict", "lines shown, tuned against plain"],
    [[bs, t["ratio"].format(2), t["verdict"].kind, lines] for bs, t in sorted(tuned_plain.items())],
)

# %%
# Every thread count
# ------------------
#
# The main rows on every thread count tried, with the ceiling. "(chosen)" marks
# the count each contender keeps: the fastest where the rounds show it
# conclusively, the fewest threads otherwise, because extra threads are what
# suffers most when a shared machine gets busy (a thread that waits for a
# descheduled partner stalls the whole product).
bench.results_table(record)

# %%
# Every comparison the rows support: the guide network against PyTorch on their
# chosen counts and on equal counts, the tuned network against the plain one,
# and each contender's chosen count against the others.
bench.verdict_table(record)

# %%
# The same as a picture: each row's median seconds per epoch (the dot) and its
# interval (the line), on a log scale, with the ceiling's lower bound.
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FormatStrFormatter, LogLocator, NullLocator

SHORT_NAMES = {bench.PLAIN: "plain", bench.TUNED: "tuned", bench.TORCH: "PyTorch"}


def errors(rows):
    """Each row's interval as matplotlib's error bars: distances below and above the median."""
    return np.array([[r.median - r.interval.low, r.interval.high - r.median] for r in rows]).T


main_rows = [r for r in bench.results(record) if r.contender != bench.CEILING]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
for ax, bs in zip(axes, (64, 256)):
    rows = [r for r in main_rows if r.batch_size == bs]
    choice = record["chosen_threads"][bs]
    labels = [
        f"{SHORT_NAMES[r.contender]}, {bench.threads_text(r.threads)}"
        + (" (chosen)" if choice[r.contender] == r.threads else "")
        for r in rows
    ]
    medians = [r.median for r in rows]
    ax.errorbar(medians, np.arange(len(rows)), xerr=errors(rows), fmt="o", capsize=3)
    ceiling_row = bench.find(record, bench.CEILING, bs, settings["thread_counts"][-1])
    ax.axvline(ceiling_row.median, color="black", linestyle=":", label="ceiling")
    ax.set(title=f"batch {bs}", xlabel="seconds per epoch (log)", xscale="log")
    ax.set_yticks(np.arange(len(rows)), labels)
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.legend(loc="upper right", fontsize=8)
axes[0].invert_yaxis()
fig.tight_layout()
plt.show()

# %%
# The ceiling
# -----------
#
# An epoch's matrix products cost a known number of floating-point operations.
# Divided by the best matrix-multiply throughput this machine reaches (large
# 2048 x 2048 products on every usable core), that gives a lower bound on an
# epoch's time that no implementation can beat. A shared machine's speed
# drifts, so the peak is measured again in every round, and each contender's
# fraction of the ceiling divides the times of the same round. The network's
# own products are small, so they run below that peak, especially at batch 64.
flops = record["ceiling"][64]["epoch_gflop"]
bound = bench.find(record, bench.CEILING, 64, settings["thread_counts"][-1]).interval
shapes = record["ceiling"][64]["shape_gflops"]
Prose(
    f"An epoch's matrix products cost {flops:.1f} GFLOP. The peak throughput of large "
    f"products was {flops / bound.median:.0f} GFLOP/s (interval {flops / bound.high:.0f} "
    f"to {flops / bound.low:.0f}), which puts the lower bound on an epoch at "
    f"{bound.format()} s. At batch 64 the network's own first-layer products ran at "
    + " and ".join(f"{g:.0f} GFLOP/s ({shape})" for shape, g in shapes.items())
    + ", measured on their own."
)

# %%
# Every other contender
# ---------------------
#
# Each on the thread count chosen for its library, timed in the same rounds as
# the plain network and PyTorch eager (repeated here, so that each can be
# compared round by round). The slowest are timed on a slice of the epoch and
# extrapolated; the notes say so.
bench.others_table(record)

# %%
import textwrap

others = bench.results(record, "others")
by_name = {}
for r in others:
    by_name.setdefault(r.contender, {})[r.batch_size] = r
sizes = sorted({r.batch_size for r in others})
fig, ax = plt.subplots(figsize=(9, 0.6 * len(by_name) + 1.2))
for k, bs in enumerate(sizes):
    names = [n for n in by_name if bs in by_name[n]]
    rows = [by_name[n][bs] for n in names]
    positions = [list(by_name).index(n) + 0.4 * k for n in names]
    medians = [r.median for r in rows]
    ax.barh(positions, medians, height=0.4, xerr=errors(rows), label=f"batch {bs}")
ax.set(yticks=np.arange(len(by_name)) + 0.2, xscale="log", xlabel="seconds per epoch (log)")
ax.set_yticklabels([textwrap.fill(name, 32) for name in by_name], fontsize=8)
ax.invert_yaxis()
ax.legend()
fig.tight_layout()
plt.show()

# %%
# Round by round: what the per-example loop costs against the vectorized
# network, float64 against float32, feeding PyTorch one image at a time through
# ``ToTensor`` against slicing tensors already in memory, and compiling the
# network against running it eagerly (compile time left out).
bench.others_verdict_table(record)

# %%
# Where the plain network's epoch goes
# ------------------------------------
#
# A profile of the plain network's training step: each layer's forward and
# backward pass, the optimizer's update and the batching timed on their own
# (each part's median over the profiled epochs), on the thread count chosen
# for NumPy at batch 64.
bench.profile_table(record)

# %%
profile = record["profile"]
total = sum(profile.values())
first_layer = sum(s for part, s in profile.items() if part.startswith("Linear 784x"))
optimizer = profile["optimizer step (SGD with momentum)"]
share = bench.epoch_flops((784, 128)) / bench.epoch_flops()
Prose(
    f"The profiled epoch took {total:.2f} s on {bench.threads_text(record['profile_threads'])}, "
    f"against "
    f"{bench.find(record, bench.PLAIN, 64).interval.format(2)} s in the table (the timers "
    f"cost a little, and the two ran at different moments). The first layer's two matrix "
    f"products are {100 * share:.0f}% of the epoch's arithmetic and take {first_layer:.2f} s, "
    f"{100 * first_layer / total:.0f}% of the epoch; at the ceiling's throughput they would "
    f"take {bound.median * share:.2f} s. The optimizer takes {optimizer:.2f} s "
    f"({100 * optimizer / total:.0f}%): every step it reads and writes the first layer's "
    f"weights, their gradient and their velocity, {784 * 128:,} numbers each, which is memory "
    f"traffic that no BLAS speeds up; this is what the tuned network's fused update cuts. "
    f"The rest, {total - first_layer - optimizer:.2f} s, is copying each batch's rows and a "
    f"few dozen small NumPy calls per step, each with a microsecond or so of overhead."
)

# %%
# Where the tuned network's epoch goes
# ------------------------------------
#
# The same for the tuned network, on the thread count chosen for it at batch
# 64. Its two large products are the plain network's; what it saves is around
# them.
bench.profile_table(record, "profile_tuned")

# %%
# How close the tuned network can come to the ceiling at batch 64: what the
# first layer's two products alone cost, at the throughput measured for their
# own shapes.
tuned_profile = record["profile_tuned"]
tuned_total = sum(tuned_profile.values())
update = tuned_profile["update: two axpy over the flat buffers"]
per_product = bench.epoch_flops((784, 128)) / 2 / 1e9  # GFLOP per epoch of each product
products_alone = sum(per_product / g for g in shapes.values())
Prose(
    f"The tuned epoch took {tuned_total:.2f} s in the profile, on "
    f"{bench.threads_text(record['profile_tuned_threads'])}. Its update takes {update:.2f} s "
    f"against the plain optimizer's {optimizer:.2f} s, and batching "
    f"{tuned_profile['batching']:.2f} s against {profile['batching']:.2f} s. The two products "
    f"of the first layer alone, at the {' and '.join(f'{g:.0f}' for g in shapes.values())} "
    f"GFLOP/s this machine reached for their shapes at batch 64 (the best of five short "
    f"tries on each thread count), take {products_alone:.2f} s "
    f"an epoch: even if nothing else took any time, that would be "
    f"{100 * bound.median / products_alone:.0f}% of the ceiling, whose {bound.median:.2f} s "
    f"assume the throughput of large products."
)

# %%
# Batch size and width: where PyTorch's per-call overhead shrinks
# ---------------------------------------------------------------
#
# Every operation PyTorch runs costs a few microseconds of dispatch before any
# arithmetic, and an autograd step runs dozens. With small batches that fixed
# cost dominates; with large ones, or a wide hidden layer, the matrix products
# do, and both sides call a BLAS. Each sweep times every setting of both
# contenders in the same rounds, on a slice of the epoch.
if record["sweeps"]:
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, name, title in zip(axes, ("batch_size", "hidden"), ("batch size", "hidden units")):
        points = bench.sweep(record, name)
        x = [p["setting"] for p in points]
        for key, label in (("numpy", "plain (NumPy)"), ("torch", "PyTorch eager")):
            rows = [p[key] for p in points]
            medians = [r.median for r in rows]
            ax.errorbar(x, medians, yerr=errors(rows), marker="o", label=label)
        ax.set(xscale="log", yscale="log", xlabel=title, ylabel="seconds per epoch")
        ax.set_xticks(x, [str(v) for v in x])
        ax.xaxis.set_minor_locator(NullLocator())
        ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))  # ticks at 0.5, 1, 2, 5...
        ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.legend(fontsize=8)
    fig.tight_layout()
    plt.show()

# %%
# Round by round, PyTorch's time over the plain network's at each batch size
# (above 1: the plain network is faster).
not_run = Prose(f"Not run on this build: {record['skipped'].get('sweeps')}.")
bench.sweep_table(record, "batch_size") if record["sweeps"] else not_run

# %%
# The same at batch 64 for each hidden width.
bench.sweep_table(record, "hidden") if record["sweeps"] else not_run

# %%
# What the budget cut short
# -------------------------
#
# Every measurement that stopped on its budget before its rows were steady, or
# that shrank its slices to fit five rounds. Its verdicts rest on fewer or
# shorter rounds, and say "inconclusive" where the intervals do not decide.
notes = bench.budget_notes(record)
Prose(
    " ".join(notes)
    if notes
    else "Nothing: every measurement reached steady rows within its budget, on full slices."
)

# %%
# Where these numbers come from
# -----------------------------
from nnguide.lab.environment import summary

Prose(summary(env, record["dataset"]))
