#!/usr/bin/env python3
"""Readers' features in headless Chromium: search, the comment form and link previews.

Builds a copy of the hub's content with `search: true` and a comment endpoint, serves the
site with Python's http.server and runs `hubsite comments serve`, both on 127.0.0.1, then
drives Chromium through Selenium and Debian's chromedriver:

- searching for "peppercorn" (a word of one area snippet) lists the Hertfordshire area page
  first, linked at its Dacorum snippet; an area filter narrows a search; the search page
  says, without JavaScript, where else to look;
- a reader fills the comment form on a post, sends it, and sees the page saying it awaits
  moderation; `hubsite comments approve` and a build later the comment is on the post, its
  HTML shown as text;
- every post, page and area page carries Open Graph and Twitter card tags, and posts carry
  JSON-LD (BlogPosting, BreadcrumbList) that parses.

Usage: test_readers_browser.py --hubsite PATH [--content DIR] [--theme DIR]
                               [--screenshot FILE]

--screenshot FILE saves the search page (FILE) and a filled-in comment form
(FILE with -comment before .png): docs/screenshots/search-1280.png and
comment-form-1280.png come from `--screenshot /tmp/search-1280.png`.
Exit status 0 when every check passed, 1 otherwise. Prints "N passed, M failed" last.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from comment_service import CommentService, check, free_port, summary

NOW = "2026-11-29T12:00:00Z"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: D401 - keep the output to the checks
        pass


def serve_folder(folder: Path, port: int) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(hubsite: str, content: Path, theme: Path, output: Path, base: str, now: str = NOW) -> None:
    subprocess.run([hubsite, "build", "--content", str(content), "--theme", str(theme), "--output", str(output),
                    "--base-url", base, "--now", now, "--no-cache"], check=True, timeout=300)


def link_previews(site: Path) -> None:
    post = site / "2009/05/keeping-up-with-the-joneses/index.html"
    html = post.read_text(encoding="utf-8")
    for prop in ["og:title", "og:type", "og:url", "og:description", "og:site_name"]:
        check(f"post page has {prop}", f'property="{prop}"' in html)
    check("post page is og:type article", 'property="og:type" content="article"' in html)
    check("post page has a Twitter card", 'name="twitter:card"' in html)
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    check("post page has one JSON-LD block", len(blocks) == 1, f"{len(blocks)} blocks")
    if blocks:
        data = json.loads(blocks[0])
        types = {item.get("@type"): item for item in data}
        posting = types.get("BlogPosting", {})
        check("JSON-LD BlogPosting has headline, dates, author and publisher",
              posting.get("headline") == "Keeping up with the Joneses" and posting.get("datePublished", "").startswith("2009-05-11")
              and "dateModified" in posting and posting.get("author", {}).get("name") and posting.get("publisher", {}).get("@type") == "Organization",
              json.dumps(posting)[:300])
        crumbs = types.get("BreadcrumbList", {}).get("itemListElement", [])
        check("JSON-LD BreadcrumbList runs from the hub to the post",
              [c.get("position") for c in crumbs] == [1, 2, 3, 4] and crumbs[-1].get("name") == "Keeping up with the Joneses",
              json.dumps(crumbs)[:300])
    for page in ["areas/hertfordshire/index.html", "about/index.html", "index.html"]:
        text = (site / page).read_text(encoding="utf-8")
        check(f"{page} has Open Graph and a Twitter card",
              'property="og:title"' in text and 'property="og:url"' in text and 'name="twitter:card"' in text)


def index_checks(hubsite: str, content: Path, theme: Path, work: Path, base: str) -> None:
    """The index and the build cache: nothing to do, no indexing; an edit, a new index."""
    site, cache = work / "cached-site", work / "cache"
    command = [hubsite, "build", "--content", str(content), "--theme", str(theme), "--output", str(site),
               "--cache", str(cache), "--base-url", base, "--now", NOW]
    subprocess.run(command, check=True, capture_output=True, timeout=300)
    index = site / "pagefind"
    before = {path: path.stat().st_mtime_ns for path in index.rglob("*") if path.is_file()}
    again = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    after = {path: path.stat().st_mtime_ns for path in index.rglob("*") if path.is_file()}
    check("a build with nothing to do does not index again", "Nothing changed" in again.stderr and before == after,
          again.stderr.strip())
    snippet = sorted(path for path in (content / "areas/essex").glob("*.md") if path.name != "index.md")[0]
    snippet.write_text(snippet.read_text(encoding="utf-8") + "\nA quixotic aside.\n", encoding="utf-8")
    edited = subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
    fragments = [gzip.decompress(path.read_bytes()) for path in (index / "fragment").iterdir()]
    check("an edit indexes the site again", "Nothing changed" not in edited.stderr
          and any(b"quixotic" in fragment for fragment in fragments), edited.stderr.strip())
    clean = work / "clean-site"
    subprocess.run([hubsite, "build", "--content", str(content), "--theme", str(theme), "--output", str(clean),
                    "--no-cache", "--base-url", base, "--now", NOW], check=True, capture_output=True, timeout=300)
    differing = [str(path.relative_to(clean)) for path in clean.rglob("*") if path.is_file()
                 and (site / path.relative_to(clean)).read_bytes() != path.read_bytes()]
    check("the cached build's index is the clean build's, byte for byte", not differing, str(differing[:5]))
    missing = subprocess.run([hubsite, "build", "--content", str(content), "--theme", str(theme), "--output",
                              str(work / "no-pagefind"), "--no-cache", "--now", NOW],
                             capture_output=True, text=True, timeout=300,
                             env={key: value for key, value in os.environ.items() if key != "HUBSITE_PAGEFIND"} | {"PATH": "/nonexistent"})
    check("without Pagefind the build stops, naming the install command, and writes nothing",
          missing.returncode == 3 and "pip install 'pagefind[bin]==1.5.2'" in missing.stderr
          and not (work / "no-pagefind").exists(), f"{missing.returncode}: {missing.stderr.strip()}")


def search_checks(driver: webdriver.Chrome, base: str, screenshot: str | None) -> None:
    driver.get(base + "search/?q=peppercorn")
    wait = WebDriverWait(driver, 20)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search--results li"))
    first = driver.find_element(By.CSS_SELECTOR, "#search--results li a")
    href = first.get_attribute("href")
    check("'peppercorn' lists the Hertfordshire area page first, at the Dacorum snippet",
          href.endswith("/areas/hertfordshire/#snippet-dacorum-peppercorn-rents"), href)
    status = driver.find_element(By.ID, "search--status")
    check("the result count is announced (role=status, aria-live)",
          status.get_attribute("aria-live") == "polite" and "peppercorn" in status.text, status.text)
    check("the search field has a label", bool(driver.find_elements(By.CSS_SELECTOR, "label[for='search--query']")))

    # Keyboard only: type in the field and press Enter.
    field = driver.find_element(By.ID, "search--query")
    field.clear()
    field.send_keys("council\n")
    wait.until(lambda d: "council" in d.find_element(By.ID, "search--status").text)
    everywhere = len(driver.find_elements(By.CSS_SELECTOR, "#search--results li"))
    Select(driver.find_element(By.ID, "search--area")).select_by_visible_text("Essex")
    driver.find_element(By.CSS_SELECTOR, "#search--form button").click()
    wait.until(lambda d: "area=Essex" in d.current_url and "council" in d.find_element(By.ID, "search--status").text)
    time.sleep(0.5)
    narrowed = len(driver.find_elements(By.CSS_SELECTOR, "#search--results li"))
    check("an area filter narrows the results", 0 < narrowed < everywhere, f"{everywhere} -> {narrowed}")

    # The box in the header of another page leads to the search page.
    driver.get(base + "about/")
    box = driver.find_element(By.ID, "site--search")
    box.send_keys("peppercorn\n")
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search--results li"))
    check("the header's search box searches", "search/?q=peppercorn" in driver.current_url, driver.current_url)
    source = driver.page_source
    check("without JavaScript the search page links to the archive and tags",
          "<noscript>" in source and "/archive/" in source.split("<noscript>")[1].split("</noscript>")[0])
    if screenshot:
        driver.get(base + "search/?q=peppercorn")
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search--results li"))


def comment_checks(driver: webdriver.Chrome, args, site: Path, content: Path, theme: Path, db: Path, base: str,
                   screenshot: str | None) -> None:
    post_url = base + "2009/05/keeping-up-with-the-joneses/"
    if screenshot:
        driver.get(post_url)
        driver.set_window_size(1280, 1000)
        driver.find_element(By.ID, "comment-form--name").send_keys("Ann Bee")
        driver.find_element(By.ID, "comment-form--organisation").send_keys("Herts CVS Group")
        driver.find_element(By.ID, "comment-form--comment").send_keys(
            "Thank you for the round-up. Our forum meets next month to compare notes.")
        form = driver.find_element(By.ID, "comment-form")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", form)
        time.sleep(0.3)
        driver.save_screenshot(screenshot.replace(".png", "-comment.png"))
    driver.get(post_url)
    name, organisation = "Ann <b>Bee</b>", "Herts & Partners"
    comment = "Thank you. <script>alert('x')</script> **Useful** & clear."
    driver.find_element(By.ID, "comment-form--name").send_keys(name)
    driver.find_element(By.ID, "comment-form--organisation").send_keys(organisation)
    driver.find_element(By.ID, "comment-form--comment").send_keys(comment)
    time.sleep(1.6)  # the service's --min-seconds is 1
    driver.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
    WebDriverWait(driver, 20).until(lambda d: "received" in d.current_url)
    body = driver.find_element(By.TAG_NAME, "body").text
    check("sending the form shows the page saying it awaits moderation", "awaits moderation" in body, body[:200])
    back = driver.find_elements(By.LINK_TEXT, "Back to \u201cKeeping up with the Joneses\u201d")
    # The service links to the post at the site's own base_url (this test serves it elsewhere).
    check("that page links back to the post",
          bool(back) and back[0].get_attribute("href").endswith("/2009/05/keeping-up-with-the-joneses/"),
          back[0].get_attribute("href") if back else "no link")

    listed = json.loads(subprocess.run([args.hubsite, "comments", "list", "--db", str(db), "--format", "json"],
                                       check=True, capture_output=True, text=True).stdout)
    check("the comment waits in the queue, as typed", len(listed) == 1 and listed[0]["name"] == name
          and listed[0]["comment"] == comment and listed[0]["status"] == "pending", json.dumps(listed)[:300])
    if not listed:
        return
    subprocess.run([args.hubsite, "comments", "approve", str(listed[0]["id"]), "--db", str(db), "--content", str(content)],
                   check=True, capture_output=True)
    # The comment is dated when it arrived: build at a moment after it.
    build(args.hubsite, content, theme, site, base, now=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 60)))
    driver.get(post_url)
    comments = driver.find_elements(By.CSS_SELECTOR, ".comment-list .comment")
    last = comments[-1] if comments else None
    check("after approval and a build the comment is on the post",
          last is not None and "Ann <b>Bee</b>" in last.text and "Herts & Partners" in last.text, last.text if last else "none")
    if last is not None:
        check("its HTML is shown as text, never run",
              "<script>alert(" in last.text and "</script>" in last.text and not last.find_elements(By.TAG_NAME, "script")
              and not last.find_elements(By.TAG_NAME, "b") and last.find_elements(By.TAG_NAME, "strong"), last.text)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hubsite", required=True)
    parser.add_argument("--content", default="content")
    parser.add_argument("--theme", default="theme")
    parser.add_argument("--screenshot")
    parser.add_argument("--chromedriver", default="/usr/bin/chromedriver")
    args = parser.parse_args()
    args.hubsite = os.path.abspath(args.hubsite)

    work = Path(tempfile.mkdtemp(prefix="hubsite-readers-"))
    service = None
    web = None
    driver = None
    try:
        content = work / "content"
        shutil.copytree(args.content, content)
        theme = Path(args.theme).resolve()
        web_port, comments_port = free_port(), free_port()
        base = f"http://127.0.0.1:{web_port}/"
        settings = (content / "site.yml").read_text(encoding="utf-8")
        settings = "\n".join(line for line in settings.splitlines()
                             if not line.startswith(("search:", "comments:", "  endpoint:", "  email:")))
        settings += f"\nsearch: true\ncomments:\n  endpoint: http://127.0.0.1:{comments_port}/comments\n"
        (content / "site.yml").write_text(settings, encoding="utf-8")
        site = work / "site"
        index_checks(args.hubsite, content, theme, work, base)
        build(args.hubsite, content, theme, site, base)
        link_previews(site)

        db = work / "comments.sqlite"
        service = CommentService(args.hubsite, content, db, comments_port, ["--min-seconds", "1"])
        service.start()
        web = serve_folder(site, web_port)

        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1000"]:
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(args.chromedriver), options=options)
        search_checks(driver, base, args.screenshot)
        comment_checks(driver, args, site, content, theme, db, base, args.screenshot)
        if args.screenshot:
            driver.set_window_size(1280, 1000)
            driver.get(base + "search/?q=peppercorn")
            WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search--results li"))
            time.sleep(0.3)
            driver.save_screenshot(args.screenshot)
    except Exception as error:  # a failure to drive the browser is a failed check, not a crash
        check("the browser checks ran to the end", False, f"{type(error).__name__}: {error}")
    finally:
        if driver is not None:
            driver.quit()
        if web is not None:
            web.shutdown()
        if service is not None:
            service.stop()
        shutil.rmtree(work, ignore_errors=True)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
