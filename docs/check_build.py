"""Check a built site: every example ran, for a real length of time, and the
autograd page shows the numbers it must.

Usage: ``python docs/check_build.py docs/_build/html``. Exits non-zero, naming
each problem, if any check fails.
"""

import re
import sys
from pathlib import Path

GALLERY = Path(__file__).resolve().parents[1] / "gallery"
RUNNING_TIME = re.compile(
    r"Total running time of the script:(?:</strong>)?\s*\((\d+) minutes\s+([\d.]+) seconds\)"
)


def main(html: Path) -> list[str]:
    problems = []
    scripts = sorted(GALLERY.glob("plot_*.py"))
    if not scripts:
        problems.append(f"no gallery scripts found in {GALLERY}")
    for script in scripts:
        page = html / "auto_examples" / f"{script.stem}.html"
        if not page.is_file():
            problems.append(f"{page}: missing (did {script.name} run?)")
            continue
        text = page.read_text(encoding="utf-8")
        match = RUNNING_TIME.search(text)
        if not match:
            problems.append(f"{page.name}: no running time reported")
        elif int(match[1]) * 60 + float(match[2]) == 0:
            problems.append(f"{page.name}: reports a running time of zero (it did not run)")
    autograd = html / "auto_examples" / "plot_01_autograd_basics.html"
    if autograd.is_file():
        text = autograd.read_text(encoding="utf-8")
        for needle in ("out = 27.0", "4.5000"):
            if needle not in text:
                problems.append(f"{autograd.name}: does not show {needle!r}")
    return problems


if __name__ == "__main__":
    problems = main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/_build/html"))
    for problem in problems:
        print("FAIL:", problem)
    if problems:
        sys.exit(1)
    print("docs check: every gallery example ran; the autograd page shows 27.0 and 4.5")
