import HubSite
import Testing

/// The messages authors meet: each names the file, line and column, says what happened and what
/// to write instead, in the project's words rather than the YAML parser's (docs/content.md).
@Suite("Messages for authors")
struct AuthorMessageTests {
    /// The diagnostics of a site holding one post with this front matter (between the `---` lines).
    private func problems(_ frontMatter: String, body: String = "Body.", extra: [String: String] = [:]) -> [String] {
        var files = extra
        files["posts/p.md"] = "---\n\(frontMatter)\n---\n\n\(body)\n"
        return report(generate(files).diagnostics.filter { $0.severity != .note })
    }

    // MARK: 1. Near misses of known keys are errors

    @Test("a misspelt key is an error, never a warning that publishes a draft",
          arguments: [
              ("draf: true", "content/posts/p.md:4:1: error: unknown key 'draf': write 'draft' (keys are spelt exactly, in lower case)"),
              ("tittle: Again", "content/posts/p.md:4:1: error: unknown key 'tittle': write 'title' (keys are spelt exactly, in lower case)"),
              ("Title: Again", "content/posts/p.md:4:1: error: unknown key 'Title': write 'title' (keys are spelt exactly, in lower case)"),
              ("tag: [NI7]", "content/posts/p.md:4:1: error: unknown key 'tag': write 'tags' (keys are spelt exactly, in lower case)"),
              ("area: [essex]", "content/posts/p.md:4:1: error: unknown key 'area': write 'areas' (keys are spelt exactly, in lower case)"),
              ("sumary: Short", "content/posts/p.md:4:1: error: unknown key 'sumary': write 'summary' (keys are spelt exactly, in lower case)"),
          ])
    func nearMissKey(line: String, expected: String) {
        let result = generate(["posts/p.md": post("Hello", date: "2009-05-11", extra: line)])
        #expect(report(result.diagnostics) == [expected])
        #expect(result.files == nil)
    }

    @Test("a key that is not close to any known key stays a warning")
    func farKey() {
        #expect(problems("title: A\ndate: 2009-05-11\nmood: happy")
                == ["content/posts/p.md:4:1: warning: unknown key 'mood'"])
    }

    @Test("the near-miss rule: one edit, two for keys of six letters or more, any letter case")
    func nearMissRule() {
        #expect(NearestName.nearMiss(of: "draf", among: ["draft"]) == "draft")
        #expect(NearestName.nearMiss(of: "dra", among: ["draft"]) == nil)
        #expect(NearestName.nearMiss(of: "sumry", among: ["summary"]) == "summary")
        #expect(NearestName.nearMiss(of: "smry", among: ["summary"]) == nil)
        #expect(NearestName.nearMiss(of: "DRAFT", among: ["draft"]) == "draft")
        #expect(NearestName.nearMiss(of: "name", among: ["date", "title"]) == nil)
    }

    // MARK: 2. YAML's complaints, translated

    @Test("YAML mistakes are explained where they were made, with the text to write",
          arguments: [
              ("title: NI7: what next\ndate: 2009-05-11",
               "content/posts/p.md:2:11: error: the title holds ': ', which YAML reads as a new key: put the title in quotes: title: \"NI7: what next\""),
              ("title: \"Quoted\" and more\ndate: 2009-05-11",
               "content/posts/p.md:2:8: error: the title starts with a quote mark, so YAML takes only the quoted words: put the title in quotes: title: '\"Quoted\" and more'"),
              ("title: 'Tis the season\ndate: 2009-05-11",
               "content/posts/p.md:2:8: error: the title opens a quote (') that is never closed on its line: close it, or put the title in quotes: title: \"'Tis the season\""),
              ("title: [Draft] plans\ndate: 2009-05-11",
               "content/posts/p.md:2:8: error: the title starts with [, which YAML reads as a list: put the title in quotes: title: \"[Draft] plans\""),
              ("title: A\ndate: 2009-05-11\ntags:\n\t- NI7",
               "content/posts/p.md:5:1: error: line 5 starts with a tab: use spaces"),
              ("title:\u{A0}Hello\ndate: 2009-05-11\ntags: [a]",
               "content/posts/p.md:2:7: error: line 2 has a non-breaking space after 'title:': use an ordinary space"),
              ("title: @home\ndate: 2009-05-11",
               "content/posts/p.md:2:8: error: YAML gives '@' a meaning at the start of a value: put the title in quotes: title: \"@home\""),
          ])
    func yamlMistake(frontMatter: String, expected: String) {
        #expect(problems(frontMatter) == [expected])
    }

    @Test("a title after # is a comment to YAML: the title is empty, and the message says why")
    func commentedTitle() {
        #expect(problems("title: #NI7 week\ndate: 2009-05-11")
                == ["content/posts/p.md:2:8: error: # starts a comment here, so the title is empty: quote it: title: \"#NI7 week\""])
    }

    // MARK: 3. Dates

    @Test("a date in another form gets the form to write, converted when it reads one way only",
          arguments: [
              ("11/05/2009", "'date' is not a date: \"11/05/2009\"; write 2009-05-11 (year-month-day)"),
              ("11 May 2009", "'date' is not a date: \"11 May 2009\"; write 2009-05-11 (year-month-day)"),
              ("11th May 2009 9:30", "'date' is not a date: \"11th May 2009 9:30\"; write 2009-05-11 09:30 (year-month-day)"),
              ("2009-5-11 9:30", "'date' is not a date: \"2009-5-11 9:30\"; write 2009-05-11 09:30 (year-month-day)"),
              ("2009\u{2013}05\u{2013}20", "'date' is not a date: \"2009\u{2013}05\u{2013}20\"; it has en dashes (\u{2013}) where hyphens (-) belong: write 2009-05-20"),
              ("05/13/09", "'date' is not a date: \"05/13/09\"; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2009-05-11 09:30"),
              ("next tuesday", "'date' is not a date: \"next tuesday\"; write it as YYYY-MM-DD or YYYY-MM-DD HH:MM, e.g. 2009-05-11 09:30"),
          ])
    func dateAdvice(date: String, message: String) {
        #expect(problems("title: A\ndate: \(date)") == ["content/posts/p.md:3:7: error: \(message)"])
    }

    // MARK: 4. Links

    @Test("a link from another folder gets the exact text to write from the linking file")
    func relativeSuggestion() {
        let result = generate([
            "posts/2009/2009-03-23-ni7.md": post("NI7", date: "2009-03-23"),
            "posts/2026/2026-01-05-back.md": post("Back", date: "2009-06-01", body: "See [NI7](2009-03-23-ni7.md#plans)."),
        ])
        #expect(result.errors == [
            "content/posts/2026/2026-01-05-back.md:6:5: error: broken link '2009-03-23-ni7.md#plans': no published "
                + "content file 'posts/2026/2009-03-23-ni7.md' (did you mean '../2009/2009-03-23-ni7.md#plans'?)",
        ])
    }

    @Test("the suggested text works when written")
    func suggestionWorks() {
        let result = generate([
            "posts/2009/2009-03-23-ni7.md": post("NI7", date: "2009-03-23"),
            "posts/2026/2026-01-05-back.md": post("Back", date: "2009-06-01", body: "See [NI7](../2009/2009-03-23-ni7.md#plans)."),
        ])
        #expect(result.errors == [])
        #expect(result.text("2009/06/back/index.html")?.contains("href=\"/2009/03/ni7/#plans\"") == true)
    }

    @Test("a link to a draft or a scheduled post says so")
    func linkToDraft() {
        let result = generate([
            "posts/draft.md": post("Draft", date: "2009-05-01", extra: "draft: true"),
            "posts/later.md": post("Later", date: "2031-01-01"),
            "posts/a.md": post("A", date: "2009-05-02", body: "[d](draft.md) and [l](later.md)"),
        ])
        #expect(result.errors == [
            "content/posts/a.md:6:1: error: link to 'draft.md', which is a draft and so is not published: the link would lead nowhere",
            "content/posts/a.md:6:19: error: link to 'later.md', which is scheduled for 2031-01-01 00:00 and so is not published: "
                + "the link would lead nowhere",
        ])
        // With --drafts the draft is published and the link works.
        let drafts = generate([
            "posts/draft.md": post("Draft", date: "2009-05-01", extra: "draft: true"),
            "posts/a.md": post("A", date: "2009-05-02", body: "[d](draft.md)"),
        ], drafts: true)
        #expect(drafts.errors == [])
    }

    // MARK: 5. Every problem in one run

    @Test("an unknown area and a broken link in the same post are reported together")
    func oneRun() {
        let result = generate([
            "areas/essex/index.md": "---\nname: Essex\n---\n",
            "posts/a.md": post("A", date: "2009-05-02", extra: "areas: [esex]", body: "See [it](missing.md) and [that](/nowhere/)."),
        ])
        #expect(result.errors == [
            "content/posts/a.md:4:9: error: unknown area 'esex' (did you mean 'essex'?)",
            "content/posts/a.md:7:5: error: broken link 'missing.md': no published content file 'posts/missing.md'",
            "content/posts/a.md:7:26: error: broken link '/nowhere/': nothing in the site at /nowhere/",
        ])
    }

    // MARK: 6. Tags that look alike

    @Test("tags that differ only by hyphens get a warning naming the more common spelling")
    func lookAlikeTags() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-01", extra: "tags: [NI7]"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "tags: [NI7, VCS]"),
            "posts/c.md": post("C", date: "2009-05-03", extra: "tags: [Third Sector, NI-7]"),
        ])
        #expect(report(result.diagnostics) == [
            "content/posts/c.md:4:22: warning: tag 'NI-7' looks like 'NI7' (2 uses), but they are two tags: "
                + "write 'NI7' if they are meant to be one",
        ])
        #expect(result.files != nil)
    }

    @Test("of two spellings with one slug, the warning names the one met first, in file order")
    func lookAlikeTagsFirstSpelling() {
        let result = generate([
            "posts/a.md": post("A", date: "2009-05-03", extra: "tags: [ni7]"),
            "posts/b.md": post("B", date: "2009-05-02", extra: "tags: [NI7]"),
            "posts/c.md": post("C", date: "2009-05-01", extra: "tags: [NI-7]"),
        ])
        #expect(report(result.diagnostics) == [
            "content/posts/c.md:4:8: warning: tag 'NI-7' looks like 'ni7' (2 uses), but they are two tags: "
                + "write 'ni7' if they are meant to be one",
        ])
    }

    // MARK: 6. Encodings

    @Test("UTF-16 with a byte-order mark is read, both byte orders")
    func utf16() throws {
        let text = "---\ntitle: Café society\ndate: 2009-05-11\n---\n\nBody.\n"
        for bigEndian in [false, true] {
            var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
            for unit in text.utf16 {
                let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
                bytes += bigEndian ? [high, low] : [low, high]
            }
            var files = tree([:])
            files.content.append(SourceFile(relativePath: "posts/p.md", displayPath: "content/posts/p.md", bytes: bytes))
            let result = Pipeline.generate(files, options: BuildOptions(now: defaultNow))
            #expect(result.errors == [])
            #expect(result.text("2009/05/p/index.html")?.contains("Café society") == true)
        }
    }

    @Test("a Latin-1 file gets 'save it as UTF-8', with the character it probably is")
    func latin1() {
        var files = tree([:])
        let bytes = Array("---\ntitle: Caf".utf8) + [0xE9] + Array("\ndate: 2009-05-11\n---\n\nBody.\n".utf8)
        files.content.append(SourceFile(relativePath: "posts/p.md", displayPath: "content/posts/p.md", bytes: bytes))
        let result = Pipeline.generate(files, options: BuildOptions(now: defaultNow))
        #expect(result.errors == ["content/posts/p.md:2:11: error: file is not UTF-8: byte 0xE9 here looks like 'é' in "
                                  + "Latin-1 or Windows-1252: save it as UTF-8 (in your editor's Save As or Encoding menu)"])
    }

    @Test("UTF-16 without a byte-order mark is named as such")
    func utf16WithoutMark() {
        var files = tree([:])
        let bytes = "---\ntitle: A\ndate: 2009-05-11\n---\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        files.content.append(SourceFile(relativePath: "posts/p.md", displayPath: "content/posts/p.md", bytes: bytes))
        let result = Pipeline.generate(files, options: BuildOptions(now: defaultNow))
        #expect(result.errors == ["content/posts/p.md:1:1: error: file is not UTF-8 (it looks like UTF-16 without a "
                                  + "byte-order mark): save it as UTF-8 (in your editor's Save As or Encoding menu)"])
    }
}

/// Drafts and scheduled posts in a preview carry a banner saying so (docs/authors.md, "Previewing").
@Suite("Preview banners")
struct PreviewBannerTests {
    private let files = [
        "posts/draft.md": post("Half written", date: "2009-05-01", extra: "draft: true"),
        "posts/later.md": post("Coming soon", date: "2009-06-01 09:30"),
        "posts/now.md": post("Published", date: "2009-05-02"),
    ]

    @Test("with --drafts a draft's page has a banner; published posts have none")
    func draftBanner() throws {
        let result = generate(files, now: "2009-05-10T00:00:00Z", drafts: true)
        let page = try #require(result.text("2009/05/draft/index.html"))
        #expect(page.contains("<p class=\"preview-banner\" role=\"note\">Draft: this post is not published. It shows here "
                              + "because of --drafts; delete the line &#39;draft: true&#39; to publish it.</p>")
                || page.contains("<p class=\"preview-banner\" role=\"note\">Draft: this post is not published. It shows here "
                              + "because of --drafts; delete the line &#x27;draft: true&#x27; to publish it.</p>"))
        #expect(result.text("2009/05/now/index.html")?.contains("preview-banner") == false)
        #expect(result.text("2009/06/later/index.html") == nil)
    }

    @Test("the preview server's build shows scheduled posts early, with a banner naming the day")
    func scheduledBanner() throws {
        var options = BuildOptions(now: "2009-05-10T00:00:00Z")
        options.previewScheduled = true
        let result = Pipeline.generate(tree(files), options: options)
        let page = try #require(result.text("2009/06/later/index.html"))
        #expect(page.contains("<p class=\"preview-banner\" role=\"note\">Scheduled: this post is not published until "
                              + "Monday 1 June 2009 at 09:30. The preview shows it early.</p>"))
        #expect(result.text("2009/05/draft/index.html") == nil)
        #expect(report(result.diagnostics).contains(
            "content/posts/later.md:3:7: note: scheduled for 2009-06-01 09:30, shown early with a banner"))
    }

    @Test("a normal build has no banner anywhere")
    func noBanner() {
        let result = generate(files, now: "2009-05-10T00:00:00Z")
        #expect(result.files?.contains { String(decoding: $0.bytes, as: UTF8.self).contains("preview-banner\"") } == false)
    }
}
