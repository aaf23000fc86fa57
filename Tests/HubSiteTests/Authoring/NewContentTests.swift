import Foundation
import HubSite
import Testing

extension Authoring {
    /// `hubsite new`'s files, made from strings: path, front matter, refusals.
    @Suite("New posts and areas")
    struct NewContentTests {
        static let facts = NewContent.ContentFacts(
            timeZone: .london, areaSlugs: ["essex", "hertfordshire", "west-sussex"],
            postSlugs: ["welcome-to-the-hub": "posts/2009/2009-04-01-welcome-to-the-hub.md"])

        @Test("a post: dated now on the site's clock, as a draft, with tags and areas")
        func post() throws {
            // 08:30 UTC is 09:30 in London in May (BST).
            let now = try Authoring.instant("2009-05-11T08:30:45Z")
            let file = try NewContent.post(title: "Keeping up with the Joneses", now: now,
                                           tags: ["NI7", "Third Sector"], areas: ["essex"], facts: Self.facts).get()
            #expect(file.relativePath == "posts/2009/2009-05-11-keeping-up-with-the-joneses.md")
            #expect(file.text == """
                ---
                title: Keeping up with the Joneses
                date: 2009-05-11 09:30
                author:
                role:
                tags: [NI7, Third Sector]
                areas: [essex]
                draft: true
                ---


                """)
        }

        @Test("the date and the folder follow the site's time zone, not UTC")
        func timeZone() throws {
            let tokyo = try #require(SiteTimeZone(identifier: "Asia/Tokyo"))
            var facts = Self.facts
            facts.timeZone = tokyo
            let now = try Authoring.instant("2009-12-31T23:30:00Z") // 2010-01-01 08:30 in Tokyo
            let file = try NewContent.post(title: "New Year", now: now, facts: facts).get()
            #expect(file.relativePath == "posts/2010/2010-01-01-new-year.md")
            #expect(file.text.contains("\ndate: 2010-01-01 08:30\n"))
            #expect(file.text.contains("\ntags: []\nareas: []\n"))
        }

        @Test("unknown areas are refused, every one, with the nearest name")
        func unknownAreas() throws {
            let result = NewContent.post(title: "A post", now: 0, areas: ["esex", "nowhere-at-all", "essex"], facts: Self.facts)
            guard case .failure(let failure) = result else { Issue.record("expected a refusal"); return }
            #expect(failure.problems == [
                .unknownArea("esex", suggestion: "essex"),
                .unknownArea("nowhere-at-all", suggestion: nil),
            ])
            #expect(failure.problems[0].description.hasPrefix("unknown area 'esex' (did you mean 'essex'?)"))
        }

        @Test("an area may be named as its profile names it; repeats are given once")
        func areaNames() throws {
            let file = try NewContent.post(title: "A post", now: 0, areas: ["West Sussex", "west-sussex", " essex "],
                                           facts: Self.facts).get()
            #expect(file.text.contains("\nareas: [west-sussex, essex]\n"))
        }

        @Test("tags that share a slug are one tag, in the first spelling")
        func tagSlugs() throws {
            let file = try NewContent.post(title: "A post", now: 0, tags: ["Third Sector", "third-sector", "VCS"],
                                           facts: Self.facts).get()
            #expect(file.text.contains("\ntags: [Third Sector, VCS]\n"))
        }

        @Test("a title, name or tag without letters or digits is refused", arguments: ["", "!!!", "  ", "日本語"])
        func emptySlugs(_ text: String) {
            #expect(NewContent.post(title: text, now: 0, facts: Self.facts)
                == .failure(NewContent.Problems([.emptySlug(what: "title", text: text)])))
            #expect(NewContent.post(title: "Fine", now: 0, tags: [text], facts: Self.facts)
                == .failure(NewContent.Problems([.emptySlug(what: "tag", text: text.trimmingCharacters(in: .whitespaces))])))
            #expect(NewContent.area(name: text) == .failure(NewContent.Problems([.emptySlug(what: "name", text: text)])))
        }

        @Test("a post whose slug another post has is refused: the build would refuse both")
        func slugTaken() {
            let result = NewContent.post(title: "Welcome to the hub!", now: 0, facts: Self.facts)
            #expect(result == .failure(NewContent.Problems([
                .slugTaken(slug: "welcome-to-the-hub", by: "content/posts/2009/2009-04-01-welcome-to-the-hub.md"),
            ])))
        }

        @Test("an area profile: name filled in, region and website blank")
        func area() throws {
            let file = try NewContent.area(name: "  Milton Keynes ").get()
            #expect(file.relativePath == "areas/milton-keynes/index.md")
            #expect(file.text == "---\nname: Milton Keynes\nregion:\nwebsite:\n---\n\n")
        }

        // MARK: - Reading back

        @Test("awkward titles and tags read back exactly", arguments: [
            "Keeping up: part 2", "\"Quoted\" words", "#1 in the county", "yes", "No", "null", "~", "- a dash",
            "100", "3.5", "Café & Bar", "C:\\path\\to", "it's", "[bracketed]", "{braced}", "a, b", "50% more",
            "@home", "`code`", "ends with colon:", "tab\there", "line\nbreak", "* star", "!important", "| pipe",
            "> quote", "?question", "0x1F", ".5", "title # not a comment", "'single'",
        ])
        func roundTrip(_ text: String) throws {
            guard !Slug.make(text).isEmpty else { return }
            let file = try NewContent.post(title: text, now: 0, tags: [text, "plain"], facts: Self.facts).get()
            let post = try #require(Self.parsedPost(file))
            #expect(post.title.value == text.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(post.tags.map(\.value) == [text.trimmingCharacters(in: .whitespacesAndNewlines), "plain"])
            #expect(post.draft?.value == true)
        }

        @Test("the new post parses without a diagnostic, dated to the minute")
        func parsesCleanly() throws {
            let now = try Authoring.instant("2009-05-11T08:30:45Z")
            let file = try NewContent.post(title: "Keeping up", now: now, tags: ["NI7"], areas: ["essex"], facts: Self.facts).get()
            let parsed = Self.parse(file)
            #expect(parsed.diagnostics.isEmpty, "\(parsed.diagnostics)")
            let post = try #require(parsed.posts.first)
            #expect(post.date.value.epochSeconds == now - 45)
            #expect(post.areas.map(\.value) == ["essex"])
            #expect(post.author == nil)
        }

        static func parse(_ file: NewContent.File) -> ParsedContent {
            let tree = SourceTree(content: [
                SourceFile(relativePath: "site.yml", text: "title: T\nbase_url: https://example.org/\n"),
                SourceFile(relativePath: file.relativePath, text: file.text),
            ], theme: [])
            return DocumentParser().parse(tree)
        }

        static func parsedPost(_ file: NewContent.File) -> PostDocument? {
            parse(file).posts.first
        }
    }
}

extension NewContent.File: CustomTestStringConvertible {
    public var testDescription: String { "\(relativePath): \(text.debugDescription)" }
}
