#!/usr/bin/env python3
"""Internal link check for a built hubsite output folder.

Every href, src and srcset in every HTML page that points inside the site
(root-relative, relative, or absolute under the site's base URL) must resolve
to a file in the output: `x/` means `x/index.html`, and a folder named
without its slash means its index.html as well. A fragment (`#id`) must name
an element id (or an <a name>) in the target page.

Usage: check_links.py SITE_DIR [--base-url URL]

--base-url defaults to the base_url of content/site.yml when that file is
found (see --content); links under it are checked as internal links too.
Exit status: 0 when every link resolves, 1 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

LINK_ATTRIBUTES = {"href", "src", "poster", "data", "action", "cite", "formaction"}
# HTML says "#top" (and an empty fragment) scroll to the top of the page.
BUILT_IN_FRAGMENTS = {"", "top"}


class PageParser(HTMLParser):
    """Collects the ids and the outgoing links of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str, str]] = []  # line, tag, attribute, value
        self.base_href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, _ = self.getpos()
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif tag == "base" and name == "href":
                self.base_href = value
            elif name == "action" and tag == "form" and (dict(attrs).get("method") or "").lower() == "post":
                # A form that posts goes to a service (the comment service), not to a file.
                continue
            elif name in LINK_ATTRIBUTES:
                # <link rel=preconnect> and the like could name other hosts;
                # external URLs are filtered out below anyway.
                self.links.append((line, tag, name, value.strip()))
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.links.append((line, tag, name, url))

    handle_startendtag = handle_starttag


def read_base_url(content_dir: Path) -> str | None:
    site_yml = content_dir / "site.yml"
    if not site_yml.is_file():
        return None
    for raw in site_yml.read_text(encoding="utf-8-sig").splitlines():
        key, sep, value = raw.partition(":")
        if sep and key.strip() == "base_url":
            return value.strip().strip("'\"")
    return None


def page_url(site_root: str, relative: str) -> str:
    """The URL a page is served at: folder URLs for index.html files."""
    if relative == "index.html":
        return site_root
    if relative.endswith("/index.html"):
        return site_root + relative[: -len("index.html")]
    return site_root + relative


def target_file(site_dir: Path, path_in_site: str) -> Path | None:
    """The output file that a path under the site root is served from."""
    decoded = unquote(path_in_site)
    if "\x00" in decoded:
        return None
    candidate = (site_dir / decoded.lstrip("/")).resolve()
    try:
        candidate.relative_to(site_dir)
    except ValueError:
        return None  # climbs out of the output folder
    if decoded == "" or decoded.endswith("/"):
        index = candidate / "index.html"
        return index if index.is_file() else None
    if candidate.is_file():
        return candidate
    if candidate.is_dir() and (candidate / "index.html").is_file():
        return candidate / "index.html"
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", help="the built output folder")
    parser.add_argument("--base-url", help="the site's base URL (default: base_url in CONTENT/site.yml)")
    parser.add_argument("--content", default="content", help="content folder, to read base_url from (default: content)")
    args = parser.parse_args(argv)

    site_dir = Path(args.site).resolve()
    if not site_dir.is_dir():
        print(f"check_links: {args.site} is not a folder", file=sys.stderr)
        return 2
    base_url = args.base_url or read_base_url(Path(args.content)) or "https://example.invalid/"
    if not base_url.endswith("/"):
        base_url += "/"
    base = urlsplit(base_url)
    # Pages are checked as if served from the real base URL, so that
    # root-relative links land under its path, as the generator promises.
    site_root = f"{base.scheme}://{base.netloc}{base.path}"

    pages: dict[Path, PageParser] = {}
    for path in sorted(site_dir.rglob("*.html")):
        page = PageParser()
        try:
            page.feed(path.read_text(encoding="utf-8"))
            page.close()
        except UnicodeDecodeError as error:
            print(f"{path.relative_to(site_dir)}: error: not UTF-8: {error}")
            return 1
        pages[path.resolve()] = page

    problems: list[str] = []
    checked = 0
    for path, page in pages.items():
        relative = path.relative_to(site_dir).as_posix()
        here = page_url(site_root, relative)
        if page.base_href:
            here = urljoin(here, page.base_href)
        for line, tag, attribute, value in page.links:
            absolute = urljoin(here, value)
            parts = urlsplit(absolute)
            if parts.scheme not in ("http", "https") or parts.netloc != base.netloc:
                continue  # mailto:, data:, other hosts: not ours to check
            if not parts.path.startswith(base.path):
                problems.append(f"{relative}:{line}: error: {attribute}=\"{value}\" on <{tag}> leaves the site's path {base.path}")
                continue
            checked += 1
            in_site = parts.path[len(base.path):]
            target = target_file(site_dir, in_site)
            if target is None:
                problems.append(f"{relative}:{line}: error: {attribute}=\"{value}\" on <{tag}> resolves to /{unquote(in_site)}, which is not in the output")
                continue
            fragment = unquote(parts.fragment)
            if fragment in BUILT_IN_FRAGMENTS:
                continue
            target_page = pages.get(target.resolve())
            if target_page is None:
                problems.append(f"{relative}:{line}: error: {attribute}=\"{value}\" has a fragment but /{in_site} is not an HTML page")
            elif fragment not in target_page.ids:
                where = "this page" if target.resolve() == path else f"/{target.relative_to(site_dir).as_posix()}"
                problems.append(f"{relative}:{line}: error: {attribute}=\"{value}\": no id \"{fragment}\" in {where}")

    for problem in problems:
        print(problem)
    print(f"check_links: {len(pages)} pages, {checked} internal links, {len(problems)} broken")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
