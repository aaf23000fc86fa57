import Foundation
import Testing
@testable import HubSite

/// The cache's own files are read with care: whatever bytes they hold, reading them never
/// traps, and a file that is not what the state recorded is never used.
@Suite("Cache files")
struct CacheFileTests {
    /// A site with a bit of everything the snapshot keeps.
    private func site() throws -> Site {
        var files = ["site.yml": defaultSettings,
                     "areas/essex/index.md": "---\nname: Essex\n---\nThe county.\n",
                     "areas/essex/notes.md": "---\ntitle: A note\ndate: 2009-05-03\n---\nA snippet.\n",
                     "pages/about.md": "---\ntitle: About\n---\nAbout the hub.\n",
                     "comments/post-1/one.md": "---\nname: Ann\norganisation: Herts\ndate: 2009-05-02\n---\nWell said.\n"]
        for day in 1...4 {
            files["posts/2009/post-\(day).md"] = post("Post \(day)", date: "2009-05-0\(day) 10:00",
                                                      extra: "tags: [Tag \(day % 2)]\nareas: [essex]\nauthor: Someone",
                                                      body: "First paragraph of [post](post-1.md) \(day).")
        }
        let result = Pipeline.generate(tree(files), options: BuildOptions(now: "2010-01-01T00:00Z"))
        return try #require(result.site)
    }

    @Test("a snapshot reads back as the site it was made from")
    func roundTrip() throws {
        let site = try site()
        let (sitePart, bodies) = SiteSnapshot.encode(site)
        let length = try #require(SiteSnapshot.prefixLength(Array(sitePart.prefix(SiteSnapshot.headLength))))
        var snapshot = try #require(SiteSnapshot.decode(Array(sitePart.prefix(length)), settings: site.settings))
        let read = { (range: Range<Int>) -> [UInt8]? in range.upperBound <= sitePart.count ? Array(sitePart[range]) : nil }
        let loadedPosts = snapshot.loadPosts(site.posts.indices, read: read)
        let loadedURLs = snapshot.loadContentURLs(read: read)
        #expect(loadedPosts && loadedURLs)
        #expect(snapshot.site.contentURLs == site.contentURLs)
        #expect(snapshot.sourcePaths == site.posts.map(\.sourcePath))
        for (index, post) in site.posts.enumerated() {
            let loaded = snapshot.site.posts[index]
            #expect(loaded.title == post.title && loaded.summary == post.summary && loaded.tags == post.tags
                    && loaded.path == post.path && loaded.date == post.date && loaded.comments.count == post.comments.count)
            let body = SiteSnapshot.decodeBody(Array(bodies[snapshot.bodyRanges[index]]))
            #expect(body == post.body.template)
        }
        #expect(snapshot.site.areas.map(\.postIndices) == site.areas.map(\.postIndices))
        #expect(snapshot.site.areas.first?.snippets.first?.body == site.areas.first?.snippets.first?.body)
        #expect(snapshot.site.tags.map(\.name) == site.tags.map(\.name))
        #expect(snapshot.site.archive.map(\.postCount) == site.archive.map(\.postCount))
        #expect(snapshot.site.pages.map(\.body) == site.pages.map(\.body))
    }

    @Test("damaged snapshots and states never trap: each reads as nothing or as some value")
    func damagedBytes() throws {
        let site = try site()
        let (sitePart, _) = SiteSnapshot.encode(site)
        let state = BuildCache(settings: "s", schedule: ScheduleWindow(since: 0, until: 10),
                               inputs: [.init(path: "content/a.md", size: 3, modified: 4, inode: 5)],
                               outputs: [.init(path: "index.html", size: 6, modified: 7, inode: 8)], outputFolder: 9,
                               diagnostics: [.warning(SourceLocation(path: "x.md", line: 2, column: 3), "careful")],
                               snapshot: [], postEdits: [.init(index: 0, summary: "s", bodySummary: "b", body: 1..<5)])
        #expect(BuildCache.parse(state.serialised()) == state)

        var random = SeededGenerator(state: 2009)
        var decoded = 0
        for round in 0..<3000 {
            var bytes = round % 2 == 0 ? sitePart : state.serialised()
            switch round % 5 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 1, 2:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 3:
                // Runs of 0xFF: variable-length integers as long and as large as they get.
                let start = Int.random(in: 0..<bytes.count, using: &random)
                for index in start..<min(bytes.count, start + 12) { bytes[index] = 0xFF }
            default:
                bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            if round % 2 == 1 {
                if BuildCache.parse(bytes) != nil { decoded += 1 }
                continue
            }
            guard let length = SiteSnapshot.prefixLength(Array(bytes.prefix(SiteSnapshot.headLength))),
                  length <= bytes.count,
                  var snapshot = SiteSnapshot.decode(Array(bytes.prefix(length)), settings: site.settings) else { continue }
            decoded += 1
            let read = { (range: Range<Int>) -> [UInt8]? in range.upperBound <= bytes.count ? Array(bytes[range]) : nil }
            _ = snapshot.loadPosts(snapshot.site.posts.indices, read: read)
            _ = snapshot.loadContentURLs(read: read)
            _ = snapshot.apply([.init(index: Int.random(in: -2...10, using: &random), summary: "", bodySummary: "", body: 0..<1)])
        }
        #expect(decoded > 0) // some damage leaves a readable file: those were read through, too
    }

    @Test("a cache file replaced, emptied or cut short is not used: the build is a clean build's")
    func replacedCacheFiles() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        try copyFolder(TestPaths.sites.appendingPathComponent("hub/content"), to: content)
        let output = scratch.appendingPathComponent("site")
        let cache = scratch.appendingPathComponent("cache")
        let build = SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path,
                              options: BuildOptions(now: "2009-06-01T00:00:00Z", themeRoot: "theme"), cachePath: cache.path)
        var fresh = build
        fresh.cachePath = nil
        _ = try build.build(outputPath: output.path, strict: false)
        let post = content.appendingPathComponent("posts/2009/2009-04-01-welcome-to-the-hub.md")
        // Undamaged, the same edit is built incrementally.
        try Data((try String(contentsOf: post, encoding: .utf8) + "\nFirst edit.\n").utf8).write(to: post)
        #expect(try build.build(outputPath: output.path, strict: false).incremental)
        for (round, name) in ["site", "bodies", "state", "site", "bodies", "state"].enumerated() {
            try Data((try String(contentsOf: post, encoding: .utf8) + "\nRound \(round).\n").utf8).write(to: post)
            let file = cache.appendingPathComponent(name)
            let bytes = try Data(contentsOf: file)
            try (round < 3 ? bytes.prefix(bytes.count / 2) : Data()).write(to: file)
            let report = try build.build(outputPath: output.path, strict: false)
            #expect(!report.diagnostics.hasErrors && !report.incremental, "round \(round): \(name)")
            let clean = scratch.appendingPathComponent("clean-\(round)")
            _ = try fresh.build(outputPath: clean.path, strict: false)
            #expect(Fixtures.differences(actual: try fileTree(output), expected: try fileTree(clean)).isEmpty, "round \(round)")
        }
    }
}
