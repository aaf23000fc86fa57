import Foundation
import HubSite
import Testing

extension Robustness {
    /// What a commenter (untrusted) or a careless author can put in content, and what the pages
    /// and feeds make of it: never markup that runs script, never a `javascript:` or `data:` link,
    /// names always escaped. Rendered in memory with the real theme.
    @Suite("hostile content gives safe pages")
    struct HostileContentTests {
        /// The real theme, read once.
        static let themeFiles: [SourceFile] = FolderReader().read(root: Robust.theme.path, displayRoot: "theme").files

        static func generate(_ files: [String: String], settings: String = Robust.settings) -> BuildResult {
            var content = files.map { SourceFile(relativePath: $0.key, text: $0.value) }
            content.append(SourceFile(relativePath: "site.yml", text: settings))
            content.sort { $0.relativePath < $1.relativePath }
            return Pipeline.generate(SourceTree(content: content, theme: themeFiles),
                                     options: BuildOptions(now: "2010-01-01T00:00:00Z", themeRoot: "theme"))
        }

        /// Markdown that tries every way we know to get script, a handler or a bad URL into a page.
        static let payload = #"""
        <script>alert(1)</script>
        <SCRIPT SRC=//evil.example/x.js></SCRIPT>

        <img src=x onerror=alert(1)> <svg onload=alert(1)><circle/></svg>

        <iframe src="javascript:alert(1)"></iframe>
        <a href="javascript:alert(1)">raw link</a> <a href="#" onclick="alert(1)">click</a>
        <style>body { display: none }</style>
        <div style="background:url(javascript:alert(1))">styled</div>
        <form action="https://evil.example/"><input name=x></form>
        <meta http-equiv="refresh" content="0;url=javascript:alert(1)">
        <base href="https://evil.example/">
        <object data="x.swf"></object><embed src="x.swf">
        <math><mi xlink:href="javascript:alert(1)">x</mi></math>

        [plain](javascript:alert(1)) [upper](JAVASCRIPT:alert(1)) [spaced]( javascript:alert(1))
        [entity](&#106;avascript:alert(1)) [hex](&#x6A;avascript&#x3A;alert(1)) [colon](javascript&colon;alert(1))
        [vb](vbscript:msgbox(1)) [file](file:///etc/passwd) [unknown](evil-scheme:x)
        [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [data image link](data:image/png;base64,AAAA)
        <javascript:alert(1)> <JavaScript:alert(1)> <data:text/html,<script>x</script>>
        [reference][evil] [title](https://example.org/ "a\" onmouseover=\"alert(1)")
        [quote](https://example.org/"onclick="alert(1)) [angle](<https://example.org/><script>)

        ![svg data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
        ![svg data plain](data:image/svg+xml,<svg onload=alert(1)>)
        ![svg file](/assets/favicon.svg) ![svg elsewhere](https://evil.example/x.svg)
        ![script image](javascript:alert(1)) ![alt " onerror="alert(1)](https://evil.example/x.png)
        ![html data](data:text/html,<script>alert(1)</script>)

        `<script>in code</script>` and **<script>in bold</script>**

            <script>indented code</script>

        ```html
        <script>fenced</script>
        ```

        [evil]: javascript:alert(1)
        """#

        /// Every problem in a page or feed: markup that could run script, and (in feeds) the same
        /// inside the escaped HTML of `content:encoded`.
        static func unsafeParts(_ file: OutputFile) -> [String] {
            let text = String(decoding: file.bytes, as: UTF8.self)
            if file.path.hasSuffix(".xml") {
                // RSS has a <link> element of its own.
                var problems = HTMLSafety.problems(in: file.bytes, allowing: ["link"])
                for element in ["content:encoded"] {
                    for inner in Self.elements(element, in: text) {
                        problems += HTMLSafety.problems(in: Array(Self.unescapeXML(inner).utf8), allowing: [])
                            .map { "in <\(element)>: \($0)" }
                    }
                }
                return problems
            }
            guard file.path.hasSuffix(".html") else { return [] }
            // The theme's head has <meta> and <link>; the body may hold neither.
            let parts = text.components(separatedBy: "<body")
            var problems = HTMLSafety.problems(in: Array(parts[0].utf8))
            if parts.count > 1 {
                problems += HTMLSafety.problems(in: Array(parts.dropFirst().joined(separator: "<body").utf8), allowing: [])
            }
            return problems
        }

        static func elements(_ name: String, in text: String) -> [String] {
            text.components(separatedBy: "<\(name)>").dropFirst().compactMap { $0.components(separatedBy: "</\(name)>").first }
        }

        static func unescapeXML(_ text: String) -> String {
            text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
        }

        static func expectSafe(_ result: BuildResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let files = result.files ?? []
            #expect(!files.isEmpty, "no site: \(result.diagnostics.map(\.description))", sourceLocation: sourceLocation)
            for file in files {
                let problems = unsafeParts(file)
                #expect(problems.isEmpty, "\(file.path): \(problems)", sourceLocation: sourceLocation)
            }
        }

        static let post = "---\ntitle: Hello\ndate: 2009-05-11 09:30\n---\nThe post.\n"

        // MARK: The checker itself

        @Test("the safety check finds script, handlers and bad URLs, and passes escaped text")
        func checkerWorks() {
            let unsafe = [
                "<script>x</script>", "<p><SCRIPT src=x></p>", "<img src=x onerror=alert(1)>",
                "<a href=\"javascript:alert(1)\">", "<a href=\"JaVa&#x53;cript&colon;x\">", "<a href=' java\tscript:x'>",
                "<a href=\"data:text/html,x\">", "<svg onload=x>", "<iframe src=x>", "<div style=\"x\">",
                "<a title=\"x\" onclick=\"y\">", "<img src=\"vbscript:x\">",
            ]
            for html in unsafe {
                #expect(!HTMLSafety.problems(in: Array(html.utf8), allowing: []).isEmpty, "\(html)")
            }
            let safe = [
                "&lt;script&gt;alert(1)&lt;/script&gt;", "<a href=\"/hub/x/\">x</a>", "<a href=\"https://e.org/?a=1&amp;b=javascript:x\">",
                "<img src=\"data:image/png;base64,AAAA\" alt=\"x\">", "<p>onclick=alert(1) as text</p>", "<a href=\"x/y:z\">",
                "<!-- raw HTML omitted -->", "<a href=\"mailto:a@b.org\">", "<p title=\"&lt;script&gt;\">",
            ]
            for html in safe {
                #expect(HTMLSafety.problems(in: Array(html.utf8), allowing: []).isEmpty, "\(html)")
            }
        }

        // MARK: Comments (never trusted)

        @Test("a comment full of script, handlers and javascript:/data: links gives a safe page, even with raw_html on")
        func hostileComment() throws {
            let comment = "---\nname: Mallory\norganisation: Evil Ltd\ndate: 2009-05-12 10:00\n---\n" + Self.payload
            let result = Self.generate(["posts/hello.md": Self.post, "comments/hello/evil.md": comment],
                                       settings: Robust.settings + "raw_html: true\n")
            Self.expectSafe(result)
            let page = try #require(result.files?.first { $0.path == "2009/05/hello/index.html" })
            let html = String(decoding: page.bytes, as: UTF8.self)
            #expect(html.contains("Mallory"))
            // Raw HTML is gone, the words of unsafe links stay.
            #expect(html.contains("plain"))
            #expect(html.contains("<!-- raw HTML omitted -->"))
            for attribute in ["href=\"javascript", "src=\"javascript", "href=\"data:", "src=\"data:", "href=\"vbscript", "href=\"file:"] {
                #expect(!html.lowercased().contains(attribute), "\(attribute) survived")
            }
            // Code shows the markup as text.
            #expect(html.contains("&lt;script&gt;in code&lt;/script&gt;"))
        }

        @Test("HTML in a commenter's name and organisation is shown as text")
        func hostileNames() throws {
            let comment = """
            ---
            name: <script>alert("name")</script>
            organisation: <b onmouseover="alert(1)">Org</b> & "Partners" 'Ltd'
            date: 2009-05-12 10:00
            ---
            Hello.
            """
            let result = Self.generate(["posts/hello.md": Self.post, "comments/hello/evil.md": comment])
            Self.expectSafe(result)
            let html = try #require(result.files?.first { $0.path == "2009/05/hello/index.html" }
                .map { String(decoding: $0.bytes, as: UTF8.self) })
            #expect(html.contains("&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;"))
            #expect(html.contains("&lt;b onmouseover=&quot;alert(1)&quot;&gt;Org&lt;/b&gt; &amp; &quot;Partners&quot; &#39;Ltd&#39;"))
        }

        // MARK: Posts, snippets, pages with raw_html off

        @Test("the same payload in a post, a snippet, an area profile and a page gives safe pages when raw_html is off")
        func hostileAuthorsWithoutRawHTML() {
            let result = Self.generate([
                "posts/evil.md": "---\ntitle: Evil\ndate: 2009-05-11\nareas: [herts]\n---\n" + Self.payload,
                "areas/herts/index.md": "---\nname: Herts\n---\n" + Self.payload,
                "areas/herts/evil.md": "---\ntitle: Evil snippet\ndate: 2009-05-01\n---\n" + Self.payload,
                "pages/evil.md": "---\ntitle: Evil page\n---\n" + Self.payload,
            ])
            Self.expectSafe(result)
        }

        @Test("HTML in every name, title and setting is escaped in pages and feeds")
        func hostileFields() throws {
            let evil = #"<script>alert(1)</script><img src=x onerror=alert(2)>"#
            let quoted = "'\(evil)'"
            let settings = """
            title: \(quoted)
            tagline: \(quoted)
            base_url: https://example.org/hub/
            comment_note: \(quoted)

            """
            let result = Self.generate([
                "posts/evil.md": """
                ---
                title: \(quoted)
                date: 2009-05-11
                author: \(quoted)
                role: \(quoted)
                summary: \(quoted)
                tags: [\(quoted), "\\" onclick=\\"x"]
                areas: [herts]
                ---
                Body.
                """,
                "areas/herts/index.md": "---\nname: \(quoted)\nregion: \(quoted)\n---\nArea.\n",
                "areas/herts/evil.md": "---\ntitle: \(quoted)\ndate: 2009-05-01\nsource: \(quoted)\ntags: [\(quoted)]\n---\nSnippet.\n",
                "pages/evil.md": "---\ntitle: \(quoted)\nslug: evil\nsummary: \(quoted)\n---\nPage.\n",
                "comments/evil/1.md": "---\nname: \(quoted)\norganisation: \(quoted)\ndate: 2009-05-12\n---\nComment.\n",
            ], settings: settings)
            Self.expectSafe(result)
            let post = try #require(result.files?.first { $0.path == "2009/05/evil/index.html" })
            #expect(String(decoding: post.bytes, as: UTF8.self).contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        }

        @Test("a feed's plain-text description is escaped as the HTML that feed readers take it for")
        func feedDescriptions() throws {
            // RSS readers render <description> as HTML: plain text must be HTML-escaped, then XML-escaped.
            let result = Self.generate(["posts/tags.md": """
            ---
            title: About <b> tags
            date: 2009-05-11
            summary: Use <b>bold</b> and <script>alert(1)</script> with care & 'quotes'.
            ---
            Body.
            """])
            let feed = try #require(result.text(ofFile: "feed.xml"))
            for description in Self.elements("description", in: feed) {
                let html = Self.unescapeXML(description)
                let problems = HTMLSafety.problems(in: Array(html.utf8), allowing: [])
                #expect(problems.isEmpty, "<description>\(description)</description> is the HTML \(html)")
                #expect(!html.contains("<b>"), "<description>\(description)</description> shows bold text")
            }
        }

        /// In a comment, a broken link is a warning and loses its address (docs/content.md, "Comments").
        @Test("a site-internal link in a comment that tries to break out of its attribute is a located warning and loses its address")
        func hostileInternalLinks() {
            let comment = """
            ---
            name: Mallory
            organisation: Evil Ltd
            date: 2009-05-12 10:00
            ---
            [a](/"onclick="alert(1)) [b](/x"><script>alert(1)</script>) [c](../"onmouseover="x/)
            """
            let result = Self.generate(["posts/hello.md": Self.post, "comments/hello/evil.md": comment])
            #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics)")
            let warnings = result.diagnostics.filter { $0.severity == .warning }
            #expect(warnings.count == 3, "\(warnings.map(\.description))")
            #expect(warnings.allSatisfy { $0.location.path == "content/comments/hello/evil.md" && $0.location.line == 6 },
                    "\(warnings.map(\.description))")
            let files = result.files ?? []
            #expect(!files.isEmpty)
            for file in files {
                let problems = Self.unsafeParts(file)
                #expect(problems.isEmpty, "\(file.path): \(problems.prefix(5))")
            }
            let page = result.text("2009/05/hello/index.html") ?? ""
            #expect(!page.contains("onclick") && !page.contains("onmouseover"))
        }

        @Test("an area website that is not http(s) is a located error")
        func hostileWebsite() {
            for website in ["javascript:alert(1)", "data:text/html,x", "https://example.org/\" onclick=\"x", "//evil.example/"] {
                let result = Self.generate(["areas/herts/index.md": "---\nname: Herts\nwebsite: '\(website)'\n---\nArea.\n"])
                #expect(result.files == nil, "\(website) was accepted")
                #expect(result.diagnostics.contains { $0.severity == .error && $0.location.path == "content/areas/herts/index.md" && $0.location.line == 3 },
                        "\(website): \(result.diagnostics.map(\.description))")
            }
        }

        @Test("SVG images: an .svg file is shown with <img> (which runs no script); SVG as data: is dropped")
        func svgImages() throws {
            let result = Self.generate(["posts/svg.md": """
            ---
            title: SVG
            date: 2009-05-11
            ---
            ![logo](/assets/favicon.svg) ![data](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)
            """])
            Self.expectSafe(result)
            let html = try #require(result.text(ofFile: "2009/05/svg/index.html"))
            #expect(html.contains("<img src=\"/hub/assets/favicon.svg\" alt=\"logo\">"))
            #expect(!html.contains("data:image/svg"))
        }

        @Test("NUL and other control bytes in front matter and body give a safe page with U+FFFD in their place")
        func nulBytes() throws {
            var bytes = Array("---\ntitle: Nul\u{0}title\ndate: 2009-05-11\nauthor: Nul\u{0}author\n---\n".utf8)
            bytes += Array("Body \u{0} with \u{1}\u{2}\u{3} holes \u{1B}[31m and \u{7F}.\n\n## Head\u{0}ing\n".utf8)
            let tree = SourceTree(content: [
                SourceFile(relativePath: "posts/nul.md", displayPath: "content/posts/nul.md", bytes: bytes),
                SourceFile(relativePath: "site.yml", text: Robust.settings),
            ], theme: Self.themeFiles)
            let result = Pipeline.generate(tree, options: BuildOptions(now: "2010-01-01T00:00:00Z"))
            if let files = result.files {
                for file in files {
                    let controls = file.bytes.filter { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }
                    #expect(controls.isEmpty, "\(file.path) holds control bytes \(Set(controls).sorted())")
                    #expect(Self.unsafeParts(file).isEmpty)
                }
                let html = try #require(result.text(ofFile: "2009/05/nul/index.html"))
                #expect(html.contains("Body \u{FFFD} with"))
            } else {
                // A located error is the other acceptable answer.
                #expect(result.diagnostics.contains { $0.severity == .error && $0.location.path == "content/posts/nul.md" })
            }
        }
    }
}

extension BuildResult {
    func text(ofFile path: String) -> String? {
        files?.first { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }
}
