"""The claim that the from-scratch network is less practical for production use.

Judged by the deploy record (:mod:`nnguide.lab.deploy_bench`) on what it
measures of serving a trained network: what each side must install, how fast
each answers one request, how fast a fresh process of each gives its first
answer, and whether both reach the same inference runtime through ONNX.
"""

from __future__ import annotations

from nnguide.lab import stats
from nnguide.lab.claims.card import Claim

#: What "production" also means that the record does not measure.
NOT_MEASURED = "serving stacks, monitoring, batching across clients, GPUs, versioning"


def production_claim(record: dict, *, pages: tuple[str, ...] = ()) -> Claim:
    """The claim's verdict from the deploy record.

    Each of four comparisons is decided for NumPy, against it, or not at all:
    the installed size (the NumPy route's total against the PyTorch route's),
    one request's latency, the throughput at the largest batch timed and a
    fresh process's first answer (each a ratio taken round by round,
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
    latency = report.ratio(record, "numpy", "pytorch_inference")
    largest = max(row["batch_size"] for row in record["latency"])
    batched = report.ratio(record, "numpy", "pytorch_inference", largest)
    cold = report.cold_ratio(record, "numpy", "pytorch_inference")
    onnx_ok = all(
        a["max_difference"] <= a["bound"] and a["disagreements"] == a["close_calls"]
        for key, a in record["agreement"].items()
        if key.startswith("onnx")
    )
    outcomes = {
        "installed size": (
            "better" if numpy_size < torch_size else "worse" if numpy_size > torch_size else "tie"
        ),
        "one request's latency": _side(stats.judge(latency)),
        f"throughput at batch {largest:,}": _side(stats.judge(batched)),
        "a fresh process's first answer": _side(stats.judge(cold)),
    }
    better = [k for k, v in outcomes.items() if v == "better"]
    worse = [k for k, v in outcomes.items() if v == "worse"]
    open_ = [k for k, v in outcomes.items() if v == "inconclusive"]
    # Sizes are counted, not timed: equal sizes are a tie, not a verdict the rounds left open.
    tie = " Both routes install the same size." if outcomes["installed size"] == "tie" else ""
    if not onnx_ok:
        worse.append("its ONNX export (which does not compute what the network does)")

    evidence = (
        f"installs, NumPy route {megabytes(numpy_size)}, PyTorch route "
        f"{megabytes(torch_size)} ({installs['torch_build']}); NumPy's time over PyTorch's "
        f"(inference_mode) at batch 1 {latency.format(2)}, at batch {largest:,} "
        f"{batched.format(2)}, from a fresh process to its first answer {cold.format(2)}; "
        + (
            "both sides' ONNX files give the network's logits in onnxruntime, within the "
            "float32 bound"
            if onnx_ok
            else "the ONNX files do not give the network's logits in onnxruntime"
        )
    )
    unmeasured = f" Not measured here: {NOT_MEASURED}."
    listed = ", ".join
    if worse and not better and not open_:
        verdict = f"**Supported** on this build: NumPy does worse on {listed(worse)}."
    elif not worse and not open_:
        verdict = (
            "**Not supported** by what this build measures: for this network the NumPy side "
            f"does better on {listed(better)}, and reaches the same runtime (onnxruntime) as "
            "PyTorch through its own ONNX file."
        )
    elif worse and better:
        verdict = (
            f"**Partly**: NumPy does better on {listed(better)}; worse on {listed(worse)}"
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
    return Claim(
        "The from-scratch version is less practical for production use.",
        verdict + tie + unmeasured,
        evidence,
        pages,
    )


def _side(judged: tuple[str, str]) -> str:
    """A NumPy-over-PyTorch ratio's verdict as NumPy's outcome."""
    kind = judged[0]
    return {"faster": "better", "slower": "worse"}.get(kind, "inconclusive")
