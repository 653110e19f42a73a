"""Check the built site the way a reader meets it: in headless Chromium, offline.

Usage::

    python docs/browser_check.py [HTML_DIR] [--screenshots DIR] [--only TEXT ...]

``nox -s browser`` runs it on ``docs/_build/html`` after ``nox -s docs``. It
serves the site on 127.0.0.1, drives Debian's Chromium (``/usr/bin/chromium``
and ``/usr/bin/chromedriver``, or ``$CHROMIUM`` and ``$CHROMEDRIVER``) through
Selenium, and exits non-zero with a list of problems when any check fails.

Without a browser, over every HTML file of the site (the highlighted source
pages under ``_modules/`` and Sphinx's search and index pages included):

- every internal link, and every ``#anchor``, resolves;
- no page loads a script, stylesheet, font or image from another host;
- every image has alt text (gallery thumbnails may have an empty one: the
  card's title names the link);
- no gallery card shows sphinx-gallery's placeholder thumbnail (``no_image.png``)
  or a thumbnail squeezed into a thin strip;
- the downloadable notebooks' Markdown cells hold no Sphinx roles
  (``:mod:`...```, ``:doc:`...```) or directives, which Jupyter shows verbatim.

In the browser, on every page except ``search.html``, ``genindex.html``,
``py-modindex.html`` and the ``_modules/`` source pages, at 1400 px:

- no request leaves the local server (the browser resolves no other host, so
  the check behaves the same with or without a network) and no console error;
- a page with math has MathJax output (``mjx-container``) and no raw ``\\(``
  or ``\\[`` left in its text;
- a click on every tab of a synced tab set (sphinx-design) switches every tab
  set of that group on the page;
- no output box shows ``<Figure size``, and none overflows its box
  (``scrollWidth > clientWidth``) unless listed in ``OVERFLOW_EXCEPTIONS``;
- every table in the article sits in the theme's keyboard-focusable scrolling
  wrapper (``div.pst-scrollable-table-container``), headings do not skip a level,
  and no sidebar shows an empty "Section Navigation";

and at 390 px: each tab set's labels fit on one row, no output box hides text
without a scrollbar, and the page does not scroll sideways. Gallery pages are
also opened in the theme's dark mode, where a figure with a transparent
background must get the theme's light backdrop.

It saves full-page screenshots of every browsed page at both widths, and of the
gallery pages in dark mode, under ``docs/_build/screenshots/`` with an
``index.html`` that shows them all.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import functools
import html
import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

DOCS = Path(__file__).resolve().parent
WIDE, NARROW = 1400, 390
NOT_BROWSED = {"search.html", "genindex.html", "py-modindex.html"}
NOT_BROWSED_DIRS = ("_modules/",)  # link-checked, not opened in the browser

# Output boxes whose text may be wider than the box at 1400 px, each with why.
# Entries: (page glob, text the box contains, reason).
OVERFLOW_EXCEPTIONS: list[tuple[str, str, str]] = []

# A gallery thumbnail whose content fills less of its height than this is a strip.
THUMB_MIN_FILL = 0.4

OUTPUT_BOXES = ", ".join(
    [
        ".sphx-glr-script-out pre",  # sphinx-gallery's captured stdout
        ".cell_output pre",  # myst-nb's stream and text outputs
        ".output_subarea pre",  # sphinx-gallery's rich reprs
    ]
)
ROLE = re.compile(r"(?<![\w`]):(?:[a-z]+:)?[a-z]+:`")
DIRECTIVE = re.compile(r"(?m)^\s*\.\. [\w:-]+::")


# -- the site as files -----------------------------------------------------------


class PageParser(HTMLParser):
    """Collects a page's ids, links, resources and images."""

    RESOURCE_ATTRS = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "video": "src",
        "audio": "src",
        "embed": "src",
        "object": "data",
    }
    RESOURCE_RELS = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "prefetch"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.images: list[dict] = []
        self._thumb_depth = 0  # inside a sphinx-gallery card
        self._stack: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("name"):
            self.ids.add(a["name"])
        if tag == "a" and a.get("href") is not None:
            self.links.append(a["href"])
        if tag in self.RESOURCE_ATTRS and a.get(self.RESOURCE_ATTRS[tag]):
            self.resources.append(a[self.RESOURCE_ATTRS[tag]])
        if tag == "link" and a.get("href"):
            rels = set((a.get("rel") or "").lower().split())
            if rels & self.RESOURCE_RELS:
                self.resources.append(a["href"])
        if tag == "img":
            for candidate in (a.get("srcset") or "").split(","):
                if candidate.strip():
                    self.resources.append(candidate.split()[0])
            self.images.append(
                {"src": a.get("src", ""), "alt": a.get("alt"), "card": self._thumb_depth > 0}
            )
        if tag == "div":
            classes = (a.get("class") or "").split()
            self._stack.append("thumb" if "sphx-glr-thumbcontainer" in classes else "div")
            if "sphx-glr-thumbcontainer" in classes:
                self._thumb_depth += 1

    def handle_endtag(self, tag):
        if tag == "div" and self._stack:
            if self._stack.pop() == "thumb":
                self._thumb_depth -= 1


@dataclass
class Site:
    root: Path
    pages: dict[str, PageParser] = field(default_factory=dict)  # by path relative to root

    @classmethod
    def read(cls, root: Path) -> Site:
        site = cls(root)
        for path in sorted(root.rglob("*.html")):
            rel = path.relative_to(root).as_posix()
            if rel.startswith(("_static/", "_sources/", "_downloads/", "_images/")):
                continue
            parser = PageParser()
            parser.feed(path.read_text(encoding="utf-8", errors="replace"))
            site.pages[rel] = parser
        return site

    def resolve(self, page: str, url: str) -> tuple[str | None, str]:
        """The site path a URL on `page` points at (None if external) and its fragment."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc:
            return None, ""
        if not parts.path:
            return page, unquote(parts.fragment)
        target = (self.root / Path(page).parent / unquote(parts.path)).resolve()
        if target.is_dir():
            target = target / "index.html"
        try:
            rel = target.relative_to(self.root.resolve()).as_posix()
        except ValueError:
            rel = "../" + target.as_posix()  # outside the site: reported as missing
        return rel, unquote(parts.fragment)

    def is_external(self, url: str) -> bool:
        parts = urlsplit(url)
        return bool(parts.netloc) or parts.scheme in {"http", "https", "ftp"}


def check_files(site: Site, problems: list[str], counts: dict) -> None:
    """Links, anchors, outside resources and alt text, over every HTML file."""
    for page, parsed in site.pages.items():
        for href in parsed.links:
            if href.startswith(("mailto:", "javascript:", "tel:", "data:")) or href == "#":
                continue
            if site.is_external(href):
                counts["external links (not followed)"] += 1
                continue
            target, fragment = site.resolve(page, href)
            counts["links"] += 1
            if not (site.root / target).is_file():
                problems.append(f"{page}: link to a missing file: {href}")
                continue
            if fragment:
                counts["anchors"] += 1
                ids = site.pages.get(target)
                if ids is None or fragment not in ids.ids:
                    problems.append(f"{page}: link to a missing anchor: {href}")
        for src in parsed.resources:
            if src.startswith(("data:", "blob:")):
                continue
            if site.is_external(src):
                problems.append(f"{page}: loads a resource from outside the site: {src}")
                continue
            target, _ = site.resolve(page, src)
            counts["resources"] += 1
            if not (site.root / target).is_file():
                problems.append(f"{page}: loads a missing file: {src}")
        for image in parsed.images:
            counts["images"] += 1
            if image["alt"] is None or (not image["alt"].strip() and not image["card"]):
                problems.append(f"{page}: image without alt text: {image['src']}")


def thumbnail_problems(site: Site, problems: list[str], counts: dict) -> None:
    """Gallery cards showing the placeholder, or a strip too thin to read."""
    from PIL import Image

    placeholder_file = site.root / "_static" / "no_image.png"
    if not placeholder_file.is_file():
        problems.append("_static/no_image.png missing: cannot tell placeholder thumbnails")
        return

    def signature(path: Path):
        image = Image.open(path).convert("RGBA")
        box = image.getchannel("A").getbbox() or (0, 0, *image.size)
        flat = Image.new("RGBA", image.size, "white")
        flat.alpha_composite(image)
        return flat.crop(box).convert("L").resize((36, 24)), box, image.size

    placeholder, _, _ = signature(placeholder_file)
    seen: set[str] = set()
    for page, parsed in site.pages.items():
        for image in parsed.images:
            if not image["card"]:
                continue
            target, _ = site.resolve(page, image["src"])
            if target in seen or not (site.root / target).is_file():
                continue
            seen.add(target)
            counts["gallery thumbnails"] += 1
            thumb, box, size = signature(site.root / target)
            diff = sum(abs(a - b) for a, b in zip(thumb.tobytes(), placeholder.tobytes()))
            name = Path(target).name
            if diff / (36 * 24) < 12:
                problems.append(f"{page}: gallery card shows the placeholder thumbnail ({name})")
            elif (box[3] - box[1]) < THUMB_MIN_FILL * size[1]:
                problems.append(
                    f"{page}: gallery thumbnail {name} is a strip "
                    f"{box[3] - box[1]} of {size[1]} px high: choose another figure"
                )


def notebook_problems(root: Path, problems: list[str], counts: dict) -> None:
    """Downloaded notebooks whose Markdown shows Sphinx roles or directives verbatim."""
    for path in sorted(root.glob("_downloads/**/*.ipynb")):
        counts["notebooks"] += 1
        found = []
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            for match in list(ROLE.finditer(text)) + list(DIRECTIVE.finditer(text)):
                found.append(text[match.start() : match.start() + 40].split("\n")[0].strip())
        if found:
            shown = ", ".join(repr(f) for f in found[:3]) + (" ..." if len(found) > 3 else "")
            problems.append(
                f"_downloads/{path.name}: {len(found)} Sphinx role(s) or directive(s) "
                f"in Markdown cells: {shown}"
            )


# -- the site in a browser -----------------------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def start_chromium(profile: str):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--window-size={WIDE},900",
        # Resolve no host but the local server: a request to a CDN fails at
        # once, with or without a network, and is still logged.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    options.add_experimental_option(
        "perfLoggingPrefs", {"enableNetwork": True, "enablePage": False}
    )
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


SETTLE = """
const done = arguments[arguments.length - 1];
(async () => {
  await document.fonts.ready;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map((img) => img.decode().catch(() => null)));
  await new Promise((r) => setTimeout(r, 350));  // the theme's debounced handlers
  done(null);
})().catch((e) => done(String(e)));
"""

INSPECT = r"""
const [outputSelector, wide] = arguments;
const article = document.querySelector("article.bd-article") || document.body;
const shown = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const firstLine = (el) => (el.textContent || "").trim().split("\n")[0].slice(0, 70);
const r = {};

// Math: typeset, and no raw TeX left in the text a reader sees.
r.hasMath = !!document.querySelector(".math, span.math, div.math");
r.mjx = document.querySelectorAll("mjx-container").length;
const clone = document.body.cloneNode(true);
clone.querySelectorAll("pre, code, script, style, textarea, mjx-container, noscript, .highlight")
  .forEach((el) => el.remove());
const text = clone.textContent;
r.rawTex = [];
for (const opener of ["\\(", "\\["]) {
  let at = text.indexOf(opener);
  if (at >= 0) r.rawTex.push(text.slice(Math.max(0, at - 10), at + 40).replace(/\s+/g, " "));
}

// Headings in the article, in order.
r.headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map(
  (h) => [Number(h.tagName[1]), h.textContent.replace("#", "").trim().slice(0, 60)]);

// Tables outside the theme's focusable scrolling wrapper.
r.bareTables = [...article.querySelectorAll("table")]
  .filter((t) => !t.closest(".pst-scrollable-table-container"))
  .map((t) => (t.className || "table") + ": " + firstLine(t));

// Output boxes.
r.outputs = 0;
r.figureReprs = [];
r.overflowing = [];
r.hiddenOverflow = [];
for (const box of document.querySelectorAll(outputSelector)) {
  r.outputs += 1;
  if (box.textContent.includes("<Figure size")) r.figureReprs.push(firstLine(box));
  if (!shown(box)) continue;
  const over = box.scrollWidth - box.clientWidth;
  if (over > 1) {
    r.overflowing.push([over, box.textContent.trim().slice(0, 400), firstLine(box)]);
    // Text wider than its box must be scrollable: the box or an ancestor up to
    // the output container must scroll, and none may clip it.
    let scrolls = false, clipped = false;
    for (let el = box; el && el !== article; el = el.parentElement) {
      const style = getComputedStyle(el);
      if (["auto", "scroll"].includes(style.overflowX)) { scrolls = true; break; }
      if (["hidden", "clip"].includes(style.overflowX)) { clipped = true; break; }
    }
    if (!scrolls || clipped) r.hiddenOverflow.push([over, firstLine(box)]);
  }
}

// Tab sets whose labels take more than one row.
r.tabRows = [];
for (const set of document.querySelectorAll(".sd-tab-set")) {
  const labels = [...set.querySelectorAll(":scope > label")].filter(shown);
  // One row: every label overlaps every other vertically (the theme draws the
  // selected label a few pixels taller, so tops alone differ).
  const boxes = labels.map((l) => l.getBoundingClientRect());
  const top = Math.max(...boxes.map((b) => b.top));
  const bottom = Math.min(...boxes.map((b) => b.bottom));
  if (labels.length > 1 && top >= bottom) {
    r.tabRows.push(labels.map((l) => l.textContent.trim()).join(" | "));
  }
}

// An empty "Section Navigation" in a visible primary sidebar.
const sidebar = document.querySelector(".bd-sidebar-primary");
r.emptySectionNav = !!(sidebar && shown(sidebar) && wide &&
  /Section Navigation/.test(sidebar.textContent) &&
  !sidebar.querySelector("nav.bd-docs-nav a, .bd-docs-nav a"));

r.pageWidth = document.documentElement.scrollWidth;
r.viewport = window.innerWidth;
return r;
"""

TAB_KEYS = """
const keys = [];
for (const label of document.querySelectorAll(".sd-tab-label[data-sync-group][data-sync-id]")) {
  const key = label.dataset.syncGroup + "--" + label.dataset.syncId;
  if (!keys.includes(key)) keys.push(key);
}
return keys;
"""

TAB_STATE = """
const [group, id] = arguments;
const sel = `.sd-tab-label[data-sync-group="${group}"][data-sync-id="${id}"]`;
return [...document.querySelectorAll(sel)].map((label) => {
  const input = document.getElementById(label.getAttribute("for"));
  const content = label.nextElementSibling;
  return [!!(input && input.checked),
          !!(content && getComputedStyle(content).display !== "none"),
          label.textContent.trim()];
});
"""

TRANSPARENT_FIGURES = """
const out = [];
for (const img of document.querySelectorAll("article.bd-article img")) {
  if (!img.complete || !img.naturalWidth) continue;
  const canvas = document.createElement("canvas");
  canvas.width = Math.min(img.naturalWidth, 400);
  canvas.height = Math.max(1, Math.round(canvas.width * img.naturalHeight / img.naturalWidth));
  const ctx = canvas.getContext("2d");
  let data;
  try {
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  } catch (e) { continue; }
  let clear = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] < 250) clear += 1;
  if (clear / (data.length / 4) < 0.01) continue;
  const bg = getComputedStyle(img).backgroundColor;
  const m = bg.match(/rgba?\\(([\\d.]+), ([\\d.]+), ([\\d.]+)(?:, ([\\d.]+))?\\)/);
  const light = m && (m[4] === undefined || Number(m[4]) > 0.9) &&
    (Number(m[1]) + Number(m[2]) + Number(m[3])) / 3 > 200;
  if (!light) out.push(img.getAttribute("src"));
}
return out;
"""


class Browser:
    def __init__(self, driver, base: str, shots: Path | None):
        self.driver = driver
        self.base = base
        self.shots = shots
        self.host = urlsplit(base).netloc
        self.current = "index.html"

    def emulate(self, width: int, mobile: bool):
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def set_theme(self, mode: str | None):
        """The theme's mode for the next pages; None: a first visit's default."""
        # pydata-sphinx-theme reads these before it draws a page.
        self.driver.execute_script(
            "for (const key of ['mode', 'theme']) {"
            "  if (arguments[0]) localStorage.setItem(key, arguments[0]);"
            "  else localStorage.removeItem(key);"
            "}",
            mode,
        )

    def open(self, page: str) -> list[str]:
        """Load a page and let it settle; return network and console problems.

        These include what the previous page logged after its own check (a
        click on a tab, say), named by that page.
        """
        problems = self.drain()
        self.current = page
        self.driver.get(self.base + page)
        error = self.driver.execute_async_script(SETTLE)
        if error:
            problems.append(f"{page}: page did not settle: {error}")
        return problems + self.drain()

    def drain(self) -> list[str]:
        """Outside requests and console errors logged since the last call."""
        page, problems = self.current, []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.requestWillBeSent":
                continue
            url = message["params"]["request"]["url"]
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about", "chrome", "devtools"}:
                continue
            if parts.netloc != self.host:
                problems.append(f"{page}: requests {url} (outside the local server)")
        for entry in self.driver.get_log("browser"):
            if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]:
                problems.append(f"{page}: console error: {entry['message'][:300]}")
        return problems

    def screenshot(self, page: str, suffix: str):
        if self.shots is None:
            return
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size["width"],
                    "height": min(size["height"], 30000),
                    "scale": 1,
                },
            },
        )
        name = page.removesuffix(".html").replace("/", "__") + f".{suffix}.png"
        (self.shots / name).write_bytes(base64.b64decode(shot["data"]))

    def click_tabs(self, page: str) -> tuple[list[str], int]:
        """Click every synced tab; every tab set of its group must follow."""
        from selenium.webdriver.common.by import By

        problems, clicks = [], 0
        keys = self.driver.execute_script(TAB_KEYS)
        # The first key of each group is usually the default: click it last.
        for key in keys[::-1] + keys[:1]:
            group, tab_id = key.split("--", 1)
            sel = f'.sd-tab-label[data-sync-group="{group}"][data-sync-id="{tab_id}"]'
            labels = [
                el for el in self.driver.find_elements(By.CSS_SELECTOR, sel) if el.is_displayed()
            ]
            if not labels:
                continue
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", labels[0])
            labels[0].click()
            clicks += 1
            states = self.driver.execute_script(TAB_STATE, group, tab_id)
            behind = [label for checked, visible, label in states if not (checked and visible)]
            if behind:
                problems.append(
                    f"{page}: clicking tab {labels[0].text.strip()!r} left "
                    f"{len(behind)} of {len(states)} tab sets of group {group!r} on another tab"
                )
        return problems, clicks


def overflow_allowed(page: str, text: str) -> bool:
    return any(
        fnmatch.fnmatch(page, glob) and needle in text for glob, needle, _ in OVERFLOW_EXCEPTIONS
    )


def check_page(browser: Browser, page: str, problems: list[str], counts: dict) -> None:
    gallery = page.startswith("auto_examples/") and page != "auto_examples/index.html"

    # Desktop, light.
    browser.emulate(WIDE, mobile=False)
    browser.set_theme(None)
    problems += browser.open(page)
    r = browser.driver.execute_script(INSPECT, OUTPUT_BOXES, True)
    counts["output boxes"] += r["outputs"]
    if r["hasMath"]:
        counts["pages with math"] += 1
        if not r["mjx"]:
            problems.append(f"{page}: math not typeset (no mjx-container)")
    for snippet in r["rawTex"]:
        problems.append(f"{page}: raw TeX in the text: {snippet!r}")
    previous = 0
    for level, title in r["headings"]:
        counts["headings"] += 1
        if level > previous + 1:
            problems.append(f"{page}: heading h{level} {title!r} follows h{previous}")
        previous = level
    for table in r["bareTables"]:
        problems.append(f"{page}: table outside the theme's scrolling wrapper: {table!r}")
    for line in r["figureReprs"]:
        problems.append(f"{page}: an output box shows a figure repr: {line!r}")
    for over, text, line in r["overflowing"]:
        if overflow_allowed(page, text):
            counts["overflow exceptions used"] += 1
        else:
            problems.append(f"{page}: output overflows its box by {over} px at {WIDE} px: {line!r}")
    if r["emptySectionNav"]:
        problems.append(f"{page}: empty 'Section Navigation' sidebar")
    browser.screenshot(page, str(WIDE))
    tab_problems, clicks = browser.click_tabs(page)
    problems += tab_problems
    counts["tab clicks"] += clicks

    # Phone, light.
    browser.emulate(NARROW, mobile=True)
    browser.set_theme(None)
    problems += browser.open(page)
    r = browser.driver.execute_script(INSPECT, OUTPUT_BOXES, False)
    for labels in r["tabRows"]:
        problems.append(f"{page}: tab labels take more than one row at {NARROW} px: {labels}")
    for over, line in r["hiddenOverflow"]:
        problems.append(
            f"{page}: output box hides {over} px of text without a scrollbar "
            f"at {NARROW} px: {line!r}"
        )
    if r["pageWidth"] > r["viewport"] + 1:
        problems.append(
            f"{page}: the page scrolls sideways at {NARROW} px ({r['pageWidth']} px wide)"
        )
    browser.screenshot(page, str(NARROW))

    # Gallery pages in dark mode.
    if gallery:
        browser.emulate(WIDE, mobile=False)
        browser.set_theme("dark")
        problems += browser.open(page)
        for src in browser.driver.execute_script(TRANSPARENT_FIGURES):
            problems.append(
                f"{page}: transparent figure without a light backdrop in dark mode: {src}"
            )
        browser.screenshot(page, f"dark-{WIDE}")
        browser.set_theme(None)
        counts["dark-mode pages"] += 1


def write_index(shots: Path, pages: list[str]) -> None:
    rows = []
    for page in pages:
        stem = page.removesuffix(".html").replace("/", "__")
        cells = "".join(
            f'<td><a href="{stem}.{s}.png"><img src="{stem}.{s}.png" alt="{html.escape(page)} '
            f'at {s}" loading="lazy"></a></td>'
            for s in (str(WIDE), str(NARROW), f"dark-{WIDE}")
            if (shots / f"{stem}.{s}.png").is_file()
        )
        rows.append(f"<tr><th>{html.escape(page)}</th>{cells}</tr>")
    (shots / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>nnguide screenshots</title>"
        "<style>img{width:280px;max-height:600px;object-fit:cover;object-position:top;"
        "border:1px solid #ccc}th{text-align:left;font:13px sans-serif;vertical-align:top}"
        "</style><table>" + "".join(rows) + "</table>\n",
        encoding="utf-8",
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("html", nargs="?", default=str(DOCS / "_build" / "html"))
    parser.add_argument("--screenshots", default=str(DOCS / "_build" / "screenshots"))
    parser.add_argument("--no-screenshots", action="store_true")
    parser.add_argument(
        "--only", nargs="*", default=[], help="browse only pages whose path contains one of these"
    )
    args = parser.parse_args(argv)
    root = Path(args.html).resolve()
    if not (root / "index.html").is_file():
        print(f"no built site in {root}: run `nox -s docs` first")
        return 2

    started = time.monotonic()
    counts: dict[str, int] = {
        k: 0
        for k in (
            "pages",
            "links",
            "anchors",
            "resources",
            "images",
            "gallery thumbnails",
            "notebooks",
            "pages with math",
            "headings",
            "tab clicks",
            "output boxes",
            "dark-mode pages",
            "screenshots",
            "external links (not followed)",
            "overflow exceptions used",
        )
    }
    problems: list[str] = []
    site = Site.read(root)
    check_files(site, problems, counts)
    thumbnail_problems(site, problems, counts)
    notebook_problems(root, problems, counts)

    pages = [
        p
        for p in site.pages
        if p not in NOT_BROWSED
        and not p.startswith(NOT_BROWSED_DIRS)
        and (not args.only or any(o in p for o in args.only))
    ]
    shots = None if args.no_screenshots else Path(args.screenshots)
    if shots:
        shutil.rmtree(shots, ignore_errors=True)
        shots.mkdir(parents=True)

    server, base = serve(root)
    profile = tempfile.mkdtemp(prefix="nnguide-chromium-")
    driver = start_chromium(profile)
    try:
        driver.get(base + "index.html")  # an origin for localStorage
        browser = Browser(driver, base, shots)
        browser.drain()  # index.html is checked in its turn
        for page in pages:
            try:
                check_page(browser, page, problems, counts)
            except Exception as error:  # a page that breaks the driver is a problem, not a crash
                problems.append(f"{page}: browser check failed: {type(error).__name__}: {error}")
            counts["pages"] += 1
        problems += browser.drain()
    finally:
        driver.quit()
        server.shutdown()
        shutil.rmtree(profile, ignore_errors=True)
    if shots:
        write_index(shots, pages)
        counts["screenshots"] = len(list(shots.glob("*.png")))

    problems = list(dict.fromkeys(problems))  # a page loaded at two widths logs twice
    for problem in problems:
        print("FAIL:", problem)
    print()
    print(f"browser check of {root} in {time.monotonic() - started:.0f} s:")
    print(f"  link-checked HTML files: {len(site.pages)}; browsed pages: {counts['pages']}")
    for key, value in counts.items():
        if key != "pages":
            print(f"  {key}: {value}")
    if shots:
        print(f"  screenshots in {shots} (open index.html there)")
    print(f"  problems: {len(problems)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
