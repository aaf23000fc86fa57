import Foundation
import HubSite
import Testing

/// Build properties (docs/content.md, "What the build produces" and "When something is wrong"): byte-identical output, a failed build
/// leaves the output alone, unchanged files keep their modification time, nothing is written
/// outside the output folder, two builds never interleave.
@Suite("Writing the site")
struct WriterTests {
    /// A copy of the hub fixture's content in a scratch folder, to change freely.
    private struct Workspace {
        let root: URL
        var content: URL { root.appendingPathComponent("content") }
        var output: URL { root.appendingPathComponent("site") }
        var options: BuildOptions { Fixtures.buildOptions(TestPaths.sites.appendingPathComponent("hub")) }

        init(_ label: String = #function) throws {
            root = try makeTemporaryFolder(label)
            try copyFolder(TestPaths.sites.appendingPathComponent("hub/content"), to: content)
        }

        func build(output: URL? = nil, strict: Bool = false) throws -> SiteBuild.Report {
            try SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path, options: options)
                .build(outputPath: (output ?? self.output).path, strict: strict)
        }

        func write(_ path: String, _ text: String) throws {
            try writeFiles([path: text], under: content)
        }

        func remove() { removeFolder(root) }
    }

    // MARK: Determinism

    @Test("the same input and now give byte-identical output, in the same order")
    func determinism() throws {
        let folder = TestPaths.sites.appendingPathComponent("hub")
        let first = try #require(Fixtures.generate(folder).files)
        let second = try #require(Fixtures.generate(folder).files)
        #expect(first == second)

        let workspace = try Workspace()
        defer { workspace.remove() }
        let other = workspace.root.appendingPathComponent("other")
        _ = try workspace.build()
        _ = try workspace.build(output: other)
        let a = try fileTree(workspace.output)
        #expect(a == (try fileTree(other)))
        #expect(a.count == first.count)
    }

    @Test("output does not depend on the order files are handed over in")
    func orderIndependence() throws {
        let folder = TestPaths.sites.appendingPathComponent("hub")
        var tree = Fixtures.tree(folder)
        let sorted = try #require(Pipeline.generate(tree, options: Fixtures.buildOptions(folder)).files)
        tree.content.reverse()
        tree.theme.reverse()
        let reversed = try #require(Pipeline.generate(tree, options: Fixtures.buildOptions(folder)).files)
        let byPath = { (files: [OutputFile]) in Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.bytes) }) }
        #expect(byPath(sorted) == byPath(reversed))
    }

    @Test("the build clock never reaches the output: a different clock, the same --now, the same bytes")
    func clockIndependence() throws {
        let folder = TestPaths.sites.appendingPathComponent("hub")
        var early = Fixtures.buildOptions(folder)
        early.clock = 0
        var late = early
        late.clock = 4_000_000_000
        let a = try #require(Pipeline.generate(Fixtures.tree(folder), options: early).files)
        let b = try #require(Pipeline.generate(Fixtures.tree(folder), options: late).files)
        #expect(a == b)
    }

    // MARK: Atomicity and modification times

    @Test("a build that fails leaves the output folder byte for byte and mtime for mtime as it was")
    func failedBuildLeavesOutput() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.build()
        let bytesBefore = try fileTree(workspace.output)
        let timesBefore = try modificationTimes(workspace.output)

        try workspace.write("posts/2009/2009-05-18-common-elements-of-ni7-plans.md", "---\ntitle: [broken\n---\n")
        try workspace.write("posts/new.md", post("New", date: "2009-06-01"))
        let report = try workspace.build()
        #expect(report.diagnostics.hasErrors)
        #expect(report.summary == nil)

        #expect(try fileTree(workspace.output) == bytesBefore)
        #expect(try modificationTimes(workspace.output) == timesBefore)
    }

    @Test("--strict turns warnings into a failure that writes nothing")
    func strictWarnings() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.write("pages/typo.md", "---\ntitle: Typo\ncolour: blue\n---\nx\n")
        let strict = try workspace.build(strict: true)
        #expect(strict.summary == nil)
        #expect(strict.diagnostics.hasWarnings)
        #expect(!FileManager.default.fileExists(atPath: workspace.output.path))
        let lenient = try workspace.build(strict: false)
        #expect(lenient.summary != nil)
        #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("typo/index.html").path))
    }

    @Test("a rebuild keeps the modification time of files that did not change, and rewrites the rest")
    func unchangedFilesKeepTheirTime() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let first = try workspace.build()
        #expect(first.summary?.unchanged == 0)
        let before = try fileTree(workspace.output)
        // An old time on every file shows, without waiting, which ones the rebuild rewrote.
        for path in before.keys { try setOldModificationTime(workspace.output.appendingPathComponent(path)) }
        let old = try modificationTime(workspace.output.appendingPathComponent("robots.txt"))

        try workspace.write("pages/contact-us.md", "---\ntitle: Contact\nslug: contact\n---\n\nWrite to us by post.\n")
        let report = try workspace.build()
        let after = try fileTree(workspace.output)
        let times = try modificationTimes(workspace.output)

        let changed = after.keys.filter { before[$0] != after[$0] }.sorted()
        #expect(changed == ["contact/index.html"])
        for (path, time) in times {
            if changed.contains(path) {
                #expect(time != old, "\(path) changed but kept its old time")
            } else {
                #expect(time == old, "\(path) did not change but was rewritten")
            }
        }
        #expect(report.summary?.written == 1)
        #expect(report.summary?.unchanged == after.count - 1)
    }

    @Test("files the build no longer produces are removed; a rebuild equals a clean build")
    func staleFilesRemoved() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        _ = try workspace.build()
        #expect(FileManager.default.fileExists(atPath: workspace.output.appendingPathComponent("contact/index.html").path))
        try FileManager.default.removeItem(at: workspace.content.appendingPathComponent("pages/contact-us.md"))
        try FileManager.default.removeItem(at: workspace.content.appendingPathComponent("static/google1234.html"))
        try workspace.write("posts/2009/2009-05-11-keeping-up-with-the-joneses.md",
                            "---\ntitle: Keeping up\ndate: 2009-05-11 09:30\n---\n\nShorter now, without tags, areas or aliases.\n")
        try workspace.write("posts/2009/2009-04-01-welcome-to-the-hub.md",
                            "---\ntitle: Welcome to the hub\ndate: 2009-04-01\n---\n\nWelcome.\n")
        let report = try workspace.build()
        #expect(!report.diagnostics.hasErrors, "\(report.diagnostics)")
        let rebuilt = try fileTree(workspace.output)
        #expect(rebuilt["contact/index.html"] == nil)
        #expect(rebuilt["google1234.html"] == nil)
        #expect(rebuilt["2009/05/joneses/index.html"] == nil) // its alias went with the front matter

        let clean = workspace.root.appendingPathComponent("clean")
        _ = try workspace.build(output: clean)
        #expect(rebuilt == (try fileTree(clean)))
    }

    // MARK: Where a build may write

    @Test("an output folder overlapping the content or theme folder is refused as a usage error")
    func overlapRefused() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let theme = workspace.root.appendingPathComponent("theme")
        try copyFolder(TestPaths.theme, to: theme)
        let build = SiteBuild(contentPath: workspace.content.path, themePath: theme.path, options: workspace.options)
        let before = try fileTree(workspace.root)
        for output in [workspace.content, workspace.content.appendingPathComponent("site"),
                       workspace.root, theme.appendingPathComponent("assets"),
                       workspace.content.appendingPathComponent("posts/../../content/x")] {
            let error = #expect(throws: SiteBuild.Failure.self) {
                _ = try build.build(outputPath: output.path, strict: false)
            }
            guard case .usage(let message)? = error else {
                Issue.record("\(output.path): expected a usage failure, got \(String(describing: error))")
                continue
            }
            #expect(message.contains("overlaps the"))
        }
        #expect(try fileTree(workspace.root) == before)
    }

    @Test("a missing content or theme folder is a usage error")
    func missingFolders() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let build = SiteBuild(contentPath: scratch.appendingPathComponent("nope").path, themePath: TestPaths.theme.path,
                              options: BuildOptions(now: defaultNow))
        let error = #expect(throws: SiteBuild.Failure.self) {
            _ = try build.build(outputPath: scratch.appendingPathComponent("site").path, strict: false)
        }
        guard case .usage(let message)? = error else { Issue.record("not a usage failure"); return }
        #expect(message.contains("does not exist"))
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("site").path))
    }

    @Test("no slug, alias or static path can make the build write outside the output folder")
    func noEscape() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("box/content")
        let output = scratch.appendingPathComponent("box/out/site")
        try writeFiles([
            "site.yml": defaultSettings,
            "posts/a.md": post("A", date: "2009-05-11", extra: "aliases: [/../../escape/, \"/%2e%2e/%2e%2e/escape2/\", \"..\\\\..\\\\escape3/\"]"),
            "posts/b.md": post("B", date: "2009-05-12", extra: "slug: ../../x"),
            "pages/p.md": "---\ntitle: P\nslug: ../../../y\n---\nx\n",
        ], under: content)
        let build = SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path, options: BuildOptions(now: defaultNow))
        let refused = try build.build(outputPath: output.path, strict: false)
        #expect(refused.summary == nil)
        #expect(refused.diagnostics.filter { $0.severity == .error }.count == 3)

        // Without the aliases the build goes ahead; the slugs land inside the output folder.
        try writeFiles(["posts/a.md": post("A", date: "2009-05-11")], under: content)
        let report = try build.build(outputPath: output.path, strict: false)
        #expect(report.summary != nil)
        let inside = try fileTree(output)
        #expect(inside["2009/05/x/index.html"] != nil)
        #expect(inside["y/index.html"] != nil)

        let everything = try fileTree(scratch).keys.filter { !$0.hasPrefix("box/content/") && !$0.hasPrefix("box/out/site/") }
        #expect(everything.sorted() == ["box/out/.site.hubsite-lock"])
    }

    @Test("the writer itself refuses unsafe paths and leaves the old site in place")
    func writerRefusesUnsafePaths() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let output = scratch.appendingPathComponent("out/site")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let writer = OutputWriter(outputPath: output.path)
        _ = try writer.write([OutputFile(path: "index.html", text: "old", origin: "test")])
        for path in ["../escape.txt", "/tmp/escape.txt", "a/../../escape.txt", "a//b.txt", "./x", "a\\..\\b", ""] {
            #expect(throws: (any Error).self, "\(path)") {
                _ = try writer.write([OutputFile(path: "index.html", text: "new", origin: "test"),
                                      OutputFile(path: path, text: "escaped", origin: "test")])
            }
        }
        #expect(try fileTree(output) == ["index.html": Data("old".utf8)])
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("out/escape.txt").path))
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("escape.txt").path))
    }

    @Test("OutputPath.isSafe accepts plain relative paths only", arguments: [
        ("index.html", true), ("2009/05/x/index.html", true), ("assets/style.css", true), ("a..b/c", true),
        ("", false), ("/etc/passwd", false), ("../x", false), ("a/../b", false), ("a/./b", false),
        ("a//b", false), ("a/", false), ("a\\b", false), ("a\u{0}b", false), ("a\nb", false),
    ])
    func safePaths(path: String, safe: Bool) {
        #expect(OutputPath.isSafe(path) == safe)
    }

    @Test("the writer creates the output folder's parents and writes every file")
    func writerBasics() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let output = scratch.appendingPathComponent("deep/er/site")
        let writer = OutputWriter(outputPath: output.path + "/")
        try FileManager.default.createDirectory(at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        let summary = try writer.write([
            OutputFile(path: "b/c/d.txt", text: "d", origin: "t"),
            OutputFile(path: "a.txt", bytes: [0, 1, 2, 255], origin: "t"),
        ])
        #expect(summary.written == 2 && summary.unchanged == 0)
        #expect(try fileTree(output) == ["a.txt": Data([0, 1, 2, 255]), "b/c/d.txt": Data("d".utf8)])
        let again = try writer.write([OutputFile(path: "a.txt", bytes: [0, 1, 2, 255], origin: "t")])
        #expect(again.written == 0 && again.unchanged == 1)
        #expect(try fileTree(output) == ["a.txt": Data([0, 1, 2, 255])])
    }

    @Test("an output path that is a file, not a folder, is an environment failure")
    func outputIsAFile() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try Data("not a folder".utf8).write(to: workspace.output)
        let error = #expect(throws: SiteBuild.Failure.self) { _ = try workspace.build() }
        guard case .environment? = error else { Issue.record("expected an environment failure"); return }
        #expect(try Data(contentsOf: workspace.output) == Data("not a folder".utf8))
    }

    // MARK: Locking

    @Test("while another build holds the lock, a build fails as an environment problem and writes nothing")
    func locked() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let writer = OutputWriter(outputPath: workspace.output.path)
        var lock = try OutputLock(path: writer.lockPath)
        #expect(lock != nil)
        #expect(try OutputLock(path: writer.lockPath) == nil, "a second lock on the same path was granted")

        let error = #expect(throws: SiteBuild.Failure.self) { _ = try workspace.build() }
        guard case .environment(let stage, let message)? = error else { Issue.record("expected an environment failure"); return }
        #expect(stage == .write)
        #expect(message.contains("locked by another build"))
        #expect(!FileManager.default.fileExists(atPath: workspace.output.path))

        lock = nil
        #expect(try workspace.build().summary != nil)
        _ = lock
    }
}
