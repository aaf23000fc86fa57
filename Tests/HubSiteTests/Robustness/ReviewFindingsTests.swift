import Foundation
import HubSite
import Testing

extension Robustness {
    /// The findings of the second security review (docs/security.md), one test or more each:
    /// readers' text and odd file names that crashed, stalled or poisoned a build, and the
    /// promise of losing nothing. The inputs that once crashed or stalled run in a child process
    /// under a time and memory limit, so that a regression fails one test, not the run.
    @Suite("security review findings", .serialized)
    struct ReviewFindingsTests {
        typealias Big = BigInputTests

        static func comment(_ body: String, date: String = "2009-05-12") -> String {
            "---\nname: Reader\norganisation: Group\ndate: \(date)\n---\n\(body)\n"
        }

        static func hasWarning(_ result: ChildProcess.Result, at path: String, containing text: String) -> Bool {
            result.stderrLines.contains { $0.contains(path) && $0.contains(": warning: ") && $0.contains(text) }
        }

        // MARK: 1. Depth: no walk over the Markdown tree may recurse

        @Test("a post of 300,000 '*', x, 300,000 '*' builds", .timeLimit(.minutes(5)))
        func deepEmphasis() throws {
            let stars = String(repeating: "*", count: 300_000)
            try Big.build("deep-emphasis", Big.text([
                "posts/stars.md": Big.post("Stars", body: stars + "x" + stars),
                "posts/heading.md": Big.post("Heading", body: "## " + stars + "x" + stars),
            ])) { outcome in
                Big.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
            }
        }

        /// 300,000 `[` in one paragraph are past the bracket bound (finding 3): refused with its
        /// place, where they once overflowed the stack.
        @Test("a post of 300,000 nested images is refused with a located error", .timeLimit(.minutes(5)))
        func deepImages() throws {
            let images = String(repeating: "![", count: 300_000) + "x" + String(repeating: "](https://example.org/a.png)", count: 300_000)
            try Big.build("deep-images", Big.text(["posts/images.md": Big.post("Images", body: images)])) { outcome in
                Big.expectSafeOrLocated(outcome)
                #expect(outcome.result.stderrLines.contains { $0.hasSuffix("posts/images.md:5:1: error: " + MarkdownLimits.bracketMessage) },
                        "\(outcome.result.summary)")
            }
        }

        @Test("`hubsite markdown` renders 300,000 nested emphases", .timeLimit(.minutes(5)))
        func deepEmphasisOnStandardInput() throws {
            let root = try Robust.temporaryFolder("markdown-deep")
            defer { Robust.remove(root) }
            let input = root.appendingPathComponent("input.md")
            let stars = String(repeating: "*", count: 300_000)
            try Data((stars + "x" + stars + "\n").utf8).write(to: input)
            let child = try ChildProcess(try Robust.hubsite(), ["markdown"], io: root, input: input.path)
            let result = child.wait(seconds: Big.timeLimit, megabytes: Big.memoryLimit)
            #expect(result.status == 0, "\(result.summary)")
            #expect(result.stdout.hasPrefix("<p>"), "\(result.stdout.prefix(200))")
        }

        @Test("the summary and heading ids of deeply nested text are the words a reader sees")
        func plainTextOfDeepNesting() {
            let depth = 5_000
            let nested = String(repeating: "*", count: depth) + "deep words" + String(repeating: "*", count: depth)
            let source = MarkdownSource(text: "## Title " + nested + "\n\n" + nested + " end\n", firstLine: 1,
                                        displayPath: "content/posts/a.md", relativePath: "posts/a.md")
            let body = BodyRenderer.render(source, context: BodyContext())
            #expect(body.summary == "deep words end")
            #expect(body.html().hasPrefix("<h2 id=\"title-deep-words\">"))
        }

        // MARK: 2. YAML aliases

        /// `x0` a list of ten; each next one ten of the one before; then `x7` as a key.
        static let aliasKeyYAML: String = {
            var lines = ["title: Aliases", "date: 2009-05-11", "x0: &x0 [a,a,a,a,a,a,a,a,a,a]"]
            for level in 1...9 {
                lines.append("x\(level): &x\(level) [" + Array(repeating: "*x\(level - 1)", count: 10).joined(separator: ",") + "]")
            }
            lines.append("? *x7")
            lines.append(": value")
            return lines.joined(separator: "\n")
        }()

        @Test("ten levels of aliases before an alias key are refused at once, with their place", .timeLimit(.minutes(3)))
        func aliasAsKey() throws {
            try Big.build("alias-key", Big.text(["posts/alias.md": "---\n" + Self.aliasKeyYAML + "\n---\nBody.\n"]),
                          seconds: 60) { outcome in
                #expect(outcome.result.status == 1, "\(outcome.result.summary)")
                #expect(outcome.result.stderrLines.contains {
                    $0.hasSuffix("posts/alias.md:7:38: error: aliases here repeat more than 10,000 values; write the values out instead")
                }, "\(outcome.result.stderr.prefix(1000))")
            }
        }

        @Test("aliases inside a key, and aliases that expand past the budget, are refused")
        func aliasBudget() {
            let inKey = FrontMatter(yaml: "a: &a [x, y]\n[*a, z]: value\n", firstLine: 2, path: "p.md")
            #expect(report(inKey.diagnostics) == ["p.md:3:2: error: an alias (*a) cannot be a key; write the key out"])
            let asKey = FrontMatter(yaml: "a: &a x\n? *a\n: value\n", firstLine: 2, path: "p.md")
            #expect(report(asKey.diagnostics) == ["p.md:3:3: error: an alias (*a) cannot be a key; write the key out"])
            var laughs = ["l0: &l0 [a,a,a,a,a,a,a,a,a,a]"]
            for level in 1...5 {
                laughs.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ",") + "]")
            }
            let expanded = FrontMatter(yaml: laughs.joined(separator: "\n"), firstLine: 2, path: "p.md")
            #expect(report(expanded.diagnostics) == [
                "p.md:5:38: error: aliases here repeat more than 10,000 values; write the values out instead",
            ])
            let modest = FrontMatter(yaml: "a: &a [x, y]\nb: *a\n", firstLine: 2, path: "p.md")
            #expect(modest.diagnostics.isEmpty)
        }

        // MARK: 3. Size and time

        @Test("a 600 KB comment is left out with a warning naming the limit, and the post still builds", .timeLimit(.minutes(5)))
        func oversizedComment() throws {
            let stars = String(repeating: "*", count: 300_000)
            let run = String(repeating: "![[]()", count: 80_000)
            try Big.build("huge-comment", Big.text([
                "posts/talk.md": Big.post("Talk", body: "A post."),
                "comments/talk/1-deep.md": Self.comment(stars + "x" + stars),
                "comments/talk/2-images.md": Self.comment(run),
                "comments/talk/3-fine.md": Self.comment("A fine comment."),
            ]), seconds: 60) { outcome in
                Big.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
                for name in ["1-deep", "2-images"] {
                    #expect(Self.hasWarning(outcome.result, at: "comments/talk/\(name).md:6:1",
                                            containing: "more than the 20 KB (20,480 bytes) a comment may have"),
                            "\(outcome.result.stderr.prefix(1000))")
                }
                let page = Robust.readText(outcome.site.appendingPathComponent("2009/05/talk/index.html").path) ?? ""
                #expect(page.contains("A fine comment."))
                #expect(!page.contains("![[]()") && !page.contains("<em><em>"))
            }
        }

        @Test("a comment just under the limit is shown; one just over it is left out")
        func commentLimitEdge() {
            let under = String(repeating: "word ", count: 4_000) // 20,000 bytes
            let over = String(repeating: "word ", count: 4_200)
            let result = generate([
                "posts/talk.md": post("Talk", date: "2009-05-11"),
                "comments/talk/a.md": Self.comment(under),
                "comments/talk/b.md": Self.comment(over),
            ])
            #expect(result.errors.isEmpty)
            #expect(report(result.diagnostics) == [
                "content/comments/talk/b.md:6:1: warning: comment left out: its text is 21,001 bytes, more than the 20 KB (20,480 bytes) a comment may have",
            ])
            let page = result.text("2009/05/talk/index.html") ?? ""
            #expect(page.contains("comment-1"))
            #expect(!page.contains("comment-2"))
        }

        @Test("80,000 '![[]()' in a post is refused at once with a located error", .timeLimit(.minutes(3)))
        func bracketRun() throws {
            let run = String(repeating: "![[]()", count: 80_000)
            try Big.build("bracket-run", Big.text(["posts/run.md": Big.post("Run", body: "Intro.\n\n" + run)]),
                          seconds: 60) { outcome in
                Big.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 1, "\(outcome.result.summary)")
                #expect(outcome.result.stderrLines.contains {
                    $0.hasSuffix("posts/run.md:7:1: error: this paragraph has more than 5,000 '[': cmark would take minutes over it; split it up")
                }, "\(outcome.result.stderr.prefix(1000))")
            }
        }

        // MARK: 4. Names in ids and attributes

        @Test("a snippet's file name never becomes markup in the area page or its feed")
        func snippetFileName() {
            let name = #"p"><img src=x onerror="alert(1)">"#
            let result = generate([
                "areas/essex/index.md": "---\nname: Essex\n---\nEssex.\n",
                "areas/essex/\(name).md": "---\ntitle: Snippet\ndate: 2009-05-11\n---\n## A heading\n\nWords.\n",
            ])
            #expect(result.errors.isEmpty, "\(result.errors)")
            let files = result.files ?? []
            #expect(!files.isEmpty)
            for file in files {
                let problems = HostileContentTests.unsafeParts(file)
                #expect(problems.isEmpty, "\(file.path): \(problems.prefix(5))")
            }
            let page = result.text("areas/essex/index.html") ?? ""
            #expect(page.contains(#"id="snippet-p&quot;&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt;--a-heading""#))
            let feed = result.text("areas/essex/feed.xml") ?? ""
            #expect(feed.contains("<link>https://example.org/areas/essex/#snippet-p%22%3E%3Cimg%20src=x%20onerror=%22alert(1)%22%3E</link>"))
        }

        // MARK: 5. Fence info strings and the renderer's holes

        @Test("control characters and the renderer's holes in a fence's info string are cleaned")
        func fenceInfoStrings() {
            for info in ["&#x1b;x", "&#1;x", "&#2;https://evil.example/x.js", "&#3;", "a&#127;b"] {
                let source = MarkdownSource(text: "```\(info)\ncode\n```\n", firstLine: 1, displayPath: "p.md", relativePath: "p.md")
                let body = BodyRenderer.render(source, context: BodyContext(pageURL: "/p/"))
                let controls = body.template.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) }
                #expect(controls.isEmpty, "\(info): \(body.template.debugDescription)")
                #expect(!body.html(idPrefix: "forged-", origin: "https://origin.example").contains("forged-")
                        && !body.html(origin: "https://origin.example").contains("origin.example"), "\(info)")
            }
        }

        @Test("a fence info string with an escape character gives a well-formed feed")
        func fenceInfoInFeed() {
            let result = generate(["posts/code.md": post("Code", date: "2009-05-11", body: "```&#x1b;&#1;\ncode\n```")])
            let feed = result.text("feed.xml") ?? ""
            #expect(feed.contains("code"))
            #expect(!feed.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        }

        // MARK: 6. Duplicate keys behind a tag

        @Test("a duplicate key is an error whatever its tag", arguments: ["!foo", "!!binary", "!!int", "!!str"])
        func taggedDuplicate(tag: String) {
            let matter = FrontMatter(yaml: "name: A\n\(tag) name: B\n", firstLine: 2, path: "p.md")
            #expect(report(matter.diagnostics) == ["p.md:3:1: error: duplicate key 'name' in front matter"])
        }

        @Test("a duplicate key inside a nested mapping is an error")
        func nestedDuplicate() {
            let matter = FrontMatter(yaml: "comments:\n  email: a@example.org\n  !x email: b@example.org\n", firstLine: 2, path: "site.yml")
            #expect(report(matter.diagnostics) == ["site.yml:4:3: error: duplicate key 'email' in front matter"])
        }

        // MARK: 9. base_url

        @Test("a base_url that is not an absolute http(s) URL is a located error", arguments: [
            #"https://x"onmouseover="alert(1)"#, "ftp://example.org/", "example.org", "https://", "https://exa mple.org/",
            "javascript:alert(1)//", "https://example.org/<b>/",
        ])
        func invalidBaseURL(value: String) {
            let result = generate(["posts/a.md": post("A", date: "2009-05-11")],
                                  settings: "title: Hub\nbase_url: '\(value.replacingOccurrences(of: "'", with: "''"))'\n")
            #expect(result.files == nil)
            #expect(result.errors == ["content/site.yml:2:11: error: 'base_url' must be an absolute http(s) URL, e.g. https://www.example.org/"],
                    "\(value)")
        }

        @Test("a base_url with a query or odd characters is escaped in every page and feed")
        func baseURLEscaped() {
            let result = generate(["posts/a.md": post("A", date: "2009-05-11", body: "[home](/)")],
                                  settings: "title: Hub\nbase_url: https://example.org/a'b/\n")
            #expect(result.errors.isEmpty, "\(result.errors)")
            for file in result.files ?? [] where file.path.hasSuffix(".html") || file.path.hasSuffix(".xml") {
                // JSON-LD is JSON inside a script, where a quote is only a character.
                let text = String(decoding: file.bytes, as: UTF8.self)
                    .replacing(/<script type="application\/ld\+json">[^<]*<\/script>/, with: "")
                #expect(!text.contains("a'b"), "\(file.path)")
            }
        }

        @Test("--base-url that is not an absolute http(s) URL exits 2")
        func invalidBaseURLFlag() throws {
            let root = try Robust.temporaryFolder("base-url-flag")
            defer { Robust.remove(root) }
            let content = root.appendingPathComponent("content")
            try Robust.write(["site.yml": Robust.settings, "posts/a.md": Big.post(body: "Body.")], under: content)
            let child = try ChildProcess(try Robust.hubsite(), [
                "build", "--content", content.path, "--theme", Robust.theme.path, "--output", root.appendingPathComponent("site").path,
                "--base-url", #"https://x"onmouseover="alert(1)"#,
            ], io: root)
            let result = child.wait(seconds: 60)
            #expect(result.status == 2, "\(result.summary)")
            #expect(result.stderr.contains("--base-url"), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
        }

        // MARK: Losing nothing: the output folder

        @Test("a build never replaces a non-empty folder that no build made")
        func foreignOutputFolder() throws {
            let root = try Robust.temporaryFolder("foreign-output")
            defer { Robust.remove(root) }
            let content = root.appendingPathComponent("content")
            try Robust.write(["site.yml": Robust.settings, "posts/a.md": Big.post(body: "Body.")], under: content)
            let victim = root.appendingPathComponent("victim")
            try Robust.write(["notes.txt": "mine"], under: victim)
            func build(_ output: URL, _ extra: [String] = []) throws -> ChildProcess.Result {
                try ChildProcess(try Robust.hubsite(), ["build", "--content", content.path, "--theme", Robust.theme.path,
                                                        "--output", output.path, "--now", "2010-01-01T00:00:00Z"] + extra,
                                 io: root).wait(seconds: 60)
            }
            let refused = try build(victim)
            #expect(refused.status == 3, "\(refused.summary)")
            #expect(refused.stderr.contains("--force") && refused.stderr.contains("not made by hubsite"), "\(refused.stderr)")
            #expect(Robust.readText(victim.appendingPathComponent("notes.txt").path) == "mine")
            #expect(!FileManager.default.fileExists(atPath: victim.appendingPathComponent("index.html").path))

            let empty = root.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
            #expect(try build(empty).status == 0)
            #expect(try build(empty).status == 0, "a folder a build made is replaced by the next build")

            let forced = try build(victim, ["--force"])
            #expect(forced.status == 0, "\(forced.summary)")
            #expect(!FileManager.default.fileExists(atPath: victim.appendingPathComponent("notes.txt").path))
            #expect(FileManager.default.fileExists(atPath: victim.appendingPathComponent("index.html").path))
            #expect(try build(victim).status == 0)
        }

        // MARK: Losing nothing: comments never fail a build

        @Test("a broken internal link in a comment is a warning, and the link keeps only its words")
        func brokenLinkInComment() {
            let result = generate([
                "posts/talk.md": post("Talk", date: "2009-05-11"),
                "comments/talk/a.md": Self.comment("See [the plan](missing.md), [old page](/nowhere/) and [the post](../talk/)."),
            ])
            #expect(result.errors.isEmpty, "\(result.errors)")
            #expect(report(result.diagnostics) == [
                "content/comments/talk/a.md:6:5: warning: broken link 'missing.md': no published content file 'comments/talk/missing.md'; the comment shows its words without the link",
                "content/comments/talk/a.md:6:29: warning: broken link '/nowhere/': nothing in the site at /nowhere/; the comment shows its words without the link",
            ])
            let page = result.text("2009/05/talk/index.html") ?? ""
            #expect(page.contains("See the plan, old page and <a href=\"/2009/05/talk/\">the post</a>."), "\(page)")
        }

        // MARK: Feeds

        @Test("titles, creators, categories and summaries are escaped the same way in feeds")
        func feedEscaping() {
            let title = "Fish <b>and</b> chips &amp; peas"
            let result = generate(["posts/fish.md": post("'\(title)'", date: "2009-05-11",
                                                         extra: "author: 'Ann <b> &amp; Co'\ntags: ['A <b> &amp; B']\nsummary: 'Sum <b> &amp;'")])
            #expect(result.errors.isEmpty, "\(result.errors)")
            let feed = result.text("feed.xml") ?? ""
            #expect(feed.contains("<title>Fish &amp;lt;b&amp;gt;and&amp;lt;/b&amp;gt; chips &amp;amp;amp; peas</title>"), "\(feed)")
            #expect(feed.contains("<dc:creator>Ann &amp;lt;b&amp;gt; &amp;amp;amp; Co</dc:creator>"))
            #expect(feed.contains("<category>A &amp;lt;b&amp;gt; &amp;amp;amp; B</category>"))
            #expect(feed.contains("<description>Sum &amp;lt;b&amp;gt; &amp;amp;amp;</description>"))
        }

        // MARK: One line per diagnostic

        @Test("a file name holding a newline or other control characters keeps its diagnostic on one line")
        func newlineInFileName() {
            let result = generate(["posts/two\nlines\u{1b}[31m.md": "---\ndate: 2009-05-11\n---\nBody.\n"])
            let lines = report(result.diagnostics)
            #expect(lines == [#"content/posts/two\nlines\u{1B}[31m.md:1:1: error: missing required key 'title'"#], "\(lines)")
            #expect(lines.allSatisfy { !$0.contains("\n") && !$0.contains("\u{1b}") })
        }
    }
}
