import Foundation
#if canImport(FoundationXML)
import FoundationXML // XMLParser lives here on Linux
#endif
import HubSite
import Testing

/// The model stage and what it decides: tags, schedule, drafts, comments, snippets, slugs,
/// pages, aliases and ordering (docs/content.md).
@Suite("Site model")
struct ModelTests {
    // MARK: Tags

    @Test("tags with the same slug are one tag, shown in the spelling most posts use")
    func tagCaseFolding() throws {
        let result = model([
            "posts/a.md": post("A", date: "2009-05-01", extra: "tags: [Third Sector, NI7]"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "tags: [third sector]"),
            "posts/c.md": post("C", date: "2009-05-03", extra: "tags: [third sector, ni7, Ni7]"),
            "posts/d.md": post("D", date: "2009-05-04", extra: "tags: [THIRD-SECTOR]"),
        ])
        let site = try #require(result.site)
        #expect(site.tags.map(\.slug) == ["ni7", "third-sector"])
        #expect(site.tags.map(\.name) == ["NI7", "third sector"])
        // Newest first: d, c, b, a.
        #expect(site.tags.map { $0.postIndices.map { site.posts[$0].slug } } == [["c", "a"], ["d", "c", "b", "a"]])
        // A post naming one tag twice, in two spellings, counts it once.
        #expect(site.posts.first { $0.slug == "c" }?.tags.map(\.slug) == ["third-sector", "ni7"])
    }

    @Test("a tie between spellings goes to the first in Unicode order", arguments: [
        (["Third Sector", "third sector"], "Third Sector"),
        (["third sector", "Third Sector"], "Third Sector"),
        (["Café", "Cafe"], "Cafe"),
        (["cafe", "Cafe", "CAFE"], "CAFE"),
    ])
    func tagTies(spellings: [String], expected: String) throws {
        var files: [String: String] = [:]
        for (index, spelling) in spellings.enumerated() {
            files["posts/p\(index).md"] = post("P\(index)", date: "2009-05-0\(index + 1)", extra: "tags: [\"\(spelling)\"]")
        }
        let site = try #require(model(files).site)
        #expect(site.tags.map(\.name) == [expected])
    }

    @Test("a tag used only by a draft has no page and no feed")
    func tagOfDraftOnly() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-01", extra: "tags: [Shown]"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "tags: [Hidden]\ndraft: true"),
        ])
        #expect(result.paths.contains("tags/shown/index.html"))
        #expect(result.paths.contains("tags/shown/feed.xml"))
        #expect(!result.paths.contains { $0.hasPrefix("tags/hidden/") })
        #expect(result.text("tags/index.html")?.contains("Hidden") == false)
    }

    @Test("every tag link on a post shows the tag in the spelling most posts use")
    func tagSpellingOnPostPage() throws {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-01", extra: "tags: [Third Sector]"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "tags: [Third Sector]"),
            "posts/c.md": post("C", date: "2009-05-03", extra: "tags: [third sector]"),
        ])
        let page = try #require(result.text("2009/05/c/index.html"))
        let feed = try #require(result.text("feed.xml"))
        #expect(result.text("tags/index.html")?.contains(">Third Sector</a>") == true)
        let pageUsesTagSpelling = page.contains("rel=\"tag\">Third Sector</a>")
        let pageHasOwnSpelling = page.contains(">third sector<")
        let feedHasOwnSpelling = feed.contains("<category>third sector</category>")
        #expect(pageUsesTagSpelling)
        #expect(!pageHasOwnSpelling)
        #expect(!feedHasOwnSpelling)
    }

    // MARK: Drafts and schedule

    @Test("a draft is held back with a note, unless drafts are included")
    func drafts() throws {
        let files = [
            "posts/a.md": post("A", date: "2009-05-01"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "draft: true"),
            "pages/wip.md": "---\ntitle: WIP\ndraft: true\n---\nSoon.\n",
        ]
        let held = generate(files)
        #expect(report(held.diagnostics) == [
            "content/pages/wip.md:1:1: note: draft, not published",
            "content/posts/b.md:4:8: note: draft, not published",
        ])
        #expect(!held.paths.contains("2009/05/b/index.html"))
        #expect(!held.paths.contains("wip/index.html"))
        #expect(held.text("feed.xml")?.contains("<title>B</title>") == false)
        #expect(held.text("sitemap.xml")?.contains("/2009/05/b/") == false)

        let shown = generate(files, drafts: true)
        #expect(report(shown.diagnostics) == ["content/posts/b.md:4:8: note: draft, shown with a banner because of --drafts"])
        #expect(shown.paths.contains("2009/05/b/index.html"))
        #expect(shown.paths.contains("wip/index.html"))
        #expect(shown.text("feed.xml")?.contains("<title>B</title>") == true)
        #expect(shown.text("index.html")?.contains("<a href=\"/2009/05/b/\">B</a>") == true)
    }

    @Test("a post dated after now is scheduled: left out everywhere, with a note naming its time")
    func scheduledPost() throws {
        let files = [
            "posts/2009/old.md": post("Old", date: "2009-05-01", extra: "tags: [News]"),
            "posts/2010/launch.md": post("Launch", date: "2031-01-01 09:00", extra: "tags: [News, Future]"),
        ]
        let early = generate(files, now: "2030-12-31T23:59:59Z")
        #expect(report(early.diagnostics) == ["content/posts/2010/launch.md:3:7: note: scheduled for 2031-01-01 09:00, not published"])
        #expect(!early.paths.contains { $0.hasPrefix("2031/") || $0.hasPrefix("tags/future/") })
        for path in ["index.html", "feed.xml", "tags/news/feed.xml", "tags/news/index.html", "archive/index.html", "sitemap.xml"] {
            #expect(early.text(path)?.contains("Launch") == false && early.text(path)?.contains("2031") == false, "\(path)")
        }

        // A build on or after the date publishes it.
        let onTime = generate(files, now: "2031-01-01T09:00:00Z")
        #expect(onTime.diagnostics.isEmpty)
        #expect(onTime.paths.contains("2031/01/launch/index.html"))
        #expect(onTime.paths.contains("tags/future/feed.xml"))
    }

    @Test("the schedule is kept in the site's zone: 09:00 in London is 08:00Z in summer")
    func scheduleInSiteZone() {
        let files = ["posts/a.md": post("A", date: "2031-06-01 09:00")]
        #expect(generate(files, now: "2031-06-01T07:59:59Z").paths.contains("2031/06/a/index.html") == false)
        #expect(generate(files, now: "2031-06-01T08:00:00Z").paths.contains("2031/06/a/index.html"))
    }

    @Test("scheduled snippets wait too")
    func scheduledSnippet() throws {
        let result = generate([
            "areas/essex/index.md": "---\nname: Essex\n---\nThe county.\n",
            "areas/essex/now.md": "---\ntitle: Now\ndate: 2009-05-01\n---\nDone.\n",
            "areas/essex/later.md": "---\ntitle: Later\ndate: 2031-01-01\n---\nPlanned.\n",
        ])
        #expect(report(result.diagnostics) == ["content/areas/essex/later.md:3:7: note: scheduled for 2031-01-01 00:00, not published"])
        let page = try #require(result.text("areas/essex/index.html"))
        #expect(page.contains("snippet-now"))
        #expect(!page.contains("snippet-later"))
        #expect(result.text("areas/essex/feed.xml")?.contains("Later") == false)
    }

    // MARK: Comments

    private let commented: [String: String] = [
        "posts/2009/2009-05-11-joneses.md": post("Joneses", date: "2009-05-11 09:30"),
        "comments/joneses/b-first-by-name.md": "---\nname: Zoe\norganisation: Later Org\ndate: 2009-05-13 08:00\n---\nSecond.\n",
        "comments/joneses/z-last-by-name.md": "---\nname: Amy\norganisation: Early Org\ndate: 2009-05-12 10:15\n---\nFirst.\n",
        "comments/joneses/a-same-time.md": "---\nname: Bob\norganisation: Tie Org\ndate: 2009-05-13 08:00\n---\nThird? No: tie, by path.\n",
    ]

    @Test("comments are shown oldest first (ties by path), numbered in that order")
    func commentOrder() throws {
        let site = try #require(model(commented).site)
        let comments = try #require(site.posts.first?.comments)
        #expect(comments.map(\.name) == ["Amy", "Bob", "Zoe"])
        #expect(comments.map(\.anchor) == ["comment-1", "comment-2", "comment-3"])
        let page = try #require(generate(commented).text("2009/05/joneses/index.html"))
        #expect(page.contains("<h2 id=\"comments--heading\">3 comments:</h2>"))
        let amy = try #require(page.range(of: "Amy"))
        let zoe = try #require(page.range(of: "Zoe"))
        #expect(amy.lowerBound < zoe.lowerBound)
        #expect(page.contains("Tuesday 12 May 2009 at 10:15"))
    }

    private func comment(_ name: String, _ date: String, replyTo: String? = nil) -> String {
        "---\nname: \(name)\norganisation: O\ndate: \(date)\n" + (replyTo.map { "reply_to: \($0)\n" } ?? "") + "---\nBy \(name).\n"
    }

    @Test("a reply is shown beneath the comment that starts its thread, replies to replies too")
    func replies() throws {
        let files = [
            "posts/2009/2009-05-11-joneses.md": post("Joneses", date: "2009-05-11 09:30"),
            "comments/joneses/amy.md": comment("Amy", "2009-05-12 10:00"),
            "comments/joneses/bob.md": comment("Bob", "2009-05-12 11:00"),
            "comments/joneses/cat.md": comment("Cat", "2009-05-12 12:00", replyTo: "amy"),
            "comments/joneses/dan.md": comment("Dan", "2009-05-12 13:00", replyTo: "cat"),
        ]
        let result = model(files)
        #expect(report(result.diagnostics) == [])
        let comments = try #require(result.site?.posts.first?.comments)
        #expect(comments.map(\.replyTo) == [nil, nil, "comment-1", "comment-3"])
        #expect(comments.map(\.threadAnchor) == [nil, nil, "comment-1", "comment-1"])
        let page = try #require(generate(files).text("2009/05/joneses/index.html"))
        // Amy's thread (with Cat and Dan inside it) closes before Bob's comment starts.
        let replies = try #require(page.range(of: "<ol class=\"comment-replies\">"))
        let bob = try #require(page.range(of: "<li id=\"comment-2\""))
        let cat = try #require(page.range(of: "<li id=\"comment-3\" class=\"comment comment-reply\">"))
        let dan = try #require(page.range(of: "<li id=\"comment-4\" class=\"comment comment-reply\">"))
        #expect(replies.lowerBound < cat.lowerBound && cat.lowerBound < dan.lowerBound && dan.lowerBound < bob.lowerBound)
        #expect(page.contains("In reply to <a href=\"#comment-3\">Cat</a>"))
    }

    @Test("a reply_to naming no comment, or one not older, is a warning and the comment stands alone")
    func replyToProblems() throws {
        let files = [
            "posts/2009/2009-05-11-joneses.md": post("Joneses", date: "2009-05-11 09:30"),
            "comments/joneses/amy.md": comment("Amy", "2009-05-12 10:00", replyTo: "bob"),
            "comments/joneses/bob.md": comment("Bob", "2009-05-12 11:00", replyTo: "amy"),
            "comments/joneses/cat.md": comment("Cat", "2009-05-12 12:00", replyTo: "amu"),
            "comments/joneses/dan.md": comment("Dan", "2009-05-12 13:00", replyTo: "dan"),
        ]
        let result = model(files)
        #expect(report(result.diagnostics) == [
            "content/comments/joneses/amy.md:5:11: warning: 'reply_to' names 'bob', which is not older than this comment;"
                + " a comment can only answer an earlier one, so it is shown on its own",
            "content/comments/joneses/cat.md:5:11: warning: 'reply_to' names no comment on this post: 'amu' (did you mean 'amy'?);"
                + " write the file name of the answered comment without '.md'. Shown on its own",
            "content/comments/joneses/dan.md:5:11: warning: 'reply_to' names 'dan', which is not older than this comment;"
                + " a comment can only answer an earlier one, so it is shown on its own",
        ])
        let comments = try #require(result.site?.posts.first?.comments)
        #expect(comments.map(\.threadAnchor) == [nil, "comment-1", nil, nil])
    }

    @Test("comments never carry raw HTML or unsafe links, whatever raw_html says")
    func commentsAreSafe() throws {
        let files = [
            "posts/a.md": post("A", date: "2009-05-11", body: "<em>raw in the post</em>"),
            "comments/a/c.md": "---\nname: N\norganisation: O\ndate: 2009-05-12\n---\n<script>alert(1)</script>\n\nSee [this](javascript:alert(2)) and <b>bold</b>.\n",
        ]
        let result = generate(files, settings: defaultSettings + "\nraw_html: true\n")
        let page = try #require(result.text("2009/05/a/index.html"))
        #expect(page.contains("<em>raw in the post</em>"))
        #expect(!page.contains("<script>"))
        #expect(!page.contains("javascript:"))
        #expect(!page.contains("<b>bold</b>"))
        #expect(page.contains("See this and <!-- raw HTML omitted -->bold<!-- raw HTML omitted -->."))
    }

    @Test("comments on a draft post wait unseen; with --drafts they show")
    func commentsOnDraft() throws {
        let files = [
            "posts/a.md": post("A", date: "2009-05-11", extra: "draft: true"),
            "comments/a/c.md": "---\nname: Hidden Commenter\norganisation: O\ndate: 2009-05-12\n---\nHi.\n",
        ]
        let held = generate(files)
        #expect(held.errors.isEmpty)
        #expect(held.files?.contains { String(decoding: $0.bytes, as: UTF8.self).contains("Hidden Commenter") } == false)
        let shown = generate(files, drafts: true)
        #expect(shown.text("2009/05/a/index.html")?.contains("Hidden Commenter") == true)
    }

    @Test("comments on a scheduled post wait unseen, without an error")
    func commentsOnScheduled() {
        let result = generate([
            "posts/a.md": post("A", date: "2031-01-01"),
            "comments/a/c.md": "---\nname: Early Bird\norganisation: O\ndate: 2009-05-12\n---\nHi.\n",
        ])
        #expect(result.errors.isEmpty)
        #expect(result.files?.contains { String(decoding: $0.bytes, as: UTF8.self).contains("Early Bird") } == false)
    }

    @Test("a comments folder whose post does not exist is an error with a suggestion")
    func commentsForUnknownPost() {
        let result = model([
            "posts/2009-05-11-joneses.md": post("Joneses", date: "2009-05-11"),
            "comments/jonses/c.md": "---\nname: N\norganisation: O\ndate: 2009-05-12\n---\nHi.\n",
        ])
        #expect(report(result.diagnostics) == [
            "content/comments/jonses/c.md:1:1: error: comments for unknown post 'jonses' (did you mean 'joneses'?)",
        ])
    }

    @Test("a post with a problem still owns its comments: no second, false error about them")
    func commentsOfPostWithError() {
        let result = model([
            "areas/essex/index.md": "---\nname: Essex\n---\n",
            "posts/joneses.md": post("Joneses", date: "2009-05-11", extra: "areas: [esex]"),
            "comments/joneses/c.md": "---\nname: N\norganisation: O\ndate: 2009-05-12\n---\nHi.\n",
        ])
        let lines = report(result.diagnostics)
        #expect(lines.contains("content/posts/joneses.md:4:9: error: unknown area 'esex' (did you mean 'essex'?)"))
        #expect(lines == ["content/posts/joneses.md:4:9: error: unknown area 'esex' (did you mean 'essex'?)"])
    }

    // MARK: Areas and snippets

    @Test("snippets are newest first (ties by file name), anchored snippet-<file name>")
    func snippets() throws {
        let files = [
            "areas/essex/index.md": "---\nname: Essex\nregion: East of England\n---\nThe county.\n",
            "areas/essex/endowment-fund.md": "---\ntitle: Endowment\ndate: 2009-04-20\nsource: Essex NI7 plan\ntags: [Funding]\n---\nMoney.\n",
            "areas/essex/b-review.md": "---\ntitle: Review\ndate: 2009-05-01\n---\nReview.\n",
            "areas/essex/a-review.md": "---\ntitle: Also review\ndate: 2009-05-01\n---\nAlso.\n",
        ]
        let site = try #require(model(files).site)
        let area = try #require(site.areas.first)
        #expect(area.snippets.map(\.anchor) == ["snippet-a-review", "snippet-b-review", "snippet-endowment-fund"])

        let result = generate(files)
        let page = try #require(result.text("areas/essex/index.html"))
        #expect(page.contains("<h3 id=\"snippet-endowment-fund\" class=\"snippet-title\">"))
        #expect(page.contains("<a href=\"/areas/essex/#snippet-endowment-fund\">Endowment</a>"))
        #expect(page.contains("Source: Essex NI7 plan"))
        #expect(page.contains("<span class=\"tag\">Funding</span>"))
        // Snippet tags are shown on the area page only: they make no tag pages.
        #expect(!result.paths.contains { $0.hasPrefix("tags/funding") })
        let feed = try #require(result.text("areas/essex/feed.xml"))
        #expect(feed.contains("<guid isPermaLink=\"true\">https://example.org/areas/essex/#snippet-endowment-fund</guid>"))
        #expect(feed.contains("<link>https://example.org/areas/essex/#snippet-a-review</link>"))
    }

    @Test("a post naming an unknown area is an error with a did-you-mean")
    func unknownArea() {
        let result = model([
            "areas/essex/index.md": "---\nname: Essex\n---\n",
            "posts/2009/joneses.md": post("Joneses", date: "2009-05-11", extra: "areas: [essex, esex, nowhere-at-all]"),
        ])
        #expect(report(result.diagnostics) == [
            "content/posts/2009/joneses.md:4:16: error: unknown area 'esex' (did you mean 'essex'?)",
            "content/posts/2009/joneses.md:4:22: error: unknown area 'nowhere-at-all'",
        ])
    }

    @Test("an area with nothing published has no feed; an area page lists the posts that name it")
    func areaFeeds() throws {
        let result = generate([
            "areas/essex/index.md": "---\nname: Essex\n---\n",
            "areas/quiet/index.md": "---\nname: Quiet\n---\n",
            "posts/a.md": post("About Essex", date: "2009-05-11", extra: "areas: [essex]"),
        ])
        #expect(result.paths.contains("areas/essex/feed.xml"))
        #expect(!result.paths.contains("areas/quiet/feed.xml"))
        #expect(result.paths.contains("areas/quiet/index.html"))
        #expect(result.text("areas/quiet/index.html")?.contains("feed.xml\"") == true) // the site feed only
        #expect(result.text("areas/quiet/index.html")?.contains("areas/quiet/feed.xml") == false)
        #expect(result.text("areas/essex/index.html")?.contains("<a href=\"/2009/05/a/\">About Essex</a>") == true)
    }

    @Test("a snippet in a folder without index.md is an error")
    func snippetWithoutProfile() {
        let result = model(["areas/ghost/s.md": "---\ntitle: S\ndate: 2009-05-01\n---\nx\n"])
        #expect(report(result.diagnostics) == [
            "content/areas/ghost/s.md:1:1: error: snippet of area 'ghost', which has no index.md profile",
        ])
    }

    @Test("an area's website must be an http(s) URL")
    func areaWebsite() {
        let result = model(["areas/x/index.md": "---\nname: X\nwebsite: javascript:alert(1)\n---\n"])
        #expect(report(result.diagnostics) == ["content/areas/x/index.md:3:10: error: 'website' must be an http(s) URL"])
    }

    // MARK: Slugs and paths

    @Test("two posts with the same slug are an error, wherever they are and whatever their dates")
    func duplicateSlugs() {
        let result = model([
            "posts/2009/2009-05-11-launch.md": post("Launch", date: "2009-05-11"),
            "posts/2010/launch.md": post("Launch again", date: "2010-01-01"),
            "posts/other.md": post("Other", date: "2009-06-01", extra: "slug: Launch"),
        ])
        #expect(report(result.diagnostics) == [
            "content/posts/2010/launch.md:1:1: error: duplicate post slug 'launch': content/posts/2009/2009-05-11-launch.md has it too",
            "content/posts/other.md:4:7: error: duplicate post slug 'launch': content/posts/2009/2009-05-11-launch.md has it too",
        ])
    }

    @Test("a draft and a published post may not share a slug either")
    func duplicateSlugWithDraft() {
        let result = model([
            "posts/a.md": post("A", date: "2009-05-11"),
            "posts/b.md": post("B", date: "2009-05-12", extra: "slug: a\ndraft: true"),
        ])
        #expect(result.diagnostics.contains { $0.severity == .error && $0.message.hasPrefix("duplicate post slug 'a'") })
    }

    @Test("a page whose slug clashes with a generated path is an error", arguments: [
        "tags", "areas", "archive", "page", "2009", "1999", "assets",
    ])
    func pageSlugClash(slug: String) {
        let result = model(["pages/p.md": "---\ntitle: P\nslug: \"\(slug)\"\n---\nx\n"])
        #expect(report(result.diagnostics) == [
            "content/pages/p.md:3:7: error: page slug '\(slug)' clashes with a generated path; choose another slug",
        ])
    }

    @Test("a page file named like a generated path clashes too")
    func pageFileNameClash() {
        let result = model(["pages/Archive.md": "---\ntitle: Archive\n---\nx\n"])
        #expect(report(result.diagnostics) == [
            "content/pages/Archive.md:1:1: error: page slug 'archive' clashes with a generated path; choose another slug",
        ])
    }

    @Test("pages become <slug>/index.html; two pages with one slug are an error")
    func pages() {
        let result = generate([
            "pages/about.md": "---\ntitle: About\nsummary: What this is.\n---\nHello.\n",
            "pages/contact-us.md": "---\ntitle: Contact\nslug: Get In Touch\n---\nWrite.\n",
        ])
        #expect(result.paths.contains("about/index.html"))
        #expect(result.paths.contains("get-in-touch/index.html"))
        #expect(result.text("about/index.html")?.contains("<meta name=\"description\" content=\"What this is.\">") == true)
        let clash = model([
            "pages/a.md": "---\ntitle: A\nslug: same\n---\n",
            "pages/b.md": "---\ntitle: B\nslug: same\n---\n",
        ])
        #expect(report(clash.diagnostics) == ["content/pages/b.md:3:7: error: duplicate page slug 'same': content/pages/a.md has it too"])
    }

    @Test("a post's URL uses the calendar day in the site's zone")
    func urlFromLocalDay() throws {
        let site = try #require(model([
            "posts/a.md": post("A", date: "2009-05-31T23:30:00Z"),
            "posts/b.md": post("B", date: "2009-01-01T00:30:00+02:00"),
        ]).site)
        #expect(site.posts.map(\.path) == ["2009/06/a/", "2008/12/b/"])
        #expect(site.archive.map(\.year) == [2009, 2008])
    }

    @Test("posts are newest first, ties broken by slug")
    func postOrder() throws {
        let site = try #require(model([
            "posts/z/b.md": post("B", date: "2009-05-11 09:30"),
            "posts/a/c.md": post("C", date: "2009-05-11 09:30"),
            "posts/a.md": post("A", date: "2009-05-11T08:30:00Z"),
            "posts/new.md": post("New", date: "2009-05-12"),
            "posts/old.md": post("Old", date: "2008-01-01"),
        ]).site)
        #expect(site.posts.map(\.slug) == ["new", "a", "b", "c", "old"])
    }

    // MARK: Aliases and guids

    @Test("each alias gets a page that redirects to the post")
    func aliases() throws {
        let result = generate(["posts/a.md": post("A & B", date: "2009-05-11", extra: "aliases: [/2009/04/old-name/, /old.html, legacy/path]")])
        #expect(result.errors.isEmpty)
        let redirect = try #require(result.text("2009/04/old-name/index.html"))
        #expect(redirect.contains("<meta http-equiv=\"refresh\" content=\"0; url=https://example.org/2009/05/a/\">"))
        #expect(redirect.contains("<link rel=\"canonical\" href=\"https://example.org/2009/05/a/\">"))
        #expect(redirect.contains("<title>A &amp; B</title>"))
        #expect(result.paths.contains("old.html"))
        #expect(result.paths.contains("legacy/path/index.html"))
    }

    @Test("an alias that would overwrite another page is an error")
    func aliasClash() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-11"),
            "posts/b.md": post("B", date: "2009-05-12", extra: "aliases: [/2009/05/a/]"),
        ])
        #expect(result.files == nil)
        #expect(result.errors.count == 1)
        #expect(result.errors.first?.contains("'2009/05/a/index.html' would be written twice") == true)
    }

    @Test("aliases that are not plain paths on this site are errors", arguments: [
        ("/../../escape/", "alias '/../../escape/' must not contain '.', '..', empty or control-character segments"),
        ("/a/%2e%2e/%2E%2E/%2e%2e/b/", "alias '/a/%2e%2e/%2E%2E/%2e%2e/b/' must not contain '.', '..', empty or control-character segments"),
        ("/a//b/", "alias '/a//b/' must not contain '.', '..', empty or control-character segments"),
        ("/a\\\\..\\\\..\\\\b/", "alias '/a\\..\\..\\b/' must not contain '.', '..', empty or control-character segments"),
        ("https://evil.example/x/", "alias 'https://evil.example/x/' must be a path on this site, e.g. /2009/05/old-slug/"),
        ("//evil.example/x/", "alias '//evil.example/x/' must be a path on this site, e.g. /2009/05/old-slug/"),
        ("/", "alias '/' cannot redirect the home page"),
        ("/old/?page=2", "alias '/old/?page=2' must be a path, without '?' or '#'"),
    ])
    func badAliases(alias: String, message: String) {
        let result = model(["posts/a.md": post("A", date: "2009-05-11", extra: "aliases: [\"\(alias)\"]")])
        #expect(report(result.diagnostics).map { String($0.drop { $0 != " " }.dropFirst()) } == ["error: " + message])
    }

    @Test("the guid defaults to the permalink; a guid from front matter is kept and not a permalink")
    func guids() throws {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-11"),
            "posts/b.md": post("B", date: "2009-05-12", extra: "guid: tag:myhertslaa.net,2009:b"),
        ])
        let feed = try #require(result.text("feed.xml"))
        #expect(feed.contains("<guid isPermaLink=\"true\">https://example.org/2009/05/a/</guid>"))
        #expect(feed.contains("<guid isPermaLink=\"false\">tag:myhertslaa.net,2009:b</guid>"))
    }

    // MARK: Feeds

    @Test("feeds: newest first, at most feed_items, lastBuildDate from the newest item, RFC 822 dates")
    func feeds() throws {
        var files: [String: String] = [:]
        for day in 1...5 {
            files["posts/p\(day).md"] = post("Post \(day)", date: "2009-05-0\(day) 09:30",
                                               extra: "author: Ann Author\ntags: [News, \"Third Sector\"]",
                                               body: "See [the areas](/areas/) and <i>this</i>.\n\n## Part\n\nMore.")
        }
        let result = generate(files, settings: defaultSettings + "\nfeed_items: 3\ntagline: Notes & news\n")
        let feed = try #require(result.text("feed.xml"))
        #expect(feed.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\""))
        #expect(feed.contains("<atom:link href=\"https://example.org/feed.xml\" rel=\"self\" type=\"application/rss+xml\"/>"))
        #expect(feed.contains("<lastBuildDate>Tue, 05 May 2009 09:30:00 +0100</lastBuildDate>"))
        #expect(feed.contains("<description>Notes &amp;amp; news</description>"))
        #expect(feed.components(separatedBy: "<item>").count - 1 == 3)
        let titles = feed.components(separatedBy: "<title>").dropFirst().map { $0.prefix { $0 != "<" } }
        #expect(titles == ["Test Hub", "Post 5", "Post 4", "Post 3"])
        #expect(feed.contains("<pubDate>Sun, 03 May 2009 09:30:00 +0100</pubDate>"))
        #expect(feed.contains("<dc:creator>Ann Author</dc:creator>"))
        #expect(feed.contains("<category>Third Sector</category>"))
        #expect(feed.contains("<description>See the areas and this.</description>"))
        // The full post, with absolute links, escaped as XML text.
        #expect(feed.contains("<content:encoded>&lt;p&gt;See &lt;a href=&quot;https://example.org/areas/&quot;&gt;the areas&lt;/a&gt;"))
        #expect(feed.contains("&lt;h2 id=&quot;part&quot;&gt;Part&lt;/h2&gt;"))
        let tagFeed = try #require(result.text("tags/third-sector/feed.xml"))
        #expect(tagFeed.contains("<atom:link href=\"https://example.org/tags/third-sector/feed.xml\" rel=\"self\""))
        #expect(tagFeed.contains("<title>Test Hub: Third Sector</title>"))
    }

    @Test("an area's feed mixes its posts and snippets, newest first")
    func areaFeedMix() throws {
        let result = generate([
            "areas/essex/index.md": "---\nname: Essex\n---\n",
            "areas/essex/s1.md": "---\ntitle: Snippet old\ndate: 2009-04-01\n---\nx\n",
            "areas/essex/s2.md": "---\ntitle: Snippet new\ndate: 2009-06-01\n---\nx\n",
            "posts/a.md": post("Post middle", date: "2009-05-01", extra: "areas: [essex]"),
        ])
        let feed = try #require(result.text("areas/essex/feed.xml"))
        let titles = feed.components(separatedBy: "<title>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(titles == ["Test Hub: Essex", "Snippet new", "Post middle", "Snippet old"])
        #expect(feed.contains("<lastBuildDate>Mon, 01 Jun 2009 00:00:00 +0100</lastBuildDate>"))
    }

    // MARK: Pages with several bodies

    @Test("on the home page each heading id is prefixed with its post's slug")
    func homePageIDs() throws {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-11", body: "## Funding\n\nx"),
            "posts/b.md": post("B", date: "2009-05-12", body: "## Funding\n\ny"),
        ])
        let home = try #require(result.text("index.html"))
        #expect(home.contains("<h2 id=\"a--funding\">Funding</h2>"))
        #expect(home.contains("<h2 id=\"b--funding\">Funding</h2>"))
        #expect(result.text("2009/05/a/index.html")?.contains("<h2 id=\"funding\">Funding</h2>") == true)
        let ids = allIDs(home)
        #expect(Set(ids).count == ids.count)
    }

    @Test("heading ids are unique on a page even when one post's slug is a prefix of another's")
    func homePagePrefixCollision() throws {
        let result = generate([
            "posts/funding.md": post("Funding", date: "2009-05-11", body: "## 2009 plans\n\nx"),
            "posts/funding-2009.md": post("Funding 2009", date: "2009-05-12", body: "## Plans\n\ny"),
        ])
        let home = try #require(result.text("index.html"))
        let ids = allIDs(home)
        #expect(ids.contains("funding--2009-plans") && ids.contains("funding-2009--plans"))
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
    }

    @Test("a body heading never takes an id the theme uses on the same page")
    func themeIDCollision() throws {
        let result = generate(["posts/a.md": post("A", date: "2009-05-11", body: "## Comments heading\n\n## Site header\n\nx")])
        let page = try #require(result.text("2009/05/a/index.html"))
        let ids = allIDs(page)
        #expect(ids.contains("site-header") && ids.contains("site--header"))
        #expect(Set(ids).count == ids.count, "duplicate ids: \(ids)")
    }

    // MARK: Escaping

    @Test("text from front matter is escaped in pages and feeds; it can never open a tag")
    func escaping() throws {
        let result = generate([
            "posts/a.md": post("Fish & Chips <script>alert(1)</script>", date: "2009-05-11",
                               extra: "author: \"O'Brien \\\"Ed\\\"\"\ntags: [\"<b>Bold</b>\"]\nsummary: 1 < 2 & 3 > 2"),
            "areas/x/index.md": "---\nname: \"X <i>\"\nwebsite: \"https://example.org/?a=1&b=2\"\n---\n",
        ])
        #expect(result.errors.isEmpty, "\(result.errors)")
        let page = try #require(result.text("2009/05/a/index.html"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("<b>Bold"))
        #expect(page.contains("Fish &amp; Chips &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("<meta name=\"description\" content=\"1 &lt; 2 &amp; 3 &gt; 2\">"))
        #expect(page.contains("O&#39;Brien &quot;Ed&quot;"))
        let feed = try #require(result.text("feed.xml"))
        // Escaped as HTML, then as XML: feed readers take these elements for HTML (FeedRenderer.htmlText).
        #expect(feed.contains("<title>Fish &amp;amp; Chips &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</title>"))
        #expect(feed.contains("<category>&amp;lt;b&amp;gt;Bold&amp;lt;/b&amp;gt;</category>"))
        #expect(XMLParser(data: Data(feed.utf8)).parse())
        let area = try #require(result.text("areas/x/index.html"))
        #expect(!area.contains("<i>"))
        #expect(area.contains("href=\"https://example.org/?a=1&amp;b=2\""))
    }

    // MARK: Static files and output paths

    @Test("static files are copied under the output root as they are, bytes untouched")
    func staticFiles() throws {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0x0D, 0x0A]
        var content = tree(["posts/a.md": post("A", date: "2009-05-11")]).content
        content.append(SourceFile(relativePath: "static/images/dot.png", displayPath: "content/static/images/dot.png", bytes: bytes))
        content.append(SourceFile(relativePath: "static/notes.txt", text: "line\r\nnext\r\n"))
        let result = Pipeline.generate(SourceTree(content: content, theme: realThemeFiles), options: BuildOptions(now: defaultNow))
        #expect(result.files?.first { $0.path == "images/dot.png" }?.bytes == bytes)
        #expect(result.text("notes.txt") == "line\r\nnext\r\n")
    }

    @Test("a static file that would overwrite a generated file is an error naming both")
    func staticClash() {
        let result = generate(["posts/a.md": post("A", date: "2009-05-11"), "static/feed.xml": "<rss/>"])
        #expect(result.files == nil)
        let lines = report(result.diagnostics)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("content/static/feed.xml:1:1: error: 'feed.xml' would be written twice: ") == true, "\(lines)")
    }

    @Test("a file where the site needs a folder is a located content error, found by check as well as build")
    func fileFolderClash() throws {
        let files = ["pages/about.md": "---\ntitle: About\n---\nx\n", "static/about": "a plain file"]
        let result = generate(files)
        #expect(result.files == nil)
        #expect(result.errors.contains { $0.hasPrefix("content/static/about:1:1: error: ") })
        // The build then fails while writing, as an environment problem, with the old site kept.
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        try writeFiles(files.merging(["site.yml": defaultSettings]) { $1 }, under: scratch.appendingPathComponent("content"))
        let output = scratch.appendingPathComponent("site")
        try writeFiles(["index.html": "old site"], under: output)
        let build = SiteBuild(contentPath: scratch.appendingPathComponent("content").path, themePath: TestPaths.theme.path,
                              options: BuildOptions(now: defaultNow))
        var failure: SiteBuild.Failure?
        do { _ = try build.build(outputPath: output.path, strict: false, force: true) } catch { failure = error }
        #expect(failure == nil)
        #expect(try fileTree(output) == ["index.html": Data("old site".utf8)])
    }

    @Test("everything under content/static is copied, dot-files such as .well-known/ included")
    func staticDotFiles() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        try writeFiles(["site.yml": defaultSettings, "static/.well-known/security.txt": "Contact: mailto:security@example.org\n",
                        "static/.htaccess": "Options -Indexes\n"], under: scratch)
        let read = FolderReader.forContent.read(root: scratch.path, displayRoot: "content")
        let result = Pipeline.generate(SourceTree(content: read.files, theme: realThemeFiles), options: BuildOptions(now: defaultNow))
        let paths = result.paths
        #expect(paths.contains(".well-known/security.txt"))
        #expect(paths.contains(".htaccess"))
    }

    @Test("a .md link to a snippet with a #fragment makes one fragment, the heading's id on the area page")
    func snippetLinkFragment() throws {
        let result = generate([
            "areas/x/index.md": "---\nname: X\n---\n",
            "areas/x/s.md": "---\ntitle: S\ndate: 2009-01-01\n---\n## Details\n\nx\n",
            "pages/about.md": "---\ntitle: About\n---\nSee [the snippet](../areas/x/s.md) and [its details](../areas/x/s.md#details).\n",
        ])
        let page = try #require(result.text("about/index.html"))
        let area = try #require(result.text("areas/x/index.html"))
        #expect(page.contains("<a href=\"/areas/x/#snippet-s\">the snippet</a>"))
        #expect(area.contains("id=\"snippet-s--details\""))
        let hrefs = OutputLinks.values(in: page, after: "href=\"", until: "\"").filter { $0.hasPrefix("/areas/x/") }
        #expect(hrefs.allSatisfy { $0.filter { $0 == "#" }.count <= 1 }, "\(hrefs)")
    }

    @Test("bad --base-url and --now values are located on the option")
    func optionErrors() {
        let badBase = generate(["posts/a.md": post("A", date: "2009-05-11")], baseURL: "example.org")
        #expect(report(badBase.diagnostics) == ["--base-url:1:1: error: 'base_url' must be an absolute http(s) URL, e.g. https://www.example.org/"])
        let badNow = generate(["posts/a.md": post("A", date: "2009-05-11")], now: "tomorrow")
        #expect(badNow.files == nil)
        #expect(report(badNow.diagnostics).first == "--now:1:1: error: 'tomorrow' is not a date")
    }

    // MARK: Every problem at once

    @Test("every problem in the input is reported in one run, broken links included")
    func everyProblemAtOnce() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-11", extra: "areas: [nowhere]"),
            "posts/b.md": post("B", date: "2009-05-12", body: "Go [nowhere](/nowhere/)."),
        ])
        let lines = report(result.diagnostics)
        #expect(lines.contains("content/posts/a.md:4:9: error: unknown area 'nowhere'"))
        #expect(lines.contains("content/posts/b.md:6:4: error: broken link '/nowhere/': nothing in the site at /nowhere/"))
    }

    @Test("a broken site.yml does not hide the posts' own problems")
    func settingsErrorHidesOthers() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-11"),
            "posts/2009/a.md": post("A again", date: "2009-05-12"),
        ], settings: "title: Hub\n")
        let lines = report(result.diagnostics)
        #expect(lines.contains("content/site.yml:1:1: error: missing required key 'base_url'"))
        #expect(lines.contains { $0.contains("duplicate post slug 'a'") })
    }
}
