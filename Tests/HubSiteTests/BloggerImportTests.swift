@testable import BloggerImport
import Foundation
import HubSite
import Testing

/// `hubsite import blogger` and `hubsite redirects` (docs/authors.md, Moving from Blogger):
/// both export formats against golden content, the HTML conversion from strings, repeated
/// imports, broken exports and the server rules.
@Suite("Blogger import")
struct BloggerImportTests {
    static let folder = TestPaths.fixtures.appendingPathComponent("blogger")
    static let exports = [
        ("classic", "classic/blog-11-29-2026.xml"),
        ("takeout", "takeout/feed.atom"),
    ]

    static func plan(_ export: String) throws -> (ImportPlan, BloggerExport) {
        let url = folder.appendingPathComponent(export)
        let bytes = try [UInt8](Data(contentsOf: url))
        let parsed = try BloggerExport.read(bytes, path: export).get()
        return (ImportPlanner(hasSettings: false).plan(parsed), parsed)
    }

    // MARK: Golden output

    static let regenerate = "if the import's output changed on purpose, HUBSITE_UPDATE_FIXTURES=1 swift test --filter"
        + " BloggerImportTests rewrites expected/ (after python3 Tests/tools/make_blogger_exports.py if content/ changed);"
        + " read the diff"

    /// `expected/<format>/` holds the content the import writes, and `expected/<format>.txt` its
    /// messages. `HUBSITE_UPDATE_FIXTURES=1 swift test --filter BloggerImportTests` rewrites
    /// them; read the diff before committing.
    @Test("each export format imports to the expected content, with the expected notes", arguments: exports)
    func golden(format: String, export: String) throws {
        let (plan, _) = try Self.plan(export)
        let expected = Self.folder.appendingPathComponent("expected/\(format)")
        let messages = plan.diagnostics.sortedForReport().map(\.description).joined(separator: "\n") + "\n"
        let messagesURL = Self.folder.appendingPathComponent("expected/\(format).txt")
        if TestPaths.updatingFixtures {
            removeFolder(expected)
            for file in plan.files {
                let url = expected.appendingPathComponent(file.path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(file.bytes).write(to: url)
            }
            try Data(messages.utf8).write(to: messagesURL)
        }
        let onDisk = try fileTree(expected)
        let regenerate: Testing.Comment = "\(Self.regenerate)"
        #expect(plan.files.map(\.path) == onDisk.keys.sorted(), regenerate)
        for file in plan.files {
            let wanted = onDisk[file.path].map { String(decoding: $0, as: UTF8.self) }
            #expect(String(decoding: file.bytes, as: UTF8.self) == wanted, "\(file.path): \(regenerate)")
        }
        #expect(messages == (try String(contentsOf: messagesURL, encoding: .utf8)), regenerate)
    }

    @Test("both formats give the same posts, comments and counts; the export's kind is told apart", arguments: exports)
    func counts(format: String, export: String) throws {
        let (plan, parsed) = try Self.plan(export)
        #expect(parsed.format.rawValue == format)
        #expect(plan.posts == 14)
        #expect(plan.drafts == 1)
        #expect(plan.pages == 2)
        #expect(plan.comments == 4)
        #expect(plan.remoteImages == 1)
        // Trashed posts, deleted and spam comments, settings and the template never become content.
        #expect(!plan.files.contains { $0.path.contains("thrown-away") })
        #expect(!plan.files.contains { String(decoding: $0.bytes, as: UTF8.self).contains("Cheap pills") })
        #expect(!plan.files.contains { String(decoding: $0.bytes, as: UTF8.self).contains("has been removed") })
    }

    @Test("the imported content builds without errors, with alias pages at the old addresses and Blogger guids in the feed",
          arguments: exports)
    func builds(format: String, export: String) throws {
        let (plan, _) = try Self.plan(export)
        let files = plan.files.map { SourceFile(relativePath: $0.path, displayPath: "content/" + $0.path, bytes: $0.bytes) }
        let result = Pipeline.generate(SourceTree(content: files, theme: realThemeFiles),
                                       options: BuildOptions(now: "2026-11-29T00:00:00Z"))
        #expect(result.errors == [])
        #expect(result.text("2009/05/keeping-up-with-joneses.html")?.contains("/2009/05/keeping-up-with-joneses/") == true)
        #expect(result.text("feed.xml")?.contains("<guid isPermaLink=\"false\">tag:blogger.com,1999:blog-4711471147114711471.post-9006</guid>") == true)
        let post = try #require(result.text("2009/05/keeping-up-with-joneses/index.html"))
        #expect(post.contains("<ol class=\"comment-replies\">"))
        #expect(post.contains("In reply to <a href=\"#comment-1\">Debbie Ollett</a>"))
        #expect(result.text("tags/health-wellbeing/index.html") != nil)
        #expect(result.text("tags/housing-homelessness/feed.xml") != nil)
        // A page's old address is an alias page too, so it works on a host without server rules.
        let about = try #require(result.text("p/about.html"))
        #expect(about.contains("<link rel=\"canonical\" href=\"http://www.myhertslaa.net/about/\">"))
        #expect(about.contains("<meta http-equiv=\"refresh\" content=\"0; url=http://www.myhertslaa.net/about/\">"))
        #expect(about.contains("This page has moved to <a href=\"http://www.myhertslaa.net/about/\">About this hub</a>"))
    }

    @Test("--images: a downloaded copy replaces the matching remote address with a file under static/, which the build publishes")
    func downloadedImages() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("classic/blog-11-29-2026.xml")))
        let parsed = try BloggerExport.read(bytes, path: "blog.xml").get()
        let picture: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3]
        let plan = ImportPlanner(images: ["stevenage-fair.jpg": picture, "unused.png": [1]], hasSettings: false).plan(parsed)
        #expect(plan.remoteImages == 0)
        #expect(plan.files.first { $0.path == "static/images/blogger/stevenage-fair.jpg" }?.bytes == picture)
        #expect(!plan.files.contains { $0.path.hasSuffix("unused.png") })
        let post = try #require(plan.files.first { $0.path.hasSuffix("photos-from-stevenage-vcs-fair.md") })
        #expect(String(decoding: post.bytes, as: UTF8.self).contains("(/images/blogger/stevenage-fair.jpg \"The fair in the Leisure Centre\")"))

        let files = plan.files.map { SourceFile(relativePath: $0.path, displayPath: "content/" + $0.path, bytes: $0.bytes) }
        let result = Pipeline.generate(SourceTree(content: files, theme: realThemeFiles),
                                       options: BuildOptions(now: "2026-11-29T00:00:00Z"))
        #expect(result.errors == [])
        #expect(result.files?.first { $0.path == "images/blogger/stevenage-fair.jpg" }?.bytes == picture)
        #expect(result.text("2009/06/photos-from-stevenage-vcs-fair/index.html")?.contains("src=\"/images/blogger/stevenage-fair.jpg\"") == true)
        #expect(!result.diagnostics.contains { $0.message.contains("stevenage-fair.jpg") })
    }

    // MARK: Repeating an import

    @Test("a second import changes nothing; an edited or deleted file is kept; a file changed on Blogger is updated")
    func repeatedImport() throws {
        let (plan, _) = try Self.plan("classic/blog-11-29-2026.xml")
        var existing: [String: [UInt8]?] = [:]
        for file in plan.files { existing[file.path] = .some(nil) }
        let first = ImportDecision.decide(plan.files, existing: existing, manifest: ImportManifest())
        #expect(first.allSatisfy { $0.action == .create })
        let manifest = ImportDecision.manifest(after: first, previous: ImportManifest())

        for file in plan.files { existing[file.path] = file.bytes }
        let second = ImportDecision.decide(plan.files, existing: existing, manifest: manifest)
        #expect(second.allSatisfy { $0.action == .unchanged })
        #expect(ImportDecision.manifest(after: second, previous: manifest) == manifest)

        let edited = plan.files[3].path, deleted = plan.files[4].path, changed = plan.files[5]
        existing[edited] = plan.files[3].bytes + Array("An author's addition.\n".utf8)
        existing[deleted] = .some(nil)
        var later = plan.files
        later[5].bytes = changed.bytes + Array("Changed on Blogger.\n".utf8)
        later[3].bytes = plan.files[3].bytes + Array("Changed on Blogger too.\n".utf8)
        let third = Dictionary(uniqueKeysWithValues: ImportDecision.decide(later, existing: existing, manifest: manifest)
            .map { ($0.file.path, $0.action) })
        #expect(third[edited] == .keepEdited)
        #expect(third[deleted] == .keepDeleted)
        #expect(third[changed.path] == .update)

        // A file the import never wrote is never replaced.
        #expect(ImportDecision.decide([later[5]], existing: [later[5].path: Array("mine".utf8)], manifest: ImportManifest())
            .first?.action == .keepOther)
    }

    @Test("the manifest reads back what it wrote")
    func manifestText() {
        let manifest = ImportManifest(digests: ["posts/2009/a b.md": ImportManifest.digest(Array("x".utf8)), "site.yml": "0123456789abcdef"])
        #expect(ImportManifest(text: manifest.text) == manifest)
        #expect(ImportManifest.digest(Array("x".utf8)) != ImportManifest.digest(Array("y".utf8)))
    }

    // MARK: Broken exports

    @Test("a truncated export is one located error")
    func truncated() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent("takeout/feed.atom")))
        let cut = Array(bytes.prefix(bytes.count / 2))
        let result = BloggerExport.read(cut, path: "feed.atom")
        guard case .failure(let diagnostic) = result else {
            Issue.record("a truncated export was read")
            return
        }
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location.path == "feed.atom")
        #expect(diagnostic.location.line > 1)
        #expect(diagnostic.message.contains("not well-formed XML"))
        #expect(diagnostic.message.hasSuffix("Nothing was written"))
    }

    @Test("malformed XML, an Atom feed that is not Blogger's and an empty file are errors that say what is wrong", arguments: [
        ("<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry><title>x</title></entry>\n<entry>\n</feed>\n", 4,
         "not well-formed XML"),
        ("<feed xmlns='http://www.w3.org/2005/Atom'>\n<entry><title>x</title></entry>\n</feed>\n", 1,
         "this Atom feed is not a Blogger export"),
        ("<rss version='2.0'><channel/></rss>", 1, "this is not a Blogger export"),
        ("", 1, "the export is empty"),
    ])
    func malformed(text: String, line: Int, message: String) {
        guard case .failure(let diagnostic) = BloggerExport.read(Array(text.utf8), path: "export.xml") else {
            Issue.record("read as an export: \(text)")
            return
        }
        #expect(diagnostic.location.line == line)
        #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
    }

    // MARK: HTML to Markdown

    static func post(_ html: String) -> String {
        HTMLToMarkdown(mode: .post, rewriteLink: { $0.hasPrefix("javascript:") ? nil : $0 }, rewriteImage: { $0 })
            .convert(html).markdown
    }

    static func comment(_ html: String) -> String {
        HTMLToMarkdown(mode: .comment, rewriteLink: { $0.hasPrefix("http") ? $0 : nil }, rewriteImage: { $0 })
            .convert(html).markdown
    }

    @Test("post bodies become Markdown", arguments: [
        ("One<br /><br />Two<br />lines", "One\n\nTwo\\\nlines\n"),
        ("<p>A <span style=\"font-weight: bold;\">bold</span> and <i>slanted </i>word</p>", "A **bold** and *slanted* word\n"),
        ("<a href=\"http://x/big.jpg\" onblur=\"try{}catch(e){}\"><img id=\"BLOGGER_PHOTO_ID_1\" style=\"width:1px\" src=\"http://x/s.jpg\" alt=\"A [b]\" title='T \"q\"' /></a>",
         "[![A \\[b\\]](http://x/s.jpg \"T \\\"q\\\"\")](http://x/big.jpg)\n"),
        ("<ol><li>one</li><li>two<ul><li>inner</li></ul></li></ol>", "1. one\n2. two\n\n   - inner\n"),
        ("<h2>Title</h2><blockquote><p>a</p><p>b</p></blockquote>", "## Title\n\n> a\n>\n> b\n"),
        ("Fish &amp; chips &lt;b&gt; &copy; 5 * 3 &amp;amp; #1", "Fish & chips \\<b\\> © 5 \\* 3 \\&amp; #1\n"),
        ("<p># not a heading</p><p>1. not a list</p>", "\\# not a heading\n\n1\\. not a list\n"),
        ("<pre>let x = `a`\n  b</pre>", "```\nlet x = `a`\n  b\n```\n"),
        ("Use <code>a`b</code> here", "Use ``a`b`` here\n"),
        ("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", "- **A** | **B**\n- 1 | 2\n"),
        ("<a href=\"javascript:alert(1)\">words</a> stay", "words stay\n"),
        ("x<div class=\"blogger-post-footer\"><img src=\"https://blogger.googleusercontent.com/tracker/1\" /></div>", "x\n"),
        ("<script>alert(1)</script><style>p{}</style>Text", "Text\n"),
        ("<b>bold<br /><br />still bold</b>", "**bold**\n\n**still bold**\n"),
        ("<iframe src=\"https://video.example/v/1\"></iframe>", "[Embedded content](https://video.example/v/1)\n"),
    ])
    func postBodies(html: String, markdown: String) {
        #expect(Self.post(html) == markdown)
    }

    @Test("where the site keeps raw HTML, a post's table stays HTML (structure and text only); elsewhere it is a list of rows")
    func tablesAsHTML() {
        let html = "<table style=\"border:1px\" onclick=\"x()\"><tr><th colspan=\"2\">A &amp; B</th></tr>\n\n"
            + "<tr><td><b>1</b></td><td rowspan=\"x\">2<script>bad()</script></td></tr></table>After"
        let kept = HTMLToMarkdown(mode: .post, rewriteLink: { $0 }, rewriteImage: { $0 }, tablesAsHTML: true).convert(html).markdown
        #expect(kept == "<table>\n<tr><th colspan=\"2\">A &amp; B</th></tr>\n<tr><td>1</td><td>2</td></tr>\n</table>\n\nAfter\n")
        #expect(Self.post(html) == "- **A & B**\n- **1** | 2\n\nAfter\n")
        let comment = HTMLToMarkdown(mode: .comment, rewriteLink: { $0 }, rewriteImage: { $0 }, tablesAsHTML: true).convert(html).markdown
        #expect(!comment.contains("<"))
    }

    @Test("a dropped link is reported, at most ten times a body")
    func droppedLinks() {
        let one = HTMLToMarkdown(mode: .post, rewriteLink: { $0.hasPrefix("javascript:") ? nil : $0 }, rewriteImage: { $0 })
            .convert("<a href=\"javascript:alert(1)\">words</a> <a href=\"http://e.org/\">kept</a>")
        #expect(one.problems == ["the link to 'javascript:alert(1)' was dropped (only web and mail addresses are kept); its words remain"])
        let many = Self.comment(String(repeating: "<a href=\"javascript:x()\">w</a>", count: 500))
        #expect(many.hasPrefix("w"))
        let problems = HTMLToMarkdown(mode: .comment, rewriteLink: { _ in nil }, rewriteImage: { $0 })
            .convert(String(repeating: "<a href=\"javascript:x()\">w</a>", count: 500)).problems
        #expect(problems.count == 11)
        #expect(problems.last == "further problems in the same body are not listed")
    }

    @Test("comments keep only text and links", arguments: [
        ("<b>Bold</b> <a href=\"http://e.org/\">link</a> <a href=\"javascript:x()\">bad</a>", "Bold [link](http://e.org/) bad\n"),
        ("<h1>Big</h1><ul><li>item</li></ul><img src=\"x.gif\" alt=\"smile\"><script>x</script>", "Big\n\nitem\n\nsmile\n"),
        ("<pre>*not* code</pre>", "\\*not\\* code\n"),
        ("<table><tr><td>a</td></tr></table><blockquote>q</blockquote>", "a\n\nq\n"),
    ])
    func comments(html: String, markdown: String) {
        #expect(Self.comment(html) == markdown)
    }

    @Test("deeply nested hostile HTML converts without recursion")
    func deepNesting() {
        let depth = 50_000
        let html = String(repeating: "<b><i>", count: depth) + "deep" + String(repeating: "</i></b>", count: depth)
        let markdown = Self.comment(html)
        #expect(markdown.contains("deep"))
        #expect(Self.post(String(repeating: "<blockquote><ul><li>", count: 2_000) + "x").contains("x"))
    }

    @Test("links to other posts of the blog become .md links; label pages become tag pages")
    func internalLinks() {
        let targets = ["/2009/05/joneses.html": "posts/2009/2009-05-11-joneses.md"]
        let rewrite = { (href: String, folder: String) in
            ImportPlanner.rewrite(href, from: folder, targets: targets, blogHost: "www.myhertslaa.net")
        }
        #expect(rewrite("http://www.myhertslaa.net/2009/05/joneses.html?m=1#c1", "posts/2010") == "../2009/2009-05-11-joneses.md")
        #expect(rewrite("http://myhertslaa.net/2009/05/joneses.html", "pages") == "../posts/2009/2009-05-11-joneses.md")
        #expect(rewrite("/2009/05/joneses.html", "posts/2009") == "2009-05-11-joneses.md")
        #expect(rewrite("http://www.myhertslaa.net/search/label/Health%20%26%20Wellbeing", "posts/2009") == "/tags/health-wellbeing/")
        #expect(rewrite("http://other.org/2009/05/joneses.html", "posts/2009") == "http://other.org/2009/05/joneses.html")
        #expect(rewrite("javascript:alert(1)", "posts/2009") == nil)
    }

    @Test("untitled posts take their first sentence as a title; Blogger's generic file names are not slugs")
    func untitled() {
        #expect(ImportPlanner.titleFromBody("Board meets on Thursday. Come along.") == "Board meets on Thursday")
        #expect(ImportPlanner.isGenericFileName("blog-post"))
        #expect(ImportPlanner.isGenericFileName("blog-post_12"))
        #expect(ImportPlanner.isGenericFileName("_25"))
        #expect(!ImportPlanner.isGenericFileName("blog-posting"))
        #expect(ImportPlanner.frontMatterDate("2009-05-11T09:30:00.000+01:00") == "2009-05-11T09:30:00+01:00")
    }
}

/// `hubsite redirects`: the rules for each server, from a site built from strings.
@Suite("Server rules")
struct ServerRulesTests {
    static let files = [
        "posts/2009/2009-05-11-joneses.md": post("Joneses", date: "2009-05-11 09:30", extra: """
            tags: [NI7, Health & Wellbeing, Housing/Homelessness]
            guid: tag:blogger.com,1999:blog-1.post-42
            aliases: [/2009/05/keeping-up-with-joneses.html, /old-address/]
            """),
        "pages/about.md": "---\ntitle: About\n---\nAbout.\n",
    ]

    static func rules(_ format: ServerRules.Format) throws -> [String] {
        let site = try #require(model(files).site)
        return ServerRules.text(ServerRules.rules(for: site), format: format, site: site)
            .split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") }
    }

    @Test("nginx: an exact location for every old address, quoted where needed, then the catch-alls")
    func nginx() throws {
        let lines = try Self.rules(.nginx)
        for expected in [
            "location = /2009/05/keeping-up-with-joneses.html { return 301 /2009/05/joneses/; }",
            "location = /old-address/ { return 301 /2009/05/joneses/; }",
            "location = /feeds/posts/default/42 { return 301 /2009/05/joneses/; }",
            "location = /feeds/42/comments/default { return 301 \"/2009/05/joneses/#comments\"; }",
            "location = \"/search/label/Health & Wellbeing\" { return 301 /tags/health-wellbeing/; }",
            "location = /search/label/Health+&+Wellbeing { return 301 /tags/health-wellbeing/; }",
            "location = /search/label/Housing/Homelessness { return 301 /tags/housing-homelessness/; }",
            "location = /feeds/posts/default/-/NI7 { return 301 /tags/ni7/feed.xml; }",
            "location = /feeds/posts/summary { return 301 /feed.xml; }",
            "location = /2009_05_01_archive.html { return 301 /2009/05/; }",
            "location = /p/about.html { return 301 /about/; }",
        ] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(lines.suffix(2) == ["location ^~ /search/label/ { return 301 /tags/; }",
                                    "location ^~ /feeds/ { return 301 /feed.xml; }"])
    }

    @Test("Apache: rewrite rules without the leading slash, query strings dropped")
    func apache() throws {
        let lines = try Self.rules(.apache)
        #expect(lines.first == "RewriteEngine On")
        #expect(lines.contains("RewriteRule ^2009/05/keeping-up-with-joneses\\.html$ /2009/05/joneses/ [R=301,L,QSD,NE]"))
        #expect(lines.contains("RewriteRule ^search/label/Health\\x20&\\x20Wellbeing$ /tags/health-wellbeing/ [R=301,L,QSD,NE]"))
        #expect(lines.last == "RewriteRule ^feeds/ /feed.xml [R=301,L,QSD,NE]")
    }

    @Test("Netlify: forced rules with encoded paths, catch-alls last")
    func netlify() throws {
        let lines = try Self.rules(.netlify)
        #expect(lines.contains("/2009/05/keeping-up-with-joneses.html  /2009/05/joneses/  301!"))
        #expect(lines.contains("/search/label/Health%20%26%20Wellbeing  /tags/health-wellbeing/  301!"))
        #expect(lines.last == "/feeds/*  /feed.xml  301!")
    }
}
