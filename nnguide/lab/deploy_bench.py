"""After training, measured: file sizes, save and load, answers per second, cold starts, installs.

One record (the ``deploy`` record of the site's build, see docs/conf.py) that
the page "After training: save, load, export, run" and the claims page read.
:func:`measure` trains the guide's network briefly, saves it, exports it from
both sides, then times, in interleaved rounds (each round runs every series
once, so a slow moment of a shared machine falls on all of them alike):

* saving and loading the weight file;
* each route (:data:`nnguide.deploy.routes.ROUTES`) classifying a batch of 1,
  64 and 1,000 test images, on every thread count worth trying; each route
  keeps the fewest threads unless more are conclusively faster;
* cold starts: a new Python process that imports a route's library, loads the
  file and answers one image, a few rounds of each;

and computes what each route must install from the installed distributions'
files (:mod:`nnguide.lab.installs`).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nnguide import settings
from nnguide.lab import stats
from nnguide.lab.experiment import TrainConfig

#: The kind and format of the record.
KIND, FORMAT = "deploy", 2
#: The batch sizes timed, one request, a small batch and a large one.
BATCH_SIZES = (1, 64, 1000)
#: Seconds one repeat of a series lasts at least (calls are repeated to fill it).
REPEAT_SECONDS = 0.02
#: Seconds for the rounds of the routes, in the site's build and in a short run.
SITE_BUDGET, SHORT_BUDGET = 20.0, 8.0
#: Rounds of cold starts (each a fresh process per route), site and short.
COLD_ROUNDS, SHORT_COLD_ROUNDS = 5, 3
#: The network and its training, the guide's MNIST network with its sigmoid
#: hidden layer, trained one epoch (a short run trains on :data:`SHORT_TRAIN_IMAGES`).
NETWORK = TrainConfig(activation="sigmoid", epochs=1)
#: The training images of a short run's network.
SHORT_TRAIN_IMAGES = 12_000

#: What a cold start's process runs for each route; it prints the wall-clock
#: time (``time.time()``) at its first answer.
COLD_SCRIPTS = {
    "python": "import time; print(time.time())",
    "numpy": (
        "import time, numpy as np\n"
        "from nnguide.deploy.weights import load\n"
        "model, _ = load({path!r})\n"
        "model(np.zeros((1, 784), np.float32)).argmax()\n"
        "print(time.time())"
    ),
    "pytorch_inference": (
        "import time, torch\n"
        "from nnguide.deploy.weights import load\n"
        "model, _ = load({path!r}, 'pytorch')\n"
        "with torch.inference_mode():\n"
        "    model(torch.zeros(1, 784)).argmax()\n"
        "print(time.time())"
    ),
    "onnx_scratch": (
        "import time, numpy as np, onnxruntime as ort\n"
        "session = ort.InferenceSession({onnx_scratch!r}, providers=['CPUExecutionProvider'])\n"
        "session.run(['logits'], {{'pixels': np.zeros((1, 784), np.float32)}})[0].argmax()\n"
        "print(time.time())"
    ),
    "onnx_pytorch": (
        "import time, numpy as np, onnxruntime as ort\n"
        "session = ort.InferenceSession({onnx_pytorch!r}, providers=['CPUExecutionProvider'])\n"
        "session.run(['logits'], {{'pixels': np.zeros((1, 784), np.float32)}})[0].argmax()\n"
        "print(time.time())"
    ),
}


def train(dataset, short: bool):
    """The guide's NumPy network, trained briefly; its test accuracy and training images."""
    from dataclasses import replace

    from nnguide.lab.experiment import run

    if short:
        dataset = replace(dataset, train=tuple(a[:SHORT_TRAIN_IMAGES] for a in dataset.train))
    kept = []
    history = run(NETWORK, dataset, log=None, on_model=kept.append)
    return kept[0], history.final.test_accuracy, len(dataset.train[1])


def rounds(
    series: dict, budget: float, *, max_rounds: int = 15, clock=time.perf_counter
) -> dict[str, list[float]]:
    """Time every series in interleaved rounds; seconds per call of each, round by round.

    ``series`` maps a key to ``(call, setup)``: ``setup()`` (untimed) sets the
    threads it runs on, ``call()`` is what is timed. Each is first called until
    a repeat lasts :data:`REPEAT_SECONDS`; then rounds run until every series is
    steady (:data:`nnguide.lab.stats.NOISE_THRESHOLD`) after the rounds an
    interval needs, or ``max_rounds``, or the budget runs out. ``clock``: the
    seconds it reads (a test passes its own).
    """
    start = clock()
    repeats = {}
    for key, (call, setup) in series.items():
        setup()
        call()  # first call: caches, thread pools
        n, took = 1, 0.0
        while True:
            began = clock()
            for _ in range(n):
                call()
            took = clock() - began
            if took >= REPEAT_SECONDS or n >= 1 << 16:
                break
            n *= 2
        repeats[key] = n
    times = {key: [] for key in series}
    needed = stats.rounds_needed()
    while True:
        done = len(next(iter(times.values())))
        steady = all(stats.median_interval(t).relative_width <= stats.NOISE_THRESHOLD
                     for t in times.values()) if done else False  # fmt: skip
        if done >= max_rounds or (done >= needed and steady):
            break
        if done >= needed and clock() - start > budget:
            break
        for key, (call, setup) in series.items():
            setup()
            n = repeats[key]
            began = clock()
            for _ in range(n):
                call()
            times[key].append((clock() - began) / n)
    return times


def cold_starts(paths: dict, n_rounds: int) -> dict[str, list[float]]:
    """Seconds from starting a new Python process to its first answer, per route and round."""
    import os

    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH", "")]))
    times = {route: [] for route in COLD_SCRIPTS}
    files = {key: str(path) for key, path in paths.items()}
    for _ in range(n_rounds):
        for route, script in COLD_SCRIPTS.items():
            code = script.format(path=files["weights"], **files)
            began = time.time()
            done = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, env=env
            )
            if done.returncode != 0:
                error = done.stderr.strip().splitlines()[-1:] or ["no error output"]
                raise RuntimeError(
                    f"the cold start of {route} failed (exit status {done.returncode}): "
                    f"{error[0]}\n{done.stderr}"
                )
            times[route].append(float(done.stdout.split()[-1]) - began)
    return times


def route_series(paths: dict, x: np.ndarray, counts: list[int]) -> dict:
    """Every (route, batch size, threads) series, for :func:`rounds`."""
    from nnguide.deploy import routes, weights
    from nnguide.lab.threads import set_threads

    numpy_model, _ = weights.load(paths["weights"])
    torch_model, _ = weights.load(paths["weights"], "pytorch")
    series = {}
    for n in counts:
        made = {
            "numpy": (routes.numpy_route(numpy_model), "numpy"),
            "pytorch": (routes.pytorch_route(torch_model), "torch"),
            "pytorch_inference": (
                routes.pytorch_route(torch_model, inference_mode=True),
                "torch",
            ),
            "onnx_scratch": (routes.onnx_route(paths["onnx_scratch"], n), None),
            "onnx_pytorch": (routes.onnx_route(paths["onnx_pytorch"], n), None),
        }
        for route, (run, library) in made.items():
            for bs in BATCH_SIZES:
                batch = np.ascontiguousarray(x[:bs])

                def setup(library=library, n=n):
                    if library is not None:
                        set_threads(library, n)

                series[route, bs, n] = ((lambda run=run, batch=batch: run(batch)), setup)
    return series


def choose(times: dict, route: str, batch_size: int, counts: list[int]) -> int:
    """The thread count a route keeps at a batch size: the fewest, unless more are faster.

    More threads are kept only when their time over the fewest threads' is
    conclusively below 1, round by round (:func:`nnguide.lab.stats.judge`).
    """
    chosen = counts[0]
    for n in counts[1:]:
        ratio = stats.ratio_interval(times[route, batch_size, n], times[route, batch_size, chosen])
        if stats.judge(ratio)[0] == "faster":
            chosen = n
    return chosen


def measure(*, short: bool | None = None, budget: float | None = None, dataset=None) -> dict:
    """Train, save, export and time everything; the record, ready for JSON.

    Parameters
    ----------
    short : bool, optional
        Fewer rounds, a shorter budget and a network trained on a slice
        (default: :func:`nnguide.settings.short_run`).
    budget : float, optional
        Seconds for the rounds of the routes.
    dataset : nnguide.data.Dataset, optional
        Default: :func:`nnguide.data.load_dataset`.
    """
    from nnguide.data import load_dataset, to_features
    from nnguide.deploy import onnx_export, routes, weights
    from nnguide.lab import installs
    from nnguide.lab import threads as threading
    from nnguide.lab.environment import describe

    began = time.perf_counter()
    short = settings.short_run() if short is None else short
    budget = budget or (SHORT_BUDGET if short else SITE_BUDGET)
    dataset = dataset or load_dataset()
    model, accuracy, n_train = train(dataset, short)
    x = to_features(dataset.test[0])
    before = threading.get_threads()
    counts = threading.thread_counts()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        paths = {"weights": folder / "net.safetensors"}
        weights.save(model, paths["weights"], settings=NETWORK.to_dict(), epochs=NETWORK.epochs)
        exported = time.perf_counter()
        paths["onnx_scratch"] = onnx_export.export(paths["weights"], folder / "s.onnx")
        scratch_export = time.perf_counter() - exported
        exported = time.perf_counter()
        paths["onnx_pytorch"] = onnx_export.export(paths["weights"], folder / "p.onnx", "pytorch")
        torch_export = time.perf_counter() - exported
        files = {key: path.stat().st_size for key, path in paths.items()}
        operators = {key: onnx_export.operators(paths[key]) for key in routes.ROUTES if
                     key.startswith("onnx")}  # fmt: skip
        reference = routes.numpy_route(model)(x)
        agreement = {
            route: vars(routes.agreement(reference, routes.onnx_route(paths[route])(x)))
            for route in operators
        }
        torch_model, _ = weights.load(paths["weights"], "pytorch")
        agreement["pytorch"] = vars(
            routes.agreement(reference, routes.pytorch_route(torch_model)(x))
        )
        io = rounds(
            {
                "save": (lambda: weights.save(model, folder / "again.safetensors"), lambda: None),
                "load_numpy": (lambda: weights.load(paths["weights"]), lambda: None),
                "load_pytorch": (lambda: weights.load(paths["weights"], "pytorch"), lambda: None),
            },
            budget / 4,
        )
        try:
            timed = rounds(route_series(paths, x, counts), budget)
        finally:
            for library, n in before.items():
                threading.set_threads(library, n)
        cold = cold_starts(paths, SHORT_COLD_ROUNDS if short else COLD_ROUNDS)
    chosen = {
        route: {str(bs): choose(timed, route, bs, counts) for bs in BATCH_SIZES}
        for route in routes.ROUTES
    }
    return {
        "kind": KIND,
        "format": FORMAT,
        "network": {
            "sizes": list(NETWORK.sizes),
            "activation": NETWORK.activation,
            "epochs": NETWORK.epochs,
            "training_images": n_train,
            "test_accuracy": accuracy,
            "dtype": NETWORK.dtype,
        },
        "files": files,
        "export_seconds": {"onnx_scratch": scratch_export, "onnx_pytorch": torch_export},
        "operators": operators,
        "agreement": agreement,
        "io": io,
        "thread_counts": counts,
        "latency": [
            {"route": r, "batch_size": bs, "threads": n, "seconds": t}
            for (r, bs, n), t in timed.items()
        ],
        "chosen": chosen,
        "cold_start": cold,
        "installs": installs.route_installs(),
        "provenance": {
            "environment": describe(),
            "dataset": dataset.name,
            "short": short,
            "budget_seconds": budget,
            "elapsed_seconds": time.perf_counter() - began,
        },
    }


def site_record() -> dict:
    """The deploy record of the site's build (its producer, see docs/conf.py)."""
    return measure()


def deploy_record() -> dict:
    """The record a page shows: the build's (``deploy.json``), or one measured now.

    Run outside the build (a downloaded page), it measures afresh, shortened
    under ``NNGUIDE_SHORT_RUN=1`` (:data:`SHORT_BUDGET`, :data:`SHORT_COLD_ROUNDS`,
    a network trained on :data:`SHORT_TRAIN_IMAGES` images).
    """
    import json

    folder = settings.results_dir()
    if folder is not None and (folder / f"{KIND}.json").is_file():
        record = json.loads((folder / f"{KIND}.json").read_text(encoding="utf-8"))
        if record.get("kind") == KIND and record.get("format") == FORMAT:
            return record
    return site_record()
