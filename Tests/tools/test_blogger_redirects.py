#!/usr/bin/env python3
"""Moving from Blogger, end to end, with a real nginx (docs/authors.md, Moving from Blogger).

    python3 Tests/tools/test_blogger_redirects.py --hubsite .build/debug/hubsite

For each of the two test exports (Tests/HubSiteTests/Fixtures/blogger/, made from the hub's
content by make_blogger_exports.py): `hubsite import blogger` into an empty folder (a dry
run first, which must write nothing; a second import, which must change nothing), `hubsite
build`, `hubsite redirects --format nginx`, then nginx (started here on 127.0.0.1, a free
port, with the printed include) in front of the built site. Every old Blogger address
(posts with ?m=1, label pages, feeds with ?alt=rss, label feeds, comment feeds, month
archives, static pages) must answer 301 with the address of the right page, and that page
must be there; feedparser reading the old feed address must follow the redirect to the new
feed and find the posts' Blogger ids as guids. Ends with "N passed, M failed".
"""
import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import feedparser

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXPORTS = {
    "classic": os.path.join(ROOT, "Tests/HubSiteTests/Fixtures/blogger/classic/blog-11-29-2026.xml"),
    "takeout": os.path.join(ROOT, "Tests/HubSiteTests/Fixtures/blogger/takeout/feed.atom"),
}
NOW = "2026-11-29T00:00:00Z"
BLOG = "tag:blogger.com,1999:blog-4711471147114711471"

# Old address -> the path it must lead to (beyond every post's own alias, checked from the
# imported files). Query strings are Blogger's: nginx matches without them.
FIXED = [
    ("/2009/05/keeping-up-with-joneses.html?m=1", "/2009/05/keeping-up-with-joneses/"),
    ("/2009/05/keeping-up-with-joneses.html?showComment=1#c5550001", "/2009/05/keeping-up-with-joneses/"),
    ("/2009/06/blog-post.html", "/2009/06/reminder-the-lsp-board-meets-on-thursday-in-county-hall/"),
    ("/2009/07/news.html?m=0", "/2009/07/news-2009-07/"),
    ("/search/label/NI7", "/tags/ni7/"),
    ("/search/label/NI7?max-results=20&m=1", "/tags/ni7/"),
    ("/search/label/Health%20%26%20Wellbeing", "/tags/health-wellbeing/"),
    ("/search/label/Hub+News", "/tags/hub-news/"),
    ("/search/label/Housing%2FHomelessness", "/tags/housing-homelessness/"),
    ("/search/label/No%20such%20label", "/tags/"),
    ("/feeds/posts/default", "/feed.xml"),
    ("/feeds/posts/default?alt=rss", "/feed.xml"),
    ("/feeds/posts/summary", "/feed.xml"),
    ("/feeds/posts/summary?alt=rss&max-results=5", "/feed.xml"),
    ("/feeds/posts/default/-/NI7", "/tags/ni7/feed.xml"),
    ("/feeds/posts/default/-/Health%20%26%20Wellbeing?alt=rss", "/tags/health-wellbeing/feed.xml"),
    ("/feeds/comments/default", "/feed.xml"),
    ("/feeds/9006/comments/default", "/2009/05/keeping-up-with-joneses/#comments"),
    ("/feeds/posts/default/9006", "/2009/05/keeping-up-with-joneses/"),
    ("/2009_05_01_archive.html", "/2009/05/"),
    ("/p/about.html", "/about/"),
    ("/p/contact.html?m=1", "/contact/"),
]

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"FAIL: {what}")


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree(folder):
    files = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as handle:
                files[os.path.relpath(path, folder)] = handle.read()
    return files


def post_addresses(content):
    """(alias, new path) of every imported post, from its front matter."""
    pairs = []
    for base, _, names in os.walk(os.path.join(content, "posts")):
        for name in sorted(names):
            text = open(os.path.join(base, name), encoding="utf-8").read()
            head = text.split("---\n")[1]
            aliases = re.search(r"^aliases: \[(.*)\]$", head, re.M)
            draft = re.search(r"^draft: true$", head, re.M)
            if not aliases or draft:
                continue
            year, month = name[0:4], name[5:7]
            slug = name[len("2009-05-11-"):-len(".md")]
            pairs.append((aliases.group(1), f"/{year}/{month}/{slug}/"))
    return pairs


def start_nginx(work, site, include, port):
    os.makedirs(work, mode=0o755, exist_ok=True)
    conf = os.path.join(work, "nginx.conf")
    with open(conf, "w") as handle:
        handle.write(f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    types {{ application/rss+xml xml; }}
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        absolute_redirect off;
        include {include};
    }}
}}
""")
    test = run("nginx", "-t", "-c", conf, "-p", work)
    if test.returncode != 0:
        print(test.stderr)
        raise SystemExit("nginx refused the configuration with the printed include")
    process = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise SystemExit("nginx did not start: " + open(os.path.join(work, "error.log")).read())


def request(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path.split("#")[0])
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, response.getheader("Location"), body


def check_format(name, export, hubsite, work):
    print(f"== {name}: {os.path.relpath(export, ROOT)}")
    content = os.path.join(work, f"content-{name}")
    site = os.path.join(work, f"site-{name}")

    dry = run(hubsite, "import", "blogger", export, "--content", content, "--dry-run")
    check(dry.returncode == 0, f"{name}: dry run exits 0 ({dry.stderr})")
    check(not os.path.exists(content), f"{name}: a dry run writes nothing")
    check("would create" in dry.stdout, f"{name}: a dry run says what it would do")

    first = run(hubsite, "import", "blogger", export, "--content", content)
    check(first.returncode == 0, f"{name}: import exits 0 ({first.stderr})")
    check(" error: " not in first.stderr, f"{name}: import without errors: {first.stderr}")
    written = tree(content)
    second = run(hubsite, "import", "blogger", export, "--content", content)
    check(second.returncode == 0 and second.stdout == "", f"{name}: a second import changes nothing: {second.stdout}")
    check(tree(content) == written, f"{name}: a second import leaves every file as it was")
    check("files: 0 created, 0 updated," in second.stderr, f"{name}: the second import's summary: {second.stderr}")

    build = run(hubsite, "build", "--content", content, "--theme", os.path.join(ROOT, "theme"),
                "--output", site, "--now", NOW, "--no-cache")
    check(build.returncode == 0 and " error: " not in build.stderr, f"{name}: the imported site builds: {build.stderr}")

    rules = run(hubsite, "redirects", "--format", "nginx", "--content", content)
    check(rules.returncode == 0, f"{name}: hubsite redirects exits 0 ({rules.stderr})")
    include = os.path.join(work, f"redirects-{name}.conf")
    with open(include, "w") as handle:
        handle.write(rules.stdout)
    for other in ("apache", "netlify"):
        printed = run(hubsite, "redirects", "--format", other, "--content", content)
        check(printed.returncode == 0 and "/2009/05/keeping-up-with-joneses/" in printed.stdout,
              f"{name}: hubsite redirects --format {other}")

    for base, folders, files in os.walk(work):
        for entry in folders:
            os.chmod(os.path.join(base, entry), 0o755)
        for entry in files:
            os.chmod(os.path.join(base, entry), 0o644)

    port = free_port()
    nginx = start_nginx(os.path.join(work, f"nginx-{name}"), site, include, port)
    try:
        expectations = [(alias, target) for alias, target in post_addresses(content)] + FIXED
        check(len(expectations) > len(FIXED) + 10, f"{name}: every imported post has an old address")
        for old, target in expectations:
            status, location, _ = request(port, old)
            check(status == 301 and location == target, f"{name}: {old} -> 301 {target} (got {status} {location})")
            status, _, body = request(port, target)
            check(status == 200 and body, f"{name}: {target} is a page of the site (got {status})")
        status, _, body = request(port, "/2009/05/keeping-up-with-joneses/")
        check(b"Keeping up with the Joneses" in body and b"comment-replies" in body,
              f"{name}: the post's page shows its comments with the replies beneath")

        # A browser keeps the fragment across a 301, so Blogger's comment link must find an
        # element with that id on the page the redirect leads to.
        old = "/2009/05/keeping-up-with-joneses.html?showComment=1#c5550001"
        status, location, _ = request(port, old)
        fragment = old.split("#")[1]
        status, _, body = request(port, location)
        ids = re.findall(rb'<div class="comment-body" id="([^"]*)"', body)
        check(ids.count(fragment.encode()) == 1,
              f"{name}: {old} lands on the comment with id {fragment} (comment ids: {ids})")

        for old in ("/feeds/posts/default", "/feeds/posts/default?alt=rss"):
            feed = feedparser.parse(f"http://127.0.0.1:{port}{old}")
            check(feed.get("status") == 301 and feed.get("href", "").endswith("/feed.xml"),
                  f"{name}: feedparser follows {old} to /feed.xml (status {feed.get('status')}, {feed.get('href')})")
            check(not feed.bozo, f"{name}: the new feed parses cleanly ({feed.get('bozo_exception')})")
            ids = [entry.get("id", "") for entry in feed.entries]
            check(len(ids) == 13 and all(i.startswith(BLOG + ".post-") for i in ids),
                  f"{name}: the feed keeps the Blogger ids as guids: {ids}")
        tag_feed = feedparser.parse(f"http://127.0.0.1:{port}/feeds/posts/default/-/NI7?alt=rss")
        check(tag_feed.get("href", "").endswith("/tags/ni7/feed.xml") and len(tag_feed.entries) > 0
              and all(entry.get("id", "").startswith(BLOG) for entry in tag_feed.entries),
              f"{name}: the label feed leads to the tag's feed with Blogger guids")
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


def check_truncated(hubsite, work):
    """A cut-short export is one located error, exit status 1, and nothing written."""
    data = open(EXPORTS["classic"], "rb").read()
    cut = os.path.join(work, "blog-cut.xml")
    with open(cut, "wb") as handle:
        handle.write(data[: len(data) * 2 // 3])
    content = os.path.join(work, "content-cut")
    result = run(hubsite, "import", "blogger", cut, "--content", content)
    check(result.returncode == 1, f"a truncated export exits 1 (got {result.returncode})")
    check(re.match(re.escape(cut) + r":[0-9]+:[0-9]+: error: the export is not well-formed XML", result.stderr) is not None,
          f"a truncated export is a located error: {result.stderr}")
    check(not os.path.exists(content), "a truncated export writes nothing")


REGENERATE = ("regenerate them: python3 Tests/tools/make_blogger_exports.py, then "
              "HUBSITE_UPDATE_FIXTURES=1 swift test --filter BloggerImportTests, and read the diff")


def check_exports_current(work):
    """The stored exports are made from content/: they must be what the generator makes today."""
    fresh = os.path.join(work, "exports")
    made = run(sys.executable, os.path.join(ROOT, "Tests/tools/make_blogger_exports.py"), fresh)
    check(made.returncode == 0, f"make_blogger_exports.py runs ({made.stderr})")
    for name, export in EXPORTS.items():
        again = os.path.join(fresh, os.path.relpath(export, os.path.join(ROOT, "Tests/HubSiteTests/Fixtures/blogger")))
        with open(export, "rb") as stored, open(again, "rb") as generated:
            same = stored.read() == generated.read()
        check(same, f"{name}: the stored export matches content/ as it is today; if content/ changed, {REGENERATE}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hubsite", required=True)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()
    hubsite = os.path.abspath(options.hubsite)
    if not shutil.which("nginx"):
        raise SystemExit("nginx is not installed (Debian: nginx-light)")
    work = tempfile.mkdtemp(prefix="hubsite-blogger-")
    os.chmod(work, 0o755)  # nginx's worker runs as nobody
    try:
        check_exports_current(work)
        check_truncated(hubsite, work)
        for name, export in EXPORTS.items():
            check_format(name, export, hubsite, work)
    finally:
        if options.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
