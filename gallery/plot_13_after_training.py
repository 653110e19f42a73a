"""
After training: save, load, export, run
=======================================

A first network trains, its accuracy prints, and the question comes: and now?
The weights live in one process's memory and vanish with it. This page
carries a trained network from training to use: it keeps the network in a
file, loads the file into either side of the guide, exports it to ONNX from
either side, runs it in an inference runtime (onnxruntime), and classifies
digits drawn the way a reader draws them. Then it measures what
each way costs, to judge a claim write-ups make about the from-scratch
network: that it is "less practical for large-scale or production use".

The same steps are commands: ``python -m nnguide train ... --save
model.safetensors``, ``python -m nnguide evaluate model.safetensors``,
``python -m nnguide export model.safetensors model.onnx`` and ``python -m
nnguide predict model.safetensors digit.png``. They need the ``deploy`` extra:
``pip install "nnguide[deploy]"``.
"""

# %%
# A network to keep
# -----------------
#
# The guide's MNIST network, trained briefly on the NumPy side (a copy of this
# page that is only tested trains on a slice; the line below says on what).
# ``on_model`` receives the network when training finishes: it is how
# ``train --save`` keeps it, and a run that is interrupted or diverges
# writes no file.
import tempfile
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from nnguide import settings
from nnguide.data import load_dataset
from nnguide.lab.deploy_bench import SHORT_TRAIN_IMAGES
from nnguide.lab.experiment import TrainConfig, run
from nnguide.lab.tables import Prose, Table

dataset = load_dataset()
if settings.short_run():
    dataset = replace(dataset, train=tuple(a[:SHORT_TRAIN_IMAGES] for a in dataset.train))
config = TrainConfig(impl="scratch", activation="sigmoid", epochs=1)
kept = []
started = time.perf_counter()
history = run(config, dataset, log=None, on_model=kept.append)
trained_in = time.perf_counter() - started
model = kept[0]
Prose(
    f"Trained {config.epochs} epoch{'s' * (config.epochs != 1)} on "
    f"{len(dataset.train[1]):,} images of {dataset.name}"
    f"{' (a short run)' if settings.short_run() else ''} in {trained_in:.1f} s, "
    f"evaluation included: test accuracy {100 * history.final.test_accuracy:.2f}%."
)

# %%
# One file for both sides
# -----------------------
#
# ``nnguide.deploy.weights.save`` writes a `safetensors
# <https://huggingface.co/docs/safetensors>`_ file: a JSON header, then the raw
# numbers. Unlike a pickle (what ``torch.save`` writes), loading it cannot run
# code. The tensors are named and shaped as PyTorch users expect,
# ``layers.0.weight`` as ``nn.Linear`` keeps it, (out, in): the NumPy side's
# ``W`` is (in, out), so it is transposed on the way. The header's metadata
# say what the numbers alone cannot: the loss the network was trained with
# fixes what its "probability" is (softmax for cross-entropy, the sigmoid for
# the book's quadratic cost), the input scaling, which side trained it, on
# what settings, for how many epochs. The file is written atomically: a save
# that fails part-way leaves any earlier file whole. (The page keeps its files
# in a temporary folder, removed at the end of the section on digits.)
from nnguide.deploy import weights

workspace = tempfile.TemporaryDirectory(prefix="nnguide-")
folder = Path(workspace.name)
path = weights.save(
    model,
    folder / "mnist.safetensors",
    loss=config.loss,
    settings=config.to_dict(),
    epochs=config.epochs,
)
info = weights.read(path)
Table(["metadata", "value"], [[k, v] for k, v in info.metadata.items() if k != "settings"])

# %%
# The tensors, as a PyTorch user sees them with ``safetensors.torch.load_file``:
from safetensors.torch import load_file

state = load_file(path)
Table(["tensor", "shape", "dtype"], [[k, tuple(v.shape), v.dtype] for k, v in state.items()])

# %%
# Load it anywhere
# ----------------
#
# Into either side of the guide, and into a plain ``nn.Sequential`` of the
# same sizes (its layers carry no ``layers.`` prefix, so the names drop it).
# The loaded weights are the saved ones bit for bit; no arithmetic touches a
# value on the way.
import torch
from torch import nn

numpy_net, _ = weights.load(path, "scratch")
torch_net, _ = weights.load(path, "pytorch")
sizes = info.sizes
activation = {"sigmoid": nn.Sigmoid, "relu": nn.ReLU}[info.activation]
layers = [nn.Linear(sizes[0], sizes[1])]
for fan_in, fan_out in zip(sizes[1:-1], sizes[2:]):  # each later layer after an activation
    layers += [activation(), nn.Linear(fan_in, fan_out)]
plain = nn.Sequential(*layers)
plain.load_state_dict({k.removeprefix("layers."): v for k, v in state.items()})
same = [
    all(np.array_equal(a, b) for a, b in zip(model.parameters(), numpy_net.parameters())),
    all(
        np.array_equal(p.detach().numpy(), q.T if q.ndim == 2 else q)
        for p, q in zip(torch_net.parameters(), model.parameters())
    ),
    all(torch.equal(p, q) for p, q in zip(plain.parameters(), torch_net.parameters())),
]
assert all(same), "a loaded network's weights differ from the trained network's"
Table(
    ["loaded into", "weights identical to the trained network's"],
    [
        ["nnguide.scratch.MLP", same[0]],
        ["nnguide.pytorch.MLP", same[1]],
        ["a plain nn.Sequential", same[2]],
    ],
)

# %%
# A file that is not a network nnguide saved is refused before anything is
# built, with one line naming the file and the problem; a pickle is never
# unpickled:
pickled = folder / "model.pt"
torch.save(torch_net.state_dict(), pickled)
try:
    weights.load(pickled)
except ValueError as err:
    print(textwrap.fill(str(err).replace(str(folder), "<folder>"), 72))

# %%
# The command line does the same: ``evaluate`` scores a file on the test set
# with either side; the sentence after it compares the two. (The commands run
# here in the page's folder of files, as in a terminal.)
import io
import os
from contextlib import redirect_stderr, redirect_stdout

from nnguide.cli import main
from nnguide.cli.evaluate import evaluate


def command(*args):
    """``python -m nnguide *args`` run in ``folder``; what it prints, wrapped to the page."""
    before, printed = os.getcwd(), io.StringIO()
    os.chdir(folder)
    try:
        with redirect_stdout(printed), redirect_stderr(printed):
            status = main(list(args))
    finally:
        os.chdir(before)
    for line in printed.getvalue().splitlines():
        print(textwrap.fill(line, 72, subsequent_indent="    "))
    return status


for impl in ("scratch", "pytorch"):
    assert command("evaluate", path.name, "--impl", impl) == 0
scores = {impl: evaluate(path, impl)["accuracy"] for impl in ("scratch", "pytorch")}
Prose(
    "Both sides give the file the same test accuracy."
    if scores["scratch"] == scores["pytorch"]
    else f"The sides differ: NumPy scores {100 * scores['scratch']:.2f}%, PyTorch "
    f"{100 * scores['pytorch']:.2f}%."
)

# %%
# Export to ONNX, from either side
# --------------------------------
#
# ONNX is a file format for computation graphs that inference runtimes read.
# From the NumPy side, ``nnguide.deploy.onnx_export`` writes the graph itself
# with ``onnx.helper``, from the network's own arrays, no framework involved:
# the from-scratch network is a handful of operators and two matrices. From
# the PyTorch side, ``torch.onnx.export`` traces the module (its exporter needs
# ``onnxscript``). ``onnx.checker`` accepts both.
from nnguide.deploy import onnx_export

exports = {
    "NumPy side, onnx.helper": onnx_export.export(path, folder / "scratch.onnx", "scratch"),
    "PyTorch side, torch.onnx.export": onnx_export.export(path, folder / "torch.onnx", "pytorch"),
}
Table(
    ["ONNX file", "operators", "size on disk"],
    [
        [name, " → ".join(onnx_export.operators(p)), f"{p.stat().st_size:,} bytes"]
        for name, p in exports.items()
    ],
)

# %%
# The NumPy side's graph, printed by ``onnx.helper``: its inputs, its
# initializers (the matrices and biases) and its nodes.
import onnx

graph = onnx.load(str(exports["NumPy side, onnx.helper"])).graph
for node in graph.node:
    print(f"{node.op_type:8} {', '.join(node.input):>18} -> {', '.join(node.output)}")
for tensor in graph.initializer:
    print(f"{tensor.name}: {tuple(tensor.dims)}")

# %%
# The routes, one network
# -----------------------
#
# The two files are different graphs, so they are compared by what they
# compute: on every test image, the logits of the NumPy network, the PyTorch
# network and onnxruntime on each file, against the NumPy network's. Each
# route sums the same products in its own order, so float32 results differ in
# their last bits; the bound allows ``nnguide.deploy.routes.ULPS`` units in the
# last place of the largest logit (the sentence under the table gives both),
# and a prediction may differ only where an image's top two logits are within it.
from nnguide.data import to_features
from nnguide.deploy import routes

x_test = to_features(dataset.test[0])
reference = routes.numpy_route(numpy_net)(x_test)
others = {
    "pytorch_inference": routes.pytorch_route(torch_net, inference_mode=True)(x_test),
    "onnx_scratch": routes.onnx_route(exports["NumPy side, onnx.helper"])(x_test),
    "onnx_pytorch": routes.onnx_route(exports["PyTorch side, torch.onnx.export"])(x_test),
}
checks = {route: routes.agreement(reference, logits) for route, logits in others.items()}
Table(
    ["route", "largest logit difference", "bound", "predictions differ", "within the bound"],
    [
        [
            routes.ROUTES[r],
            f"{a.max_difference:.2g}",
            f"{a.bound:.2g}",
            a.disagreements,
            "yes" if a.holds else "NO",
        ]
        for r, a in checks.items()
    ],
)

# %%
# The bound, from the reference's largest logit (the same for every route):
largest_logit = np.float32(np.abs(reference).max())
Prose(
    f"The bound is {routes.ULPS} units in the last place of the largest logit: that logit "
    f"is {largest_logit:.3g}, a float32 unit in the last place there is "
    f"{np.spacing(largest_logit):.2g}, so the bound is {routes.bound_for(reference):.2g}."
)

# %%
# Digits of the reader's kind
# ---------------------------
#
# MNIST's digits are not what a phone or a drawing program makes: they are
# light on black, size-normalised to fit a 20x20 box keeping their aspect
# ratio, then centred by their centre of mass in a 28x28 image (so says
# MNIST's description). ``predict`` converts any PNG or JPEG the same way:
# grayscale, inverted when the digit is dark on light, its bounding box scaled
# and centred. Below, digits drawn on a canvas with Pillow, dark on light and
# of any size, then converted and classified by the loaded network. A
# blank picture, or a file that is not an image, gets a one-line error.
import matplotlib.pyplot as plt
from PIL import Image, ImageDraw

from nnguide.deploy import images


def canvas(size=(240, 300)):
    picture = Image.new("L", size, "white")
    return picture, ImageDraw.Draw(picture)


def draw(digit):
    """A digit as a hand might draw it: thick dark strokes on a light canvas."""
    picture, pen = canvas()
    stroke = dict(fill="black", width=22)
    if digit == 0:
        pen.ellipse([60, 40, 180, 260], outline="black", width=22)
    elif digit == 1:
        pen.line([(110, 60), (140, 40), (140, 260)], joint="curve", **stroke)
    elif digit == 2:
        pen.arc([60, 30, 180, 150], 180, 40, **stroke)
        pen.line([(170, 110), (60, 260), (190, 260)], joint="curve", **stroke)
    elif digit == 3:
        pen.arc([60, 30, 180, 150], 200, 90, **stroke)
        pen.arc([50, 140, 180, 270], 270, 160, **stroke)
    elif digit == 4:
        pen.line([(150, 40), (50, 190), (200, 190)], joint="curve", **stroke)
        pen.line([(150, 110), (150, 270)], **stroke)
    elif digit == 7:
        pen.line([(50, 50), (190, 50), (100, 270)], joint="curve", **stroke)
    return picture


DRAWN = (0, 1, 2, 3, 4, 7)
files = []
for digit in DRAWN:
    files.append(folder / f"drawn_{digit}.png")
    draw(digit).save(files[-1])
blank = folder / "blank.png"
canvas()[0].save(blank)

probabilities = {f: routes.probabilities(numpy_net(to_features(images.read_digit(f)[None])),
                                         info.output)[0] for f in files}  # fmt: skip
# The digits in rows of ``columns``, each drawing above its conversion, large
# enough to read on a phone; the drawings are framed (a light canvas on a light page).
columns = 3
rows = -(-len(files) // columns)
fig, axes = plt.subplots(2 * rows, columns, figsize=(6.4, 4.3 * rows), squeeze=False)
for ax in axes.flat:
    ax.set_xticks([])
    ax.set_yticks([])
for i in range(rows * columns):
    row, column = divmod(i, columns)
    drawn_ax, converted_ax = axes[2 * row, column], axes[2 * row + 1, column]
    if i >= len(files):  # a last row that is not full
        drawn_ax.set_visible(False)
        converted_ax.set_visible(False)
        continue
    p = probabilities[files[i]]
    drawn_ax.imshow(Image.open(files[i]), cmap="gray", vmin=0, vmax=255)
    drawn_ax.set_title(f"drawn {DRAWN[i]}", fontsize=13)
    for spine in drawn_ax.spines.values():
        spine.set_edgecolor("0.4")
    converted_ax.imshow(images.read_digit(files[i]), cmap="gray")
    converted_ax.set_title(f"→ {p.argmax()} ({p.max():.2f})", fontsize=13)
    converted_ax.set_frame_on(False)  # the converted digit fills its black square
fig.suptitle("Drawn, converted as MNIST's digits were,\nclassified (probability)", fontsize=14)
fig.tight_layout()
plt.show()

# %%
# ``predict`` on the same files, and on the blank one (which ends its run with
# exit status 1), from the weight file and from the NumPy side's ONNX file (run
# by onnxruntime); the sentence after them compares the two files' digits.
from nnguide.cli.predict import classifier

onnx_file = exports["NumPy side, onnx.helper"]
assert command("predict", path.name, *(f.name for f in files), blank.name) == 1
assert command("predict", onnx_file.name, *(f.name for f in files)) == 0
digits = {}
for model_file in (path, onnx_file):
    classify, _ = classifier(model_file)
    digits[model_file] = [int(classify(to_features(images.read_digit(f)[None]))[0].argmax())
                          for f in files]  # fmt: skip
Prose(
    "The weight file and the ONNX file give the same digit for every drawing."
    if digits[path] == digits[onnx_file]
    else f"The two files give different digits: {digits[path]} and {digits[onnx_file]}."
)

# %%
# The page's files are no longer needed:
workspace.cleanup()

# %%
# What each route costs
# ---------------------
#
# Measured once per build, before any page runs, in this build's deploy
# record (``nnguide.lab.deploy_bench``): a twin of the network above, trained
# separately in the record's own run (so its files are not the files above,
# and their sizes may differ), saved, exported both ways, then timed in
# alternating rounds, every series once per round, so that a slow moment of a
# shared machine falls on all of them alike. Each time is the median of the
# rounds with an interval for the true median (``nnguide.lab.stats``), whose
# confidence the line below states. Run on its own, this page measures afresh.
from nnguide.lab import deploy_report
from nnguide.lab.deploy_bench import deploy_record

record = deploy_record()
deploy_report.provenance(record)

# %%
deploy_report.intervals_note(record)

# %%
# The files, and how long the exports took (once each; PyTorch's exporter
# traces the module first):
deploy_report.files_table(record)

# %%
# Saving and loading the weight file (loading includes every check):
deploy_report.io_table(record)

# %%
# Answers per second
# ~~~~~~~~~~~~~~~~~~
#
# Each route classifying one image (a request, its latency) and batches of
# test images (throughput), each on the thread count it keeps: the fewest,
# unless more are conclusively faster in the rounds ("thr." says which).
# "PyTorch eager" runs the module with autograd on, as a training script's
# forward runs; under ``torch.inference_mode()`` autograd keeps no records.
deploy_report.latency_table(record)

# %%
# The comparisons the rounds support, each a ratio of two routes' times taken
# round by round:
deploy_report.comparisons(record)

# %%
# Starting cold
# ~~~~~~~~~~~~~
#
# A serving process that starts on demand pays, before its first answer, for
# Python itself, importing its library, loading the file and the first call.
# Seconds from launching a new process to its first answer, a few rounds of
# each:
deploy_report.cold_table(record)

# %%
# What each route installs
# ~~~~~~~~~~~~~~~~~~~~~~~~
#
# Computed from the files that the installed distributions list, each
# requirement counted once (``nnguide.lab.installs``). The torch installed
# here is the one this site is built with; the table names its build.
deploy_report.installs_table(record)

# %%
# Less practical for production?
# ------------------------------
#
# The claims page's verdict, computed from this record:
from nnguide.lab import claims

claim = claims.production_claim(record)
Prose(f"{claim.verdict}\n\nMeasured: {claim.evidence}.")

# %%
# What this page does not measure
# ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
#
# Production means more than one process answering one request. A serving
# stack (an HTTP server, a model server such as TorchServe or Triton, their
# queues and workers), monitoring (latency percentiles under load, errors,
# drift in the inputs), request batching across clients, GPUs, model
# versioning and rollback, and training at scale: none of these is measured
# here, and each is where a framework's ecosystem does work that a
# from-scratch network would have to be given. What the page shows is the
# part that comes first: a trained network kept in a safe file, loaded
# exactly, exported to a standard format, and answering, and how much each
# way costs to install and to start.

# %%
# Where these numbers come from
# -----------------------------
from nnguide.lab.environment import summary

where = summary(dataset=dataset.name)
Prose(f"{where[:1].upper()}{where[1:]}.")
