#!/usr/bin/env python3
"""Writes the two Blogger test exports from the hub's own content (content/).

    python3 Tests/tools/make_blogger_exports.py [OUTPUT_FOLDER] [--copies N]

Default output: Tests/HubSiteTests/Fixtures/blogger/. It writes classic/blog-11-29-2026.xml
(Blogger's classic Atom export) and takeout/feed.atom (Takeout's export), holding the same
blog: the hub's posts, pages and comment as Blogger would have had them, and every awkward
case an import has to handle (see docs/authors.md, Moving from Blogger): untitled posts,
repeated titles, clashing file names, drafts, trashed posts, deleted and spam comments,
replies, labels with '&' and '/', <br /><br /> paragraphs, bold spans, images inside links,
BLOGGER_PHOTO_ID ids, onblur handlers, the blogger-post-footer tracker, tables, links
between posts and entities. The output is the same on every run.

The fixtures are a snapshot of content/ as it was when they were made: after regenerating
them, regenerate the golden output too (HUBSITE_UPDATE_FIXTURES=1 swift test --filter
BloggerImportTests) and read the diff.

--copies N repeats every post N times (each copy with its own id, file name and date), for
measuring a large import; the test fixtures are made without it.
"""
import html
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BLOG_ID = "4711471147114711471"
HOST = "http://www.myhertslaa.net"

# The Blogger file names of the hub's posts (Blogger cut long titles short).
FILE_NAMES = {
    "ni7-an-environment-for-a-thriving-third-sector": "ni7-environment-for-thriving-third",
    "welcome-to-the-hub": "welcome-to-hub",
    "hertfordshire-forward-and-the-vcs-seat": "hertfordshire-forward-and-vcs-seat",
    "a-countywide-volunteering-strategy-in-the-pipeline": "countywide-volunteering-strategy-in",
    "commissioning-and-the-voluntary-sector": "commissioning-and-voluntary-sector",
    "keeping-up-with-the-joneses": "keeping-up-with-joneses",
    "common-elements-of-ni7-plans": "common-elements-of-ni7-plans",
}


def front_matter(path):
    text = open(path, encoding="utf-8").read()
    _, head, body = text.split("---\n", 2)
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if value.startswith('"') and value.endswith('"'):
            value = value[1:-1]
        if value.startswith("[") and value.endswith("]"):
            value = [item.strip() for item in value[1:-1].split(",") if item.strip()]
        fields[key.strip()] = value
    return fields, body


def markdown_to_html(markdown):
    return subprocess.run(["cmark", "--unsafe"], input=markdown, capture_output=True, text=True, check=True).stdout


def iso(date, offset="+01:00"):
    """'2009-05-11 09:30' -> '2009-05-11T09:30:00.000+01:00' (the hub's spring dates are BST)."""
    day, _, clock = date.partition(" ")
    clock = clock or "00:00"
    if len(clock) == 5:
        clock += ":00"
    month = int(day[5:7])
    if month < 3 or month > 10 or (month == 3 and int(day[8:10]) < 29):
        offset = "+00:00"
    return f"{day}T{clock}.000{offset}"


def hub_posts():
    folder = os.path.join(ROOT, "content", "posts", "2009")
    posts = []
    for name in sorted(os.listdir(folder)):
        fields, body = front_matter(os.path.join(folder, name))
        slug = name[len("2009-05-11-"):-len(".md")]
        posts.append({"slug": slug, "fields": fields, "body": body, "md": name})
    return posts


def old_url(date, file_name):
    return f"{HOST}/{date[:4]}/{date[5:7]}/{file_name}.html"


def blogger_html(post, by_md, index):
    """The post's Markdown as Blogger's editor would have stored it."""
    markdown = post["body"]

    def link(match):
        words, target = match.group(1), match.group(2)
        md = os.path.basename(target.split("#")[0])
        if target.endswith(".md") or ".md#" in target:
            other = by_md.get(md)
            if other:
                return f"[{words}]({old_url(other['fields']['date'], FILE_NAMES[other['slug']])})"
        if target.startswith("/tags/"):
            return f"[{words}]({HOST}/search/label/{target.split('/')[2].upper() if target.split('/')[2] == 'ni7' else target.split('/')[2]})"
        if target.startswith("/"):
            return words  # Blogger had no area or archive pages of this kind.
        return match.group(0)

    markdown = re.sub(r"\[([^\]]+)\]\(([^)\s]+)\)", link, markdown)
    body = markdown_to_html(markdown)
    body = body.replace("<strong>", '<span style="font-weight: bold;">').replace("</strong>", "</span>")
    body = body.replace("\u2019", "&#8217;").replace("\u00a3", "&pound;")
    if index % 2 == 0:
        # Blogger's own habit: paragraphs as line breaks.
        body = re.sub(r"</p>\s*<p>", "<br /><br />", body)
        body = body.replace("<p>", "").replace("</p>", "")
    return body.strip()


FOOTER = ('<div class="blogger-post-footer"><img width="1" height="1" '
          'src="https://blogger.googleusercontent.com/tracker/4711471147114711471-{id}?l=www.myhertslaa.net" '
          'alt="" /></div>')


def entries():
    posts = hub_posts()
    by_md = {post["md"]: post for post in posts}
    items = []
    post_id = 9000
    for index, post in enumerate(posts):
        post_id += 1
        fields = post["fields"]
        items.append({
            "kind": "post", "id": str(post_id), "title": fields["title"],
            "published": iso(fields["date"]), "updated": iso(fields.get("updated", fields["date"])),
            "author": fields.get("author", "Anonymous"), "labels": fields.get("tags", []),
            "file": f"/{fields['date'][:4]}/{fields['date'][5:7]}/{FILE_NAMES[post['slug']]}.html",
            "html": blogger_html(post, by_md, index) + FOOTER.format(id=post_id), "status": "LIVE",
        })
    joneses = next(item for item in items if item["file"].endswith("keeping-up-with-joneses.html"))

    awkward = [
        # An image inside the link to its full-size copy, with Blogger's id, handler and styles;
        # a table; entities; a label with '&' and one with '/'.
        {"title": "Photos from the Stevenage VCS fair", "published": "2009-06-02T16:05:00.000+01:00",
         "file": "/2009/06/photos-from-stevenage-vcs-fair.html", "author": "Claire Hughes",
         "labels": ["Health & Wellbeing", "Housing/Homelessness", "Events"],
         "html": ('<div style="text-align: center;"><a onblur="try {parent.deselectBloggerImageGracefully();} catch(e) {}" '
                  'href="http://4.bp.blogspot.com/_hub/SiVx1/AAAA/s1600-h/stevenage-fair.jpg">'
                  '<img style="display:block; margin:0px auto 10px; cursor:pointer; width: 320px;" '
                  'src="http://4.bp.blogspot.com/_hub/SiVx1/AAAA/s320/stevenage-fair.jpg" '
                  'border="0" alt="Stalls at the Stevenage VCS fair" title="The fair in the Leisure Centre" '
                  'id="BLOGGER_PHOTO_ID_5343317774081220482" /></a></div>'
                  'Over 40 groups came to the fair &amp; more than 300 visitors.&nbsp; Thanks to everyone at '
                  'Stevenage CVS&#8217;s team, and see <a href="' + HOST + '/2009/05/keeping-up-with-joneses.html?m=1#c5550001">'
                  'last month&#8217;s round-up</a> for the wider picture.<br /><br />'
                  '<table border="1"><tr><th>Group</th><th>Stalls</th></tr>'
                  '<tr><td>Health &amp; wellbeing</td><td>12</td></tr>'
                  '<tr><td>Housing</td><td>7</td></tr></table>'
                  '<br />Cost of the hall: &pound;150 &lt;shared&gt;.')},
        # Untitled: Blogger named it blog-post.html.
        {"title": "", "published": "2009-06-09T08:45:00.000+01:00", "file": "/2009/06/blog-post.html",
         "author": "Mark Davies", "labels": ["Hub News"],
         "html": "Reminder: the LSP board meets on Thursday in County Hall.<br />All welcome."},
        # Repeated titles.
        {"title": "Monthly round-up", "published": "2009-06-25T17:00:00.000+01:00",
         "file": "/2009/06/monthly-round-up.html", "author": "Ethel Bangwayo", "labels": ["NI7"],
         "html": "<p>June&#8217;s news in brief.</p><ul><li>One</li><li><b>Two</b> <i>things</i></li></ul>"},
        {"title": "Monthly round-up", "published": "2009-07-28T17:00:00.000+01:00",
         "file": "/2009/07/monthly-round-up.html", "author": "Ethel Bangwayo", "labels": ["NI7"],
         "html": "<p>July&#8217;s news in brief.</p><blockquote>Quoted <strong>words</strong>.</blockquote>"
                 "<pre>code  block\n  indented</pre>"},
        # Clashing file names in two months.
        {"title": "News", "published": "2009-06-30T12:00:00.000+01:00", "file": "/2009/06/news.html",
         "author": "Helen Morris", "labels": ["Hub News"], "html": "<h3>First</h3><p>Some news.</p>"},
        {"title": "More news", "published": "2009-07-30T12:00:00.000+01:00", "file": "/2009/07/news.html",
         "author": "Helen Morris", "labels": ["hub news"], "html": "<p>More news, with a <a href=\"javascript:alert(1)\">bad link</a>.</p>"},
        # A draft, and (Takeout only) a trashed post.
        {"title": "Draft: autumn plans", "published": "2009-08-01T09:00:00.000+01:00", "file": "/2009/08/draft-autumn-plans.html",
         "author": "Andrew Hart", "labels": ["Funding"], "html": "<p>Not finished yet.</p>", "status": "DRAFT"},
        {"title": "Thrown away", "published": "2009-08-02T09:00:00.000+01:00", "file": "/2009/08/thrown-away.html",
         "author": "Andrew Hart", "labels": [], "html": "<p>Trashed.</p>", "status": "SOFT_TRASHED"},
    ]
    for item in awkward:
        post_id += 1
        item.update({"kind": "post", "id": str(post_id), "updated": item["published"]})
        item.setdefault("status", "LIVE")
        items.append(item)

    for name, page_id in (("about", "8001"), ("contact", "8002")):
        fields, body = front_matter(os.path.join(ROOT, "content", "pages", name + ".md"))
        page_html = markdown_to_html(re.sub(r"\[([^\]]+)\]\((?:\.\./|/)[^)]*\)", r"\1", body)).strip()
        items.append({"kind": "page", "id": page_id, "title": fields["title"], "published": "2009-03-20T09:00:00.000Z",
                      "updated": "2009-03-20T09:00:00.000Z", "author": "Claire Hughes", "labels": [],
                      "file": f"/p/{name}.html", "html": page_html, "status": "LIVE"})

    post = joneses["id"]
    comments = [
        {"id": "5550001", "post": post, "author": "Debbie Ollett", "published": "2009-05-12T10:15:00.000+01:00",
         "html": "Many thanks for this round-up. It arrives at just the right moment, and gives a clear, compact view "
                 "of what is already under way and what is planned. I look forward to watching the blog grow.<br /><br />"
                 "Debbie Ollett<br />Regional Development Officer, Age Concern and Help the Aged"},
        {"id": "5550002", "post": post, "author": "Ethel Bangwayo", "published": "2009-05-12T14:02:00.000+01:00",
         "reply": "5550001", "html": "Thank you, Debbie &amp; all at Age Concern!"},
        {"id": "5550003", "post": post, "author": "Anonymous", "published": "2009-05-13T09:00:00.000+01:00",
         "html": "<b>Is</b> there a <a href=\"http://www.example.org/ni7\" onclick=\"steal()\">list</a> of plans? "
                 "<img src=\"http://example.org/x.gif\" alt=\"smile\" /><script>alert(1)</script><h1>Big</h1>"},
        {"id": "5550004", "post": post, "author": "Anonymous", "published": "2009-05-13T11:30:00.000+01:00",
         "reply": "5550003", "html": "Yes: see <a href=\"" + HOST + "/2009/05/common-elements-of-ni7-plans.html\">the next post</a>."},
        {"id": "5550005", "post": post, "author": "Spam Bot", "published": "2009-05-14T03:00:00.000+01:00",
         "html": "Cheap pills", "status": "SPAM"},
        {"id": "5550006", "post": post, "author": "Mark Davies", "published": "2009-05-15T08:00:00.000+01:00",
         "html": "This comment has been removed by the author.", "status": "DELETED"},
    ]
    return items, comments


def esc(text):
    return html.escape(text, quote=True)


def classic(items, comments):
    out = ["<?xml version='1.0' encoding='UTF-8'?>",
           "<?xml-stylesheet href=\"http://www.blogger.com/styles/atom.css\" type=\"text/css\"?>",
           "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
           "xmlns:gd='http://schemas.google.com/g/2005' xmlns:thr='http://purl.org/syndication/thread/1.0' "
           "xmlns:georss='http://www.georss.org/georss'>",
           f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.archive</id>",
           "<updated>2026-11-29T12:00:00.000+00:00</updated>",
           "<title type='text'>Hertfordshire LAA Hub</title>",
           f"<link rel='alternate' type='text/html' href='{HOST}/'/>",
           "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"]
    kind = "<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#{}'/>"
    for name, value in (("BLOG_NAME", "Hertfordshire LAA Hub"), ("BLOG_COMMENT_FORM_MESSAGE",
                        "Please include your name and organisation when you post a comment.")):
        out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.settings.{name}</id>", kind.format("settings"),
                f"<content type='text'>{esc(value)}</content>", "</entry>"]
    out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.layout</id>", kind.format("template"),
            "<content type='text'>&lt;b:skin&gt;&lt;/b:skin&gt;</content>", "</entry>"]
    for item in items:
        if item["status"] == "SOFT_TRASHED":
            continue  # the classic export never held trashed posts
        out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.{'post' if item['kind'] == 'post' else 'page'}-{item['id']}</id>",
                f"<published>{item['published']}</published>", f"<updated>{item['updated']}</updated>"]
        if item["status"] == "DRAFT":
            out.append("<app:control xmlns:app='http://purl.org/atom/app#'><app:draft>yes</app:draft></app:control>")
        out.append(kind.format(item["kind"]))
        out += [f"<category scheme='http://www.blogger.com/atom/ns#' term='{esc(label)}'/>" for label in item["labels"]]
        out += [f"<title type='text'>{esc(item['title'])}</title>",
                f"<content type='html'>{esc(item['html'])}</content>"]
        if item["status"] != "DRAFT":
            out.append(f"<link rel='alternate' type='text/html' href='{HOST}{item['file']}' title='{esc(item['title'])}'/>")
        out += [f"<author><name>{esc(item['author'])}</name><email>noreply@blogger.com</email></author>", "</entry>"]
    by_id = {item["id"]: item for item in items}
    for comment in comments:
        if comment.get("status") == "SPAM":
            continue  # nor spam
        post = by_id[comment["post"]]
        out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{comment['id']}</id>",
                f"<published>{comment['published']}</published>", f"<updated>{comment['published']}</updated>",
                kind.format("comment"), "<title type='text'>" + esc(comment["html"][:30]) + "</title>",
                f"<content type='html'>{esc(comment['html'])}</content>",
                f"<link rel='alternate' type='text/html' href='{HOST}{post['file']}?showComment=1#c{comment['id']}' title=''/>"]
        if comment.get("reply"):
            out.append(f"<link rel='related' href='http://www.blogger.com/feeds/{BLOG_ID}/{post['id']}/comments/default/{comment['reply']}'/>")
        out += [f"<author><name>{esc(comment['author'])}</name></author>",
                f"<thr:in-reply-to xmlns:thr='http://purl.org/syndication/thread/1.0' href='{HOST}{post['file']}' "
                f"ref='tag:blogger.com,1999:blog-{BLOG_ID}.post-{post['id']}' source='http://www.blogger.com/feeds/{BLOG_ID}/posts/default/{post['id']}' type='text/html'/>",
                "</entry>"]
    out.append("</feed>")
    return "\n".join(out) + "\n"


def takeout(items, comments):
    out = ["<?xml version='1.0' encoding='utf-8'?>",
           "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>",
           f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id>",
           "<title>Hertfordshire LAA Hub</title>",
           f"<link rel='alternate' type='text/html' href='{HOST}/'/>"]
    for item in items:
        kind = item["kind"]
        out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{item['id']}</id>",
                f"<blogger:type>{kind.upper()}</blogger:type>", f"<blogger:status>{item['status']}</blogger:status>",
                f"<author><name>{esc(item['author'])}</name><uri></uri><blogger:type>BLOGGER</blogger:type></author>",
                f"<title>{esc(item['title'])}</title>", f"<content type='html'>{esc(item['html'])}</content>",
                f"<blogger:created>{item['published']}</blogger:created>", f"<published>{item['published']}</published>",
                f"<updated>{item['updated']}</updated>", "<blogger:location></blogger:location>"]
        out += [f"<category scheme='tag:blogger.com,1999:blog-{BLOG_ID}' term='{esc(label)}'/>" for label in item["labels"]]
        out += [f"<blogger:filename>{item['file']}</blogger:filename>", "</entry>"]
    for comment in comments:
        status = {"SPAM": "SPAM_COMMENT"}.get(comment.get("status"), comment.get("status", "LIVE"))
        out += ["<entry>", f"<id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{comment['id']}</id>",
                "<blogger:type>COMMENT</blogger:type>", f"<blogger:status>{status}</blogger:status>",
                f"<author><name>{esc(comment['author'])}</name><uri></uri>"
                f"<blogger:type>{'ANONYMOUS' if comment['author'] == 'Anonymous' else 'BLOGGER'}</blogger:type></author>",
                f"<content type='html'>{esc(comment['html'])}</content>",
                f"<blogger:created>{comment['published']}</blogger:created>",
                f"<published>{comment['published']}</published>", f"<updated>{comment['published']}</updated>",
                f"<blogger:parent>tag:blogger.com,1999:blog-{BLOG_ID}.post-{comment['post']}</blogger:parent>"]
        if comment.get("reply"):
            out.append(f"<blogger:inReplyTo>{comment['reply']}</blogger:inReplyTo>")
        out.append("</entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"


def copies(items, count):
    """Each post `count` times, a day apart per round, with its own id and file name."""
    posts = [item for item in items if item["kind"] == "post"]
    result = list(items)
    for round_ in range(count):
        for item in posts:
            copy = dict(item)
            year = 2010 + round_ // 300
            day = round_ % 300
            month, mday = 1 + day // 25, 1 + day % 25
            stamp = f"{year}-{month:02d}-{mday:02d}T{item['published'][11:]}"
            copy.update({"id": f"{item['id']}{round_:05d}", "published": stamp, "updated": stamp,
                         "file": f"/{year}/{month:02d}/{os.path.basename(item['file'])[:-5]}-{round_}.html"})
            result.append(copy)
    return result


def main():
    arguments = sys.argv[1:]
    count = 0
    if "--copies" in arguments:
        index = arguments.index("--copies")
        count = int(arguments[index + 1])
        del arguments[index:index + 2]
    folder = arguments[0] if arguments else os.path.join(ROOT, "Tests", "HubSiteTests", "Fixtures", "blogger")
    items, comments = entries()
    if count:
        items = copies(items, count)
    for name, text in (("classic/blog-11-29-2026.xml", classic(items, comments)), ("takeout/feed.atom", takeout(items, comments))):
        path = os.path.join(folder, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
