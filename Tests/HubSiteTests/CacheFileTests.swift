import Foundation
import Testing
@testable import HubSite

/// The cache's own files are read with care: whatever bytes they hold, reading them never
/// traps, and a file that is not what the state recorded is never used.
@Suite("Cache files")
struct CacheFileTests {
    /// The memos a build of that site leaves, as the pipeline made them.
    private func state() throws -> BuildCache.Memos {
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
        var source = tree(files)
        for index in source.content.indices { source.content[index].stamp = FileStamp(size: 1, modified: Int64(index), inode: 2) }
        let planned = Pipeline.plan(source, options: BuildOptions(now: "2010-01-01T00:00Z"), memo: nil)
        #expect(planned.plan != nil)
        return BuildCache.Memos(parses: planned.parses, bodies: BodyMemo(entries: planned.bodies),
                                texts: [.init(digest: 1, offset: 0, length: 4)])
    }

    @Test("a state reads back as the one written")
    func stateRoundTrip() throws {
        let state = BuildCache(settings: "s", schedule: ScheduleWindow(since: 0, until: 10),
                               inputs: [.init(path: "content/a.md", stamp: FileStamp(size: 3, modified: 4, inode: 5))],
                               outputFolder: 9, outputs: [.init(path: "index.html", key: 7, stamp: FileStamp(size: 6, modified: 7, inode: 8))],
                               diagnostics: [.warning(SourceLocation(path: "x.md", line: 2, column: 3), "careful")],
                               memoFiles: [.init(folder: "posts/2009", signature: 10, digest: 11)])
        let read = try CacheCoding.decode(BuildCache.self, from: try CacheCoding.encode(state))
        #expect(read.outputs == state.outputs && read.inputs == state.inputs && read.memoFiles == state.memoFiles)
        #expect(read.diagnostics == state.diagnostics && read.schedule == state.schedule && read.settings == "s")
    }

    @Test("memos read back as written: documents and bodies, their texts kept apart")
    func roundTrip() throws {
        let state = try state()
        #expect(state.parses.entries.count == 8 && state.bodies.entries.count >= 7)
        let bytes = try CacheCoding.encode(state)
        let read = try CacheCoding.decode(BuildCache.Memos.self, from: bytes)
        #expect(try CacheCoding.encode(read) == bytes)
        #expect(read.texts == state.texts)
        let written = state.parses.entries.compactMap(\.parse.post)
        let posts = read.parses.entries.compactMap(\.parse.post)
        #expect(posts.map(\.title) == written.map(\.title) && posts.map(\.tags) == written.map(\.tags))
        #expect(posts.map(\.date) == written.map(\.date))
        // Locations, moments and stamps are written as leaves: every field comes back.
        #expect(posts.map(\.date.location) == written.map(\.date.location) && posts.map(\.location) == written.map(\.location))
        #expect(posts.map(\.date.value.local) == written.map(\.date.value.local))
        #expect(posts.map(\.date.value.offsetSeconds) == written.map(\.date.value.offsetSeconds))
        #expect(read.parses.entries.map(\.stamp) == state.parses.entries.map(\.stamp))
        // Texts are not in the state: a source and a body come back stored, with their digests.
        #expect(posts.allSatisfy { $0.body.isStored && $0.body.text.isEmpty })
        #expect(posts.map(\.body.textDigest) == written.map(\.body.textDigest))
        let bodies = read.bodies.entries.map(\.body)
        #expect(bodies.allSatisfy { $0.isStored })
        #expect(bodies.map(\.templateDigest) == state.bodies.entries.map(\.body.templateDigest))
        #expect(bodies.map(\.summary) == state.bodies.entries.map(\.body.summary))
    }

    private struct Sample: Codable, Equatable {
        var numbers: [Int]
        var extremes: [Int64]
        var maybe: [String?]
        var nested: [[UInt64]]
        var fraction: Double
        var absent: Int?
        var present: String?
        var flag: Bool
    }

    @Test("the format keeps every kind of value a cached type uses")
    func valueKinds() throws {
        let sample = Sample(numbers: [0, -1, 1, 127, 128, -300_000], extremes: [.min, .max, 0],
                            maybe: ["a", nil, "", "é"], nested: [[], [.max, 0], [1]], fraction: -0.1,
                            absent: nil, present: "x", flag: true)
        let bytes = try CacheCoding.encode(sample)
        #expect(try CacheCoding.decode(Sample.self, from: bytes) == sample)
        // A byte more or less is damage, not a value.
        #expect(throws: (any Error).self) { try CacheCoding.decode(Sample.self, from: bytes + [0]) }
        #expect(throws: (any Error).self) { try CacheCoding.decode(Sample.self, from: Array(bytes.dropLast())) }
        #expect(CacheCoding.digest(sample) != CacheCoding.digest(Sample(numbers: [0], extremes: [], maybe: [], nested: [],
                                                                         fraction: 0, absent: nil, present: nil, flag: false)))
    }

    @Test("damaged memos never trap: each reads as nothing or as some value")
    func damagedBytes() throws {
        let written = try CacheCoding.encode(try state())
        var random = SeededGenerator(state: 2009)
        var decoded = 0
        for round in 0..<3000 {
            var bytes = written
            switch round % 5 {
            case 0: bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 1, 2:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 3:
                // Runs of 0xFF: variable-length integers and list counts as large as they get.
                let start = Int.random(in: 0..<bytes.count, using: &random)
                for index in start..<min(bytes.count, start + 12) { bytes[index] = 0xFF }
            default:
                bytes = (0..<Int.random(in: 0...64, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            if (try? CacheCoding.decode(BuildCache.Memos.self, from: bytes)) != nil { decoded += 1 }
        }
        #expect(decoded > 0) // some damage leaves a readable state: those were read through, too
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
        let memoFile = "memo-" + String(StableHash.of("posts/2009"), radix: 16)
        for (round, name) in ["texts", memoFile, "state", "texts", memoFile, "state"].enumerated() {
            try Data((try String(contentsOf: post, encoding: .utf8) + "\nRound \(round).\n").utf8).write(to: post)
            let file = cache.appendingPathComponent(name)
            let bytes = try Data(contentsOf: file)
            try (round < 3 ? bytes.prefix(bytes.count / 2) : Data()).write(to: file)
            let report = try build.build(outputPath: output.path, strict: false)
            #expect(!report.diagnostics.hasErrors, "round \(round): \(name)")
            // A damaged state is not used at all (without memos, every file is read again).
            if name == "state" { #expect(!report.incremental, "round \(round)") }
            let clean = scratch.appendingPathComponent("clean-\(round)")
            _ = try fresh.build(outputPath: clean.path, strict: false)
            #expect(Fixtures.differences(actual: try fileTree(output), expected: try fileTree(clean)).isEmpty, "round \(round)")
        }
    }
}
