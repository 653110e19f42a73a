"""Claims judged by training runs: accuracy against the library, and the CPU."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nnguide.lab import stats
from nnguide.lab.agreement import ROUNDING_EPSILONS, Agreement
from nnguide.lab.claims.card import Claim


def points(fraction: float) -> str:
    """An accuracy difference (a fraction) in percentage points, two decimals."""
    return f"{100 * fraction:.2f} points"


def accuracy_claim(
    runs: Mapping[str, tuple[Sequence[float], Sequence[float]]],
    float64: Agreement,
    float32: Agreement,
    seeds: Mapping[int, tuple[float, float]],
    *,
    seed_run: str,
    varied: str = "the hidden activation",
    pages: tuple[str, ...] = (),
) -> Claim:
    """The claim that PyTorch reaches better accuracy in fewer epochs, judged over seeds.

    The verdict comes from ``seeds``: the gap, PyTorch's test accuracy minus
    NumPy's, paired by seed, its mean and interval
    (:func:`nnguide.lab.stats.paired_difference`); PyTorch is ahead or behind
    only where the interval excludes 0. The float64 agreement says whether the
    two sides compute the same network, so that a gap is float32 rounding.

    Parameters
    ----------
    runs : dict
        Label -> (NumPy's test accuracy after each epoch, PyTorch's), the two
        sides trained from identical weights on identical batches. The labels
        (what the runs differ by) are shown, never looked up.
    float64, float32 : nnguide.lab.agreement.Agreement
        The two sides' step-by-step agreement in each dtype, which decides
        whether a gap is rounding.
    seeds : dict
        Seed -> (NumPy's test accuracy, PyTorch's) after the same epochs, each
        pair trained from that seed's identical weights on its batches.
    seed_run : str
        What the seeds' runs were (for example "after 3 epochs, sigmoid").
    varied : str
        What the runs differ by, for the sentence that compares its effect
        with the library's.
    pages : tuple of str
        The documents that show the runs.
    """
    if not runs or not all(len(n) and len(t) for n, t in runs.values()):
        raise ValueError("accuracy_claim needs at least one epoch of each run")
    numpy_acc, torch_acc = ([pair[i] for pair in seeds.values()] for i in (0, 1))
    gap = stats.paired_difference(numpy_acc, torch_acc)
    finals = {label: (n[-1], t[-1]) for label, (n, t) in runs.items()}
    final_gaps = [t - n for n, t in finals.values()]

    over = f"{100 * gap.confidence:.0f}% interval over {gap.n} seeds, paired by seed, {seed_run}"

    def shown(sign: int) -> str:  # the gap (sign 1) or its opposite (-1), with its interval
        low, high = sorted((sign * gap.low, sign * gap.high))
        return f"{points(sign * gap.mean)} [{100 * low:.2f}, {100 * high:.2f}]"

    evidence = (
        f"PyTorch minus NumPy, test accuracy {seed_run}, by seed: "
        + ", ".join(f"{100 * (t - n):+.2f}" for n, t in seeds.values())
        + " points; after "
        + " or ".join(map(str, sorted({len(n) for n, _ in runs.values()})))
        + " epochs: "
        + ", ".join(
            f"{100 * n:.2f}% vs {100 * t:.2f}% ({label})" for label, (n, t) in finals.items()
        )
        + f"; on the first {float64.images:,} training images ({float64.steps} steps), the two "
        f"sides' losses and weights differ by at most {float64.epsilons:.0f} machine epsilons "
        f"in float64, {float32.epsilons:.0f} in float32"
    )
    if float64.within_rounding:
        cause = (
            f"The two compute the same network (in float64 they agree step by step to "
            f"{float64.epsilons:.0f} machine epsilons): what differs is float32 rounding."
        )
    else:
        cause = (
            f"Even in float64 the two sides differ by {float64.epsilons:.0f} machine epsilons, "
            f"beyond rounding (at most {ROUNDING_EPSILONS}): they do not compute the same network."
        )
    kind = stats.judge_difference(gap)
    if gap.low == gap.high == 0:
        verdict = (
            f"**False**: from identical weights on identical batches, the two reach identical "
            f"test accuracy on each of the {gap.n} seeds ({seed_run})."
        )
    elif kind == "higher":
        verdict = f"**True** on this build: PyTorch is ahead by {shown(1)} ({over}). {cause}"
    elif kind == "lower":
        verdict = f"**False**: NumPy is ahead by {shown(-1)} ({over}). {cause}"
    else:
        verdict = (
            f"**Inconclusive**, no side ahead: the gap, PyTorch minus NumPy, is {shown(1)} "
            f"({over}), an interval that contains 0. {cause}"
        )
    return Claim(
        "PyTorch typically achieves better accuracy with fewer epochs.",
        verdict + _settings_sentence(finals, final_gaps, varied),
        evidence,
        pages,
    )


def _settings_sentence(finals, final_gaps, varied: str) -> str:
    """How far the runs' settings moved the final accuracy, against how far the library did."""
    if len(finals) < 2:
        return ""
    numpy_finals = [n for n, _ in finals.values()]
    torch_finals = [t for _, t in finals.values()]
    settings = max(max(s) - min(s) for s in (numpy_finals, torch_finals))
    library = max(abs(g) for g in final_gaps)
    said = f" {varied[0].upper()}{varied[1:]} moved the final accuracy by up to {points(settings)}"
    if settings > library:
        return (
            f"{said}, the library by {100 * library:.2f}: accuracy follows the settings, which "
            "either side can choose."
        )
    return f"{said}, no more than the library did ({points(library)})."


def cpu_claim(
    numpy_devices: Mapping[str, bool],
    numpy_version: str,
    gpu: str | None,
    gpu_seconds: float | None = None,
    cpu_seconds: float | None = None,
    *,
    run: str = "",
    pages: tuple[str, ...] = (),
) -> Claim:
    """The claim that the from-scratch version is limited to the CPU, judged by NumPy and a GPU.

    Parameters
    ----------
    numpy_devices : dict
        Device name -> whether NumPy accepted it (:func:`numpy_devices`).
    numpy_version : str
    gpu : str or None
        The GPU's name, or None where the build machine has none.
    gpu_seconds, cpu_seconds : float, optional
        PyTorch's time for a training epoch of the same network on the GPU and
        on the CPU, where a GPU was measured.
    run : str
        What the two epochs trained (for example "ReLU, batch 64").
    """
    others = sorted(d for d, ok in numpy_devices.items() if ok and d != "cpu")
    tried = ", ".join(f"{d} {'accepted' if ok else 'refused'}" for d, ok in numpy_devices.items())
    if not any(numpy_devices.values()):
        numpy_says = f"NumPy {numpy_version} has no device argument: its arrays live in main memory"
        evidence = f"NumPy {numpy_version}: its array constructors take no device argument"
    else:
        numpy_says = (
            f"NumPy {numpy_version} places arrays on the CPU only: asked for another device, "
            "it refuses"
        )
        evidence = f"NumPy {numpy_version}, an array asked for on each device: {tried}"
    if others:
        verdict = (
            f"**False** here: NumPy {numpy_version} accepted arrays on {', '.join(others)}, so "
            "NumPy code is not bound to the CPU."
        )
    else:
        verdict = f"**True** of NumPy. {numpy_says}."
    if gpu and gpu_seconds is not None and cpu_seconds is not None:
        ratio = cpu_seconds / gpu_seconds
        pace = f"{ratio:.2f}x as fast as" if ratio >= 1 else f"{1 / ratio:.2f}x as slow as"
        verdict += (
            f" PyTorch ran the same network on this machine's GPU with one argument, "
            f'`device="cuda"`: {pace} on the CPU, for a network this small.'
        )
        evidence += (
            f"; PyTorch on {gpu}: {gpu_seconds:.2f} s for a training epoch against "
            f"{cpu_seconds:.2f} s on the CPU ({run}; run one after the other, not interleaved)"
        )
    else:
        verdict += (
            " PyTorch moves the same network to a GPU with one argument; this build machine has "
            "none, so what that buys was not measured here."
        )
        evidence += "; this build machine has no GPU, so PyTorch's GPU path was not measured here"
    return Claim(
        "The from-scratch version is limited to CPU computations.", verdict, evidence, pages
    )


def numpy_devices(candidates: Sequence[str] = ("cpu", "cuda")) -> dict[str, bool]:
    """Whether NumPy creates an array on each device (NumPy 2's ``device=`` argument).

    All ``False`` where NumPy has no ``device`` argument (before NumPy 2.0).
    """
    import numpy as np

    accepted = {}
    for device in candidates:
        try:
            np.zeros(1, device=device)
        except (TypeError, ValueError):
            accepted[device] = False
        else:
            accepted[device] = True
    return accepted
