import HubSite
import Testing

/// The one slug rule (docs/content.md, "Slugs and tags"): lower-cased, accents folded to ASCII, every run of other
/// characters one `-`, no `-` at either end. Tags, posts, pages and heading ids all use it.
@Suite("Slug rule")
struct SlugTests {
    @Test("examples from docs/content.md and the edges of the rule", arguments: [
        ("Third Sector", "third-sector"),
        ("Café & Bar", "cafe-bar"),
        ("", ""),
        ("!!!", ""),
        ("   ", ""),
        ("NI7", "ni7"),
        ("  --Hello--  World--  ", "hello-world"),
        ("2009 Plans", "2009-plans"),
        ("naïve Crème Brûlée", "naive-creme-brulee"),
        ("Straße", "strasse"),
        ("Ærøskøbing", "aeroskobing"),
        ("Łódź", "lodz"),
        ("C++ & C#", "c-c"),
        ("a_b.c/d", "a-b-c-d"),
        ("already-a-slug", "already-a-slug"),
        ("日本語", ""),
        ("VCS: 日本 funding", "vcs-funding"),
    ])
    func make(input: String, expected: String) {
        #expect(Slug.make(input) == expected)
    }

    @Test("a decomposed accent (e + U+0301) folds like the precomposed one")
    func decomposedAccent() {
        #expect(Slug.make("Cafe\u{301}") == "cafe")
        #expect(Slug.make("Caf\u{E9}") == "cafe")
    }

    @Test("isSlug is true only for what make leaves unchanged")
    func isSlug() {
        #expect(Slug.isSlug("west-sussex"))
        #expect(!Slug.isSlug("West Sussex"))
        #expect(!Slug.isSlug(""))
        #expect(!Slug.isSlug("-edge"))
    }

    @Test("a tag whose slug comes out empty is an error at the tag")
    func emptyTagSlug() {
        let result = model(["posts/a.md": post("A", date: "2009-05-11", extra: "tags: [\"!!!\"]")])
        #expect(report(result.diagnostics) == [
            "content/posts/a.md:4:8: error: tag '!!!' has an empty slug; use letters or digits",
        ])
    }

    @Test("a post whose slug comes out empty is an error at its slug")
    func emptyPostSlug() {
        let result = model(["posts/a.md": post("A", date: "2009-05-11", extra: "slug: \"???\"")])
        #expect(report(result.diagnostics) == [
            "content/posts/a.md:4:7: error: post slug comes out empty from '???'; set 'slug' to letters or digits",
        ])
        #expect(result.site?.posts.isEmpty == true)
    }

    @Test("a post file named only with punctuation has no slug either")
    func emptyPostSlugFromFileName() {
        let result = model(["posts/2009-05-11-___.md": post("A", date: "2009-05-11")])
        #expect(report(result.diagnostics) == [
            "content/posts/2009-05-11-___.md:1:1: error: post slug comes out empty from '___'; set 'slug' to letters or digits",
        ])
    }

    @Test("a page whose slug comes out empty is an error")
    func emptyPageSlug() {
        let result = model(["pages/a.md": "---\ntitle: A\nslug: \"…\"\n---\nText\n"])
        #expect(report(result.diagnostics) == [
            "content/pages/a.md:3:7: error: page slug comes out empty from '…'; set 'slug' to letters or digits",
        ])
    }

    @Test("a post's slug defaults to its file name without a leading YYYY-MM-DD-")
    func defaultPostSlug() throws {
        let result = model([
            "posts/2009/2009-05-11-keeping-up.md": post("One", date: "2009-05-11"),
            "posts/2009-05-plans.md": post("Two", date: "2009-05-12"),
            "posts/Funding Round.md": post("Three", date: "2009-05-13"),
            "posts/x.md": post("Four", date: "2009-05-14", extra: "slug: Chosen Slug"),
        ])
        let site = try #require(result.site)
        #expect(site.posts.map(\.slug) == ["chosen-slug", "funding-round", "2009-05-plans", "keeping-up"])
        #expect(site.posts.map(\.path) == ["2009/05/chosen-slug/", "2009/05/funding-round/",
                                           "2009/05/2009-05-plans/", "2009/05/keeping-up/"])
    }
}
