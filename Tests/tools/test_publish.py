#!/usr/bin/env python3
"""Publishing for real: scripts/nightly over rsync and SSH to a web root served by nginx.

Starts, on 127.0.0.1 and on free ports, an OpenSSH server (Debian's
openssh-server, with a host key and a client key made for the test) and nginx
(Debian's nginx-light) with the hub's site configuration,
docs/examples/nginx-hub.conf, serving WEBROOT/current: the layout of
docs/publishing.md. Then, on a git repository holding a copy of the hub's
content and theme:

1. publishes the hub, and finds the site nginx serves identical to the build;
2. adds a post, publishes, and fetches the new post from nginx;
3. commits a post with an error: the nightly run fails, and the served site
   is unchanged;
4. adds another post and kills rsync (SIGKILL) half-way through the upload:
   the served site, fetched while rsync ran and after, is the old one whole;
   the next run publishes the new one whole;
5. `scripts/nightly --rollback` serves the previous release again;
6. at most --keep releases are left on the server.

"Whole" means every file of the site, fetched from nginx, is byte for byte
the file of one build: never a mix of two.

Usage: test_publish.py --hubsite PATH
Exit status: 0 when every step passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NIGHTLY = ROOT / "scripts" / "nightly"
SITE_CONFIG = ROOT / "docs" / "examples" / "nginx-hub.conf"
NOW = "2009-06-01T00:00:00+01:00"
KEEP = 3
NEW_POSTS = [
    ("2009-05-28-publishing-for-real.md", "Publishing for real", "/2009/05/publishing-for-real/"),
    ("2009-05-29-a-second-release.md", "A second release", "/2009/05/a-second-release/"),
    ("2009-05-30-a-third-release.md", "A third release", "/2009/05/a-third-release/"),
]

failures: list[str] = []


def check(condition: bool, message: str) -> None:
    print(("  ok: " if condition else "  FAILED: ") + message)
    if not condition:
        failures.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    for _ in range(100):  # up to 10 s
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{name} is not listening on 127.0.0.1:{port} after 10 s")


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, text=True, capture_output=True, timeout=300, **options)


# --------------------------------------------------------------------------
# The servers


def start_sshd(work: Path) -> tuple[subprocess.Popen, str]:
    """sshd on a free port; returns it and the ssh command that logs in with the test's key."""
    keys = work / "keys"
    keys.mkdir()
    for name in ("host", "client"):
        run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"hubsite-test-{name}", "-f", str(keys / name)]).check_returncode()
    shutil.copy(keys / "client.pub", keys / "authorized_keys")
    port = free_port()
    config = work / "sshd_config"
    config.write_text(f"""ListenAddress 127.0.0.1
Port {port}
HostKey {keys / 'host'}
PidFile {work / 'sshd.pid'}
AuthorizedKeysFile {keys / 'authorized_keys'}
AuthenticationMethods publickey
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
LogLevel ERROR
""")
    host_key = (keys / "host.pub").read_text().split()
    (keys / "known_hosts").write_text(f"[127.0.0.1]:{port} {host_key[0]} {host_key[1]}\n")
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation folder
    sshd = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", str(config)],
                            stdout=open(work / "sshd.log", "w"), stderr=subprocess.STDOUT)
    wait_for_port(port, sshd, "sshd")
    ssh = (f"ssh -F /dev/null -p {port} -i {keys / 'client'} -o IdentitiesOnly=yes -o BatchMode=yes "
           f"-o StrictHostKeyChecking=yes -o UserKnownHostsFile={keys / 'known_hosts'} -o LogLevel=ERROR")
    return sshd, ssh


def start_nginx(work: Path, webroot: Path, hubsite: str, content: Path) -> tuple[subprocess.Popen, int]:
    """nginx on a free port with the site of docs/examples/nginx-hub.conf, its
    addresses and folders changed to the test's."""
    port = free_port()
    nginx = work / "nginx"
    nginx.mkdir()
    redirects = nginx / "hub-redirects.conf"
    made = run([hubsite, "redirects", "--format", "nginx", "--content", str(content)])
    redirects.write_text(made.stdout if made.returncode == 0 else "")
    site = SITE_CONFIG.read_text()
    for documented, tested in ((r"listen 80;", f"listen 127.0.0.1:{port};"),
                               (r"listen [::]:80;", ""),
                               ("/var/www/hub", str(webroot)),
                               ("/etc/nginx/hub-redirects.conf", str(redirects))):
        if documented not in site:
            raise RuntimeError(f"{SITE_CONFIG} no longer has '{documented}': update this test")
        site = site.replace(documented, tested)
    config = nginx / "nginx.conf"
    config.write_text(f"""daemon off;
worker_processes 1;
pid {nginx / 'nginx.pid'};
error_log {nginx / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {nginx / 'body'};
    proxy_temp_path {nginx / 'proxy'};
    fastcgi_temp_path {nginx / 'fastcgi'};
    uwsgi_temp_path {nginx / 'uwsgi'};
    scgi_temp_path {nginx / 'scgi'};
{site}
}}
""")
    process = subprocess.Popen(["nginx", "-c", str(config), "-p", str(nginx)],
                               stdout=open(nginx / "out.log", "w"), stderr=subprocess.STDOUT)
    wait_for_port(port, process, "nginx")
    return process, port


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --------------------------------------------------------------------------
# The site, as built and as served


def files_of(folder: Path) -> dict[str, bytes]:
    """Every file of a built site, by its path in the site."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def fetch(port: int, path: str, header: str | None = None):
    """The status and body of a page (and the value of one response header, when asked)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path.lstrip('/')}", timeout=10) as response:
            answer = response.status, response.read(), response.headers.get(header or "")
    except urllib.error.HTTPError as error:
        answer = error.code, error.read(), error.headers.get(header or "")
    return answer if header else answer[:2]


def served_version(port: int, versions: dict[str, dict[str, bytes]]) -> str:
    """The one build whose every file nginx serves byte for byte, or a description of the mix."""
    paths = sorted(set().union(*versions.values()))
    matching = set(versions)
    for path in paths:
        status, body = fetch(port, path)
        for name, files in versions.items():
            expected = files.get(path)
            if (expected is None and status != 404) or (expected is not None and (status != 200 or body != expected)):
                matching.discard(name)
        if not matching:
            return f"a mix (no build has /{path} as served, HTTP {status})"
    return sorted(matching)[0] if len(matching) == 1 else f"ambiguous: {sorted(matching)}"


# --------------------------------------------------------------------------
# The site's repository and the nightly run


def git(repo: Path, *arguments: str) -> None:
    run(["git", "-C", str(repo), *arguments]).check_returncode()


def add_post(repo: Path, file: str, title: str, body: str = "Published by the nightly build.") -> None:
    date = file[:10]
    (repo / "content" / "posts" / file).write_text(
        f"---\ntitle: {title}\ndate: {date} 09:00\nauthor: Test Author\ntags: [Hub News]\n---\n\n{body}\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Add {title}")


def nightly(repo: Path, output: Path, target: str, ssh: str, hubsite: str, *extra: str,
            path: str | None = None) -> subprocess.CompletedProcess:
    environment = dict(os.environ)
    if path:
        environment["PATH"] = path + os.pathsep + environment["PATH"]
    command = [str(NIGHTLY), "--repo", str(repo), "--output", str(output), "--hubsite", hubsite,
               "--no-pull", "--rsh", ssh, "--keep", str(KEEP), *extra, target, "--", "--now", NOW, "--no-cache"]
    return run(command, env=environment)


def show(result: subprocess.CompletedProcess) -> None:
    for line in (result.stdout + result.stderr).splitlines()[-12:]:
        print(f"    | {line}")


# --------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hubsite", required=True, help="the hubsite program")
    args = parser.parse_args(argv)
    hubsite = str(Path(args.hubsite).resolve())

    work = Path(tempfile.mkdtemp(prefix="hubsite-publish-"))
    work.chmod(0o755)  # nginx's worker (nobody) must reach the web root
    sshd = nginx_process = None
    try:
        webroot = work / "www"
        webroot.mkdir()
        repo = work / "repo"
        repo.mkdir()
        for folder in ("content", "theme"):
            shutil.copytree(ROOT / folder, repo / folder)
        git(repo, "init", "-q")
        git(repo, "config", "user.email", "test@example.org")
        git(repo, "config", "user.name", "Test")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "The hub")
        output = work / "site"

        sshd, ssh = start_sshd(work)
        nginx_process, port = start_nginx(work, webroot, hubsite, repo / "content")
        target = f"127.0.0.1:{webroot}"
        print(f"test_publish: sshd and nginx on 127.0.0.1, publishing to {target}")
        versions: dict[str, dict[str, bytes]] = {}

        print("1. the first publish")
        result = nightly(repo, output, target, ssh, hubsite)
        show(result)
        check(result.returncode == 0, f"scripts/nightly published (status {result.returncode})")
        versions["first"] = files_of(output)
        check((webroot / "current").is_symlink(), "the web root's `current` is a symbolic link")
        check(served_version(port, versions) == "first", "nginx serves the first build, every file of it")

        print("2. a new post")
        file, title, url = NEW_POSTS[0]
        add_post(repo, file, title)
        result = nightly(repo, output, target, ssh, hubsite)
        show(result)
        check(result.returncode == 0, f"scripts/nightly published the new post (status {result.returncode})")
        versions["second"] = files_of(output)
        status, body = fetch(port, url)
        check(status == 200 and title.encode() in body, f"nginx serves the new post {url} (HTTP {status})")
        status, body = fetch(port, "/")
        check(title.encode() in body, "the home page lists the new post")
        check(served_version(port, versions) == "second", "nginx serves the second build, every file of it")
        status, body = fetch(port, "/no/such/page/")
        check(status == 404 and body == versions["second"]["404.html"], f"a missing page answers the site's 404 page (HTTP {status})")
        status, _, caching = fetch(port, "/assets/style.css", "Cache-Control")
        check(status == 200 and caching == "public, max-age=86400", f"the style sheet is cached for a day ({caching})")
        status, _, caching = fetch(port, url, "Cache-Control")
        check(caching == "no-cache", f"pages are checked again on every visit ({caching})")
        second_release = os.readlink(webroot / "current")

        print("3. a build that fails")
        broken = repo / "content" / "posts" / "2009-05-31-broken.md"
        broken.write_text("---\ntitle: Broken\ndate: next tuesday\n---\n\nNo date.\n")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "A post with an error")
        result = nightly(repo, output, target, ssh, hubsite)
        show(result)
        check(result.returncode == 1, f"scripts/nightly fails with status 1 on the content's errors (status {result.returncode})")
        check(os.readlink(webroot / "current") == second_release, "`current` still points at the second release")
        check(served_version(port, versions) == "second", "nginx still serves the second build, every file of it")
        git(repo, "rm", "-q", str(broken.relative_to(repo)))
        git(repo, "commit", "-q", "-m", "Remove the post with an error")

        print("4. rsync killed half-way")
        file, title, url = NEW_POSTS[1]
        # A big image in the new post makes the upload long enough to stop half-way.
        image = repo / "content" / "static" / "images" / "release.bin"
        image.parent.mkdir(parents=True, exist_ok=True)
        image.write_bytes(os.urandom(4_000_000))
        add_post(repo, file, title, "A large file: [the release](/images/release.bin).")
        slow = work / "slow-rsync"
        slow.mkdir()
        pid_file = work / "rsync.pid"
        (slow / "rsync").write_text(
            f"#!/bin/sh\necho $$ > {pid_file}\nexec {shutil.which('rsync')} --bwlimit=200 \"$@\"\n")
        (slow / "rsync").chmod(0o755)
        environment = dict(os.environ, PATH=f"{slow}{os.pathsep}{os.environ['PATH']}")
        command = [str(NIGHTLY), "--repo", str(repo), "--output", str(output), "--hubsite", hubsite,
                   "--no-pull", "--rsh", ssh, "--keep", str(KEEP), target, "--", "--now", NOW, "--no-cache"]
        pid_file.unlink(missing_ok=True)
        publish = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        partial = None
        uploaded = 0
        for _ in range(600):  # up to 60 s for the upload to be under way
            partials = list((webroot / "releases").glob(".*.partial"))
            if partials and pid_file.exists():
                partial = partials[0]
                uploaded = sum(1 for p in partial.rglob("*") if p.is_file())
                if uploaded > 0:
                    break
            if publish.poll() is not None:
                break
            time.sleep(0.1)
        check(publish.poll() is None and partial is not None and uploaded > 0,
              f"the upload is under way ({uploaded} files in {partial.name if partial else 'no folder'})")
        during = served_version(port, versions)
        check(during == "second", f"during the upload nginx serves the second build whole ({during})")
        rsync_pid = int(pid_file.read_text().strip()) if pid_file.exists() else 0
        if rsync_pid:
            os.kill(rsync_pid, signal.SIGKILL)
        publish_output, _ = publish.communicate(timeout=60)
        for line in publish_output.splitlines()[-5:]:
            print(f"    | {line}")
        total = len(files_of(output))
        check(0 < uploaded < total, f"rsync was killed half-way: {uploaded} of {total} files uploaded")
        check(publish.returncode == 3, f"scripts/nightly reports the failed upload with status 3 ({publish.returncode})")
        check(os.readlink(webroot / "current") == second_release, "`current` still points at the second release")
        after = served_version(port, versions)
        check(after == "second", f"after the kill nginx serves the second build whole ({after})")

        result = nightly(repo, output, target, ssh, hubsite)
        show(result)
        check(result.returncode == 0, f"the next run publishes (status {result.returncode})")
        versions["third"] = files_of(output)
        check(served_version(port, versions) == "third", "nginx serves the third build, every file of it")
        check(not list((webroot / "releases").glob(".*.partial")), "the unfinished upload was cleared")

        print("5. rollback")
        result = run([str(NIGHTLY), "--rsh", ssh, "--rollback", target])
        show(result)
        check(result.returncode == 0, f"scripts/nightly --rollback (status {result.returncode})")
        check(os.readlink(webroot / "current") == second_release, "`current` points at the second release again")
        check(served_version(port, versions) == "second", "nginx serves the second build again, every file of it")

        print("6. old releases")
        for file, title, url in NEW_POSTS[2:]:
            add_post(repo, file, title)
            result = nightly(repo, output, target, ssh, hubsite)
            check(result.returncode == 0, f"published {title} (status {result.returncode})")
        result = nightly(repo, output, target, ssh, hubsite)
        check(result.returncode == 0, f"published once more (status {result.returncode})")
        releases = sorted(p.name for p in (webroot / "releases").iterdir() if not p.name.startswith("."))
        check(len(releases) == KEEP, f"{KEEP} releases kept with --keep {KEEP}: {releases}")
        check(os.readlink(webroot / "current") == f"releases/{releases[-1]}", "`current` is the newest release")
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        failures.append(str(error))
        print(f"  FAILED: {error}")
        for log in (work / "sshd.log", work / "nginx" / "error.log"):
            if log.exists() and log.read_text().strip():
                print(f"--- {log.name} ---\n{log.read_text()[-2000:]}")
    finally:
        stop(nginx_process)
        stop(sshd)
        if not failures:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"(kept {work})")
    print(f"test_publish: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
