import Foundation
import HubSite
import Testing

extension Authoring {
    /// `hubsite check` reports every broken internal link, wherever it is written: posts, pages,
    /// area profiles, snippets and comments; `.md` links to content files, and links to paths
    /// (root-relative, relative, images) checked against the files the build would write.
    @Suite("Link check coverage")
    struct LinkCheckCoverageTests {
        static let settings = ["content/site.yml": "title: Test Hub\nbase_url: https://example.org/\n"]

        /// Every kind of body, each with one link to a path that nothing in the site makes.
        static let pathLinks: [String: String] = settings.merging([
            "content/posts/2009/2009-05-11-joneses.md":
                "---\ntitle: Joneses\ndate: 2009-05-11 09:30\n---\n\nA [good link](2009-05-01-older.md).\n\n![A picture](/images/missing.png)\n",
            "content/posts/2009/2009-05-01-older.md": "---\ntitle: Older\ndate: 2009-05-01\n---\n\nSee [nothing](/nothing/here/).\n",
            "content/pages/about.md": "---\ntitle: About\n---\n\nOur [archive](/archive/) and [a lost page](../lost/).\n",
            "content/areas/essex/index.md": "---\nname: Essex\n---\n\nSee [the snippets](../nowhere/).\n",
            "content/areas/essex/fund.md": "---\ntitle: Fund\ndate: 2009-01-01\n---\n\nSee [the post](/2009/05/jonses/).\n",
            "content/comments/joneses/1.md": "---\nname: Ann\norganisation: CVS\ndate: 2009-05-12\n---\n\nSee [this](/2009/05/gone/).\n",
            "content/posts/2031/2031-01-01-future.md": "---\ntitle: Future\ndate: 2031-01-01\n---\n\nA [link to nowhere](/not-yet/).\n",
        ]) { $1 }

        static let pathLinkErrors = [
            ("content/posts/2009/2009-05-11-joneses.md:8:", "/images/missing.png"),
            ("content/posts/2009/2009-05-01-older.md:6:", "/nothing/here/"),
            ("content/pages/about.md:5:", "../lost/"),
            ("content/areas/essex/index.md:5:", "../nowhere/"),
            ("content/areas/essex/fund.md:6:", "/2009/05/jonses/"),
            // A comment's broken link is a warning, not an error (docs/content.md, "Comments"; ReviewFindingsTests).
        ]

        /// Every kind of body, each with one `.md` link to a file that is not there.
        static let contentLinks: [String: String] = settings.merging([
            "content/posts/2009/2009-05-11-joneses.md": "---\ntitle: Joneses\ndate: 2009-05-11\n---\n\nA [bad one](2009-05-01-missing.md).\n",
            "content/pages/about.md": "---\ntitle: About\n---\n\nOur [lost page](lost.md).\n",
            "content/areas/essex/index.md": "---\nname: Essex\n---\n\nSee [Kent](../kent/index.md).\n",
            "content/areas/essex/fund.md": "---\ntitle: Fund\ndate: 2009-01-01\n---\n\nSee [the post](../../posts/2009/2009-05-11-jonses.md).\n",
            "content/comments/joneses/1.md": "---\nname: Ann\norganisation: CVS\ndate: 2009-05-12\n---\n\nSee [this](../../pages/contact.md).\n",
        ]) { $1 }

        static let contentLinkErrors = [
            ("content/posts/2009/2009-05-11-joneses.md:6:", "2009-05-01-missing.md"),
            ("content/pages/about.md:5:", "lost.md"),
            ("content/areas/essex/index.md:5:", "../kent/index.md"),
            ("content/areas/essex/fund.md:6:", "../../posts/2009/2009-05-11-jonses.md"),
            // A comment's broken link is a warning, not an error (docs/content.md, "Comments"; ReviewFindingsTests).
        ]

        /// The errors of `check` on `files`, with the folder's path taken off.
        static func check(_ files: [String: String], now: String = "2010-01-01") throws -> [String] {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try Authoring.write(files, under: root)
            let build = SiteBuild(contentPath: root.appendingPathComponent("content").path,
                                  themePath: Authoring.theme.path,
                                  options: BuildOptions(now: now, themeRoot: "theme"))
            let report = try build.check()
            let prefix = root.path + "/"
            return report.diagnostics.filter { $0.severity == .error }
                .map { $0.description.replacingOccurrences(of: prefix, with: "") }
        }

        static func missing(_ expected: [(String, String)], in errors: [String]) -> [String] {
            expected.filter { path, destination in
                !errors.contains { $0.hasPrefix(path) && $0.contains("broken link '\(destination)'") }
            }.map { "\($0.0) \($0.1)" }
        }

        @Test("links to paths are checked in posts, pages, area profiles, snippets and comments")
        func pathLinksEverywhere() throws {
            let errors = try Self.check(Self.pathLinks)
            #expect(Self.missing(Self.pathLinkErrors, in: errors).isEmpty, "\(errors.joined(separator: "\n"))")
            #expect(errors.count == Self.pathLinkErrors.count, "\(errors.joined(separator: "\n"))")
        }

        @Test(".md links are checked in posts, pages, area profiles, snippets and comments")
        func contentLinksEverywhere() throws {
            let errors = try Self.check(Self.contentLinks)
            #expect(Self.missing(Self.contentLinkErrors, in: errors).isEmpty, "\(errors.joined(separator: "\n"))")
            #expect(errors.count == Self.contentLinkErrors.count, "\(errors.joined(separator: "\n"))")
        }

        @Test("both kinds of broken link are reported in one run")
        func allAtOnce() throws {
            // A broken `.md` link is found while the site is modelled; links to paths only once
            // the file list is planned, which the pipeline skips after a modelling error.
            var files = Self.pathLinks
            files["content/pages/contact.md"] = "---\ntitle: Contact\n---\n\nSee [the lost page](lost.md).\n"
            let errors = try Self.check(files)
            #expect(errors.contains { $0.hasPrefix("content/pages/contact.md:5:") })
            #expect(Self.missing(Self.pathLinkErrors, in: errors).isEmpty, "\(errors.joined(separator: "\n"))")
        }

        @Test("a scheduled post's links are checked once --now reaches it (the pre-commit hook's second pass)")
        func scheduled() throws {
            let now = try Self.check(Self.pathLinks, now: "2010-01-01")
            #expect(!now.contains { $0.contains("2031-01-01-future.md") })
            let later = try Self.check(Self.pathLinks, now: "9999-12-31")
            #expect(later.contains { $0.hasPrefix("content/posts/2031/2031-01-01-future.md:6:") && $0.contains("'/not-yet/'") })
        }
    }
}
