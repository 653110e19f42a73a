"""Debian's Chromium through Selenium: load a page at a width and a theme, collect what it shows.

One :class:`Browser` serves the whole session. Each :meth:`Browser.visit`
loads one page once and gathers everything the tests of that load look at
into a :class:`Visit`, so that a page is loaded once per width and theme.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

JS = Path(__file__).parent / "js"
WIDE, NARROW = 1400, 390
HEIGHT = 900

OUTPUT_BOXES = ", ".join(
    [
        ".sphx-glr-script-out pre",  # sphinx-gallery's captured stdout
        ".cell_output pre",  # myst-nb's stream and text outputs
        ".output_subarea pre",  # sphinx-gallery's rich reprs
    ]
)


@dataclass(frozen=True)
class View:
    """A page at a window width in a theme ("light": a first visit's default)."""

    page: str
    width: int
    theme: str

    @property
    def name(self) -> str:
        return f"{self.page}-{self.width}-{self.theme}"


@dataclass
class Visit:
    """What one load of a view showed."""

    view: View
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    inspection: dict = field(default_factory=dict)  # js/inspect.js's result
    tab_problems: list[str] = field(default_factory=list)
    transparent_figures: list[str] = field(default_factory=list)
    axe: dict | None = None  # js/axe_run.js's result, on audited views
    error: str | None = None  # the page did not load or settle


def script(name: str) -> str:
    return (JS / name).read_text(encoding="utf-8")


def start_chromium(profile: Path):
    """Headless Chromium that resolves no host but 127.0.0.1, logging network and console."""
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
        f"--window-size={WIDE},{HEIGHT}",
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
    driver.set_script_timeout(120)  # axe-core on the longest API page, beside busy cores
    return driver


class Browser:
    """One Chromium session on the site served at ``base``."""

    def __init__(self, driver, base: str, axe_source: str | None, shots: Path | None):
        self.driver = driver
        self.base = base
        self.host = urlsplit(base).netloc
        self.axe_source = axe_source
        self.shots = shots
        self.previous = "the first page"
        driver.get(base + "index.html")  # an origin for localStorage
        driver.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "light"}]},
        )
        self.drain()  # index.html is checked in its turn

    def visit(self, view: View, *, inspect: bool, tabs: bool, audit: list[str] | None) -> Visit:
        """Load ``view.page`` and collect what it shows.

        ``inspect``: run js/inspect.js; ``tabs``: click every synced tab;
        ``audit``: run axe-core, with these selectors excepted (None: no audit).
        Requests and console errors logged after the previous visit ended are
        reported here, naming that page.
        """
        visit = Visit(view)
        requests, errors = self.drain()
        visit.outside_requests += [f"{r} (after {self.previous})" for r in requests]
        visit.console_errors += [f"{e} (after {self.previous})" for e in errors]
        self.previous = view.name
        try:
            self._load(view)
            if inspect:
                visit.inspection = self.driver.execute_script(
                    script("inspect.js"), OUTPUT_BOXES, view.width == WIDE
                )
            if view.theme == "dark":
                visit.transparent_figures = self.driver.execute_script(
                    script("transparent_figures.js")
                )
            if audit is not None:
                visit.axe = self.audit(audit)
            self.screenshot(view)
            if tabs:
                visit.tab_problems = self.click_tabs()
        except Exception as error:  # a page that breaks the driver fails its view's tests
            visit.error = f"{type(error).__name__}: {str(error).strip()[:500]}"
        requests, errors = self.drain()
        visit.outside_requests += requests
        visit.console_errors += errors
        return visit

    def _load(self, view: View) -> None:
        self.driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": view.width,
                "height": HEIGHT,
                "deviceScaleFactor": 1,
                "mobile": view.width < WIDE,
            },
        )
        # pydata-sphinx-theme reads these before it draws a page; none: the default.
        self.driver.execute_script(
            "for (const key of ['mode', 'theme']) {"
            "  if (arguments[0]) localStorage.setItem(key, arguments[0]);"
            "  else localStorage.removeItem(key);"
            "}",
            None if view.theme == "light" else view.theme,
        )
        self.driver.get(self.base + view.page)
        error = self.driver.execute_async_script(script("settle.js"))
        if error:
            raise RuntimeError(f"the page did not settle: {error}")

    def drain(self) -> tuple[list[str], list[str]]:
        """Requests that left the local server, and console errors, since the last call."""
        requests, errors = [], []
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") != "Network.requestWillBeSent":
                continue
            url = message["params"]["request"]["url"]
            parts = urlsplit(url)
            if parts.scheme in {"data", "blob", "about", "chrome", "devtools"}:
                continue
            if parts.netloc != self.host:
                requests.append(url)
        for entry in self.driver.get_log("browser"):
            if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]:
                errors.append(entry["message"][:300])
        return requests, errors

    def audit(self, excepted: list[str]) -> dict:
        """axe-core's WCAG 2 A and AA violations on the loaded page."""
        if self.axe_source is None:
            raise RuntimeError("no axe.min.js: see the --axe-js option")
        self.driver.execute_script(self.axe_source)
        return self.driver.execute_async_script(script("axe_run.js"), excepted)

    def click_tabs(self) -> list[str]:
        """Click every synced tab; every tab set of its group must follow."""
        from selenium.webdriver.common.by import By

        problems = []
        keys = self.driver.execute_script(script("tab_keys.js"))
        # The first key of each group is usually the default: click it last.
        for key in keys[::-1] + keys[:1]:
            group, tab_id = key.split("--", 1)
            selector = f'.sd-tab-label[data-sync-group="{group}"][data-sync-id="{tab_id}"]'
            labels = [
                label
                for label in self.driver.find_elements(By.CSS_SELECTOR, selector)
                if label.is_displayed()
            ]
            if not labels:
                continue
            self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", labels[0])
            labels[0].click()
            states = self.driver.execute_script(script("tab_state.js"), group, tab_id)
            behind = [label for checked, shown, label in states if not (checked and shown)]
            if behind:
                problems.append(
                    f"clicking tab {labels[0].text.strip()!r} left {len(behind)} of "
                    f"{len(states)} tab sets of group {group!r} on another tab"
                )
        return problems

    def screenshot(self, view: View) -> None:
        """A full-page PNG of the view, when screenshots were asked for."""
        if self.shots is None:
            return
        metrics = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 30000)}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": {**clip, "scale": 1}},
        )
        (self.shots / screenshot_name(view)).write_bytes(base64.b64decode(shot["data"]))


def screenshot_name(view: View) -> str:
    return f"{view.page.removesuffix('.html').replace('/', '__')}.{view.width}-{view.theme}.png"
