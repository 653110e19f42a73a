"""A description of the machine and libraries a result was measured on."""

from __future__ import annotations

import datetime
import os
import platform


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe() -> dict:
    """Versions, hardware and thread counts, as a JSON-ready dict.

    Returns
    -------
    dict
        Keys: ``date``, ``python``, ``numpy``, ``torch``, ``torchvision``,
        ``platform``, ``cpu``, ``cpu_count``, ``torch_threads``,
        ``blas_threads`` (per BLAS library NumPy uses) and ``gpu``
        (the CUDA device's name, or ``None``).
    """
    import importlib.metadata
    import sys

    import numpy as np
    from threadpoolctl import threadpool_info

    blas = {
        f"{pool['internal_api']} ({pool['prefix']})": pool["num_threads"]
        for pool in threadpool_info()
        if pool["user_api"] == "blas"
    }
    # PyTorch's thread count and GPU are read only if the page already imported
    # it: describing the machine must not load PyTorch into a NumPy-only page.
    torch = sys.modules.get("torch")
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "torch": importlib.metadata.version("torch"),
        "torchvision": importlib.metadata.version("torchvision"),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cpu_count": os.cpu_count(),
        "torch_threads": torch.get_num_threads() if torch else None,
        "blas_threads": blas,
        "gpu": torch.cuda.get_device_name(0) if torch and torch.cuda.is_available() else None,
    }


def summary(env: dict | None = None, dataset: str | None = None) -> str:
    """One line for the foot of a page: where its numbers came from."""
    env = env or describe()
    blas = ", ".join(f"{k}: {v}" for k, v in env["blas_threads"].items()) or "unknown"
    parts = [
        f"data: {dataset}" if dataset else None,
        f"NumPy {env['numpy']}, PyTorch {env['torch']}, torchvision {env['torchvision']}, "
        f"Python {env['python']}",
        f"CPU: {env['cpu']} ({env['cpu_count']} cores), "
        f"BLAS threads {blas}"
        + (f", torch threads {env['torch_threads']}" if env["torch_threads"] else ""),
        f"GPU: {env['gpu'] or 'none'}" if env["torch_threads"] else None,
        f"built {env['date']}",
    ]
    return "; ".join(p for p in parts if p)
