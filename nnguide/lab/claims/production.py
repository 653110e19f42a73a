"""The claim that the from-scratch network is less practical for production use.

Judged by the deploy record (:mod:`nnguide.lab.deploy_bench`) on what it
measures of serving a trained network: what each side must install, how fast
each answers one request and a batch, how fast a fresh process of each gives its first
answer, and whether both reach the same inference runtime through ONNX.
"""

from __future__ import annotations

from nnguide.lab import stats
from nnguide.lab.claims.card import Claim

#: What "production" also means that the record does not measure.
NOT_MEASURED = "serving stacks, monitoring, batching across clients, GPUs, versioning"


def production_claim(record: dict, *, pages: tuple[str, ...] = ()) -> Claim:
    """The claim's verdict from the deploy record.

    Each comparison is decided for NumPy, against it, or not at all: the
    installed size (the NumPy route's total against the PyTorch route's, with
    the torch build installed here, which the verdict names), one request's
    latency, the throughput at every larger batch timed and a fresh process's
    first answer (each a ratio taken round by round,
    :func:`nnguide.lab.stats.judge`), NumPy against PyTorch under
    ``torch.inference_mode()``. The ONNX export counts against
    the NumPy side only if its file does not compute what the network does.

    Parameters
    ----------
    record : dict
        The deploy record.
    pages : tuple of str
        The documents that show it.
    """
    from nnguide.lab import deploy_report as report

    megabytes = report.megabytes

    installs = record["installs"]
    numpy_size, torch_size = installs["numpy"]["total"], installs["pytorch"]["total"]
    sizes = sorted({row["batch_size"] for row in record["latency"]})
    ratios = {bs: report.ratio(record, "numpy", "pytorch_inference", bs) for bs in sizes}
    cold = report.cold_ratio(record, "numpy", "pytorch_inference")
    onnx_ok = all(
        a["max_difference"] <= a["bound"] and a["disagreements"] == a["close_calls"]
        for key, a in record["agreement"].items()
        if key.startswith("onnx")
    )
    outcomes = {
        "installed size": (
            "better" if numpy_size < torch_size else "worse" if numpy_size > torch_size else "tie"
        )
    }
    for bs, iv in ratios.items():
        what = "one request's latency" if bs == 1 else f"throughput at batch {bs:,}"
        outcomes[what] = _side(stats.judge(iv))
    outcomes["a fresh process's first answer"] = _side(stats.judge(cold))
    better = [k for k, v in outcomes.items() if v == "better"]
    worse = [k for k, v in outcomes.items() if v == "worse"]
    open_ = [k for k, v in outcomes.items() if v == "inconclusive"]
    # Sizes are counted, not timed: equal sizes are a tie, not a verdict the rounds left open.
    tie = " Both routes install the same size." if outcomes["installed size"] == "tie" else ""
    if not onnx_ok:
        worse.append("its ONNX export (which does not compute what the network does)")

    timed = "; ".join(f"at batch {bs:,}: {report.times(iv)}" for bs, iv in ratios.items())
    evidence = (
        f"installed: NumPy {megabytes(numpy_size)}, PyTorch {megabytes(torch_size)}; NumPy's "
        f"time over PyTorch's (in inference mode), round by round, {timed}; to a new "
        f"process's first answer: {report.times(cold)}; "
        + (
            "both ONNX files match the network in onnxruntime (float32 bound)"
            if onnx_ok
            else "the ONNX files do not give the network's logits in onnxruntime"
        )
    )
    unmeasured = f" Not measured here: {NOT_MEASURED}."
    listed = _listed
    if worse and not better and not open_:
        verdict = f"**True** on this build: NumPy does worse on {listed(worse)}."
    elif not worse and not open_:
        verdict = (
            "**False** by what this build measures: for this network the NumPy side "
            f"does better on {listed(better)}, and reaches the same runtime (onnxruntime) as "
            "PyTorch through its own ONNX file."
        )
    elif worse and better:
        verdict = (
            f"**Partly true**: NumPy does better on {listed(better)}; worse on {listed(worse)}"
            + (f"; {listed(open_)} undecided" if open_ else "")
            + ("; both sides reach onnxruntime through ONNX." if onnx_ok else ".")
        )
    else:
        decided = (
            f"where decided, NumPy does {'better' if better else 'worse'} "
            f"({listed(better or worse)})"
            if better or worse
            else "nothing is decided"
        )
        verdict = (
            f"**Inconclusive** on this build: {listed(open_)} not decided by the rounds; {decided}."
        )
    verdict += tie + _size_note(installs, outcomes["installed size"])
    return Claim(
        "The from-scratch version is less practical for production use.",
        verdict + unmeasured,
        evidence,
        pages,
    )


def _size_note(installs: dict, outcome: str) -> str:
    """What the installed size compares against: the torch build installed here.

    A CUDA build's ``nvidia-*`` wheels are most of its size; the CPU-only build,
    which does without them, is not installed here, so it is not measured.
    """
    if outcome == "tie":
        return ""
    build = installs["torch_build"]
    nvidia = installs.get("nvidia", 0)
    if installs.get("torch_variant") == "cuda" and nvidia:
        from nnguide.lab.deploy_report import megabytes

        return (
            " PyTorch's size is that of the CUDA build installed here: "
            f"{megabytes(nvidia)} of it are nvidia-* wheels, which a CPU-only build (not "
            "measured here) leaves out."
        )
    return f" The installed size compares against the torch build installed here: {build}."


def _listed(items: list[str]) -> str:
    """Items in a sentence, ``a, b and c``; the throughputs at several batches said once.

    Examples
    --------
    >>> _listed(["installed size", "throughput at batch 64", "throughput at batch 1,000"])
    'installed size and throughput at batches 64 and 1,000'
    """
    prefix = "throughput at batch "
    batches = [item.removeprefix(prefix) for item in items if item.startswith(prefix)]
    if len(batches) > 1:
        at = items.index(prefix + batches[0])
        items = [item for item in items if not item.startswith(prefix)]
        items.insert(at, f"throughput at batches {_listed(batches)}")
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _side(judged: tuple[str, str]) -> str:
    """A NumPy-over-PyTorch ratio's verdict as NumPy's outcome."""
    kind = judged[0]
    return {"faster": "better", "slower": "worse"}.get(kind, "inconclusive")
