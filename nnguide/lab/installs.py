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


def torch_build() -> str:
    """Which torch build is installed, from its version's local label (``+cu130``, ``+cpu``)."""
    try:
        version = metadata.version("torch")
    except metadata.PackageNotFoundError:
        return "not installed"
    local = version.partition("+")[2]
    if local.startswith("cu"):
        return f"torch {version}, a CUDA build (CUDA {local[2:-1]}.{local[-1]})"
    if local == "cpu":
        return f"torch {version}, the CPU-only build"
    nvidia = [d for d in requirements("torch") if _canonical(d).startswith("nvidia-")]
    kind = "a CUDA build (it requires nvidia-* wheels)" if nvidia else "a build without CUDA"
    return f"torch {version}, {kind}"


def route_installs() -> dict:
    """Per route: the distributions it installs (name -> bytes), their total, what is missing.

    Also ``torch_build`` (:func:`torch_build`) and, under ``nvidia``, the bytes of
    torch's ``nvidia-*`` requirements within the PyTorch route. The CPU-only
    wheel is not installed here, so its size is not measured.
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
    out["torch_build"] = torch_build()
    out["nvidia"] = sum(size for name, size in torch_route.items() if name.startswith("nvidia-"))
    return out
