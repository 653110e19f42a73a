"""Hand-made benchmark records (nnguide.lab.bench.record's format), numbers worked out by hand.

Every row times a whole epoch (60,000 images) unless it says otherwise, so
its ``seconds`` are its seconds per epoch. :func:`fake_record` is one batch
size (64), two thread counts and five steady rounds, with the others, the
compile measurement, profiles, shapes and (optionally) both sweeps;
test_bench.py states the figures each table and sentence must show.
"""

from __future__ import annotations

from nnguide.lab.bench.record import FORMAT, KIND

N_TRAIN = 60_000

#: What a reader sees for each contender of :func:`fake_record` (its key is its role).
LABELS = {
    "plain": "NumPy plain",
    "tuned": "NumPy tuned",
    "torch": "PyTorch eager, tensors",
    "ceiling": "BLAS peak",
    "per_example": "NumPy per-example",
    "compiled": "torch.compile",
    "gpu": "PyTorch on the GPU",
}
LIBRARIES = {"plain": "numpy", "tuned": "numpy", "per_example": "numpy", "ceiling": "numpy"}
REFERENCES = {"tuned": "plain", "per_example": "plain", "compiled": "torch", "gpu": "torch"}

#: Seconds per epoch of the main rows at batch 64, by role and thread count, round by round.
MAIN_TIMES = {
    ("plain", 1): [0.30, 0.31, 0.29, 0.30, 0.32],
    ("plain", 2): [0.25, 0.26, 0.24, 0.25, 0.27],
    ("tuned", 1): [0.20, 0.21, 0.19, 0.20, 0.22],
    ("tuned", 2): [0.20, 0.22, 0.19, 0.21, 0.22],
    ("torch", 1): [0.60, 0.62, 0.58, 0.60, 0.64],
    ("torch", 2): [0.90, 0.80, 1.00, 0.70, 0.95],
    ("ceiling", 2): [0.15, 0.14, 0.13, 0.15, 0.14],
}
#: What :func:`nnguide.lab.bench.record.choose` picks from MAIN_TIMES.
CHOSEN = {"plain": 2, "tuned": 1, "torch": 1}


def timed(contender: str, times: list[float], **fields) -> dict:
    """A series to :func:`measured`: per-epoch ``times`` and any field of its rows.

    ``images`` (default 60,000) is the slice each round timed; ``batching``
    the seconds per epoch spent batching (None: not measured).
    """
    return dict(contender=contender, times=times, **fields)


def measured(ident: int, group: str, *timed_series: dict, budget=10.0, cut_short=False):
    """One measurement's description and its rows, as the harness returns them."""
    n = len(timed_series[0]["times"])
    rows = []
    for r in range(n):
        for s in timed_series:
            images = s.get("images", N_TRAIN)
            scale = 1.0 if images == N_TRAIN else images / N_TRAIN  # raw seconds of the slice
            batching = s.get("batching")
            rows.append(
                dict(
                    measurement=ident,
                    contender=s["contender"],
                    batch_size=s.get("batch_size", 64),
                    hidden=s.get("hidden", 128),
                    threads=s.get("threads"),
                    planned_images=s.get("planned_images", images),
                    compile_seconds=s.get("compile_seconds"),
                    round=r,
                    seconds=s["times"][r] * scale,
                    images=images,
                    batching_seconds=None if batching is None else batching * scale,
                )
            )
    description = dict(
        id=ident,
        group=group,
        budget_seconds=budget,
        round_starts=[float(i) for i in range(n)],
        round_seconds=[1.0] * n,
        stop_reason="budget" if cut_short else "steady",
        stopped_at=float(n),
        elapsed_seconds=float(n) + 0.5,
        next_round_estimate=1.0,
        cut_short=cut_short,
    )
    return description, rows


def profiles() -> list[dict]:
    """The plain step's parts (1.000 s in all, on 2 threads) and the tuned one's (0.600 s, 1)."""

    def part(network, threads, name, seconds, layer=None, layer_type=None, shape=None):
        return dict(
            network=network,
            threads=threads,
            part=name,
            layer=layer,
            layer_type=layer_type,
            shape=shape,
            seconds=seconds,
        )

    plain = [
        part("plain", 2, "batching", 0.05),
        part("plain", 2, "forward", 0.30, 0, "Linear", [784, 128]),
        part("plain", 2, "forward", 0.05, 1, "Sigmoid"),
        part("plain", 2, "forward", 0.02, 2, "Linear", [128, 10]),
        part("plain", 2, "backward", 0.02, 2, "Linear", [128, 10]),
        part("plain", 2, "backward", 0.05, 1, "Sigmoid"),
        part("plain", 2, "backward", 0.30, 0, "Linear", [784, 128]),
        part("plain", 2, "update", 0.16),
        part("plain", 2, "rest", 0.05),
    ]
    tuned = [
        part("tuned", 1, name, seconds)
        for name, seconds in (
            ("batching", 0.02),
            ("forward", 0.20),
            ("loss_gradient", 0.03),
            ("backward", 0.25),
            ("update", 0.05),
            ("rest", 0.05),
        )
    ]
    return plain + tuned


def fake_record(*, sweeps: bool = True, others_rounds: int = 1) -> dict:
    """A whole record: main rows, others, compile, profiles, shapes, and both sweeps
    (or, with ``sweeps=False``, the sweeps left out of a quick run).

    The others are timed beside the plain network and PyTorch on their chosen
    counts, the per-example loop (9 s an epoch, 36 times the plain network's
    time) on slices the budget shrank to 640 images of the 6,400 planned; in
    ``others_rounds`` rounds (1 or 5), cut short by the budget after one.
    """
    main = [
        timed(role, times, threads=t, batching=0.05 if role == "plain" else None)
        for (role, t), times in MAIN_TIMES.items()
    ]
    main[4]["batching"] = 0.1  # PyTorch on 1 thread
    torch_1 = dict(threads=1, batching=0.1)
    loop = [9.0, 9.1, 8.9, 9.0, 9.2][:others_rounds]
    others = measured(
        1,
        "others",
        timed("plain", MAIN_TIMES["plain", 2][:others_rounds], threads=2, batching=0.05),
        timed("per_example", loop, threads=2, images=640, planned_images=6400),
        timed("torch", MAIN_TIMES["torch", 1][:others_rounds], **torch_1),
        cut_short=others_rounds == 1,
    )
    compile_ = measured(
        2,
        "compile",
        timed("torch", MAIN_TIMES["torch", 1], **torch_1),
        timed("compiled", [0.3] * 5, threads=1, compile_seconds=1.25),
    )
    found = [measured(0, "main", *main), others, compile_]
    if sweeps:
        found.append(
            measured(
                3,
                "batch_size",
                timed("plain", [2.0] * 5, threads=2, batch_size=16, images=12_800),
                timed("plain", [0.4] * 5, threads=2, batch_size=512, images=12_800),
                timed("torch", [6.0] * 5, threads=1, batch_size=16, images=12_800),
                timed("torch", [0.3] * 5, threads=1, batch_size=512, images=12_800),
            )
        )
        found.append(
            measured(
                4,
                "hidden",
                timed("plain", [1.0] * 5, threads=2, hidden=1024, images=12_800),
                timed("torch", [0.5] * 5, threads=1, hidden=1024, images=12_800),
            )
        )
    skipped = [dict(contender="gpu", reason="no_gpu")]
    if not sweeps:
        skipped.append(dict(contender="sweeps", reason="quick"))
    return {
        "kind": KIND,
        "format": FORMAT,
        "provenance": {
            "environment": {"date": "2026-01-02 03:04 UTC", "cpu": "Test CPU", "gpu": None},
            "cores": {"os_cpu_count": 4, "affinity": 2, "cgroup_quota": None, "usable": 2},
            "dataset": "MNIST",
            "elapsed_seconds": 42.0,
            "measured_seconds": 36.0,
        },
        "settings": {
            "thread_counts": [1, 2],
            "budget_seconds": 60.0,
            "max_rounds": 15,
            "min_rounds": 5,
            "noise_threshold": 0.2,
            "confidence": 0.9,
            "quick": not sweeps,
            "sizes": [784, 128, 10],
            "lr": 0.1,
            "momentum": 0.9,
            "main_sizes": [64],
            "sweep_images": 12_800,
        },
        "contenders": [
            dict(
                key=role,
                role=role,
                label=label,
                library=LIBRARIES.get(role, "torch"),
                reference=REFERENCES.get(role),
            )
            for role, label in LABELS.items()
        ],
        "measurements": [description for description, _ in found],
        "rounds": [row for _, rows in found for row in rows],
        "chosen_threads": [
            dict(contender=role, batch_size=64, threads=t) for role, t in CHOSEN.items()
        ],
        "shapes": [
            dict(batch_size=64, product="forward", m=64, k=784, n=128, gflops=140.0),
            dict(batch_size=64, product="weight_gradient", m=784, k=64, n=128, gflops=70.0),
        ],
        "profiles": profiles(),
        "skipped": skipped,
    }
