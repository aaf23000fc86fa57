#!/usr/bin/env python3
"""Feed check for a built hubsite output folder.

Checks every RSS feed of the built site (feed.xml, tags/*/feed.xml,
areas/*/feed.xml) against what the content says it must hold, worked out
here from the content's front matter, independently of the generator:

- feedparser reads it without complaint (bozo is false);
- the channel has title, link, description, language and lastBuildDate
  (the pubDate of its newest item), and an atom:link rel="self" equal to the
  feed's own URL;
- the items are exactly the published posts (and, for an area, snippets)
  that belong in the feed, newest first, at most feed_items of them: drafts
  and anything dated after --now are absent;
- each item has a title, a link, a guid (isPermaLink="true" and equal to the
  link unless the post sets its own guid), an RFC 822 pubDate at the right
  instant, a description, content:encoded whose links are all absolute, a
  dc:creator when the post has an author, and a category per tag;
- the feeds that exist are exactly those that should: one per tag and area
  with something published, none for the others.

With --hubsite BIN it also runs a stability check: it builds a copy of the
content, adds a newer post (plus a draft and a scheduled post that must stay
out), rebuilds into the same output folder and checks that every item that
was already published kept its guid, link and pubDate, and that the new post
comes first in each feed it belongs to.

Usage:
  check_feeds.py --site DIR --content DIR --now ISO [--hubsite BIN --theme DIR]

Exit status: 0 when every check passes, 1 otherwise, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import html
import email.utils
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

try:
    import feedparser
    import yaml
except ImportError as missing:  # pragma: no cover - reported to the user
    print(f"check_feeds: missing Python package ({missing.name}); run: "
          "python3 -m pip install -r Tests/tools/requirements.txt", file=sys.stderr)
    sys.exit(2)

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (\+|-)\d{4}$")
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?\s*(Z|[+-]\d{2}:\d{2})?$")
TRUE_WORDS = {"true", "yes", "on", "y"}


# --------------------------------------------------------------------------
# The content, read independently of the generator


@dataclass
class Entry:
    """One item a feed can hold: a post or an area snippet."""
    kind: str            # "post" or "snippet"
    path: Path
    title: str
    moment: datetime     # aware
    slug: str
    link: str
    guid: str
    custom_guid: bool = False
    author: str | None = None
    tags: list[str] = field(default_factory=list)   # tag slugs (posts only)
    areas: list[str] = field(default_factory=list)  # area slugs (posts only)


@dataclass
class Expected:
    base_url: str
    language: str
    feed_items: int
    feeds: dict[str, list[Entry]]  # feed path in the site -> items, newest first
    feed_links: dict[str, str]     # feed path -> channel link


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ValueError(f"{path}: no front matter")
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            # BaseLoader keeps every scalar a string: dates are parsed here.
            return yaml.load("\n".join(lines[1:index]), Loader=yaml.BaseLoader) or {}
    raise ValueError(f"{path}: front matter is not closed")


def parse_moment(text: str, zone: ZoneInfo) -> datetime:
    match = DATE.match(str(text).strip())
    if not match:
        raise ValueError(f"not a date: {text!r}")
    year, month, day, hour, minute, second, offset = match.groups()
    naive = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    if offset is None:
        return naive.replace(tzinfo=zone)
    if offset == "Z":
        return naive.replace(tzinfo=timezone.utc)
    sign = 1 if offset[0] == "+" else -1
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6]))
    return naive.replace(tzinfo=timezone(sign * delta))


def slugify(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", folded.encode("ascii", "ignore").decode()).strip("-")


def as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


def is_true(value) -> bool:
    return str(value).strip().lower() in TRUE_WORDS


def expected_feeds(content: Path, now: datetime) -> Expected:
    settings = yaml.load((content / "site.yml").read_text(encoding="utf-8-sig"), Loader=yaml.BaseLoader) or {}
    base_url = settings["base_url"].strip()
    if not base_url.endswith("/"):
        base_url += "/"
    zone = ZoneInfo(settings.get("timezone", "Europe/London"))
    feed_items = int(settings.get("feed_items", 20))
    language = settings.get("language", "en-GB")

    posts: list[Entry] = []
    for path in sorted((content / "posts").rglob("*.md")):
        fm = front_matter(path)
        if is_true(fm.get("draft", "false")):
            continue
        moment = parse_moment(fm["date"], zone)
        if moment > now:
            continue
        local = moment.astimezone(zone)
        slug = fm.get("slug") or re.sub(r"^\d{4}-\d{2}-\d{2}-", "", path.stem)
        link = f"{base_url}{local.year:04d}/{local.month:02d}/{slug}/"
        posts.append(Entry(
            kind="post", path=path, title=fm["title"], moment=moment, slug=slug, link=link,
            guid=fm.get("guid") or link, custom_guid=bool(fm.get("guid")),
            author=fm.get("author") or None,
            tags=sorted({slugify(t) for t in as_list(fm.get("tags"))}),
            areas=as_list(fm.get("areas")),
        ))

    snippets: dict[str, list[Entry]] = {}
    for area_dir in sorted(p for p in (content / "areas").iterdir() if p.is_dir()) if (content / "areas").is_dir() else []:
        snippets[area_dir.name] = []
        for path in sorted(area_dir.glob("*.md")):
            if path.name == "index.md":
                continue
            fm = front_matter(path)
            moment = parse_moment(fm["date"], zone)
            if moment > now:
                continue
            link = f"{base_url}areas/{area_dir.name}/#snippet-{path.stem}"
            snippets[area_dir.name].append(Entry(
                kind="snippet", path=path, title=fm["title"], moment=moment,
                slug=path.stem, link=link, guid=link))

    def newest_first(entries: list[Entry]) -> list[Entry]:
        ordered = sorted(entries, key=lambda e: (-e.moment.timestamp(), e.slug, str(e.path)))
        return ordered[:feed_items]

    feeds: dict[str, list[Entry]] = {"feed.xml": newest_first(posts)}
    links: dict[str, str] = {"feed.xml": base_url}
    for tag in sorted({t for p in posts for t in p.tags}):
        feeds[f"tags/{tag}/feed.xml"] = newest_first([p for p in posts if tag in p.tags])
        links[f"tags/{tag}/feed.xml"] = f"{base_url}tags/{tag}/"
    for area, area_snippets in snippets.items():
        items = [p for p in posts if area in p.areas] + area_snippets
        if items:
            feeds[f"areas/{area}/feed.xml"] = newest_first(items)
            links[f"areas/{area}/feed.xml"] = f"{base_url}areas/{area}/"
    return Expected(base_url, language, feed_items, feeds, links)


# --------------------------------------------------------------------------
# The built feeds


class LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster"):
                self.urls.append(value.strip())
            elif name == "srcset":
                self.urls.extend(c.strip().split(" ")[0] for c in value.split(",") if c.strip())


def text_of(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def feed_files(site: Path) -> list[str]:
    found = []
    if (site / "feed.xml").is_file():
        found.append("feed.xml")
    for pattern in ("tags/*/feed.xml", "areas/*/feed.xml"):
        found.extend(p.relative_to(site).as_posix() for p in sorted(site.glob(pattern)))
    return found


def read_items(site: Path, feed: str) -> list[tuple[str, str, str]]:
    """(guid, link, pubDate) of each item, in the feed's order."""
    try:
        channel = ET.parse(site / feed).getroot().find("channel")
    except ET.ParseError:
        return []
    return [(text_of(i.find("guid")), text_of(i.find("link")), text_of(i.find("pubDate")))
            for i in channel.findall("item")] if channel is not None else []


def check_site(site: Path, content: Path, now: datetime) -> list[str]:
    expected = expected_feeds(content, now)
    problems: list[str] = []

    present = set(feed_files(site))
    wanted = set(expected.feeds)
    for missing in sorted(wanted - present):
        problems.append(f"{missing}: missing (it has {len(expected.feeds[missing])} published item(s))")
    for extra in sorted(present - wanted):
        problems.append(f"{extra}: should not exist (nothing published belongs in it)")

    for feed in sorted(wanted & present):
        def fail(message: str) -> None:
            problems.append(f"{feed}: {message}")

        raw = (site / feed).read_bytes()
        parsed = feedparser.parse(raw)
        if parsed.bozo:
            fail(f"feedparser complains: {parsed.bozo_exception!r}")
        if parsed.get("version") != "rss20":
            fail(f"feedparser reads it as {parsed.get('version')!r}, not rss20")

        try:
            root = ET.fromstring(raw)
        except ET.ParseError as error:
            fail(f"not well-formed XML: {error}")
            continue
        if root.tag != "rss" or root.get("version") != "2.0":
            fail(f"root is <{root.tag} version={root.get('version')!r}>, not <rss version=\"2.0\">")
        channel = root.find("channel")
        if channel is None:
            fail("no <channel>")
            continue
        for name in ("title", "link", "description", "language", "lastBuildDate"):
            if not text_of(channel.find(name)):
                fail(f"channel has no {name}")
        if text_of(channel.find("link")) != expected.feed_links[feed]:
            fail(f"channel link is {text_of(channel.find('link'))!r}, expected {expected.feed_links[feed]!r}")
        if text_of(channel.find("language")) not in ("", expected.language):
            fail(f"channel language is {text_of(channel.find('language'))!r}, expected {expected.language!r}")
        self_links = [a for a in channel.findall("atom:link", NS) if a.get("rel") == "self"]
        feed_url = expected.base_url + feed
        if len(self_links) != 1:
            fail(f"{len(self_links)} atom:link rel=\"self\" elements, expected 1")
        elif self_links[0].get("href") != feed_url:
            fail(f"atom:link rel=\"self\" is {self_links[0].get('href')!r}, expected {feed_url!r}")

        items = channel.findall("item")
        want = expected.feeds[feed]
        if len(items) > expected.feed_items:
            fail(f"{len(items)} items, more than feed_items = {expected.feed_items}")
        got_links = [text_of(i.find("link")) for i in items]
        want_links = [e.link for e in want]
        if got_links != want_links:
            fail("items differ from the published content:\n"
                 + "".join(f"      missing {l}\n" for l in want_links if l not in got_links)
                 + "".join(f"      unexpected {l}\n" for l in got_links if l not in want_links)
                 + f"      expected order: {want_links}\n      got:            {got_links}")

        dates: list[datetime] = []
        for index, item in enumerate(items):
            link = text_of(item.find("link"))
            label = f"item {index + 1} ({link or 'no link'})"
            entry = next((e for e in want if e.link == link), None)
            # Titles are HTML-escaped before XML (FeedRenderer.htmlText): undo both to compare.
            title = html.unescape(text_of(item.find("title")))
            if not title:
                fail(f"{label}: no title")
            elif entry and title != entry.title.strip():
                fail(f"{label}: title {title!r}, front matter says {entry.title!r}")
            if urlsplit(link).scheme not in ("http", "https"):
                fail(f"{label}: link is not absolute")

            guid = item.find("guid")
            if guid is None or not text_of(guid):
                fail(f"{label}: no guid")
            elif entry:
                if text_of(guid) != entry.guid:
                    fail(f"{label}: guid {text_of(guid)!r}, expected {entry.guid!r}")
                if not entry.custom_guid:
                    if guid.get("isPermaLink") != "true":
                        fail(f"{label}: guid isPermaLink is {guid.get('isPermaLink')!r}, expected 'true'")
                    if text_of(guid) != link:
                        fail(f"{label}: guid differs from link")

            pub = text_of(item.find("pubDate"))
            if not RFC822.match(pub):
                fail(f"{label}: pubDate {pub!r} is not RFC 822 (e.g. 'Mon, 11 May 2009 09:30:00 +0100')")
            else:
                when = email.utils.parsedate_to_datetime(pub)
                dates.append(when)
                if entry and when != entry.moment:
                    fail(f"{label}: pubDate {pub} is not the content's date {entry.moment.isoformat()}")

            if not text_of(item.find("description")):
                fail(f"{label}: no description")
            encoded = item.find("content:encoded", NS)
            if encoded is None or not (encoded.text or "").strip():
                fail(f"{label}: no content:encoded")
            else:
                collector = LinkCollector()
                collector.feed(encoded.text)
                for url in collector.urls:
                    if not urlsplit(url).scheme:
                        fail(f"{label}: content:encoded has a link that is not absolute: {url!r}")

            creator = text_of(item.find("dc:creator", NS))
            if entry and entry.author and creator != entry.author.strip():
                fail(f"{label}: dc:creator {creator!r}, expected {entry.author!r}")
            if entry and entry.kind == "post":
                categories = sorted({slugify(text_of(c)) for c in item.findall("category")})
                if categories != entry.tags:
                    fail(f"{label}: categories {categories} do not match the post's tags {entry.tags}")

        if any(later > earlier for earlier, later in zip(dates, dates[1:])):
            fail("items are not newest first")
        last_build = text_of(channel.find("lastBuildDate"))
        if dates and last_build:
            try:
                if email.utils.parsedate_to_datetime(last_build) != max(dates):
                    fail(f"lastBuildDate {last_build} is not the newest item's pubDate")
            except (TypeError, ValueError):
                fail(f"lastBuildDate {last_build!r} is not a date")
    return problems


# --------------------------------------------------------------------------
# Stability: a new post must not disturb what was already published


def build(hubsite: str, content: Path, theme: str, output: Path, now: str) -> None:
    command = [hubsite, "build", "--content", str(content), "--theme", theme, "--output", str(output), "--now", now]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")


def stability_check(hubsite: str, content: Path, theme: str, now_text: str, now: datetime) -> list[str]:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hubsite-feeds-") as temporary:
        work = Path(temporary)
        copy = work / "content"
        shutil.copytree(content, copy)
        output = work / "site"
        build(hubsite, copy, theme, output, now_text)
        before = {feed: read_items(output, feed) for feed in feed_files(output)}
        expected_before = expected_feeds(copy, now)
        newest = max((e.moment for e in expected_before.feeds["feed.xml"]), default=now - timedelta(days=30))
        if newest >= now:
            return [f"stability: the newest post ({newest.isoformat()}) is not before --now; cannot add a later one"]

        # The new post: after every published post, not after --now; in the
        # newest post's tags and areas, and in a tag of its own.
        newest_entry = expected_before.feeds["feed.xml"][0] if expected_before.feeds["feed.xml"] else None
        new_moment = (newest + (now - newest) / 2).replace(second=0, microsecond=0)
        if new_moment <= newest:
            new_moment = newest + timedelta(seconds=1)
        newest_matter = front_matter(newest_entry.path) if newest_entry else {}
        tags = ["Stability Check"] + as_list(newest_matter.get("tags"))
        areas = as_list(newest_matter.get("areas"))
        posts_dir = copy / "posts"
        posts_dir.mkdir(exist_ok=True)

        def write_post(name: str, title: str, moment: datetime, extra: str = "") -> None:
            (posts_dir / name).write_text(
                "---\n"
                f"title: {title}\n"
                f"date: {moment.isoformat(timespec='seconds')}\n"
                "author: Feed Check\n"
                f"tags: {json.dumps(tags)}\n"
                f"areas: {json.dumps(areas)}\n"
                f"{extra}"
                "---\n\n"
                f"{title}: a post added by the feed stability check, with [a link](/about/).\n",
                encoding="utf-8")

        write_post("zz-feed-check-new.md", "Feed check new post", new_moment)
        write_post("zz-feed-check-draft.md", "Feed check draft", new_moment, "draft: true\n")
        write_post("zz-feed-check-scheduled.md", "Feed check scheduled post", now + timedelta(minutes=1))
        build(hubsite, copy, theme, output, now_text)
        after = {feed: read_items(output, feed) for feed in feed_files(output)}

        new_link = None
        expected_after = expected_feeds(copy, now)
        for entry in expected_after.feeds["feed.xml"]:
            if entry.path.name == "zz-feed-check-new.md":
                new_link = entry.link
        if new_link is None:
            return ["stability: the added post is not expected in feed.xml; the check itself is wrong"]

        limit = expected_after.feed_items
        for feed, old_items in sorted(before.items()):
            new_items = after.get(feed)
            if new_items is None:
                problems.append(f"stability: {feed} disappeared after adding a post")
                continue
            gained = any(e.link == new_link for e in expected_after.feeds.get(feed, []))
            if gained:
                if not new_items or new_items[0][1] != new_link:
                    problems.append(f"stability: {feed}: the new post is not the first item (first is {new_items[0][1] if new_items else 'nothing'})")
                    continue
                kept, wanted = new_items[1:], old_items[: limit - 1]
            else:
                kept, wanted = new_items, old_items
            if kept != wanted:
                for old, new in zip(wanted, kept):
                    if old != new:
                        problems.append(f"stability: {feed}: item changed: (guid, link, pubDate) was {old}, now {new}")
                        break
                else:
                    problems.append(f"stability: {feed}: {len(wanted)} earlier items expected after the new one, found {len(kept)}")
        for feed in sorted(set(after) - set(before)):
            if not any(link == new_link for _, link, _ in after[feed]):
                problems.append(f"stability: {feed} appeared without the new post in it")
        problems.extend(f"stability (after adding a post, a draft and a scheduled post): {p}"
                        for p in check_site(output, copy, now))
    return problems


def shown(value: str, detail: dict | None) -> str:
    """What a feed reader shows for a value feedparser read: HTML is shown rendered."""
    if detail is not None and detail.get("type") == "text/plain":
        return value
    return html.unescape(value)


def escaping_check(hubsite: str, theme: str) -> list[str]:
    """Text that looks like HTML, in every element readers may take for HTML, shows as written."""
    literal = "Fish <b>and</b> chips &amp; peas"
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="hubsite-feeds-escaping-") as temporary:
        content = Path(temporary) / "content"
        (content / "posts").mkdir(parents=True)
        (content / "site.yml").write_text(f"title: 'Hub {literal}'\nbase_url: https://example.org/\n", encoding="utf-8")
        (content / "posts" / "fish.md").write_text(
            "---\n"
            f"title: {json.dumps(literal)}\n"
            "date: 2009-05-11 09:30\n"
            f"author: {json.dumps(literal)}\n"
            f"tags: [{json.dumps(literal)}]\n"
            f"summary: {json.dumps(literal)}\n"
            "---\n\nThe body.\n", encoding="utf-8")
        output = Path(temporary) / "site"
        build(hubsite, content, theme, output, "2010-01-01T00:00:00Z")
        parsed = feedparser.parse((output / "feed.xml").read_bytes())
        if parsed.bozo:
            return [f"escaping: feedparser complains: {parsed.bozo_exception!r}"]
        entry = parsed.entries[0]
        seen = {
            "channel <title>": shown(parsed.feed.title, parsed.feed.get("title_detail")),
            "<title>": shown(entry.title, entry.get("title_detail")),
            "<dc:creator>": shown(entry.get("author", ""), entry.get("author_detail")),
            "<category>": shown(entry.tags[0].term if entry.get("tags") else "", None),
            "<description>": shown(entry.summary, entry.get("summary_detail")),
        }
        for element, text in seen.items():
            want = "Hub " + literal if element == "channel <title>" else literal
            if text != want:
                problems.append(f"escaping: a reader shows {element} as {text!r}, not {want!r}")
    return problems


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", required=True, help="the built output folder")
    parser.add_argument("--content", default="content", help="the content it was built from (default: content)")
    parser.add_argument("--now", required=True, help="the --now the site was built with (ISO 8601 with offset)")
    parser.add_argument("--hubsite", help="the hubsite binary: also run the stability check")
    parser.add_argument("--theme", default="theme", help="the theme, for the stability check (default: theme)")
    args = parser.parse_args(argv)

    now = datetime.fromisoformat(args.now)
    if now.tzinfo is None:
        print("check_feeds: --now needs an offset, e.g. 2009-06-01T00:00:00+01:00", file=sys.stderr)
        return 2
    site, content = Path(args.site), Path(args.content)
    problems = check_site(site, content, now)
    feeds = feed_files(site)
    items = sum(len(read_items(site, f)) for f in feeds)
    stability = ""
    if args.hubsite:
        try:
            problems += stability_check(args.hubsite, content, str(Path(args.theme).resolve()), args.now, now)
            problems += escaping_check(args.hubsite, str(Path(args.theme).resolve()))
            stability = ", stability and escaping checks run"
        except RuntimeError as error:
            problems.append(f"stability: {error}")
    for problem in problems:
        print(f"error: {problem}")
    print(f"check_feeds: {len(feeds)} feeds, {items} items{stability}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
