"""The notebooks' first cell keeps the PyTorch a reader already has.

Colab and CUDA machines come with their own torch and torchvision. In a fresh
virtualenv that holds a torch and a torchvision of other versions than the
site's pins (installed distributions made of their metadata alone: the test
checks what pip installs, nothing imports them), the first cell of the site's
notebooks runs against the built wheel. Every other package comes from the
index, at constraints.txt's pins, as in the other copies (and from pip's
cache, where those runs left them).
"""

from __future__ import annotations

import json
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import TIMES
from copy_runs import CONSTRAINTS, PAGES, Failed, bare_venv, code_cells, the_download
from packaging.requirements import Requirement

#: What the reader has: versions that satisfy the package's lower bounds and
#: differ from constraints.txt's pins; torchvision's wheel pins its torch exactly.
READERS = {"torch": "2.13.0", "torchvision": "0.28.0"}
REQUIRES = {"torchvision": [f"torch=={READERS['torch']}"]}
#: Prints the installed version of each distribution its arguments name (null: not installed).
PROBE = """
import importlib.metadata as m, json, sys
def version(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return None
print(json.dumps({name: version(name) for name in sys.argv[1:]}))
"""


def install_metadata_only(site: Path, name: str, version: str, requires=()) -> None:
    """An installed distribution that pip sees as ``name`` ``version``: its metadata alone."""
    info = site / f"{name}-{version}.dist-info"
    info.mkdir()
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    files = {
        "METADATA": "\n".join(lines + [f"Requires-Dist: {r}" for r in requires]) + "\n",
        "INSTALLER": "pip\n",
    }
    for file, text in files.items():
        (info / file).write_text(text, encoding="utf-8")
    record = [f"{info.name}/{file},," for file in [*files, "RECORD"]]
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")


def installed(venv, names) -> dict[str, str]:
    done = subprocess.run(
        [str(venv.python), "-c", PROBE, *names], capture_output=True, text=True, env=venv.env
    )
    if done.returncode:
        raise Failed(f"reading the installed versions failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def pins() -> dict[str, str]:
    lines = CONSTRAINTS.read_text(encoding="utf-8").splitlines()
    return dict(line.split("==", 1) for line in lines if "==" in line and not line.startswith("#"))


@pytest.fixture(scope="session")
def readers_venv(tmp_path_factory, dist):
    """A fresh virtualenv holding the reader's torch and torchvision (metadata only)."""
    folder = tmp_path_factory.mktemp("readers_torch")
    # The reader has no constraints file: the others stay pinned, torch and torchvision not.
    constraints = folder / "constraints-without-torch.txt"
    kept = [f"{n}=={v}" for n, v in pins().items() if n.lower() not in READERS]
    constraints.write_text("\n".join(kept) + "\n", encoding="utf-8")
    venv = bare_venv(folder, dist.wheel, constraints)
    done = subprocess.run(
        [str(venv.python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    site = Path(done.stdout.strip())
    for name, version in READERS.items():
        install_metadata_only(site, name, version, REQUIRES.get(name, ()))
    return venv


def test_readers_versions_satisfy_the_wheel_and_differ_from_the_pins(dist):
    """Else the test would not try what it says: pip would have to replace them."""
    with zipfile.ZipFile(dist.wheel) as zf:
        metadata = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        lines = zf.read(metadata).decode().splitlines()
    requirements = [
        Requirement(line.split(":", 1)[1]) for line in lines if line.startswith("Requires-Dist:")
    ]
    for req in requirements:
        if req.name in READERS and (req.marker is None or req.marker.evaluate()):
            assert req.specifier.contains(READERS[req.name]), f"{READERS[req.name]} fails {req}"
    assert all(pins()[name] != version for name, version in READERS.items()), pins()


def test_first_cell_keeps_the_readers_torch(request, readers_venv, downloads):
    cell = code_cells(the_download(downloads, f"{PAGES[0]}.ipynb"))[0]
    before = installed(readers_venv, READERS)
    assert before == READERS, f"the metadata-only distributions read as {before}"
    start = time.perf_counter()
    done = subprocess.run(
        [str(readers_venv.python), "-c", cell],
        capture_output=True,
        text=True,
        env=readers_venv.env,
        cwd=readers_venv.path.parent,
    )
    request.config.stash[TIMES].append(
        ("first cell beside the reader's torch", time.perf_counter() - start)
    )
    assert done.returncode == 0, (
        f"the first cell failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}"
    )
    gallery = ["nnguide", "matplotlib", "keras", "safetensors", "onnxruntime", "mpi4py"]
    after = installed(readers_venv, [*READERS, *gallery])
    assert {n: after[n] for n in READERS} == READERS, f"the first cell replaced {READERS}: {after}"
    missing = [name for name, version in after.items() if version is None]
    assert not missing, f"the first cell did not install {missing}"
