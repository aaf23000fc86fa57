import Foundation
import HubSite
import Testing

/// Fixture folders: `Fixtures/sites/<name>/{content, options.txt, expected/, expected-diagnostics.txt}`
/// and `Fixtures/invalid/<name>/{content, theme?, options.txt?, expected-errors.txt}`.
///
/// `options.txt` holds the build's command-line options (`--now`, `--drafts`, `--base-url`), so
/// the same fixture can be built by the library and by the `hubsite` executable.
enum Fixtures {
    /// The sub-folders of a fixture folder, sorted, read when tests are discovered.
    static func names(in folder: URL) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return entries.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    static let siteNames = names(in: TestPaths.sites)
    static let invalidNames = names(in: TestPaths.invalid)

    /// The fixed moment fixtures build at unless their options say otherwise.
    static let defaultNow = "2010-01-01T00:00:00Z"

    /// The command-line options of a fixture, as written in its `options.txt`.
    static func arguments(_ folder: URL) -> [String] {
        let url = folder.appendingPathComponent("options.txt")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return ["--now", defaultNow] }
        return text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
    }

    /// The same options for the library.
    static func buildOptions(_ folder: URL, themeRoot: String = "theme") -> BuildOptions {
        var options = BuildOptions(now: defaultNow, themeRoot: themeRoot)
        var arguments = self.arguments(folder)[...]
        while let argument = arguments.popFirst() {
            switch argument {
            case "--now": options.now = arguments.popFirst()
            case "--drafts": options.includeDrafts = true
            case "--base-url": options.baseURLOverride = arguments.popFirst()
            default: Issue.record("unknown option '\(argument)' in \(folder.lastPathComponent)/options.txt")
            }
        }
        return options
    }

    /// A fixture's own theme folder if it has one, else the real theme.
    static func themeFolder(_ folder: URL) -> URL {
        let own = folder.appendingPathComponent("theme")
        return FileManager.default.fileExists(atPath: own.path) ? own : TestPaths.theme
    }

    /// Reads a fixture as the command line would from inside its folder, so that diagnostics
    /// name `content/...` and `theme/...` whatever the machine's paths are.
    static func tree(_ folder: URL) -> SourceTree {
        let reader = FolderReader()
        let content = reader.read(root: folder.appendingPathComponent("content").path, displayRoot: "content")
        let theme = reader.read(root: themeFolder(folder).path, displayRoot: "theme")
        return SourceTree(content: content.files, theme: theme.files,
                          diagnostics: content.diagnostics + theme.diagnostics)
    }

    static func generate(_ folder: URL) -> BuildResult {
        Pipeline.generate(tree(folder), options: buildOptions(folder))
    }

    /// Diagnostics as one text, a line each, as `hubsite` prints them.
    static func text(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { $0.description + "\n" }.joined()
    }

    /// Differences between two file trees: missing, unexpected and changed files.
    static func differences(actual: [String: Data], expected: [String: Data]) -> [String] {
        var problems: [String] = []
        for path in expected.keys.sorted() where actual[path] == nil {
            problems.append("missing: \(path)")
        }
        for path in actual.keys.sorted() where expected[path] == nil {
            problems.append("unexpected: \(path)")
        }
        for (path, bytes) in actual.sorted(by: { $0.key < $1.key }) {
            guard let wanted = expected[path], wanted != bytes else { continue }
            problems.append("differs: \(path): \(firstDifference(bytes, wanted))")
        }
        return problems
    }

    private static func firstDifference(_ actual: Data, _ expected: Data) -> String {
        let actualLines = String(decoding: actual, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLines = String(decoding: expected, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(actualLines.count, expectedLines.count) {
            let got = index < actualLines.count ? String(actualLines[index]) : "<end of file>"
            let wanted = index < expectedLines.count ? String(expectedLines[index]) : "<end of file>"
            if got != wanted { return "line \(index + 1): got \(got.debugDescription), expected \(wanted.debugDescription)" }
        }
        return "bytes differ"
    }

    /// Replaces `expected` with the contents of `actual` (update mode only).
    static func replaceFolder(_ expected: URL, with actual: URL) throws {
        try? FileManager.default.removeItem(at: expected)
        try FileManager.default.copyItem(at: actual, to: expected)
    }
}
