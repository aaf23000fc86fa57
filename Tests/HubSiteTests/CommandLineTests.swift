import Foundation
import HubSite
import Testing

/// The `hubsite` executable as the nightly build and authors run it: exit statuses 0/1/2/3,
/// diagnostics on standard error in the compilers' form, `markdown` from standard input.
@Suite("Command line")
struct CommandLineTests {
    /// `swift test` builds the executable into the same folder as the test bundle.
    static let executable: URL? = {
        var folders: [URL] = []
        if let bundle = Bundle.main.executableURL { folders.append(bundle.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for scratch in [".build-tests", ".build"] {
            folders.append(TestPaths.packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return folders.map { $0.appendingPathComponent("hubsite") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs `hubsite` in `folder`; output goes through files so a full pipe can never block it.
    static func run(_ arguments: [String], in folder: URL, stdin: Data = Data()) throws -> Run {
        let executable = try #require(Self.executable, "the hubsite executable was not built next to the tests")
        let io = try makeTemporaryFolder("io")
        defer { removeFolder(io) }
        let input = io.appendingPathComponent("stdin")
        let output = io.appendingPathComponent("stdout")
        let errors = io.appendingPathComponent("stderr")
        try stdin.write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus,
                   stdout: try String(contentsOf: output, encoding: .utf8),
                   stderr: try String(contentsOf: errors, encoding: .utf8))
    }

    /// A scratch folder holding a copy of a fixture's `content` (and `theme`, if it has one),
    /// so that the command's defaults (`--content content`, `--output site`) are exercised.
    static func workspace(_ fixture: URL, _ label: String = #function) throws -> URL {
        let root = try makeTemporaryFolder(label)
        try copyFolder(fixture.appendingPathComponent("content"), to: root.appendingPathComponent("content"))
        let theme = fixture.appendingPathComponent("theme")
        if FileManager.default.fileExists(atPath: theme.path) {
            try copyFolder(theme, to: root.appendingPathComponent("theme"))
        }
        return root
    }

    /// `path:line:col: severity: message`, as compilers print it.
    static func isDiagnosticLine(_ line: String) -> Bool {
        line.wholeMatch(of: /[^:\n]+:[0-9]+:[0-9]+: (error|warning|note): .+/) != nil
    }

    // MARK: build

    @Test("build with the defaults writes site/ exactly as expected, and exits 0")
    func buildSucceeds() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let run = try Self.run(["build", "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture), in: root)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.isEmpty)
        let problems = Fixtures.differences(actual: try fileTree(root.appendingPathComponent("site")),
                                            expected: try fileTree(fixture.appendingPathComponent("expected")))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
        // Held-back posts are announced, each on a line of its own.
        let notes = run.stderrLines.filter { Self.isDiagnosticLine($0) }
        #expect(notes == (try String(contentsOf: fixture.appendingPathComponent("expected-diagnostics.txt"), encoding: .utf8))
            .split(separator: "\n").map(String.init))
        #expect(run.stderrLines.last?.hasPrefix("Built 44 files in ") == true)
        #expect(run.stderrLines.last?.hasSuffix("(44 written, 0 unchanged)") == true)

        // A second run changes nothing on disk, not even a modification time.
        let site = root.appendingPathComponent("site")
        let (bytes, times) = (try fileTree(site), try modificationTimes(site))
        let again = try Self.run(["build", "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture), in: root)
        #expect(again.status == 0)
        #expect(try fileTree(site) == bytes)
        #expect(try modificationTimes(site) == times)
    }

    @Test("--base-url and --drafts change what is built")
    func buildOptions() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let run = try Self.run(["build", "--theme", TestPaths.theme.path, "--output", "preview", "--drafts",
                                "--base-url", "http://localhost:8000/preview/", "--now", "2009-07-01T12:00:00+01:00"], in: root)
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: root.appendingPathComponent("preview/2009/06/half-written/index.html"), encoding: .utf8)
        #expect(page.contains("<link rel=\"canonical\" href=\"http://localhost:8000/preview/2009/06/half-written/\">"))
        #expect(page.contains("href=\"/preview/assets/style.css\""))
        #expect(page.contains("This comment waits for its draft post."))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
    }

    @Test("content errors: exit 1, every problem on stderr as path:line:col: severity: message, nothing written")
    func contentErrors() throws {
        let fixture = TestPaths.invalid.appendingPathComponent("spec-example")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        for command in ["build", "check"] {
            let run = try Self.run([command, "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture), in: root)
            #expect(run.status == 1, "\(command)")
            #expect(run.stdout.isEmpty)
            let lines = run.stderrLines
            let expected = try String(contentsOf: fixture.appendingPathComponent("expected-errors.txt"), encoding: .utf8)
            #expect(Array(lines.dropLast()) == expected.split(separator: "\n").map(String.init), "\(command)")
            for line in lines.dropLast() {
                #expect(Self.isDiagnosticLine(line), "\(line)")
            }
            #expect(lines.last == "hubsite: 2 errors; nothing was written")
            #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("Stack dump"))
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
    }

    @Test("every invalid fixture fails with exit 1 and well-formed lines, never a crash", arguments: Fixtures.invalidNames)
    func invalidFixtures(name: String) throws {
        let fixture = TestPaths.invalid.appendingPathComponent(name)
        let root = try Self.workspace(fixture, name)
        defer { removeFolder(root) }
        let theme = FileManager.default.fileExists(atPath: fixture.appendingPathComponent("theme").path) ? "theme" : TestPaths.theme.path
        let run = try Self.run(["build", "--theme", theme] + Fixtures.arguments(fixture), in: root)
        #expect(run.status == 1)
        let lines = run.stderrLines
        #expect(lines.last?.hasPrefix("hubsite: ") == true)
        #expect(lines.last?.hasSuffix("; nothing was written") == true)
        for line in lines.dropLast() {
            #expect(Self.isDiagnosticLine(line), "\(line)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
    }

    @Test("--strict: warnings fail the build with exit 1; without it they pass")
    func strict() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        try writeFiles(["content/site.yml": defaultSettings,
                        "content/posts/a.md": post("A", date: "2009-05-11", extra: "colour: blue")], under: root)
        let strict = try Self.run(["build", "--strict", "--theme", TestPaths.theme.path, "--now", defaultNow], in: root)
        #expect(strict.status == 1)
        #expect(strict.stderrLines.first == "content/posts/a.md:4:1: warning: unknown key 'colour'")
        #expect(strict.stderrLines.last == "hubsite: 1 warning; nothing was written")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
        let lenient = try Self.run(["build", "--theme", TestPaths.theme.path, "--now", defaultNow], in: root)
        #expect(lenient.status == 0)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("site/2009/05/a/index.html").path))
    }

    @Test("check validates and writes nothing")
    func checkWritesNothing() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let before = try fileTree(root)
        let run = try Self.run(["check", "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture), in: root)
        #expect(run.status == 0)
        #expect(run.stderrLines.last == "Checked: no errors")
        #expect(try fileTree(root) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["content"])
    }

    // MARK: Usage and environment

    @Test("a wrong command line exits 2", arguments: [
        ["build", "--bogus"],
        ["build", "--now", "next tuesday"],
        ["build", "--now", "2009-02-30"],
        ["check", "extra-argument"],
        ["publish"],
        ["build", "--output"],
    ])
    func usageErrors(arguments: [String]) throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        let run = try Self.run(arguments, in: root)
        #expect(run.status == 2, "\(run.stderr)")
        #expect(!run.stderr.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).isEmpty)
    }

    @Test("a missing content folder and an overlapping output folder exit 2")
    func usageFolders() throws {
        let fixture = TestPaths.sites.appendingPathComponent("empty")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let missing = try Self.run(["build", "--content", "nowhere", "--theme", TestPaths.theme.path], in: root)
        #expect(missing.status == 2)
        #expect(missing.stderr == "hubsite: error: content folder 'nowhere' does not exist\n")
        for output in ["content", "content/site", ".", "../\(root.lastPathComponent)"] {
            let overlap = try Self.run(["build", "--theme", TestPaths.theme.path, "--output", output, "--now", defaultNow], in: root)
            #expect(overlap.status == 2, "\(output)")
            #expect(overlap.stderr.contains("overlaps the content folder"), "\(output): \(overlap.stderr)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["content"])
    }

    @Test("an output folder locked by another build exits 3 and writes nothing")
    func lockedOutput() throws {
        let fixture = TestPaths.sites.appendingPathComponent("empty")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let lockPath = OutputWriter(outputPath: root.appendingPathComponent("site").path).lockPath
        var lock = try OutputLock(path: lockPath)
        #expect(lock != nil)
        let run = try Self.run(["build", "--theme", TestPaths.theme.path, "--now", defaultNow], in: root)
        #expect(run.status == 3)
        #expect(run.stderr.hasPrefix("hubsite: error: write stage: output folder 'site' is locked by another build"))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site").path))
        lock = nil
        _ = lock
        #expect(try Self.run(["build", "--theme", TestPaths.theme.path, "--now", defaultNow], in: root).status == 0)
    }

    @Test("--cache DIR puts the cache there, --no-cache writes none, and a cached rebuild equals a clean build")
    func cacheOptions() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let options = ["--theme", TestPaths.theme.path] + Fixtures.arguments(fixture)
        #expect(try Self.run(["build", "--cache", "cache-dir"] + options, in: root).status == 0)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("cache-dir").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".hubsite-cache").path))

        // Change a page, a theme-independent static file and the schedule; then build again with the cache.
        try writeFiles(["content/pages/contact-us.md": "---\ntitle: Contact\nslug: contact\n---\n\nBy post only.\n",
                        "content/static/files/ni7-report.txt": "NI7 report, second edition.\n"], under: root)
        let later = ["--theme", TestPaths.theme.path, "--now", "2009-07-20T12:00:00+01:00"]
        #expect(try Self.run(["build", "--cache", "cache-dir"] + later, in: root).status == 0)
        let clean = try Self.run(["build", "--no-cache", "--output", "clean"] + later, in: root)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent(".hubsite-cache").path))
        let cached = try fileTree(root.appendingPathComponent("site"))
        #expect(cached == (try fileTree(root.appendingPathComponent("clean"))))
        #expect(cached["2009/07/coming-soon/index.html"] != nil) // fell due between the two builds
        #expect(cached["files/ni7-report.txt"] == Data("NI7 report, second edition.\n".utf8))
    }

    @Test("with the cache on, a site changed or pruned by hand is put back on the next build")
    func cacheNoticesOutputChanges() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        let options = ["build", "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture)
        #expect(try Self.run(options, in: root).status == 0)
        let site = root.appendingPathComponent("site")
        try FileManager.default.removeItem(at: site.appendingPathComponent("feed.xml"))
        try Data("defaced".utf8).write(to: site.appendingPathComponent("about/index.html"))
        try Data("stray".utf8).write(to: site.appendingPathComponent("stray.html"))
        #expect(try Self.run(options, in: root).status == 0)
        let problems = Fixtures.differences(actual: try fileTree(site), expected: try fileTree(fixture.appendingPathComponent("expected")))
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test("a build with nothing new to do still reports the input's warnings and held-back posts")
    func upToDateRunStillReports() throws {
        let fixture = TestPaths.sites.appendingPathComponent("hub")
        let root = try Self.workspace(fixture)
        defer { removeFolder(root) }
        try writeFiles(["content/pages/warn.md": "---\ntitle: Warn\ncolour: blue\n---\nx\n"], under: root)
        let options = ["build", "--theme", TestPaths.theme.path] + Fixtures.arguments(fixture)
        let first = try Self.run(options, in: root)
        let second = try Self.run(options, in: root)
        #expect(first.status == 0 && second.status == 0)
        let firstReport = first.stderrLines.filter(Self.isDiagnosticLine)
        let secondReport = second.stderrLines.filter(Self.isDiagnosticLine)
        #expect(firstReport.contains("content/pages/warn.md:3:1: warning: unknown key 'colour'"))
        #expect(firstReport.count == 5)
        #expect(secondReport == firstReport)
    }

    @Test("new area writes a profile once; a second time the file exists: exit 3, file kept")
    func newArea() throws {
        let root = try Self.workspace(TestPaths.sites.appendingPathComponent("empty"))
        defer { removeFolder(root) }
        let first = try Self.run(["new", "area", "West Sussex"], in: root)
        #expect(first.status == 0, "\(first.stderr)")
        let profile = root.appendingPathComponent("content/areas/west-sussex/index.md")
        let written = try String(contentsOf: profile, encoding: .utf8)
        #expect(written.contains("name: West Sussex"))
        let second = try Self.run(["new", "area", "West Sussex"], in: root)
        #expect(second.status == 3)
        #expect(second.stderr.contains("already exists"))
        #expect(try String(contentsOf: profile, encoding: .utf8) == written)
        #expect(try Self.run(["check", "--theme", TestPaths.theme.path], in: root).status == 0)
    }

    @Test("serve is a command of its own")
    func serveExists() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        let help = try Self.run(["serve", "--help"], in: root)
        #expect(help.status == 0)
        #expect(help.stdout.contains("--port"))
    }

    @Test("serve and comments serve run hubsite-server, which checks their folders")
    func serversRunBesideTheCommandLine() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        // Only hubsite-server looks at the folders: these messages come from it.
        let serve = try Self.run(["serve", "--content", "missing", "--port", "0"], in: root)
        #expect(serve.status == 2)
        #expect(serve.stderrLines == ["hubsite: error: content folder 'missing' does not exist"])
        let comments = try Self.run(["comments", "serve", "--content", ".", "--db", "queue/in/no/folder.sqlite", "--port", "0"], in: root)
        #expect(comments.status == 3)
        #expect(comments.stderr.hasPrefix("hubsite: error: cannot open the comment queue 'queue/in/no/folder.sqlite'"))
    }

    // MARK: markdown

    @Test("markdown renders standard input as posts render, on standard output")
    func markdown() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        let input = "## Intro\n\n\"Quotes\" -- and <b>raw</b>.\n\n## Intro\n\n[x](javascript:alert(1))\n"
        let run = try Self.run(["markdown"], in: root, stdin: Data(input.utf8))
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
        #expect(run.stdout == """
        <h2 id="intro">Intro</h2>
        <p>“Quotes” – and <!-- raw HTML omitted -->raw<!-- raw HTML omitted -->.</p>
        <h2 id="intro-2">Intro</h2>
        <p>x</p>

        """)
        let raw = try Self.run(["markdown", "--raw-html"], in: root, stdin: Data("<b>raw</b>\n".utf8))
        #expect(raw.stdout == "<p><b>raw</b></p>\n")
        let crlf = try Self.run(["markdown"], in: root, stdin: Data([0xEF, 0xBB, 0xBF] + Array("a\r\nb\r\n".utf8)))
        #expect(crlf.stdout == "<p>a\nb</p>\n")
    }

    @Test("markdown with invalid UTF-8 exits 1 with a located error")
    func markdownInvalidUTF8() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        let run = try Self.run(["markdown"], in: root, stdin: Data(Array("ok\nCaf".utf8) + [0xE9, 0x0A]))
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == "<stdin>:2:4: error: file is not UTF-8: byte 0xE9 here looks like 'é' in Latin-1 or "
                + "Windows-1252: save it as UTF-8 (in your editor's Save As or Encoding menu)\n")
    }
}
