#!/usr/bin/env python3
"""Render and accessibility check for a built hubsite output folder.

Serves the built site with Python's http.server on 127.0.0.1 (a free port)
and loads one page of every kind in headless Chromium, driven by Selenium
through Debian's chromedriver (/usr/bin/chromedriver). Each page is loaded at
1280 and at 375 CSS pixels wide (the narrow one as a phone: mobile emulation,
so the page's viewport meta tag applies). A page fails when, while it loads:

- the console reports an error, or a script throws;
- a request fails or answers with an HTTP status of 400 or more;
- the document is wider than the viewport (horizontal scrolling);
- axe-core 4.x finds an accessibility violation of the WCAG 2.0, 2.1 and 2.2
  level A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa).

The kinds of page: home, post, area, areas, tag, tags, archive, year, month,
page and 404, and, when the site has them, the search page and a post with
the comment form (found in the built site, so they join when the theme gains
them).

Before the real pages it loads two canary pages, one with each fault of the
first three kinds and one with known accessibility violations, and fails
unless every one of them is caught: a checker that cannot see a fault must
not pass.

axe-core is the copy that PyPI's axe-playwright-python bundles
(axe_playwright_python/axe.min.js; installed with --no-deps, see
Tests/tools/requirements-no-deps.txt), injected into each page.

With --screenshots DIR it writes PNG screenshots there: index-1280.png,
index-375.png, post-1280.png, ...; each shows the top 2400 CSS px of the page
(less if the page is shorter), or all of it with --full-page.

Usage: check_render.py --site DIR [--screenshots DIR [--full-page]]
                       [--chromium PATH] [--chromedriver PATH]
Exit status: 0 when every page is clean, 1 otherwise, 2 when Chromium could
not be started or driven, or a canary fault went unseen.
"""

from __future__ import annotations

import argparse
import base64
import functools
import http.server
import importlib.resources
import json
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

# (name, path): the fixed kinds of page of the hub's content. The search page
# and the comment form are added by optional_pages() when the site has them.
PAGES = [
    ("index", "/"),
    ("post", "/2009/05/keeping-up-with-the-joneses/"),
    ("area", "/areas/hertfordshire/"),
    ("areas", "/areas/"),
    ("tag", "/tags/ni7/"),
    ("tags", "/tags/"),
    ("archive", "/archive/"),
    ("year", "/2009/"),
    ("month", "/2009/05/"),
    ("page", "/about/"),
    ("404", "/404.html"),
]
WIDTHS = [1280, 375]
WINDOW_HEIGHT = {1280: 900, 375: 812}
SCREENSHOT_HEIGHT = 2400          # CSS px; --full-page takes the whole page (up to 16000)
FULL_PAGE_LIMIT = 16000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGE_TIMEOUT = 30                 # seconds for one page to load
SCRIPT_TIMEOUT = 60               # seconds for one axe run

CANARY_PATH = "/__render_check_canary__/"
CANARY_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>canary</title></head>
<body><main>
<p>This page has one of each fault the render check must catch.</p>
<img src="/__render_check_canary__/missing.png" alt="">
<div style="width: 2000px">too wide</div>
<script>console.error("canary console error");</script>
<script>throw new Error("canary uncaught exception");</script>
</main></body></html>
"""
CANARY_FAULTS = {
    "console": "canary console error",
    "exception": "canary uncaught exception",
    "request": "missing.png",
    "overflow": "wider than the viewport",
}
AXE_CANARY_PATH = "/__render_check_canary__/accessibility/"
AXE_CANARY_PAGE = b"""<!DOCTYPE html>
<html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>accessibility canary</title></head>
<body><main>
<p style="color: #c8c8c8; background: #ffffff">Text too faint to read.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<a href="/"></a>
<input type="text">
</main></body></html>
"""
# axe rule ids the accessibility canary must trigger: no lang, low contrast,
# an image without alt text, an empty link, an input without a label.
AXE_CANARY_RULES = {"html-has-lang", "color-contrast", "image-alt", "link-name", "label"}


# --------------------------------------------------------------------------
# A static server for the built site (plus the canary pages)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    CANARIES = {CANARY_PATH: CANARY_PAGE, AXE_CANARY_PATH: AXE_CANARY_PAGE}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        page = self.CANARIES.get(self.path)
        if page is not None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # keep the output readable
        pass


def start_server(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def optional_pages(site: Path) -> list[tuple[str, str]]:
    """The search page and a post with the comment form, when the site has them."""
    pages = []
    if (site / "search" / "index.html").is_file():
        # With words to find, so that the check sees the results as well as the form.
        pages.append(("search", "/search/?q=volunteering"))
    post_path = re.compile(r"^\d{4}/\d{2}/[^/]+/index\.html$")
    for page in sorted(site.rglob("index.html")):
        relative = page.relative_to(site).as_posix()
        if post_path.match(relative) and "<form" in page.read_text(encoding="utf-8", errors="replace"):
            pages.append(("comment-form", "/" + relative.removesuffix("index.html")))
            break
    return pages


# --------------------------------------------------------------------------
# Chromium through Selenium and chromedriver


class Browser:
    """One headless Chromium; every page is loaded in it in turn."""

    def __init__(self, chromium: str | None, chromedriver: str, log: Path) -> None:
        options = webdriver.ChromeOptions()
        if chromium:
            options.binary_location = chromium
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--disable-extensions", "--disable-background-networking", "--disable-component-update",
                     "--disable-sync", "--disable-default-apps", "--no-first-run", "--mute-audio",
                     "--hide-scrollbars", "--force-color-profile=srgb", "--font-render-hinting=none"):
            options.add_argument(flag)
        # The browser log carries console errors and uncaught exceptions; the
        # performance log carries the DevTools Network events of each request.
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        self.driver = webdriver.Chrome(options=options, service=Service(chromedriver, log_output=str(log)))
        self.driver.set_page_load_timeout(PAGE_TIMEOUT)
        self.driver.set_script_timeout(SCRIPT_TIMEOUT)
        self.driver.execute_cdp_cmd("Network.enable", {})
        self.driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        self.version = self.driver.capabilities.get("browserVersion", "?")

    def drain_logs(self) -> tuple[list[dict], list[dict]]:
        """The browser and performance log entries since the last call."""
        return self.driver.get_log("browser"), self.driver.get_log("performance")

    def close(self) -> None:
        try:
            self.driver.quit()
        except WebDriverException:
            pass


OVERFLOW_PROBE = """
const root = document.documentElement;
const width = root.clientWidth;
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  const box = el.getBoundingClientRect();
  if (box.width > 0 && box.right > width + 0.5) {
    let name = el.tagName.toLowerCase();
    if (el.id) name += '#' + el.id;
    if (el.classList.length) name += '.' + [...el.classList].join('.');
    wide.push(name + ' (right edge ' + Math.round(box.right) + ' px)');
  }
}
return {scrollWidth: Math.max(root.scrollWidth, document.body ? document.body.scrollWidth : 0),
        clientWidth: width, wide: wide.slice(0, 5)};
"""

SEARCH_PENDING = """
const status = document.getElementById("search--status");
return status !== null && new URLSearchParams(location.search).has("q") && status.textContent.trim() === "";
"""

AXE_RUN = """
return axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     targets: v.nodes.slice(0, 3).map(n => n.target.join(" "))})));
"""


def network_events(performance: list[dict]) -> list[dict]:
    events = []
    for entry in performance:
        try:
            message = json.loads(entry["message"])["message"]
        except (KeyError, ValueError):
            continue
        if message.get("method", "").startswith("Network."):
            events.append(message)
    return events


def load_page(browser: Browser, axe_source: str, url: str, width: int,
              screenshot: Path | None, full_page: bool = False) -> list[str]:
    """Loads url at the given width; returns the faults found."""
    driver = browser.driver
    driver.get("about:blank")
    browser.drain_logs()  # forget the previous page's entries
    metrics = {"width": width, "height": WINDOW_HEIGHT[width], "deviceScaleFactor": 1, "mobile": width < 600}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        driver.get(url)  # returns after the load event
    except WebDriverException as error:
        return [f"navigation failed: {error.msg}"]

    # Let late requests (fonts, images) finish: wait until none is in flight.
    events: list[dict] = []
    console: list[dict] = []
    deadline = time.monotonic() + 10
    while True:
        browser_log, performance = browser.drain_logs()
        console += browser_log
        events += network_events(performance)
        started = {e["params"]["requestId"] for e in events if e["method"] == "Network.requestWillBeSent"}
        ended = {e["params"]["requestId"] for e in events
                 if e["method"] in ("Network.loadingFinished", "Network.loadingFailed")}
        if started <= ended or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    # The search page fills in its results after loading its index: wait for its status line.
    for _ in range(100):  # up to 10 s
        if not driver.execute_script(SEARCH_PENDING):
            break
        time.sleep(0.1)
    driver.execute_script("return document.fonts.ready.then(() => true)")
    time.sleep(0.2)

    faults: list[str] = []
    box = driver.execute_script(OVERFLOW_PROBE) or {}
    if box.get("scrollWidth", 0) > box.get("clientWidth", width):
        faults.append(f"document is {box['scrollWidth']} px wide, wider than the viewport ({box['clientWidth']} px): "
                      f"horizontal scrolling; too wide: {', '.join(box.get('wide') or ['?'])}")

    driver.execute_script(axe_source)
    for violation in driver.execute_script(AXE_RUN, AXE_TAGS) or []:
        faults.append(f"accessibility: {violation['id']} ({violation['impact']}): {violation['help']}; "
                      f"at {', '.join(violation['targets'])}")

    browser_log, performance = browser.drain_logs()
    console += browser_log
    events += network_events(performance)
    urls = {e["params"]["requestId"]: e["params"]["request"]["url"]
            for e in events if e["method"] == "Network.requestWillBeSent"}
    for entry in console:
        if entry.get("level") != "SEVERE":
            continue
        message = entry.get("message", "")
        if "Failed to load resource" in message:
            continue  # reported below, from the Network events, with its URL
        faults.append(("uncaught exception: " if "Uncaught" in message else "console error: ") + message)
    for event in events:
        method, params = event["method"], event["params"]
        if method == "Network.loadingFailed" and not params.get("canceled"):
            faults.append(f"request failed: {urls.get(params.get('requestId'), '?')}: {params.get('errorText')}")
        elif method == "Network.responseReceived" and params.get("response", {}).get("status", 0) >= 400:
            response = params["response"]
            faults.append(f"HTTP {response['status']} for {response['url']}")

    if screenshot is not None:
        height = driver.execute_script("return Math.ceil(document.documentElement.scrollHeight)") or 0
        limit = FULL_PAGE_LIMIT if full_page else SCREENSHOT_HEIGHT
        height = min(limit, max(WINDOW_HEIGHT[width], height))
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": height})
        time.sleep(0.2)
        image = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
        screenshot.write_bytes(base64.b64decode(image["data"]))
    return faults


def find_chromium(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def read_axe() -> str | None:
    try:
        return (importlib.resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, help="the built output folder")
    parser.add_argument("--screenshots", help="write PNG screenshots into this folder")
    parser.add_argument("--full-page", action="store_true",
                        help=f"screenshots of the whole page, not only its top {SCREENSHOT_HEIGHT} px")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH)")
    parser.add_argument("--chromedriver", default=shutil.which("chromedriver") or "/usr/bin/chromedriver",
                        help="the chromedriver binary (default: chromedriver on PATH)")
    args = parser.parse_args(argv)

    site = Path(args.site).resolve()
    if not (site / "index.html").is_file():
        print(f"check_render: {site} has no index.html", file=sys.stderr)
        return 2
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("check_render: Chromium not found; install it with: apt-get install chromium", file=sys.stderr)
        return 2
    if not os.access(args.chromedriver, os.X_OK):
        print("check_render: chromedriver not found; install it with: apt-get install chromium-driver", file=sys.stderr)
        return 2
    axe_source = read_axe()
    if axe_source is None:
        print("check_render: axe-core not found; install it with: "
              "python3 -m pip install --no-deps -r Tests/tools/requirements-no-deps.txt", file=sys.stderr)
        return 2
    shots = Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)

    pages = PAGES + optional_pages(site)
    missing = [path for _, path in pages if not (site / path.split("?")[0].lstrip("/")).exists()]
    if missing:
        print(f"check_render: the site has no {', '.join(missing)}; update PAGES in {__file__}", file=sys.stderr)
        return 2

    server = start_server(site)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    failures = 0
    with tempfile.TemporaryDirectory(prefix="hubsite-render-") as temporary:
        log = Path(temporary) / "chromedriver.log"
        browser = None
        try:
            browser = Browser(chromium, args.chromedriver, log)
            print(f"check_render: Chromium {browser.version} through {args.chromedriver}, on {origin}")

            canary = load_page(browser, axe_source, origin + CANARY_PATH, 375, None)
            missed = [kind for kind, needle in CANARY_FAULTS.items() if not any(needle in f for f in canary)]
            if missed:
                print(f"error: the canary page's faults were not all caught (missed: {', '.join(missed)}); "
                      f"this checker cannot be trusted. It saw: {canary}")
                return 2
            axe_canary = load_page(browser, axe_source, origin + AXE_CANARY_PATH, 1280, None)
            seen = {m.group(1) for f in axe_canary if (m := re.match(r"accessibility: ([\w-]+) ", f))}
            if not AXE_CANARY_RULES <= seen:
                print(f"error: the accessibility canary's violations were not all caught (missed: "
                      f"{', '.join(sorted(AXE_CANARY_RULES - seen))}); this checker cannot be trusted. "
                      f"It saw: {axe_canary}")
                return 2
            print(f"  canary pages: all {len(CANARY_FAULTS)} faults and {len(AXE_CANARY_RULES)} "
                  f"accessibility violations caught")

            for name, path in pages:
                for width in WIDTHS:
                    shot = shots / f"{name}-{width}.png" if shots else None
                    faults = load_page(browser, axe_source, origin + path, width, shot, args.full_page)
                    status = "ok" if not faults else f"{len(faults)} problem(s)"
                    print(f"  {name}: {path} at {width} px: {status}{f' -> {shot}' if shot else ''}")
                    for fault in faults:
                        print(f"error: {path} at {width} px: {fault}")
                    failures += bool(faults)
        except WebDriverException as error:
            print(f"check_render: could not drive Chromium: {error.msg}", file=sys.stderr)
            if log.exists():
                print("--- last lines of chromedriver's log ---", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-20:]), file=sys.stderr)
            return 2
        finally:
            if browser is not None:
                browser.close()
            server.shutdown()
    total = len(pages) * len(WIDTHS)
    print(f"check_render: {len(pages)} kinds of page, {total} page loads, {failures} with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
