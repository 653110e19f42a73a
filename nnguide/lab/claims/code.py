"""Claims judged by the code itself: its size, its gradients, its graphs, and Keras's."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nnguide.lab.claims.card import Claim

if TYPE_CHECKING:  # importing it imports torch, which this module does not need
    from nnguide.lab.dynamic import DynamicCheck


def code_claim(numpy_lines: int, torch_lines: int, *, pages: tuple[str, ...] = ()) -> Claim:
    """The claim that more code is required from scratch, judged by each side's lines of code."""
    more = numpy_lines > torch_lines
    return Claim(
        "More code is required from scratch.",
        f"**{more}**: {numpy_lines / torch_lines:.2f}x as much"
        + (", for the backward pass and optimizers PyTorch provides." if more else "."),
        f"{numpy_lines} lines of code for the NumPy network's modules against {torch_lines} for "
        "PyTorch's (code only; each side's argument checks excluded)",
        pages,
    )


def gradient_claim(
    good: float,
    broken: float,
    sizes: Sequence[int],
    *,
    tolerance: float = 1e-3,
    pages: tuple[str, ...] = (),
) -> Claim:
    """The claim that hand-derived gradients are error-prone, judged by a gradient check.

    Parameters
    ----------
    good, broken : float
        The largest relative error against finite differences of the guide's
        gradients, and of the same network with a deliberate slip.
    sizes : sequence of int
        The network's layer sizes.
    tolerance : float
        The relative error above which a gradient is wrong.
    """
    if good >= tolerance:
        verdict = (
            "**True**, and it bit here: the hand-written gradients disagree with finite "
            f"differences ({good:.1e}, above {tolerance:.0e})."
        )
    elif broken <= tolerance:
        verdict = (
            f"**True**, and a check can miss it: the finite-difference check let a deliberate "
            f"slip through ({broken:.1e}, below {tolerance:.0e})."
        )
    else:
        verdict = (
            "**Partly**: a slip in a hand-derived gradient is easy to make and trains on "
            "silently, but it is not hidden: a finite-difference check finds it at once, "
            "and found none in the guide's gradients."
        )
    return Claim(
        "Hand-derived gradients are error-prone; autograd removes that risk.",
        verdict,
        f"on a {'-'.join(map(str, sizes))} network in float64, the hand-written gradients "
        f"differ from finite differences by {good:.1e} (relative); dropping the (1 − s) factor "
        f"of the sigmoid's derivative gives {broken:.1e}",
        pages,
    )


def dynamic_claim(
    check: DynamicCheck, *, tolerance: float = 1e-6, pages: tuple[str, ...] = ()
) -> Claim:
    """The claim that PyTorch builds dynamic graphs, judged by :func:`nnguide.lab.dynamic.check`."""
    (a, b) = check.paths
    wrong = [p for p in check.paths if p.gradient_error >= tolerance]
    if a.operations == b.operations:
        verdict = (
            f"**Not shown** here: the two inputs gave graphs of the same {a.operations} operations."
        )
    elif wrong:
        verdict = (
            f"**False** here: along the path that runs the middle layer {wrong[0].repeats} "
            f"times, autograd's gradients differ from finite differences by "
            f"{wrong[0].gradient_error:.1e}."
        )
    elif not check.loss_after < check.loss_before:
        verdict = (
            f"**Not shown**: the graphs differ, but the model did not learn in {check.steps} "
            f"steps (loss {check.loss_before:.3f}, then {check.loss_after:.3f})."
        )
    else:
        verdict = (
            "**True**: PyTorch recorded a different graph for each input as the forward pass "
            "ran, differentiated each correctly, and the model trained on both paths."
        )
    if max(p.trace_error for p in check.paths) > 0:
        verdict += " A trace recorded on one input froze its branch and answered the other wrongly."
    else:
        verdict += " A static trace happened to answer both inputs right."
    verdict += " The NumPy network has no graph: each path would need its own backward pass."
    evidence = (
        f"a float64 network whose middle layer runs {a.repeats} or {b.repeats} times by the "
        f"sign of its input's mean: graphs of {a.operations} and {b.operations} operations; "
        f"largest relative gradient error against central finite differences "
        f"{check.gradient_error:.1e}; a trace taken on the other path: its output differs by "
        f"{a.trace_error:.2f} and {b.trace_error:.2f}; {check.steps} steps of SGD on inputs "
        f"of both paths took the loss from {check.loss_before:.3f} to {check.loss_after:.3f}"
    )
    return Claim("PyTorch builds dynamic computation graphs.", verdict, evidence, pages)


@dataclass(frozen=True)
class Size:
    """What one way of writing the network costs a reader.

    Attributes
    ----------
    lines : int
        Lines of code to declare, train and evaluate it.
    own_lines : int
        Lines of code of the modules it relies on that are not a library (the
        guide's own, which its reader writes); 0 for Keras.
    names : int
        Distinct library names the whole calls (:func:`nnguide.lab.codesize.called_names`).
    parameters : int
        The network's trainable values: the three must declare the same network.
    """

    lines: int
    own_lines: int
    names: int
    parameters: int

    @property
    def total(self) -> int:
        return self.lines + self.own_lines


#: The ways of :mod:`nnguide.lab.declarations`, by key, as the page names them.
WAY_NAMES = {"keras": "Keras", "pytorch": "the guide's PyTorch side", "scratch": "its NumPy side"}


def keras_claim(sizes: Mapping[str, Size], backend: str, *, pages: tuple[str, ...] = ()) -> Claim:
    """The claim that Keras is simpler, judged by the code that declares, trains and evaluates.

    Parameters
    ----------
    sizes : dict
        ``"keras"``, ``"pytorch"`` and ``"scratch"`` (:data:`~nnguide.lab.claims.code.WAY_NAMES`)
        -> :class:`~nnguide.lab.claims.code.Size`.
    backend : str
        The backend Keras ran on.
    """
    keras, others = sizes["keras"], {k: v for k, v in sizes.items() if k != "keras"}

    def said(key: str) -> str:
        s = sizes[key]
        own = f", plus {s.own_lines} in its own modules" if s.own_lines else ""
        return f"{WAY_NAMES[key]} {s.lines} lines calling {s.names} names{own}"

    evidence = (
        "to declare, train and evaluate the same network: "
        + "; ".join(said(key) for key in sizes)
        + f" (code lines; names: distinct functions, classes and methods called, counted from "
        f"the syntax tree). Keras ran on its {backend} backend"
    )
    counts = {key: s.parameters for key, s in sizes.items()}
    if len(set(counts.values())) > 1:
        shown = ", ".join(f"{WAY_NAMES[k]} {n:,}" for k, n in counts.items())
        verdict = f"**Not judged**: the three declare different networks (parameters: {shown})."
        return Claim("Keras is simpler.", verdict, evidence, pages)
    fewer_lines = all(keras.total < s.total for s in others.values())
    fewer_names = all(keras.names < s.names for s in others.values())
    hidden = " and ".join(f"{s.own_lines} lines in {WAY_NAMES[k]}" for k, s in others.items())
    if fewer_lines and fewer_names:
        verdict = (
            f"**True** for the code a reader writes: {keras.total} lines and {keras.names} "
            "names, fewer than either side of the guide. What Keras hides is what the guide "
            f"writes out to be read: the model, the loop, the loss and the update ({hidden})."
        )
    elif fewer_lines:
        verdict = (
            f"**Partly**: fewer lines ({keras.total}) but more names to learn ({keras.names}) "
            "than a side of the guide. What Keras hides is what the guide writes out to be "
            f"read: the model, the loop, the loss and the update ({hidden})."
        )
    else:
        verdict = (
            f"**False** here: Keras takes {keras.total} lines, no fewer than a side of the guide "
            "with its own modules."
        )
    return Claim("Keras is simpler.", verdict, evidence, pages)
