import Foundation
import HubSite
import Testing

/// Paths the tests need, found from this file's own location so that they work from any
/// working directory and without resource bundles (Package.swift excludes `Fixtures`).
enum TestPaths {
    /// `Tests/HubSiteTests`
    static let testsFolder: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    /// The package root.
    static let packageRoot: URL = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let theme: URL = packageRoot.appendingPathComponent("theme")
    static let fixtures: URL = testsFolder.appendingPathComponent("Fixtures")
    static let sites: URL = fixtures.appendingPathComponent("sites")
    static let invalid: URL = fixtures.appendingPathComponent("invalid")

    /// `HUBSITE_UPDATE_FIXTURES=1 swift test ...` rewrites every fixture's expected output from
    /// what the generator makes now. Read the diff before committing it: the expected files are
    /// the specification of the output, not a cache.
    static var updatingFixtures: Bool {
        ProcessInfo.processInfo.environment["HUBSITE_UPDATE_FIXTURES"] == "1"
    }
}

/// The real theme, read once and shared (its files are immutable values).
let realThemeFiles: [SourceFile] = FolderReader().read(root: TestPaths.theme.path, displayRoot: "theme").files

/// The settings most string tests use.
let defaultSettings = """
title: Test Hub
base_url: https://example.org/
"""

/// A source tree from `relative path -> text`, with `site.yml` added when missing, and the real theme.
func tree(_ files: [String: String], settings: String = defaultSettings, theme: [SourceFile]? = nil) -> SourceTree {
    var content = files.map { SourceFile(relativePath: $0.key, text: $0.value) }
    if files["site.yml"] == nil {
        content.append(SourceFile(relativePath: "site.yml", text: settings))
    }
    content.sort { $0.relativePath < $1.relativePath }
    return SourceTree(content: content, theme: theme ?? realThemeFiles)
}

/// The fixed moment string tests build at unless they say otherwise.
let defaultNow = "2010-01-01T00:00:00Z"

/// Parse + model only, for tests about the `Site` value.
func model(_ files: [String: String], settings: String = defaultSettings, now: String = defaultNow,
           drafts: Bool = false) -> (site: Site?, diagnostics: [Diagnostic]) {
    let parsed = DocumentParser().parse(tree(files, settings: settings))
    let instant = epoch(now)
    let (site, diagnostics) = SiteBuilder(includeDrafts: drafts, now: instant).build(parsed)
    return (site, diagnostics.sortedForReport())
}

/// The whole pipeline, in memory, with the real theme.
func generate(_ files: [String: String], settings: String = defaultSettings, now: String = defaultNow,
              drafts: Bool = false, baseURL: String? = nil) -> BuildResult {
    Pipeline.generate(tree(files, settings: settings),
                      options: BuildOptions(baseURLOverride: baseURL, includeDrafts: drafts, now: now))
}

/// Seconds since 1970 of an ISO 8601 text, read in London (the default zone).
func epoch(_ text: String) -> Int64 {
    switch Moment.parse(text, in: .london) {
    case .success(let moment): return moment.epochSeconds
    case .failure(let problem): fatalError("bad test date \(text): \(problem)")
    }
}

func moment(_ text: String, zone: String = "Europe/London") throws -> Moment {
    let site = try #require(SiteTimeZone(identifier: zone))
    return try Moment.parse(text, in: site).get()
}

/// Diagnostics as the command line prints them, one a line.
func report(_ diagnostics: [Diagnostic]) -> [String] {
    diagnostics.map(\.description)
}

extension BuildResult {
    /// The generated file at `path` as text, if the build made it.
    func text(_ path: String) -> String? {
        files?.first { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    var paths: [String] { (files ?? []).map(\.path).sorted() }

    var errors: [String] { diagnostics.filter { $0.severity == .error }.map(\.description) }
}

/// A post's front matter and body as a file's text.
func post(_ title: String, date: String, extra: String = "", body: String = "Body text.") -> String {
    "---\ntitle: \(title)\ndate: \(date)\n\(extra.isEmpty ? "" : extra + "\n")---\n\n\(body)\n"
}

// MARK: - Folders

/// A fresh temporary folder, removed by the caller with `removeFolder`.
func makeTemporaryFolder(_ label: String = #function) throws -> URL {
    let name = "hubsite-tests-" + label.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

func removeFolder(_ url: URL) {
    try? FileManager.default.removeItem(at: url)
}

/// Writes `relative path -> text` under a folder.
func writeFiles(_ files: [String: String], under folder: URL) throws {
    for (path, text) in files {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}

func copyFolder(_ source: URL, to destination: URL) throws {
    try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
    try FileManager.default.copyItem(at: source, to: destination)
}

/// Every regular file below a folder, by relative path. Hidden files are included on purpose:
/// a stray `.tmp` left in the output is a bug too.
func fileTree(_ root: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let rootPath = root.resolvingSymlinksInPath().path
    guard let enumerator = FileManager.default.enumerator(at: root.resolvingSymlinksInPath(),
                                                          includingPropertiesForKeys: [.isRegularFileKey]) else {
        return result
    }
    for case let url as URL in enumerator {
        let values = try url.resourceValues(forKeys: [.isRegularFileKey])
        guard values.isRegularFile == true else { continue }
        let path = url.resolvingSymlinksInPath().path
        let relative = String(path.dropFirst(rootPath.count + 1))
        result[relative] = try Data(contentsOf: url)
    }
    return result
}

/// Modification times (nanoseconds) of every file below a folder, by relative path.
func modificationTimes(_ root: URL) throws -> [String: Int64] {
    var result: [String: Int64] = [:]
    for path in try fileTree(root).keys {
        result[path] = try modificationTime(root.appendingPathComponent(path))
    }
    return result
}

func modificationTime(_ url: URL) throws -> Int64 {
    var info = stat()
    guard stat(url.path, &info) == 0 else { throw CocoaError(.fileNoSuchFile) }
    return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
}

/// Sets a file's modification time to a fixed moment in the past, so a test can tell whether a
/// later build rewrote it without waiting for the clock to move.
func setOldModificationTime(_ url: URL, seconds: Int = 1_000_000_000) throws {
    var times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
    guard utimensat(AT_FDCWD, url.path, &times, 0) == 0 else { throw CocoaError(.fileWriteUnknown) }
}

/// SplitMix64: random choices that a seed replays, so a failing run can be run again.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
