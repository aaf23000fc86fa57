import HubSite
import Testing

/// Front matter and files (docs/content.md): UTF-8 with an optional BOM and CRLF, YAML between
/// `---` lines, required keys, types, and unknown keys warned about with the nearest known key.
@Suite("Front matter")
struct FrontMatterTests {
    private func parse(_ files: [String: String], settings: String = defaultSettings) -> ParsedContent {
        DocumentParser().parse(tree(files, settings: settings))
    }

    @Test("a byte-order mark and CRLF line endings are accepted, and lines still count right")
    func bomAndCRLF() throws {
        let text = "---\r\ntitle: Windows\r\ndate: 2009-05-11\r\ndraf: true\r\n---\r\n\r\nFirst line\r\nsecond line.\r\n"
        let file = SourceFile(relativePath: "posts/win.md", displayPath: "content/posts/win.md",
                              bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8))
        let settings = SourceFile(relativePath: "site.yml", text: defaultSettings)
        let parsed = DocumentParser().parse(SourceTree(content: [settings, file], theme: []))
        let document = try #require(parsed.posts.first)
        #expect(document.title.value == "Windows")
        #expect(!document.body.text.contains("\r"))
        #expect(document.body.firstLine == 6)
        #expect(report(parsed.diagnostics) == [
            "content/posts/win.md:4:1: error: unknown key 'draf': write 'draft' (keys are spelt exactly, in lower case)",
        ])
        let body = BodyRenderer.render(document.body, context: BodyContext())
        #expect(body.html() == "<p>First line\nsecond line.</p>\n")
    }

    @Test("a file is cut at its fences into YAML and body, whatever the characters beside them")
    func splitAtFences() throws {
        let split = try SplitDocument.split("---\ntitle: Café\n...\n\u{301}Été\n", path: "p.md").get()
        #expect(split.yaml == "title: Café")
        #expect(split.body == "\u{301}Été\n")
        #expect(split.bodyFirstLine == 4)
        #expect(try SplitDocument.split("---\n---\nbody", path: "p.md").get().yaml == "")
        #expect(try SplitDocument.split("---\n---", path: "p.md").get().body == "")
        for (text, message) in [("title: x\n", "missing front matter"), ("---\ntitle: x\n", "never closed"), ("---", "never closed")] {
            guard case .failure(let diagnostic) = SplitDocument.split(text, path: "p.md") else {
                Issue.record("'\(text)' was split")
                continue
            }
            #expect(diagnostic.message.contains(message))
        }
    }

    @Test("a lone CR counts as a line break too")
    func classicMacLineEndings() throws {
        let parsed = parse(["posts/mac.md": "---\rtitle: Mac\rdate: 2009-05-11\r---\rBody\r"])
        let document = try #require(parsed.posts.first)
        #expect(document.title.value == "Mac")
        #expect(document.body.text == "Body\n")
    }

    @Test("near misses of known keys are errors naming the key, in every kind of file; others are warnings")
    func unknownKeys() {
        let parsed = parse([
            "posts/a.md": post("A", date: "2009-05-11", extra: "draf: true\ncolour: red\nauthr: Ann"),
            "pages/p.md": "---\ntitle: P\nsumary: x\n---\n",
            "areas/essex/index.md": "---\nname: Essex\nregoin: East\n---\n",
            "areas/essex/s.md": "---\ntitle: S\ndate: 2009-05-01\nsorce: plan\n---\n",
            "comments/a/c.md": "---\nname: N\norganisation: O\ndate: 2009-05-12\norganization: O\n---\nHi\n",
        ], settings: defaultSettings + "\nfeeditems: 3\n")
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/areas/essex/index.md:3:1: error: unknown key 'regoin': write 'region' (keys are spelt exactly, in lower case)",
            "content/areas/essex/s.md:4:1: error: unknown key 'sorce': write 'source' (keys are spelt exactly, in lower case)",
            "content/comments/a/c.md:5:1: error: unknown key 'organization': write 'organisation' (keys are spelt exactly, in lower case)",
            "content/pages/p.md:3:1: error: unknown key 'sumary': write 'summary' (keys are spelt exactly, in lower case)",
            "content/posts/a.md:4:1: error: unknown key 'draf': write 'draft' (keys are spelt exactly, in lower case)",
            "content/posts/a.md:5:1: warning: unknown key 'colour'",
            "content/posts/a.md:6:1: error: unknown key 'authr': write 'author' (keys are spelt exactly, in lower case)",
            "content/site.yml:3:1: error: unknown key 'feeditems': write 'feed_items' (keys are spelt exactly, in lower case)",
        ])
    }

    @Test("missing required keys are errors at the start of the front matter, all of them")
    func missingRequiredKeys() {
        let parsed = parse([
            "posts/a.md": "---\nauthor: Ann\n---\nBody\n",
            "areas/x/index.md": "---\nregion: South East\n---\n",
            "areas/x/s.md": "---\nsource: plan\n---\n",
            "comments/a/c.md": "---\nname: N\n---\nHi\n",
            "pages/p.md": "---\nslug: p\n---\n",
        ])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/areas/x/index.md:1:1: error: missing required key 'name'",
            "content/areas/x/s.md:1:1: error: missing required key 'date'",
            "content/areas/x/s.md:1:1: error: missing required key 'title'",
            "content/comments/a/c.md:1:1: error: missing required key 'date'",
            "content/comments/a/c.md:1:1: error: missing required key 'organisation'",
            "content/pages/p.md:1:1: error: missing required key 'title'",
            "content/posts/a.md:1:1: error: missing required key 'date'",
            "content/posts/a.md:1:1: error: missing required key 'title'",
        ])
    }

    @Test("site.yml must give title and base_url")
    func missingSettings() {
        let parsed = parse([:], settings: "tagline: Hello\n")
        #expect(parsed.settings == nil)
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/site.yml:1:1: error: missing required key 'base_url'",
            "content/site.yml:1:1: error: missing required key 'title'",
        ])
    }

    @Test("no site.yml at all is an error that says what to write")
    func noSettingsFile() {
        let parsed = DocumentParser().parse(SourceTree(content: [SourceFile(relativePath: "posts/a.md",
                                                                            text: post("A", date: "2009-05-11"))],
                                                       theme: []))
        #expect(report(parsed.diagnostics) == [
            "content/site.yml:1:1: error: missing site settings: create site.yml with at least 'title' and 'base_url'",
        ])
    }

    @Test("an empty title counts as missing; an empty quoted title is an error at the value")
    func emptyTitle() {
        let parsed = parse([
            "posts/a.md": "---\ntitle:\ndate: 2009-05-11\n---\n",
            "posts/b.md": "---\ntitle: \"  \"\ndate: 2009-05-11\n---\n",
            "posts/c.md": "---\ntitle: ~\ndate: 2009-05-11\n---\n",
        ])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/posts/a.md:1:1: error: missing required key 'title'",
            "content/posts/b.md:2:8: error: 'title' must not be empty",
            "content/posts/c.md:1:1: error: missing required key 'title'",
        ])
    }

    @Test("values of the wrong type are errors at the value")
    func wrongTypes() {
        let parsed = parse([
            "posts/a.md": """
            ---
            title: [A, B]
            date: 2009-05-11
            tags: 5
            areas: {essex: yes}
            draft: maybe
            aliases: [/old/, [nested]]
            ---
            Body

            """,
        ])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/posts/a.md:2:8: error: 'title' must be text, not a list",
            "content/posts/a.md:4:7: error: 'tags' must be a list, e.g. tags: [first, second]",
            "content/posts/a.md:5:8: error: 'areas' must be a list, e.g. areas: [first, second]",
            "content/posts/a.md:6:8: error: 'draft' must be true or false",
            "content/posts/a.md:7:18: error: each item of 'aliases' must be text, not a list",
        ])
    }

    @Test("site settings of the wrong type or meaning are errors at the value")
    func wrongSettings() {
        let parsed = parse([:], settings: """
        title: Hub
        base_url: www.example.org
        timezone: Europe/Lundon
        posts_per_page: 0
        feed_items: lots
        raw_html: sometimes
        """)
        #expect(parsed.settings == nil)
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/site.yml:2:11: error: 'base_url' must be an absolute http(s) URL, e.g. https://www.example.org/",
            "content/site.yml:3:11: error: unknown time zone 'Europe/Lundon' (did you mean 'Europe/London'?)",
            "content/site.yml:4:17: error: 'posts_per_page' must be a whole number from 1 to 100000",
            "content/site.yml:5:13: error: 'feed_items' must be a whole number from 1 to 100000",
            "content/site.yml:6:11: error: 'raw_html' must be true or false",
        ])
    }

    @Test("settings take the documented defaults")
    func settingsDefaults() throws {
        let settings = try #require(parse([:]).settings)
        #expect(settings.language == "en-GB")
        #expect(settings.timeZone.identifier == "Europe/London")
        #expect(settings.postsPerPage == 10)
        #expect(settings.feedItems == 20)
        #expect(settings.rawHTML == false)
        #expect(settings.tagline == nil)
        #expect(settings.commentNote == nil)
        #expect(settings.baseURL.origin == "https://example.org")
        #expect(settings.baseURL.path == "/")
    }

    @Test("base_url keeps its path, always ending in /; --base-url wins over site.yml")
    func baseURL() throws {
        let settings = try #require(parse([:], settings: "title: T\nbase_url: https://example.org/hub\n").settings)
        #expect(settings.baseURL.path == "/hub/")
        #expect(settings.baseURL.absolute("tags/") == "https://example.org/hub/tags/")
        let overridden = try #require(DocumentParser(baseURLOverride: "http://localhost:8080/preview/")
            .parse(tree([:])).settings)
        #expect(overridden.baseURL.description == "http://localhost:8080/preview/")
        #expect(BaseURL("ftp://example.org/") == nil)
        #expect(BaseURL("https:///nohost") == nil)
        #expect(BaseURL("https://example.org/?q=1") == nil)
    }

    @Test("YAML-isms: yes is true, a number as title is text")
    func yamlScalars() throws {
        let parsed = parse(["posts/a.md": "---\ntitle: 2024\ndate: 2009-05-11\ndraft: yes\n---\n"])
        let document = try #require(parsed.posts.first)
        #expect(document.title.value == "2024")
        #expect(document.draft?.value == true)
        #expect(parsed.diagnostics.isEmpty)
    }

    @Test("malformed YAML is an error at the place the parser stopped, and the file is not used")
    func malformedYAML() {
        let parsed = parse(["posts/a.md": "---\ntitle: A\ndate: 2009-05-11\ntags: [one, two\n---\nBody\n"])
        #expect(parsed.posts.isEmpty)
        let lines = report(parsed.diagnostics)
        #expect(lines.count == 1)
        #expect(lines.first == "content/posts/a.md:4:16: error: the list of tags opens with [ but never closes: end it with ]")
    }

    @Test("a duplicate key is an error at its second occurrence")
    func duplicateKey() {
        let parsed = parse(["posts/a.md": "---\ntitle: A\ndate: 2009-05-11\ntitle: B\n---\n"])
        #expect(parsed.posts.isEmpty)
        #expect(report(parsed.diagnostics) == ["content/posts/a.md:4:1: error: duplicate key 'title' in front matter"])
    }

    @Test("front matter that is never closed, or missing, is an error")
    func unclosedOrMissing() {
        let parsed = parse([
            "posts/a.md": "---\ntitle: A\ndate: 2009-05-11\n\nBody without a closing line.\n",
            "posts/b.md": "title: B\ndate: 2009-05-11\n---\nBody\n",
            "pages/empty.md": "",
        ])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/pages/empty.md:1:1: error: missing front matter: the file must start with a '---' line",
            "content/posts/a.md:1:1: error: front matter is never closed: add a '---' line after it",
            "content/posts/b.md:1:1: error: missing front matter: the file must start with a '---' line",
        ])
    }

    @Test("front matter that is not a mapping is an error")
    func notAMapping() {
        let parsed = parse(["posts/a.md": "---\n- title\n- date\n---\n"])
        #expect(report(parsed.diagnostics) == [
            "content/posts/a.md:2:1: error: front matter must be a mapping of keys to values",
        ])
    }

    @Test("invalid UTF-8 is an error at the first bad byte")
    func invalidUTF8() {
        let bytes = Array("---\ntitle: Caf".utf8) + [0xE9] + Array("\ndate: 2009-05-11\n---\n".utf8)
        let file = SourceFile(relativePath: "posts/a.md", displayPath: "content/posts/a.md", bytes: bytes)
        let settings = SourceFile(relativePath: "site.yml", text: defaultSettings)
        let parsed = DocumentParser().parse(SourceTree(content: [settings, file], theme: []))
        #expect(parsed.posts.isEmpty)
        #expect(report(parsed.diagnostics) == ["content/posts/a.md:2:11: error: file is not UTF-8: byte 0xE9 here looks like 'é' in Latin-1 or Windows-1252: "
                + "save it as UTF-8 (in your editor's Save As or Encoding menu)"])
    }

    @Test("control characters are replaced, so they never reach a page or feed")
    func controlCharacters() throws {
        let parsed = parse(["posts/a.md": "---\ntitle: \"A\\u0001B\"\ndate: 2009-05-11\n---\nx\u{1}y\u{2}z\n"])
        let document = try #require(parsed.posts.first)
        #expect(document.body.text == "x\u{FFFD}y\u{FFFD}z\n")
    }

    @Test("files outside the content layout are warned about, not silently used")
    func strayFiles() {
        let parsed = parse(["notes.md": "x", "posts/readme.txt": "x", "pages/sub/deep.md": "---\ntitle: D\n---\n"])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/notes.md:1:1: warning: file is not part of the content layout and is ignored (see the content reference for where files go)",
            "content/pages/sub/deep.md:1:1: warning: file is not part of the content layout and is ignored (see the content reference for where files go)",
            "content/posts/readme.txt:1:1: warning: file is not part of the content layout and is ignored (see the content reference for where files go)",
        ])
    }

    @Test("a post's whole set of problems comes out in one pass")
    func everyProblemOfAFile() {
        let parsed = parse(["posts/a.md": "---\ndate: someday\ntags: x\nslugg: y\n---\n"])
        #expect(report(parsed.diagnostics.sortedForReport()) == [
            "content/posts/a.md:1:1: error: missing required key 'title'",
            "content/posts/a.md:2:7: error: 'date' is not a date: \"someday\"; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2009-05-11 09:30",
            "content/posts/a.md:3:7: error: 'tags' must be a list, e.g. tags: [first, second]",
            "content/posts/a.md:4:1: error: unknown key 'slugg': write 'slug' (keys are spelt exactly, in lower case)",
        ])
    }

    /// Plain front matter is built from libyaml's events; an anchor sends the same front matter
    /// to Yams. Both must give the same values, at the same places, and the same messages.
    @Test("front matter read from the event check and front matter composed by Yams agree")
    func eventValuesMatchYams() throws {
        let cases = [
            "title: \"Quoted: yes\"\ndate: 2009-05-11 09:30\ntags:TAGS\nauthor: ~\nrole: 'Officer'\n",
            "title:\ndate: 2009-05-11\ntags:TAGS\ndraft: maybe\n",
            "title: T\ndate: someday\ntags:TAGS\naliases: {a: b}\n",
            "title: [x]\ndate: 2009-05-11\ntags:TAGS\nsummary: |\n  two\n  lines\n",
        ]
        for yaml in cases {
            // The anchor stands alone on the key's line, so every item keeps its line and column.
            let items = "\n  - a\n  - 'b c'\n  - {d: e}"
            let plain = yaml.replacing("TAGS", with: items)
            let anchored = yaml.replacing("TAGS", with: " &t" + items)
            let (first, second) = (parse(["posts/a.md": "---\n\(plain)---\nBody\n"]),
                                   parse(["posts/a.md": "---\n\(anchored)---\nBody\n"]))
            #expect(report(first.diagnostics.sortedForReport()) == report(second.diagnostics.sortedForReport()), "\(yaml)")
            #expect(first.posts.map(\.title) == second.posts.map(\.title))
            #expect(first.posts.map(\.tags) == second.posts.map(\.tags))
            #expect(first.posts.map(\.summary) == second.posts.map(\.summary))
            #expect(first.posts.map(\.role) == second.posts.map(\.role))
        }
    }

    @Test("characters to replace are found at every place in the text, not only where the scan looks eight bytes at a time")
    func replacementAtEveryOffset() {
        for offset in 0..<20 {
            let before = String(repeating: "a", count: offset), after = String(repeating: "b", count: 20 - offset)
            #expect(SourceText.normalise(before + "\u{1}" + after) == before + "\u{FFFD}" + after)
            #expect(SourceText.normalise(before + "\u{85}" + after) == before + "\u{FFFD}" + after)
            #expect(SourceText.normalise(before + "\u{7F}" + after) == before + "\u{FFFD}" + after)
            #expect(SourceText.normalise(before + "\r\n" + after) == before + "\n" + after)
            #expect(SourceText.normalise(before + "\u{FFFF}" + after) == before + "\u{FFFD}" + after)
            #expect(SourceText.normalise(before + "é\t\n~" + after) == before + "é\t\n~" + after)
        }
    }
}
