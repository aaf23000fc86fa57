import Foundation
#if canImport(FoundationXML)
import FoundationXML // XMLParser lives here on Linux
#endif
import HubSite
import Testing

/// Whole sites built from `Fixtures/sites/<name>/content` with the real theme and compared,
/// file list and bytes, with `expected/`. The expected output is what
/// `hubsite build --no-cache --content content --theme ../../../../../theme --output expected $(cat options.txt)`
/// makes in the fixture's folder, read page by page against docs/content.md before it was accepted.
/// To regenerate it after an intended change to the output, run
/// `HUBSITE_UPDATE_FIXTURES=1 swift test --filter FixtureSiteTests`, then read the diff.
@Suite("Fixture sites")
struct FixtureSiteTests {
    @Test("the build matches expected/ byte for byte, file for file", arguments: Fixtures.siteNames)
    func matchesExpected(name: String) throws {
        let folder = TestPaths.sites.appendingPathComponent(name)
        let scratch = try makeTemporaryFolder(name)
        defer { removeFolder(scratch) }
        let output = scratch.appendingPathComponent("site")

        let build = SiteBuild(contentPath: folder.appendingPathComponent("content").path,
                              themePath: TestPaths.theme.path, options: Fixtures.buildOptions(folder))
        let report = try build.build(outputPath: output.path, strict: false)
        #expect(!report.diagnostics.hasErrors)
        #expect(report.summary != nil, "the site was not written")

        // Notes and warnings too: drafts and scheduled posts must be announced.
        let prefix = folder.path + "/"
        let diagnostics = report.diagnostics.map { $0.description.replacingOccurrences(of: prefix, with: "") + "\n" }.joined()
        let expectedDiagnostics = folder.appendingPathComponent("expected-diagnostics.txt")
        let expected = folder.appendingPathComponent("expected")

        if TestPaths.updatingFixtures {
            try Fixtures.replaceFolder(expected, with: output)
            try Data(diagnostics.utf8).write(to: expectedDiagnostics)
            return
        }
        #expect(diagnostics == (try String(contentsOf: expectedDiagnostics, encoding: .utf8)))
        let problems = Fixtures.differences(actual: try fileTree(output), expected: try fileTree(expected))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("the in-memory pipeline makes exactly the files the folder build writes", arguments: Fixtures.siteNames)
    func pipelineMatchesExpected(name: String) throws {
        let folder = TestPaths.sites.appendingPathComponent(name)
        let result = Fixtures.generate(folder)
        let files = try #require(result.files)
        var tree: [String: Data] = [:]
        for file in files { tree[file.path] = Data(file.bytes) }
        #expect(files.count == tree.count, "a path was produced twice")
        let problems = Fixtures.differences(actual: tree, expected: try fileTree(folder.appendingPathComponent("expected")))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("every link inside the site resolves to a file in the output, fragments to an id", arguments: Fixtures.siteNames)
    func linksResolve(name: String) throws {
        let folder = TestPaths.sites.appendingPathComponent(name)
        let tree = try fileTree(folder.appendingPathComponent("expected"))
        let settings = try #require(DocumentParser().parse(Fixtures.tree(folder)).settings)
        let broken = OutputLinks.broken(in: tree, base: settings.baseURL)
        #expect(broken.isEmpty, "\(broken.joined(separator: "\n"))")
    }

    @Test("the link checker used above does find broken links and missing anchors")
    func linkCheckerWorks() throws {
        let base = try #require(BaseURL("https://example.org/hub/"))
        let page = """
        <a href="/hub/ok/">ok</a> <a href="/hub/ok/#here">ok</a> <a href="https://other.example/">ok</a>
        <a href="/hub/missing/">1</a> <a href="/hub/ok/#nowhere">2</a> <a href="/elsewhere/">3</a> <img src="pic.png">
        """
        let tree = ["index.html": Data(page.utf8), "ok/index.html": Data("<h2 id=\"here\">x</h2>".utf8),
                    "feed.xml": Data("<link>https://example.org/hub/gone/</link>".utf8)]
        #expect(OutputLinks.broken(in: tree, base: base) == [
            "feed.xml: https://example.org/hub/gone/: no file gone/index.html",
            "index.html: /hub/missing/: no file missing/index.html",
            "index.html: /hub/ok/#nowhere: no id 'nowhere' in ok/index.html",
            "index.html: /elsewhere/: outside the site's base path",
            "index.html: pic.png: no file pic.png",
        ])
    }

    @Test("every id on a page is unique", arguments: Fixtures.siteNames)
    func idsUnique(name: String) throws {
        let tree = try fileTree(TestPaths.sites.appendingPathComponent(name).appendingPathComponent("expected"))
        for (path, data) in tree where path.hasSuffix(".html") {
            let ids = allIDs(String(decoding: data, as: UTF8.self))
            let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            #expect(repeated.isEmpty, "\(path) repeats ids \(repeated)")
        }
    }

    @Test("feeds and the sitemap are well-formed XML; every item has what docs/content.md lists", arguments: Fixtures.siteNames)
    func feedsAreWellFormed(name: String) throws {
        let tree = try fileTree(TestPaths.sites.appendingPathComponent(name).appendingPathComponent("expected"))
        let xmlFiles = tree.filter { $0.key.hasSuffix(".xml") }
        #expect(!xmlFiles.isEmpty)
        for (path, data) in xmlFiles {
            let parser = XMLParser(data: data)
            #expect(parser.parse(), "\(path): \(String(describing: parser.parserError))")
            guard path.hasSuffix("feed.xml") else { continue }
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("<atom:link href=\"https://"), "\(path)")
            let items = text.components(separatedBy: "<item>").dropFirst()
            for item in items {
                for element in ["<title>", "<link>https://", "<guid isPermaLink=", "<pubDate>", "<description>", "<content:encoded>"] {
                    #expect(item.contains(element), "\(path): an item without \(element)")
                }
                let pubDate = OutputLinks.values(in: String(item), after: "<pubDate>", until: "<").first ?? ""
                #expect(pubDate.wholeMatch(of: /(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} [+-][0-9]{4}/) != nil,
                        "\(path): pubDate \(pubDate)")
            }
            // lastBuildDate is the newest item's date, never the build's clock.
            if let newest = OutputLinks.values(in: text, after: "<pubDate>", until: "<").first {
                #expect(text.contains("<lastBuildDate>\(newest)</lastBuildDate>"), "\(path)")
            }
        }
    }

    /// A template that names a value the view model does not have renders nothing, silently:
    /// an empty attribute or a leftover tag is the trace it leaves.
    @Test("no template tag is left over and no link attribute is empty", arguments: Fixtures.siteNames)
    func templatesComplete(name: String) throws {
        let tree = try fileTree(TestPaths.sites.appendingPathComponent(name).appendingPathComponent("expected"))
        for (path, data) in tree where path.hasSuffix(".html") || path.hasSuffix(".xml") {
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("{{") && !text.contains("}}"), "\(path)")
            for attribute in ["href=\"\"", "src=\"\"", "content=\"\"", "datetime=\"\"", "<title></title>", "<a href=\"#\">"] {
                #expect(!text.contains(attribute), "\(path) has \(attribute)")
            }
        }
    }

    @Test("pages are HTML5 documents in the site's language, with one h1")
    func htmlShape() throws {
        let tree = try fileTree(TestPaths.sites.appendingPathComponent("hub").appendingPathComponent("expected"))
        let pages = tree.filter { $0.key.hasSuffix(".html") && !$0.key.hasPrefix("google") }
        #expect(pages.count > 20)
        for (path, data) in pages {
            let html = String(decoding: data, as: UTF8.self)
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en-GB\">\n"), "\(path)")
            #expect(html.contains("<meta charset=\"utf-8\">"), "\(path)")
            #expect(html.hasSuffix("</html>\n"), "\(path)")
            // Redirect pages for aliases have no heading; every themed page has exactly one h1.
            if html.contains("<main") {
                #expect(html.components(separatedBy: "<h1").count == 2, "\(path)")
            }
        }
    }

    /// The hub fixture is meant to cover every input feature and every kind of output docs/content.md lists.
    @Test("the hub fixture produces every kind of output docs/content.md lists")
    func hubCoversSpecOutput() throws {
        let paths = Set(try fileTree(TestPaths.sites.appendingPathComponent("hub").appendingPathComponent("expected")).keys)
        for path in [
            "index.html", "page/2/index.html", "2009/05/keeping-up-with-the-joneses/index.html", "2009/05/index.html",
            "2009/index.html", "archive/index.html", "tags/index.html", "tags/funding/index.html",
            "tags/funding/page/2/index.html", "tags/funding/feed.xml", "areas/index.html", "areas/essex/index.html",
            "areas/essex/feed.xml", "about/index.html", "contact/index.html", "feed.xml", "sitemap.xml", "404.html",
            "robots.txt", "assets/style.css", "files/ni7-report.txt", "google1234.html",
            "2009/05/joneses/index.html", // an alias
            "2009/01/old-news/index.html", // a post in a sub-folder, dated with another offset
            "2009/07/summer-post/index.html", // written in UTC, filed under the London day
        ] {
            #expect(paths.contains(path), "\(path)")
        }
        for absent in ["draft-page/index.html", "not-yet/index.html", "2009/06/half-written/index.html",
                       "2009/07/coming-soon/index.html", "tags/future/index.html", "tags/drafting/index.html",
                       "areas/quiet-district/feed.xml", "2008/index.html", "2009/06/index.html"] {
            #expect(!paths.contains(absent), "\(absent)")
        }
    }

    @Test("the fixture's static files are copied as they are")
    func staticFilesVerbatim() throws {
        let hub = TestPaths.sites.appendingPathComponent("hub")
        let source = try Data(contentsOf: hub.appendingPathComponent("content/static/files/ni7-report.txt"))
        let copied = try Data(contentsOf: hub.appendingPathComponent("expected/files/ni7-report.txt"))
        #expect(source == copied)
        let asset = try Data(contentsOf: TestPaths.theme.appendingPathComponent("assets/style.css"))
        #expect(try Data(contentsOf: hub.appendingPathComponent("expected/assets/style.css")) == asset)
    }
}

/// A link checker over a built site: every site-internal `href`/`src` in pages and every
/// `link`/`loc` in feeds and the sitemap must name a file of the output.
enum OutputLinks {
    static func broken(in tree: [String: Data], base: BaseURL) -> [String] {
        var problems: [String] = []
        for (path, data) in tree.sorted(by: { $0.key < $1.key }) {
            let text = String(decoding: data, as: UTF8.self)
            let urls: [String]
            if path.hasSuffix(".html") {
                urls = values(in: text, after: "href=\"", until: "\"") + values(in: text, after: "src=\"", until: "\"")
            } else if path.hasSuffix(".xml") {
                urls = values(in: text, after: "<link>", until: "<") + values(in: text, after: "<loc>", until: "<")
                    + values(in: text, after: "<atom:link href=\"", until: "\"")
                    + values(in: text, after: "href=&quot;", until: "&quot;")
                    + values(in: text, after: "src=&quot;", until: "&quot;")
            } else {
                continue
            }
            for raw in urls {
                let url = raw.replacingOccurrences(of: "&amp;", with: "&")
                if let problem = check(url, from: path, tree: tree, base: base) {
                    problems.append("\(path): \(url): \(problem)")
                }
            }
        }
        return problems
    }

    private static func check(_ url: String, from page: String, tree: [String: Data], base: BaseURL) -> String? {
        var rooted: String
        if url.hasPrefix(base.origin + "/") {
            rooted = String(url.dropFirst(base.origin.count))
        } else if url.hasPrefix("/") && !url.hasPrefix("//") {
            rooted = url
        } else if url.hasPrefix("#") {
            rooted = base.url(pageURLPath(page)) + url
        } else if URLSafety.scheme(of: url) != nil || url.hasPrefix("//") {
            return nil // another site
        } else {
            rooted = LinkPath.resolve(url, against: base.url(pageURLPath(page)))
        }
        var fragment = ""
        if let hash = rooted.firstIndex(of: "#") {
            fragment = String(rooted[rooted.index(after: hash)...])
            rooted = String(rooted[..<hash])
        }
        guard rooted.hasPrefix(base.path) else { return "outside the site's base path" }
        var file = LinkPath.percentDecoded(String(rooted.dropFirst(base.path.count)))
        if file.isEmpty || file.hasSuffix("/") { file += "index.html" }
        guard let target = tree[file] else { return "no file \(file)" }
        if !fragment.isEmpty && file.hasSuffix(".html") {
            let ids = allIDs(String(decoding: target, as: UTF8.self))
            if !ids.contains(fragment) { return "no id '\(fragment)' in \(file)" }
        }
        return nil
    }

    /// `2009/05/x/index.html` -> `2009/05/x/`; `404.html` -> `404.html`.
    private static func pageURLPath(_ file: String) -> String {
        file.hasSuffix("/index.html") ? String(file.dropLast("index.html".count)) : (file == "index.html" ? "" : file)
    }

    static func values(in text: String, after start: String, until end: String) -> [String] {
        var values: [String] = []
        var rest = Substring(text)
        while let range = rest.range(of: start) {
            rest = rest[range.upperBound...]
            let stop = rest.range(of: end)?.lowerBound ?? rest.endIndex
            values.append(String(rest[..<stop]))
        }
        return values
    }
}
