#!/usr/bin/env python3
"""The comment service under load, killed and restarted, and fed bad input.

Runs `hubsite comments serve` on 127.0.0.1 with a small fixture content folder and a fresh
queue, with real HTTP clients (http.client):

1. Load: WORKERS threads send valid comment forms (a bounded number, within a time limit).
   Mid-way the service is killed with SIGKILL, then started again on the same queue; the
   clients carry on. Every submission the service acknowledged (303) must be in the queue
   afterwards (`hubsite comments list --format json`), whole. Throughput and latency of the
   acknowledged requests are printed for the record.
2. Bad input, each answered with a 4xx page, never a crash: missing fields, a 10 MB body,
   invalid UTF-8, wrong methods, unknown, draft and future posts, the honeypot, a form sent
   back too fast, a forged token, a body that is not a form; and past the hourly allowance, 429.
   A refusal keeps what was typed. The service is still up at the end.

Usage: test_comment_service.py --hubsite PATH [--requests N] [--workers N]
Prints "N passed, M failed" last; exit status 0 when all passed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from comment_service import CommentService, check, free_port, summary

POST = "joneses"


def write_content(root: Path) -> None:
    (root / "posts").mkdir(parents=True)
    (root / "site.yml").write_text("title: Test Hub\nbase_url: https://hub.example.org/\n", encoding="utf-8")
    (root / "posts/2009-05-11-joneses.md").write_text("---\ntitle: Joneses\ndate: 2009-05-11\n---\nBody.\n", encoding="utf-8")
    (root / "posts/2009-05-12-draft.md").write_text("---\ntitle: Draft\ndate: 2009-05-12\ndraft: true\n---\nBody.\n", encoding="utf-8")
    (root / "posts/2099-01-01-future.md").write_text("---\ntitle: Future\ndate: 2099-01-01\n---\nBody.\n", encoding="utf-8")


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 10) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def form(fields: dict[str, str]) -> bytes:
    return urllib.parse.urlencode(fields).encode()


FORM_HEADERS = {"Content-Type": "application/x-www-form-urlencoded"}


def token(port: int, post: str = POST) -> str:
    return request(port, "GET", "/comments/token?post=" + urllib.parse.quote(post))[2].decode().strip()


def load_test(service: CommentService, total: int, workers: int, seconds: float) -> None:
    port = service.port
    ready = token(port)
    time.sleep(1.1)  # the service's --min-seconds is 1: the token is old enough from here on
    acknowledged: list[str] = []
    latencies: list[float] = []
    refused = []
    lock = threading.Lock()
    counter = iter(range(total))
    deadline = time.monotonic() + seconds
    killed = threading.Event()

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            marker = f"load-{number:05d}"
            body = form({"post": POST, "name": f"Reader {number}", "organisation": "Load Test Ltd",
                         "comment": f"Comment {marker}: the service must keep this.", "website": "", "token": ready})
            status = 0
            while time.monotonic() < deadline:
                started = time.monotonic()
                try:
                    status, headers, _ = request(port, "POST", "/comments", body, FORM_HEADERS)
                    break
                except (OSError, http.client.HTTPException):
                    # The service is down (killed): not acknowledged; send it again once it is back.
                    time.sleep(0.05)
            if status == 0:
                return
            elapsed = time.monotonic() - started
            with lock:
                if status == 303:
                    acknowledged.append(marker)
                    if not killed.is_set():
                        latencies.append(elapsed)
                else:
                    refused.append(status)

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    # Kill mid-way: once about half the requests have been acknowledged.
    while time.monotonic() < deadline and len(acknowledged) < total // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    first_phase = time.monotonic() - began
    first_count = len(latencies)
    killed.set()
    service.kill()
    check("the service was killed with SIGKILL mid-way", not service.alive())
    time.sleep(0.3)
    service.start()
    for thread in threads:
        thread.join(timeout=seconds + 30)
    check("the load ended within its time limit", not any(t.is_alive() for t in threads))
    check("no submission was refused under load", not refused, f"statuses {sorted(set(refused))}")

    listed = json.loads(subprocess.run(service.command[:2] + ["list", "--db", service.command[6], "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    stored = {item["comment"].split(":")[0].removeprefix("Comment ") for item in listed}
    missing = [marker for marker in acknowledged if marker not in stored]
    check(f"every acknowledged submission is in the queue after the kill ({len(acknowledged)} acknowledged)",
          not missing and len(acknowledged) > 0, f"{len(missing)} missing, e.g. {missing[:5]}")
    whole = all(item["organisation"] == "Load Test Ltd" and item["comment"].endswith("must keep this.") for item in listed)
    check("stored submissions are whole", whole)
    if latencies:
        ordered = sorted(latencies)
        p = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000
        print(f"load: {first_count} acknowledged before the kill in {first_phase:.2f} s = "
              f"{first_count / first_phase:.0f} submissions/s with {workers} clients; latency "
              f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p(0.95):.1f} ms, max {ordered[-1] * 1000:.1f} ms; "
              f"{len(acknowledged)} acknowledged in all, {len(listed)} stored", flush=True)


def huge_body(port: int) -> int:
    """Sends a 10 MB form as a client streaming it would; the status the service answers with."""
    size = 10 * 1024 * 1024
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(f"POST /comments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-"
                           f"urlencoded\r\nContent-Length: {size}\r\n\r\n".encode() + b"comment=" + b"z" * 65_536)
        answer = b""
        try:
            while b"\r\n" not in answer:
                chunk = connection.recv(4096)
                if not chunk:
                    break
                answer += chunk
            sent = 65_536 + 8
            while sent < size:  # the rest, until the service stops reading
                connection.sendall(b"z" * 65_536)
                sent += 65_536
        except OSError:
            pass
    parts = answer.split(b" ")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def bad_input(service: CommentService) -> None:
    port = service.port
    good = {"post": POST, "name": "Ann Bee", "organisation": "Herts CVS", "comment": "Typed <b>text</b> & more", "website": ""}

    def post(fields: dict[str, str] | None = None, body: bytes | None = None, headers: dict | None = None,
             fresh_token: bool = True) -> tuple[int, bytes]:
        values = dict(fields or {})
        if fresh_token and "token" not in values:
            values["token"] = aged
        status, _, page = request(port, "POST", "/comments", body if body is not None else form(values), headers or FORM_HEADERS)
        return status, page

    aged = token(port)
    time.sleep(1.1)
    for missing in ["name", "organisation", "comment"]:
        fields = dict(good)
        fields[missing] = "   "
        status, page = post(fields)
        kept = b"Typed &lt;b&gt;text&lt;/b&gt; &amp; more" if missing != "comment" else b'value="Ann Bee"'
        check(f"a missing {missing} gets a 4xx page that keeps what was typed", status == 422 and kept in page, f"{status}")
    status, page = post(dict(good, post="no-such-post"))
    check("an unknown post gets 404", status == 404, str(status))
    for slug in ["draft", "future"]:
        status, _ = post(dict(good, post=slug))
        check(f"a {slug} post is refused", status == 404, str(status))
    status, _ = post(dict(good, website="http://spam.example"))
    check("a filled honeypot is refused", status == 422, str(status))
    status, page = post(dict(good, token=token(port)))
    check("a form sent back at once is refused as too quick", status == 422 and b"faster than a person" in page, str(status))
    status, _ = post(dict(good, token="123." + "0" * 64))
    check("a forged token is refused", status == 422, str(status))
    status, page = post(dict(good), fresh_token=False)
    check("a form without a token (no JavaScript) gets the form back with a token", status == 422
          and b'name="token" value="' in page and b'name="token" value=""' not in page, str(status))
    status, _ = post(dict(good, name="x" * 101))
    check("an overlong name is refused", status == 422, str(status))
    status, _ = post(dict(good, comment="y" * 5001))
    check("an overlong comment is refused", status == 422, str(status))
    check("a 10 MB body gets 413", huge_body(port) == 413)
    status, _ = post(body=b"post=joneses&name=\xff\xfe&organisation=x&comment=y")
    check("invalid UTF-8 gets 400", status == 400, str(status))
    status, _ = post(body=b"name=%E9t%E9", headers=FORM_HEADERS)
    check("percent-encoded invalid UTF-8 gets 400", status == 400, str(status))
    status, _ = post(body=b'{"name": "json"}', headers={"Content-Type": "application/json"})
    check("a body that is not a form gets 415", status == 415, str(status))
    for method in ["GET", "PUT", "DELETE", "PATCH"]:
        status, headers, _ = request(port, method, "/comments")
        check(f"{method} /comments gets 405 with Allow: POST", status == 405 and headers.get("Allow") == "POST", str(status))
    status, _, _ = request(port, "GET", "/etc/passwd")
    check("another path gets 404", status == 404, str(status))
    # One address, many forms: past the hourly allowance, 429.
    statuses = [post(dict(good))[0] for _ in range(12)]
    check("past the hourly allowance one address gets 429", statuses[-1] == 429, str(statuses))
    check("the service is still up after all that", service.alive())


def moderation_page(hubsite: str, content: Path, work: Path) -> None:
    """The optional moderation page: off without a token; with one, only for direct local requests."""
    port = free_port()
    service = CommentService(hubsite, content, work / "moderate.sqlite", port, ["--min-seconds", "1"])
    os.environ["HUBSITE_MODERATION_TOKEN"] = "s3cret-token"
    try:
        service.start()
    finally:
        del os.environ["HUBSITE_MODERATION_TOKEN"]
    try:
        aged = token(port)
        time.sleep(1.1)
        status, _, _ = request(port, "POST", "/comments", form({"post": POST, "name": "Mo Derate", "organisation": "Herts",
                                                                 "comment": "Please <em>approve</em> me", "token": aged}), FORM_HEADERS)
        check("a comment for the moderation page is taken", status == 303, str(status))
        check("the moderation page without its token is refused",
              request(port, "GET", "/comments/moderate")[0] == 403 and request(port, "GET", "/comments/moderate?token=wrong")[0] == 403)
        check("the moderation page through a web server is not there",
              request(port, "GET", "/comments/moderate?token=s3cret-token", headers={"X-Forwarded-For": "203.0.113.9"})[0] == 404)
        status, _, page = request(port, "GET", "/comments/moderate?token=s3cret-token")
        check("with its token, the page lists the waiting comment, escaped",
              status == 200 and b"Please &lt;em&gt;approve&lt;/em&gt; me" in page, str(status))
        status, _, page = request(port, "POST", "/comments/moderate",
                                  form({"token": "s3cret-token", "id": "1", "decision": "approve"}), FORM_HEADERS)
        written = list((content / "comments" / POST).glob("*-mo-derate.md"))
        check("Approve on the page writes the comment's file", status == 200 and b"Approved 1" in page and len(written) == 1,
              f"{status} {written}")
        for path in written:
            path.unlink()
    finally:
        service.stop()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hubsite", required=True)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120)
    args = parser.parse_args()
    hubsite = os.path.abspath(args.hubsite)
    work = Path(tempfile.mkdtemp(prefix="hubsite-comments-"))
    services: list[CommentService] = []
    try:
        content = work / "content"
        write_content(content)
        load = CommentService(hubsite, content, work / "load.sqlite", free_port(),
                       ["--min-seconds", "1", "--per-hour", str(args.requests * 2)])
        services.append(load)
        load.start()
        load_test(load, args.requests, args.workers, args.seconds)
        load.stop()
        strict = CommentService(hubsite, content, work / "bad.sqlite", free_port(), ["--min-seconds", "1", "--per-hour", "25"])
        services.append(strict)
        strict.start()
        bad_input(strict)
        check("without a token there is no moderation page",
              request(strict.port, "GET", "/comments/moderate?token=")[0] == 404)
        strict.stop()
        moderation_page(hubsite, content, work)
    except Exception as error:
        check("the service tests ran to the end", False, f"{type(error).__name__}: {error}")
    finally:
        for service in services:
            service.stop()
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
