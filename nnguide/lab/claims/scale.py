"""The claim that the from-scratch network is less practical at scale, judged by its record."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

from nnguide.lab.claims.card import Claim


def function_source(module: str, name: str) -> str:
    """The source of function ``name`` of ``module``, read from its file, not imported.

    (Importing :mod:`nnguide.parallel.mpi_numpy` would start MPI in this process.)
    """
    path = importlib.util.find_spec(module).origin
    text = Path(path).read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(text, node)
    raise LookupError(f"{module} defines no function {name}")


def parallel_code_lines() -> dict[str, int]:
    """Lines of code each side adds to its one-process step to train on several processes.

    Counted from the source (:func:`nnguide.lab.codesize.code_lines`): the
    data-parallel step less the guide's own step, plus what the step calls
    that one process does not need (the NumPy side's ``average``, written on
    ``mpi4py``; the PyTorch side's ``wrap``, the DDP constructor). Timing, the
    lab's business, is not in them (``Timed``, ``time_allreduces``).
    """
    from nnguide import pytorch, scratch
    from nnguide.lab.codesize import code_lines

    def lines(module, *names):
        return sum(code_lines(function_source(f"nnguide.parallel.{module}", n)) for n in names)

    return {
        "scratch": lines("mpi_numpy", "average", "train_step") - code_lines(scratch.train_step),
        "pytorch": lines("ddp_torch", "wrap", "train_step") - code_lines(pytorch.train_step),
    }


def scale_claim(record: dict, lines: dict[str, int], *, pages: tuple[str, ...] = ()) -> Claim:
    """The claim that NumPy from scratch is "less practical for large-scale use".

    Its cost is judged by :func:`nnguide.lab.stats.judge` on MPI's all-reduce
    time per two-process step over DDP's, round by round: "Partly true" when
    MPI's is the faster, "True" when it is the slower, and "Inconclusive" with
    the judge's reason otherwise (or when the exactness runs did not hold).

    Parameters
    ----------
    record : dict
        The scale record (:func:`nnguide.lab.scale.record.scale_record`).
    lines : dict
        ``{"scratch": n, "pytorch": m}``, from :func:`parallel_code_lines`.
    pages : tuple of str
        The documents that show the record.
    """
    from nnguide.lab import stats
    from nnguide.lab.scale import record as scale
    from nnguide.lab.scale.report import factor, percent, reason_text

    held = record["exactness"]["held"]
    # The cost, judged on the all-reduce's time per two-process step, MPI's over DDP's,
    # round by round (each engine's share of the step would divide by its own step).
    ratio = scale.ratio(record, ("mpi", 2, 1), ("gloo", 2, 1), "allreduce")
    kind, reason = stats.judge(ratio)
    mpi, ddp = (scale.allreduce_seconds(record, e) for e in ("mpi", "gloo"))
    shares = [percent(scale.comm_share(record, e)) for e in ("mpi", "gloo")]
    more = lines["scratch"] - lines["pytorch"]
    code = (
        f"the NumPy side adds {lines['scratch']} lines to its step (its all-reduce, on "
        f"mpi4py), the PyTorch side {lines['pytorch']} (DDP does the averaging)"
    )
    evidence = (
        f"{code}; the exactness checks (2 processes against 1, MPI against DDP) "
        f"{'all held' if held else 'did not all hold'}; the "
        f"all-reduce per two-process step, in ms: {mpi.format(2, 1e3)} with MPI, "
        f"{ddp.format(2, 1e3)} with DDP over gloo ({ratio.n} round{'s' * (ratio.n != 1)}); "
        f"its share of the step: "
        f"{shares[0]} with MPI, {shares[1]} with DDP, on {record['cores']} cores"
    )
    if not held:
        verdict = (
            "**Inconclusive**: in this build's runs, training on two processes did not take "
            "exactly the steps of one, so the runs compared here are not the same training."
        )
    elif kind == "inconclusive":
        verdict = (
            "**Inconclusive** on the cost: whether MPI's all-reduce or DDP's took less time "
            f"per step is undecided, as {reason_text(ratio, reason)}. On the code: "
            + ("NumPy needs more of it" if more > 0 else "NumPy needs no more of it")
            + ", and both sides train on several processes with exactly the steps of one."
        )
    elif kind == "faster":
        verdict = (
            "**Partly true**: a matter of what the author must bring, not of what NumPy can "
            "do. "
            + (f"The NumPy side needs {more} more lines and " if more > 0 else "The NumPy side ")
            + "needs MPI installed beside it, where DDP comes with PyTorch; but it trains on "
            "several processes with exactly the steps of one, and its all-reduce took less "
            f"time per step here: {factor(ratio)} DDP's."
        )
    else:
        verdict = (
            "**True** on this build: the NumPy side "
            + (f"needs {more} more lines, " if more > 0 else "")
            + f"brings MPI itself, and its all-reduce took more time per step: {factor(ratio)} "
            "DDP's; both sides still take exactly the steps of one process."
        )
    return Claim(
        "The from-scratch version is less practical for large-scale use.",
        verdict,
        evidence,
        pages,
    )
