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

    Parameters
    ----------
    record : dict
        The scale record (:func:`nnguide.lab.scale.record.scale_record`).
    lines : dict
        ``{"scratch": n, "pytorch": m}``, from :func:`parallel_code_lines`.
    pages : tuple of str
        The documents that show the record.
    """
    from nnguide.lab.scale import record as scale

    held = record["exactness"]["held"]
    mpi, ddp = scale.comm_share(record, "mpi"), scale.comm_share(record, "gloo")
    more = lines["scratch"] - lines["pytorch"]
    code = (
        f"the NumPy side adds {lines['scratch']} lines to its step (the weighted all-reduce, "
        f"written on mpi4py), the PyTorch side {lines['pytorch']} (DDP does the averaging)"
    )
    evidence = (
        f"{code}; the exactness runs (2 processes against 1, both engines, float64 and "
        f"float32, and MPI against DDP) {'all held' if held else 'did not all hold'}; the "
        f"all-reduce's share of a two-process step: {100 * mpi.median:.0f}% "
        f"[{100 * mpi.low:.0f}, {100 * mpi.high:.0f}] with MPI, {100 * ddp.median:.0f}% "
        f"[{100 * ddp.low:.0f}, {100 * ddp.high:.0f}] with DDP over gloo, on "
        f"{record['cores']} cores"
    )
    decided = mpi.enough_rounds and ddp.enough_rounds
    if not held:
        verdict = (
            "**Inconclusive**: in this build's runs, training on two processes did not take "
            "exactly the steps of one, so the runs compared here are not the same training."
        )
    elif not decided or not (mpi.high < ddp.low or ddp.high < mpi.low):
        verdict = (
            "**Inconclusive** on the cost: the intervals of the two engines' communication "
            "share overlap (or have too few slices to decide). On the code: "
            + ("NumPy needs more of it" if more > 0 else "NumPy needs no more of it")
            + ", and both sides train on several processes with exactly the steps of one."
        )
    elif mpi.high < ddp.low:
        verdict = (
            "**Partly true**: a matter of what the author must bring, not of what NumPy can "
            "do. "
            + (f"The NumPy side needs {more} more lines and " if more > 0 else "The NumPy side ")
            + "needs MPI installed beside it, where DDP comes with PyTorch; but it trains on "
            "several processes with exactly the steps of one, and its all-reduce took the "
            "smaller share of a step here."
        )
    else:
        verdict = (
            "**True** on this build: the NumPy side "
            + (f"needs {more} more lines, " if more > 0 else "")
            + "brings MPI itself, and its all-reduce took the larger share of a step; both "
            "sides still take exactly the steps of one process."
        )
    return Claim(
        "The from-scratch version is less practical for large-scale use.",
        verdict,
        evidence,
        pages,
    )
