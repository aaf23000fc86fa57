#!/usr/bin/env python3
"""Process-level tests of `hubsite serve`.

Starts the real binary on a free port of 127.0.0.1 over a small site made in a
temporary folder (with the repository's theme), then checks over HTTP that:

- pages are served (folders by their index.html, `/x` redirected to `/x/`,
  a 404 page for what does not exist, nothing outside the site);
- HTML responses carry the live-reload script, and `hubsite build` output never does;
- an edit to a post is seen in the next fetch, and a client waiting on the
  live-reload endpoint is told about it (the time from save to notice is printed);
- a change that does not build is reported in the terminal and on the page while
  the last good site stays up, and fixing it clears the report;
- a post in a folder made after the start is seen (new folders are watched);
- a port in use exits 3 with a clear message, a bad port exits 2;
- Ctrl-C (SIGINT) stops it with status 0 and removes its temporary folder;
- nothing is written to site/.

Usage: test_serve.py [--hubsite PATH]
The binary defaults to the first of $HUBSITE, .build-serve/debug, .build/debug,
.build/release (under the repository) and PATH.
Every server binds 127.0.0.1 only and is stopped when its test ends.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
HUBSITE: str = ""

SITE_YML = """title: Serve Test Hub
base_url: https://hub.example.org/
timezone: Europe/London
"""

AREA = """---
name: Essex
region: East of England
---

Essex is a county.
"""

POST = """---
title: {title}
date: 2009-05-11 09:30
author: Ethel Bangwayo
tags: [NI7]
areas: [essex]
---

The first paragraph of the post.

See [the other post](2009-05-01-older.md).
"""

OLDER = """---
title: An older post
date: 2009-05-01 10:00
---

Older news.
"""

POST_PATH = "posts/2009/2009-05-11-joneses.md"
POST_URL = "/2009/05/joneses/"


def find_hubsite() -> str:
    candidates = []
    if os.environ.get("HUBSITE"):
        candidates.append(os.environ["HUBSITE"])
    for folder in (".build-serve/debug", ".build/debug", ".build/release"):
        candidates.append(str(REPO / folder / "hubsite"))
    found = shutil.which("hubsite")
    if found:
        candidates.append(found)
    for candidate in candidates:
        if os.access(candidate, os.X_OK):
            return candidate
    sys.exit("test_serve.py: no hubsite binary found; build it or pass --hubsite PATH")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """One `hubsite serve` process, its stderr collected by a thread."""

    def __init__(self, site: Path, *extra: str, port: int | None = None, env: dict | None = None,
                 open_files: int | None = None):
        self.port = port or free_port()
        self.lines: list[str] = []
        self.lock = threading.Lock()

        def limit_files() -> None:  # `ulimit -n open_files` for the server alone
            if open_files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

        self.process = subprocess.Popen(
            [HUBSITE, "serve", "--port", str(self.port), *extra],
            cwd=site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
            preexec_fn=limit_files,
        )
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            with self.lock:
                self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        with self.lock:
            return "\n".join(self.lines)

    def wait_for_line(self, text: str, timeout: float = 60, after: int = 0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                for line in self.lines[after:]:
                    if text in line:
                        return line
            if self.process.poll() is not None:
                time.sleep(0.1)  # let the reader catch the last lines
                raise AssertionError(f"serve exited with {self.process.returncode}:\n{self.output()}")
            time.sleep(0.02)
        raise AssertionError(f"no line with {text!r} within {timeout} s:\n{self.output()}")

    def line_count(self) -> int:
        with self.lock:
            return len(self.lines)

    def request(self, path: str, method: str = "GET", timeout: float = 30) -> tuple[int, dict, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path)
            response = connection.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            connection.close()

    def request_with_host(self, path: str, host: str | None, timeout: float = 10) -> tuple[int, dict]:
        """A GET with the given Host header (None: no Host header at all)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.putrequest("GET", path, skip_host=True)
            if host is not None:
                connection.putheader("Host", host)
            connection.endheaders()
            response = connection.getresponse()
            response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}
        finally:
            connection.close()

    def token(self) -> str:
        status, _, body = self.request("/__hubsite/events?since=none")
        assert status == 200, status
        return json.loads(body)["token"]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.reader.join(timeout=5)
        if self.process.stderr is not None:
            self.process.stderr.close()
        return self.process.returncode


class WaitingClient(threading.Thread):
    """A page's long poll: waits on the events endpoint for the token to change."""

    def __init__(self, server: Server, since: str):
        super().__init__(daemon=True)
        self.server, self.since = server, since
        self.result: dict | None = None
        self.answered_at: float | None = None

    def run(self) -> None:
        status, _, body = self.server.request(f"/__hubsite/events?since={self.since}", timeout=40)
        self.answered_at = time.monotonic()
        if status == 200:
            self.result = json.loads(body)


class ServeCase(unittest.TestCase):
    """A site to serve, in a temporary folder, and the servers started on it."""

    def setUp(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="hubsite-serve-test-"))
        self.site = self.root / "site-source"
        self.tmp = self.root / "tmp"  # TMPDIR of the server: must be empty after it stops
        self.tmp.mkdir()
        content = self.site / "content"
        (content / "posts/2009").mkdir(parents=True)
        (content / "areas/essex").mkdir(parents=True)
        (content / "site.yml").write_text(SITE_YML)
        (content / "areas/essex/index.md").write_text(AREA)
        (content / POST_PATH).write_text(POST.format(title="Keeping up with the Joneses"))
        (content / "posts/2009/2009-05-01-older.md").write_text(OLDER)
        shutil.copytree(REPO / "theme", self.site / "theme")
        self.env = dict(os.environ, TMPDIR=str(self.tmp))
        self.servers: list[Server] = []

    def tearDown(self) -> None:
        for server in self.servers:
            server.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def start(self, *extra: str, port: int | None = None, open_files: int | None = None) -> Server:
        server = Server(self.site, *extra, port=port, env=self.env, open_files=open_files)
        self.servers.append(server)
        server.wait_for_line("Serving http://127.0.0.1:")
        return server

    def edit(self, relative: str, text: str) -> float:
        """Writes a content file as an editor does, returning the moment of the save."""
        path = self.site / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return time.monotonic()


class ServeTests(ServeCase):
    # -- the tests ---------------------------------------------------------------

    def test_serves_edits_and_notifies(self) -> None:
        server = self.start()

        status, headers, body = server.request("/")
        self.assertEqual(status, 200)
        self.assertIn("text/html", headers["content-type"])
        self.assertIn("Keeping up with the Joneses", body)
        self.assertIn('id="hubsite-live-reload"', body)
        self.assertIn("/__hubsite/events", body)
        # Base URLs work on the preview's own address.
        self.assertIn(f"http://127.0.0.1:{server.port}/", body)
        self.assertNotIn("hub.example.org", body)

        status, _, body = server.request(POST_URL)
        self.assertEqual(status, 200)
        self.assertIn("<title>Keeping up with the Joneses", body)

        status, headers, _ = server.request(POST_URL.rstrip("/"))
        self.assertEqual(status, 301)
        self.assertEqual(headers["location"], POST_URL)

        status, headers, body = server.request("/no/such/page/")
        self.assertEqual(status, 404)
        self.assertIn("hubsite-live-reload", body)

        for sneaky in ("/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2fetc%2fpasswd"):
            status, _, body = server.request(sneaky)
            self.assertIn(status, (400, 404), sneaky)
            self.assertNotIn("root:", body)

        status, headers, body = server.request("/feed.xml")
        self.assertEqual(status, 200)
        self.assertNotIn("hubsite-live-reload", body)  # only HTML is touched

        status, _, _ = server.request("/", method="HEAD")
        self.assertEqual(status, 200)

        # A client waiting on the live-reload endpoint hears of the next build.
        token = server.token()
        client = WaitingClient(server, token)
        client.start()
        time.sleep(0.3)  # it is waiting now
        self.assertTrue(client.is_alive(), "the long poll answered before anything changed")
        saved = self.edit(POST_PATH, POST.format(title="Keeping up with the Joneses, revised"))
        client.join(timeout=20)
        self.assertFalse(client.is_alive(), "the long poll was not answered after a change")
        self.assertIsNotNone(client.result)
        assert client.result is not None and client.answered_at is not None
        self.assertNotEqual(client.result["token"], token)
        self.assertTrue(client.result["ok"])
        print(f"\n  save -> live-reload notice: {(client.answered_at - saved) * 1000:.0f} ms", file=sys.stderr)

        status, _, body = server.request(POST_URL)
        self.assertEqual(status, 200)
        self.assertIn("<title>Keeping up with the Joneses, revised", body)

        # A long poll with the current token waits, then answers with the same token.
        self.assertEqual(server.token(), client.result["token"])

    def test_build_errors_keep_the_last_good_site(self) -> None:
        server = self.start()
        token = server.token()
        before = server.line_count()
        client = WaitingClient(server, token)
        client.start()
        self.edit(POST_PATH, POST.format(title="Broken").replace("2009-05-11 09:30", "next tuesday"))
        client.join(timeout=20)
        assert client.result is not None
        self.assertFalse(client.result["ok"])

        line = server.wait_for_line("error: 'date' is not a date", after=before)
        self.assertIn("content/posts/2009/2009-05-11-joneses.md:3:7", line)
        server.wait_for_line("still serving the last good site", after=before)

        status, _, body = server.request(POST_URL)
        self.assertEqual(status, 200)
        self.assertIn("<title>Keeping up with the Joneses", body)  # the last good version
        self.assertIn('id="hubsite-build-errors"', body)
        self.assertRegex(body, r"(&#39;|')date(&#39;|') is not a date")

        # Fixed: the report goes away.
        token = client.result["token"]
        client = WaitingClient(server, token)
        client.start()
        self.edit(POST_PATH, POST.format(title="Mended"))
        client.join(timeout=20)
        assert client.result is not None
        self.assertTrue(client.result["ok"])
        status, _, body = server.request(POST_URL)
        self.assertIn("<title>Mended", body)
        self.assertNotIn("hubsite-build-errors", body)

    def test_new_folders_are_watched(self) -> None:
        server = self.start()
        token = server.token()
        client = WaitingClient(server, token)
        client.start()
        # `mkdir -p` then a file: the watch on the new folder must be in place in time.
        self.edit("posts/2010/2010-01-02-new-year.md",
                  "---\ntitle: New year news\ndate: 2010-01-02\n---\n\nHello 2010.\n")
        client.join(timeout=20)
        deadline = time.monotonic() + 10
        while True:
            status, _, body = server.request("/2010/01/new-year/")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertEqual(status, 200, server.output())
        self.assertIn("New year news", body)

    def test_first_build_failing_still_serves_the_errors(self) -> None:
        (self.site / "content" / POST_PATH).write_text(POST.format(title="x").replace("areas: [essex]", "areas: [esex]"))
        server = self.start()
        status, _, body = server.request("/")
        self.assertEqual(status, 503)
        self.assertIn("did you mean", body)
        self.assertIn("hubsite-live-reload", body)
        client = WaitingClient(server, server.token())
        client.start()
        self.edit(POST_PATH, POST.format(title="Fixed now"))
        client.join(timeout=20)
        status, _, body = server.request(POST_URL)
        self.assertEqual(status, 200)
        self.assertIn("Fixed now", body)

    def test_port_in_use_exits_3(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            result = subprocess.run([HUBSITE, "serve", "--port", str(port)], cwd=self.site, env=self.env,
                                    capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 3, result.stderr)
        self.assertIn(f"port {port}", result.stderr)
        self.assertIn("in use", result.stderr)
        self.assertEqual(list(self.tmp.iterdir()), [])

    def test_bad_port_and_folders_exit_2(self) -> None:
        for arguments in (["--port", "70000"], ["--port", "eighty"], ["--content", "nowhere"]):
            result = subprocess.run([HUBSITE, "serve", *arguments], cwd=self.site, env=self.env,
                                    capture_output=True, text=True, timeout=60)
            self.assertEqual(result.returncode, 2, (arguments, result.stderr))

    def test_ctrl_c_stops_cleanly_and_writes_nothing_to_site(self) -> None:
        server = self.start("--drafts", "--base-url", "http://localhost:1/hub/")
        # A base URL with a path: the site is served under it.
        status, headers, _ = server.request("/")
        self.assertEqual(status, 301)
        self.assertEqual(headers["location"], "/hub/")
        status, _, body = server.request("/hub/2009/05/joneses/")
        self.assertEqual(status, 200)
        self.assertIn('href="/hub/', body)
        self.assertTrue(any(self.tmp.iterdir()), "the preview builds in a temporary folder")

        started = time.monotonic()
        self.assertEqual(server.stop(), 0, server.output())
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("Stopped.", server.output())
        self.assertEqual(list(self.tmp.iterdir()), [], "the temporary folder is left behind")
        self.assertFalse((self.site / "site").exists(), "serve wrote into site/")

    def test_drafts_and_scheduled_posts_show_a_banner(self) -> None:
        # docs/authors.md, "Preview it": the preview is never taken for the published site.
        content = self.site / "content" / "posts/2009"
        (content / "2009-05-20-draft.md").write_text(
            "---\ntitle: Half written\ndate: 2009-05-20\ndraft: true\n---\n\nNot yet.\n")
        (content / "2099-01-01-later.md").write_text(
            "---\ntitle: Far ahead\ndate: 2099-01-01 09:30\n---\n\nLater.\n")
        server = self.start("--drafts")
        status, _, body = server.request("/2009/05/draft/")
        self.assertEqual(status, 200)
        self.assertIn('<p class="preview-banner" role="note">Draft: this post is not published.', body)
        status, _, body = server.request("/2099/01/later/")
        self.assertEqual(status, 200)
        self.assertIn('<p class="preview-banner" role="note">Scheduled: this post is not published until '
                      'Thursday 1 January 2099 at 09:30.', body)
        status, _, body = server.request(POST_URL)
        self.assertEqual(status, 200)
        self.assertNotIn("preview-banner\"", body)

    def test_build_output_has_no_reload_script(self) -> None:
        output = self.root / "built"
        result = subprocess.run([HUBSITE, "build", "--output", str(output)], cwd=self.site,
                                capture_output=True, text=True, timeout=120)
        self.assertEqual(result.returncode, 0, result.stderr)
        for page in output.rglob("*.html"):
            text = page.read_text()
            self.assertNotIn("__hubsite", text, page)
            self.assertNotIn("hubsite-live-reload", text, page)


class ServeSecurityTests(ServeCase):
    """What a web page or a local program can try against the preview (docs/security.md)."""

    def test_answers_only_the_host_names_it_listens_on(self) -> None:
        server = self.start()
        port = server.port
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LocalHost:{port}"):
            status, _ = server.request_with_host("/", host)
            self.assertEqual(status, 200, host)
        # DNS rebinding: a page on another name that resolves to 127.0.0.1.
        for host in ("attacker.example", f"attacker.example:{port}", "127.0.0.1", f"127.0.0.1:{port + 1}",
                     f"localhost.attacker.example:{port}", "", None):
            status, _ = server.request_with_host("/", host)
            self.assertIn(status, (400, 421), host)
            status, _ = server.request_with_host("/__hubsite/events?since=none", host)
            self.assertIn(status, (400, 421), host)

    def test_never_redirects_to_another_host(self) -> None:
        server = self.start()
        status, headers, _ = server.request("//tags")
        self.assertEqual((status, headers.get("location")), (301, "/tags/"))
        for path in ("///tags", "//tags?x=1", "/%2F/tags", "//areas//essex", "/%5Ctags"):
            status, headers, _ = server.request(path)
            location = headers.get("location", "")
            if status in (301, 302, 303, 307, 308):
                self.assertTrue(location.startswith("/") and not location.startswith("//")
                                and "\\" not in location, f"{path} -> {location}")

    def test_survives_a_flood_of_idle_connections(self) -> None:
        # 1,100 idle connections to a server allowed 1,024 descriptors (`ulimit -n 1024`).
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = 1_300
        if soft < wanted:
            if hard != resource.RLIM_INFINITY and hard < wanted:
                self.skipTest(f"this process may open only {hard} files")
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
        server = self.start(open_files=1024)
        idle: list[socket.socket] = []
        try:
            for _ in range(1_100):
                try:
                    idle.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
                except OSError:
                    break  # the server's queue is full: it refuses, as it may
            self.assertGreater(len(idle), 1_024, "the flood never got past the server's descriptors")
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline and status != 200:
                try:
                    status, _, body = server.request("/", timeout=5)
                except OSError:
                    time.sleep(0.2)
            self.assertEqual(status, 200, server.output())
            self.assertIsNone(server.process.poll(), server.output())
        finally:
            for connection in idle:
                connection.close()
        # And it keeps serving once the flood is over.
        status, _, _ = server.request("/")
        self.assertEqual(status, 200)
        self.assertIsNone(server.process.poll(), server.output())


def main() -> None:
    global HUBSITE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hubsite", help="the hubsite binary to test")
    arguments, rest = parser.parse_known_args()
    HUBSITE = arguments.hubsite or find_hubsite()
    print(f"testing {HUBSITE}", file=sys.stderr)
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
