"""What a route must install, in bytes, computed from the installed distributions' files.

A distribution's size is the sum of the sizes of the files its ``RECORD``
lists (``importlib.metadata.distribution(name).files``), as installed
here; a route's size is the sum over the distributions it needs and all their
requirements, each counted once. Nothing is typed in: a size that cannot be
computed (a distribution not installed) is left out and named.
"""

from __future__ import annotations

import re
from importlib import metadata

#: What each route imports to answer a request, by distribution.
ROUTE_NEEDS = {
    "numpy": ("numpy", "safetensors"),
    "pytorch": ("torch", "safetensors"),
    "onnxruntime": ("onnxruntime",),
}


def _canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dist_size(name: str) -> int:
    """The bytes of the files distribution ``name`` installed."""
    dist = metadata.distribution(name)
    total = 0
    for file in dist.files or ():
        path = dist.locate_file(file)
        try:
            total += path.stat().st_size
        except OSError:  # listed but absent (a .pyc never written, say)
            continue
    return total


def requirements(name: str) -> list[str]:
    """The distributions ``name`` requires here (markers evaluated, no extras)."""
    from packaging.requirements import Requirement

    needed = []
    for text in metadata.distribution(name).requires or ():
        requirement = Requirement(text)
        if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            needed.append(requirement.name)
    return needed


def closure(names) -> tuple[dict[str, int], list[str]]:
    """The installed distributions ``names`` need, with their sizes; and those missing."""
    seen, missing, todo = {}, [], list(names)
    while todo:
        name = _canonical(todo.pop())
        if name in seen or name in missing:
            continue
        try:
            seen[name] = dist_size(name)
        except metadata.PackageNotFoundError:
            missing.append(name)
            continue
        todo.extend(requirements(name))
    return seen, missing


def torch_variant() -> tuple[str, str]:
    """Which torch build is installed: a key and its words.

    The key is ``"cuda"``, ``"cpu"``, ``"rocm"``, ``"other"`` (no local label: a
    build without CUDA unless it requires ``nvidia-*`` wheels, then ``"cuda"``)
    or ``"missing"``; it is read from the version's local label (``+cu130``, ``+cpu``).
    """
    try:
        version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        return "missing", "torch not installed"
    local = version.partition("+")[2]
    if local.startswith("cu") and local[2:].isdigit():
        return "cuda", f"torch {version}, a CUDA build (CUDA {local[2:-1]}.{local[-1]})"
    if local == "cpu":
        return "cpu", f"torch {version}, the CPU-only build"
    if local.startswith("rocm"):
        return "rocm", f"torch {version}, a ROCm build"
    if any(_canonical(d).startswith("nvidia-") for d in requirements("torch")):
        return "cuda", f"torch {version}, a CUDA build that requires nvidia-* wheels"
    return "other", f"torch {version}, a build without CUDA"


def torch_build() -> str:
    """Which torch build is installed, in words (:func:`torch_variant`'s)."""
    return torch_variant()[1]


def route_installs() -> dict:
    """Per route: the distributions it installs (name -> bytes), their total, what is missing.

    Also ``torch_build`` and ``torch_variant`` (:func:`torch_variant`'s words and
    key) and, under ``nvidia``, the bytes of the ``nvidia-*`` distributions
    within the PyTorch route (0 where the build installs none, as the CPU-only
    build does). Only the build installed here is measured.
    """
    out = {}
    for route, names in ROUTE_NEEDS.items():
        sizes, missing = closure(names)
        out[route] = {
            "distributions": dict(sorted(sizes.items(), key=lambda kv: -kv[1])),
            "total": sum(sizes.values()),
            "missing": missing,
        }
    torch_route = out["pytorch"]["distributions"]
    out["torch_variant"], out["torch_build"] = torch_variant()
    out["nvidia"] = sum(size for name, size in torch_route.items() if name.startswith("nvidia-"))
    return out
