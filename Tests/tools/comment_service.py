"""What the tests that run `hubsite comments serve` share: checks that add up to the closing
"N passed, M failed" line, a free port on 127.0.0.1, and the service started, killed and
stopped by the test itself."""

from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import time
from pathlib import Path

RESULTS: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> None:
    RESULTS.append((name, ok, detail))
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}", flush=True)


def summary() -> int:
    """Prints "N passed, M failed"; the exit status, 0 only when at least one check ran and all passed."""
    passed = sum(1 for _, ok, _ in RESULTS if ok)
    failed = len(RESULTS) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class CommentService:
    """`hubsite comments serve` on 127.0.0.1:port, its output discarded."""

    def __init__(self, hubsite: str, content: Path, db: Path, port: int, extra: list[str]) -> None:
        self.command = [hubsite, "comments", "serve", "--content", str(content), "--db", str(db), "--port", str(port)] + extra
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Starts the service and returns once it hands out a token (30 s at most)."""
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the service exited at start-up ({self.process.returncode})")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                try:
                    connection.request("GET", "/comments/token?post=x")
                    if connection.getresponse().status == 200:
                        return
                finally:
                    connection.close()
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("the service did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> int | None:
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        return None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None
