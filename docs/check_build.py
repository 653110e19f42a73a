"""Check a built site: every example ran, for a real length of time, and the
autograd page shows the numbers it must.

Usage: ``python docs/check_build.py docs/_build/html``. Exits non-zero, naming
each problem, if any check fails.

Which examples ran, and how, comes from sphinx-gallery's JUnit report
(``docs/_build/gallery-junit.xml``, the ``junit`` setting in conf.py), not from
the HTML. The report lists the scripts this build executed; sphinx-gallery
skips a script whose checksum matches its last run, and such a script counts
as run when that checksum and its recorded run time are both there.
"""

import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

DOCS = Path(__file__).resolve().parent
GALLERY = DOCS.parent / "gallery"
OUTPUTS = DOCS / "auto_examples"  # sphinx-gallery's gallery_dirs


def junit_path(html: Path) -> Path:
    return html.parent / "gallery-junit.xml"  # conf.py: "junit": "../gallery-junit.xml"


def read_junit(path: Path) -> dict[str, tuple[float, str | None]]:
    """Each script this build ran: stem -> (seconds, failure message or None)."""
    runs = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        failure = case.find("failure")
        message = None if failure is None else (failure.get("message") or "failed")
        runs[case.get("classname")] = (float(case.get("time", 0)), message)
    return runs


def checksum(script: Path) -> str:
    """sphinx-gallery's checksum of a script (its text mode: universal newlines)."""
    text = script.read_text(encoding="utf-8", errors="surrogateescape")
    return hashlib.md5(text.encode("utf-8", errors="surrogateescape")).hexdigest()


def last_run(script: Path) -> float | None:
    """The recorded run time of an unchanged script sphinx-gallery skipped, else None."""
    md5 = OUTPUTS / f"{script.name}.md5"
    cost = OUTPUTS / f"{script.stem}.cost.json"
    if not (md5.is_file() and cost.is_file()) or md5.read_text().strip() != checksum(script):
        return None
    return float(json.loads(cost.read_text())["time"])


def main(html: Path) -> tuple[list[str], list[str]]:
    """(problems, report lines)."""
    problems, report = [], []
    scripts = sorted(GALLERY.glob("plot_*.py"))
    if not scripts:
        problems.append(f"no gallery scripts found in {GALLERY}")
    junit = junit_path(html)
    if not junit.is_file():
        return problems + [f"{junit}: missing (sphinx-gallery writes it when it executes)"], []
    runs = read_junit(junit)
    for script in scripts:
        page = html / "auto_examples" / f"{script.stem}.html"
        if not page.is_file():
            problems.append(f"{page}: missing (did {script.name} run?)")
        if script.stem in runs:
            seconds, failure = runs[script.stem]
            if failure:
                problems.append(f"{script.name}: failed: {failure}")
            elif seconds <= 0:
                problems.append(f"{script.name}: reports a running time of zero (it did not run)")
            report.append(f"{script.name}: ran in {seconds:.1f} s")
            continue
        seconds = last_run(script)
        if seconds is None:
            problems.append(f"{script.name}: not run by this build, and no current earlier run")
        elif seconds <= 0:
            problems.append(f"{script.name}: its last run reports a running time of zero")
        else:
            report.append(f"{script.name}: unchanged since its last run ({seconds:.1f} s)")
    autograd = html / "auto_examples" / "plot_01_autograd_basics.html"
    if autograd.is_file():
        text = autograd.read_text(encoding="utf-8")
        for needle in ("out = 27.0", "4.5000"):
            if needle not in text:
                problems.append(f"{autograd.name}: does not show {needle!r}")
    return problems, report


if __name__ == "__main__":
    problems, report = main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
    for line in report:
        print(line)
    for problem in problems:
        print("FAIL:", problem)
    if problems:
        sys.exit(1)
    print("docs check: every gallery example ran; the autograd page shows 27.0 and 4.5")
