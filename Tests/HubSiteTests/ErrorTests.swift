import Foundation
import HubSite
import Testing

/// Broken sites, one kind of bad input each, under `Fixtures/invalid/<name>`. The whole report
/// (`path:line:col: severity: message`, sorted by path and position) is compared with
/// `expected-errors.txt`, so a missing error, an extra one or a wrong column all fail.
/// `HUBSITE_UPDATE_FIXTURES=1` rewrites those files from the current report; read the diff.
@Suite("Invalid fixture sites")
struct ErrorTests {
    /// Fixtures whose expected report is what docs/content.md asks for but not yet what the generator
    /// prints. Update mode leaves their expected-errors.txt alone.
    /// Fixtures whose expected report shows a bug not yet fixed (none at present).
    static let knownIssues: [String: Testing.Comment] = [:]

    @Test("every problem is reported, each at its place, in one run", arguments: Fixtures.invalidNames)
    func reportMatches(name: String) throws {
        let folder = TestPaths.invalid.appendingPathComponent(name)
        let result = Fixtures.generate(folder)
        let actual = Fixtures.text(result.diagnostics)
        let expectedURL = folder.appendingPathComponent("expected-errors.txt")

        // A broken site never produces output.
        #expect(result.files == nil)
        #expect(result.diagnostics.hasErrors)

        if TestPaths.updatingFixtures && Self.knownIssues[name] == nil {
            try Data(actual.utf8).write(to: expectedURL)
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        if let issue = Self.knownIssues[name] {
            withKnownIssue(issue) {
                #expect(actual.split(separator: "\n") == expected.split(separator: "\n"))
            }
        } else {
            #expect(actual.split(separator: "\n") == expected.split(separator: "\n"))
        }
    }

    /// Parameterised tests over an empty list would pass without testing anything.
    @Test("the fixture folders are where the tests look for them")
    func fixturesFound() {
        #expect(Fixtures.siteNames == ["drafts", "empty", "hub", "subpath"])
        #expect(Fixtures.invalidNames.count >= 19)
        for name in Fixtures.invalidNames {
            let folder = TestPaths.invalid.appendingPathComponent(name)
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("expected-errors.txt").path), "\(name)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("content").path), "\(name)")
        }
    }

    @Test("the report is sorted by path, then line, then column")
    func sorted() throws {
        for name in Fixtures.invalidNames {
            let diagnostics = Fixtures.generate(TestPaths.invalid.appendingPathComponent(name)).diagnostics
            let locations = diagnostics.map(\.location)
            #expect(locations == locations.sorted(), "\(name)")
        }
    }

    @Test("check on real folders reports the same problems as the in-memory pipeline")
    func checkMatchesPipeline() throws {
        let folder = TestPaths.invalid.appendingPathComponent("spec-example")
        let build = SiteBuild(contentPath: folder.appendingPathComponent("content").path,
                              themePath: TestPaths.theme.path, options: Fixtures.buildOptions(folder))
        let report = try build.check()
        let fromFolders = report.diagnostics.map { $0.description.replacingOccurrences(of: folder.path + "/", with: "") }
        #expect(fromFolders == Fixtures.generate(folder).diagnostics.map(\.description))
        #expect(report.summary == nil)
    }

    @Test("a symbolic link in the content is reported, never followed")
    func symbolicLink() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        try writeFiles(["site.yml": defaultSettings, "posts/a.md": post("A", date: "2009-05-11")], under: content)
        try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent("static").path,
                                                   withDestinationPath: "/etc")
        let read = FolderReader().read(root: content.path, displayRoot: "content")
        #expect(report(read.diagnostics) == ["content/static:1:1: error: symbolic links are not followed; copy the file in instead"])
        #expect(!read.files.contains { $0.relativePath.hasPrefix("static") })
    }

    @Test("hidden files and folders (editor swap files, .git) are not read")
    func hiddenFiles() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        try writeFiles(["site.yml": defaultSettings, "posts/.a.md.swp": "junk", ".git/config": "x",
                        "posts/a.md": post("A", date: "2009-05-11")], under: scratch)
        let read = FolderReader().read(root: scratch.path, displayRoot: "content")
        #expect(read.files.map(\.relativePath) == ["posts/a.md", "site.yml"])
        #expect(read.diagnostics.isEmpty)
    }

    @Test("the walk lists files depth first in byte order of each name, however deep, and names a folder it cannot read")
    func walkOrder() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        try writeFiles(["b.md": "x", "a/z.md": "x", "a/b/c/d.md": "x", "a/b/c.md": "x", "a-b/y.md": "x", "a.md": "x",
                        "B/x.md": "x", "locked/x.md": "x"], under: scratch)
        let locked = scratch.appendingPathComponent("locked").path
        chmod(locked, 0)
        defer { chmod(locked, 0o755) }
        let read = FolderReader().read(root: scratch.path, displayRoot: "content")
        #expect(read.files.map(\.relativePath)
            == ["B/x.md", "a/b/c/d.md", "a/b/c.md", "a/z.md", "a-b/y.md", "a.md", "b.md"] + (getuid() == 0 ? ["locked/x.md"] : []))
        #expect(report(read.diagnostics) == (getuid() == 0 ? [] : ["content/locked:1:1: error: cannot read folder: Permission denied"]))
    }

    @Test("the theme's own problems: syntax, unknown partials and missing templates, at their places")
    func themeProblems() {
        let theme = [
            SourceFile(relativePath: "templates/index.mustache", root: "theme", text: "ok\n{{#open}}\n"),
            SourceFile(relativePath: "templates/post.mustache", root: "theme", text: "line one\n  {{> partials/byline}}\n"),
            SourceFile(relativePath: "templates/partials/bylines.mustache", root: "theme", text: "x"),
        ]
        let result = Pipeline.generate(tree(["posts/a.md": post("A", date: "2009-05-11")], theme: theme),
                                       options: BuildOptions(now: defaultNow))
        let lines = report(result.diagnostics)
        #expect(result.files == nil)
        #expect(lines.contains("theme/templates/post.mustache:2:3: error: unknown template 'partials/byline' (did you mean 'partials/bylines'?)"))
        #expect(lines.contains("theme/templates/404.mustache:1:1: error: the theme has no template '404'"))
        #expect(lines.contains { $0.hasPrefix("theme/templates/index.mustache:") && $0.contains(": error: template syntax: ") })
        #expect(lines.filter { $0.contains("the theme has no template") }.count == 9)
    }
}
