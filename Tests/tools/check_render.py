#!/usr/bin/env python3
"""Render check for a built hubsite output folder, in headless Chromium.

Serves the built site with Python's http.server on 127.0.0.1 (a free port)
and loads a few representative pages in headless Chromium, driven through the
Chrome DevTools Protocol over a pipe (--remote-debugging-pipe: no extra
Python package, no debugging port). Each page is loaded at 1280 and at 375
CSS pixels wide (the narrow one as a phone: touch-less mobile emulation, so
the page's viewport meta tag applies). A page fails when, while it loads:

- the console reports an error, or a script throws;
- a request fails or answers with an HTTP status of 400 or more;
- the document is wider than the viewport (horizontal scrolling).

Before the real pages it loads a canary page that has each of these faults,
and fails unless every one of them is caught: a checker that cannot see a
fault must not pass.

With --screenshots DIR it writes PNG screenshots there: index-1280.png,
index-375.png, post-1280.png, ... tag-375.png; each shows the top 2400 CSS
px of the page (less if the page is shorter), or all of it with --full-page.

Usage: check_render.py --site DIR [--screenshots DIR [--full-page]] [--chromium PATH]
Exit status: 0 when every page is clean, 1 otherwise, 2 when Chromium could
not be started or driven.
"""

from __future__ import annotations

import argparse
import base64
import fcntl
import functools
import http.server
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PAGES = [
    ("index", "/"),
    ("post", "/2009/05/keeping-up-with-the-joneses/"),
    ("area", "/areas/hertfordshire/"),
    ("tag", "/tags/ni7/"),
]
WIDTHS = [1280, 375]
WINDOW_HEIGHT = {1280: 900, 375: 812}
SCREENSHOT_HEIGHT = 2400          # CSS px; --full-page takes the whole page (up to 16000)
FULL_PAGE_LIMIT = 16000
CANARY_PATH = "/__render_check_canary__/"
CANARY_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>canary</title></head>
<body>
<p>This page has one of each fault the render check must catch.</p>
<img src="/__render_check_canary__/missing.png" alt="">
<div style="width: 2000px">too wide</div>
<script>console.error("canary console error");</script>
<script>throw new Error("canary uncaught exception");</script>
</body></html>
"""
CANARY_FAULTS = {
    "console": "canary console error",
    "exception": "canary uncaught exception",
    "request": "missing.png",
    "overflow": "wider than the viewport",
}


# --------------------------------------------------------------------------
# A static server for the built site (plus the canary page)


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == CANARY_PATH:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(CANARY_PAGE)))
            self.end_headers()
            self.wfile.write(CANARY_PAGE)
            return
        super().do_GET()

    def log_message(self, format: str, *args) -> None:  # keep the output readable
        pass


def start_server(site: Path) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# --------------------------------------------------------------------------
# Chrome DevTools Protocol over --remote-debugging-pipe


class ProtocolError(Exception):
    pass


class Browser:
    """Chromium started with --remote-debugging-pipe: it reads commands on its
    fd 3 and writes replies and events on its fd 4, each a JSON text ended by
    a NUL byte."""

    def __init__(self, chromium: str, profile: Path, log: Path) -> None:
        to_browser_read, to_browser_write = os.pipe()
        from_browser_read, from_browser_write = os.pipe()
        # Move the browser's ends above 9 so that bash's `3<&N 4>&M` cannot
        # overwrite one with the other (bash, as dash takes one-digit fds only).
        high_read = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
        high_write = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
        os.close(to_browser_read)
        os.close(from_browser_write)
        flags = [
            "--headless=new",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-color-profile=srgb",
            "--font-render-hinting=none",
            "about:blank",
        ]
        if os.geteuid() == 0:
            flags.insert(0, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.log_file = open(log, "wb")
        self.process = subprocess.Popen(
            ["bash", "-c", f'exec 3<&{high_read} 4>&{high_write} {high_read}<&- {high_write}>&- "$@"', "bash", chromium, *flags],
            stdin=subprocess.DEVNULL, stdout=self.log_file, stderr=subprocess.STDOUT,
            pass_fds=(high_read, high_write))
        os.close(high_read)
        os.close(high_write)
        self.writer = os.fdopen(to_browser_write, "wb", buffering=0)
        self.reader = os.fdopen(from_browser_read, "rb", buffering=0)
        self.next_id = 0
        self.replies: dict[int, dict] = {}
        self.events: list[dict] = []
        self.condition = threading.Condition()
        self.closed = False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        pending = b""
        while True:
            chunk = self.reader.read(65536)
            if not chunk:
                break
            pending += chunk
            *messages, pending = pending.split(b"\0")
            with self.condition:
                for raw in messages:
                    message = json.loads(raw)
                    if "id" in message:
                        self.replies[message["id"]] = message
                    else:
                        self.events.append(message)
                self.condition.notify_all()
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        with self.condition:
            self.next_id += 1
            ident = self.next_id
        message = {"id": ident, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            self.writer.write(json.dumps(message).encode() + b"\0")
        except BrokenPipeError as error:
            raise ProtocolError(f"Chromium has gone away ({method})") from error
        deadline = time.monotonic() + timeout
        with self.condition:
            while ident not in self.replies:
                remaining = deadline - time.monotonic()
                if self.closed or remaining <= 0:
                    raise ProtocolError(f"no reply to {method} within {timeout} s" if not self.closed else f"Chromium closed the pipe during {method}")
                self.condition.wait(remaining)
            reply = self.replies.pop(ident)
        if "error" in reply:
            raise ProtocolError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def wait_for(self, predicate, timeout: float) -> dict | None:
        """The first event (from the start of the log) for which predicate holds."""
        deadline = time.monotonic() + timeout
        with self.condition:
            while True:
                for event in self.events:
                    if predicate(event):
                        return event
                remaining = deadline - time.monotonic()
                if self.closed or remaining <= 0:
                    return None
                self.condition.wait(remaining)

    def session_events(self, session: str) -> list[dict]:
        with self.condition:
            return [e for e in self.events if e.get("sessionId") == session]

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except ProtocolError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log_file.close()


# --------------------------------------------------------------------------
# Loading one page


OVERFLOW_PROBE = """
(() => {
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
          clientWidth: width, innerWidth: window.innerWidth, wide: wide.slice(0, 5)};
})()
"""


def describe_console(params: dict) -> str:
    parts = []
    for argument in params.get("args", []):
        if "value" in argument:
            parts.append(str(argument["value"]))
        else:
            parts.append(argument.get("description") or argument.get("type", "?"))
    return " ".join(parts)


def load_page(browser: Browser, url: str, width: int, screenshot: Path | None, full_page: bool = False) -> list[str]:
    """Loads url at the given width; returns the faults found."""
    target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    try:
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Network.setCacheDisabled", {"cacheDisabled": True}, session=session)
        mobile = width < 600
        metrics = {"width": width, "height": WINDOW_HEIGHT[width], "deviceScaleFactor": 1, "mobile": mobile}
        browser.send("Emulation.setDeviceMetricsOverride", metrics, session=session)

        navigation = browser.send("Page.navigate", {"url": url}, session=session)
        faults: list[str] = []
        if navigation.get("errorText"):
            return [f"navigation failed: {navigation['errorText']}"]
        loaded = browser.wait_for(lambda e: e.get("sessionId") == session and e.get("method") == "Page.loadEventFired", 30)
        if loaded is None:
            return ["the load event did not fire within 30 s"]
        # Let late requests (fonts, images) finish: wait until none is in flight.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            events = browser.session_events(session)
            started = {e["params"]["requestId"] for e in events if e.get("method") == "Network.requestWillBeSent"}
            ended = {e["params"]["requestId"] for e in events
                     if e.get("method") in ("Network.loadingFinished", "Network.loadingFailed")}
            if started <= ended:
                break
            time.sleep(0.1)
        browser.send("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => true)", "awaitPromise": True}, session=session)
        time.sleep(0.2)

        layout = browser.send("Runtime.evaluate", {"expression": OVERFLOW_PROBE, "returnByValue": True}, session=session)
        box = layout.get("result", {}).get("value") or {}
        if box.get("scrollWidth", 0) > box.get("clientWidth", width):
            faults.append(f"document is {box['scrollWidth']} px wide, wider than the viewport ({box['clientWidth']} px): "
                          f"horizontal scrolling; too wide: {', '.join(box.get('wide') or ['?'])}")

        for event in browser.session_events(session):
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text", "")
                faults.append(f"uncaught exception: {text.splitlines()[0] if text else '?'}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                faults.append(f"console.{params['type']}: {describe_console(params)}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                faults.append(f"console error ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}".rstrip())
            elif method == "Network.loadingFailed" and not params.get("canceled"):
                request = next((e["params"]["request"]["url"] for e in browser.session_events(session)
                                if e.get("method") == "Network.requestWillBeSent"
                                and e["params"]["requestId"] == params.get("requestId")), "?")
                faults.append(f"request failed: {request}: {params.get('errorText')}")
            elif method == "Network.responseReceived" and params.get("response", {}).get("status", 0) >= 400:
                response = params["response"]
                faults.append(f"HTTP {response['status']} for {response['url']}")

        if screenshot is not None:
            size = browser.send("Page.getLayoutMetrics", session=session)
            content = size.get("cssContentSize") or size.get("contentSize") or {}
            limit = FULL_PAGE_LIMIT if full_page else SCREENSHOT_HEIGHT
            height = min(limit, max(WINDOW_HEIGHT[width], math.ceil(content.get("height", 0))))
            browser.send("Emulation.setDeviceMetricsOverride", {**metrics, "height": height}, session=session)
            time.sleep(0.2)
            image = browser.send("Page.captureScreenshot", {"format": "png"}, session=session, timeout=60)
            screenshot.write_bytes(base64.b64decode(image["data"]))
        return faults
    finally:
        try:
            browser.send("Target.closeTarget", {"targetId": target}, timeout=10)
        except ProtocolError:
            pass


def find_chromium(explicit: str | None) -> str | None:
    if explicit:
        return explicit
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, help="the built output folder")
    parser.add_argument("--screenshots", help="write PNG screenshots into this folder")
    parser.add_argument("--full-page", action="store_true",
                        help=f"screenshots of the whole page, not only its top {SCREENSHOT_HEIGHT} px")
    parser.add_argument("--chromium", help="the Chromium binary (default: chromium on PATH)")
    args = parser.parse_args(argv)

    site = Path(args.site).resolve()
    if not (site / "index.html").is_file():
        print(f"check_render: {site} has no index.html", file=sys.stderr)
        return 2
    chromium = find_chromium(args.chromium)
    if chromium is None:
        print("check_render: Chromium not found; install it with: apt-get install chromium", file=sys.stderr)
        return 2
    shots = Path(args.screenshots) if args.screenshots else None
    if shots:
        shots.mkdir(parents=True, exist_ok=True)

    server = start_server(site)
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    failures = 0
    with tempfile.TemporaryDirectory(prefix="hubsite-render-") as temporary:
        log = Path(temporary) / "chromium.log"
        browser = Browser(chromium, Path(temporary) / "profile", log)
        try:
            version = browser.send("Browser.getVersion", timeout=60)
            print(f"check_render: {version.get('product')} on {origin}")

            canary = load_page(browser, origin + CANARY_PATH, 375, None)
            missed = [kind for kind, needle in CANARY_FAULTS.items() if not any(needle in f for f in canary)]
            if missed:
                print(f"error: the canary page's faults were not all caught (missed: {', '.join(missed)}); "
                      f"this checker cannot be trusted. It saw: {canary}")
                return 2

            for name, path in PAGES:
                for width in WIDTHS:
                    shot = shots / f"{name}-{width}.png" if shots else None
                    faults = load_page(browser, origin + path, width, shot, args.full_page)
                    status = "ok" if not faults else f"{len(faults)} problem(s)"
                    print(f"  {path} at {width} px: {status}{f' -> {shot}' if shot else ''}")
                    for fault in faults:
                        print(f"error: {path} at {width} px: {fault}")
                    failures += bool(faults)
        except ProtocolError as error:
            print(f"check_render: could not drive Chromium: {error}", file=sys.stderr)
            if log.exists():
                print("--- last lines of Chromium's output ---", file=sys.stderr)
                print("\n".join(log.read_text(errors="replace").splitlines()[-20:]), file=sys.stderr)
            return 2
        finally:
            browser.close()
            server.shutdown()
    total = len(PAGES) * len(WIDTHS)
    print(f"check_render: {total} page loads, {failures} with problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
