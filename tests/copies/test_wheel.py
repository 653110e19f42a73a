"""The wheel and the sdist are fit to publish, and the wheel holds the package alone."""

import subprocess
import sys
import zipfile


def test_twine_accepts_the_distributions(dist):
    command = [sys.executable, "-m", "twine", "check", "--strict", str(dist.wheel), str(dist.sdist)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def wheel_names(wheel) -> list[str]:
    with zipfile.ZipFile(wheel) as zf:
        return zf.namelist()


def dist_info(wheel) -> str:
    name, version = wheel.name.split("-")[:2]
    return f"{name}-{version}.dist-info/"


def test_wheel_holds_the_package_alone(dist):
    """Its own folder and its metadata: nothing of docs/, gallery/ or tests/."""
    allowed = ("nnguide/", dist_info(dist.wheel))
    assert [n for n in wheel_names(dist.wheel) if not n.startswith(allowed)] == []


def test_wheel_carries_the_license(dist):
    assert f"{dist_info(dist.wheel)}licenses/LICENSE" in wheel_names(dist.wheel)
