import Foundation
import HubSite
import Testing

/// Folders and processes for the authoring tests, kept apart from the other suites' helpers.
enum Authoring {
    /// The package root, found from this file's place: `Tests/HubSiteTests/Authoring/`.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let theme = packageRoot.appendingPathComponent("theme")
    static let content = packageRoot.appendingPathComponent("content")

    /// A fresh temporary folder; remove it with `remove`.
    static func folder(_ label: String = #function) throws -> URL {
        let name = "hubsite-authoring-" + label.filter { $0.isLetter || $0.isNumber } + "-" + UUID().uuidString
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `relative path -> text` under `root`.
    static func write(_ files: [String: String], under root: URL) throws {
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
    }

    static func read(_ url: URL) throws -> String {
        try String(contentsOf: url, encoding: .utf8)
    }

    /// Seconds since 1970 of an ISO 8601 text with its offset.
    static func instant(_ text: String) throws -> Int64 {
        try Moment.parse(text, in: .london).get().epochSeconds
    }

    /// A content folder with settings, two areas (one of them without a profile) and a post.
    static let smallSite: [String: String] = [
        "content/site.yml": "title: Test Hub\nbase_url: https://example.org/\ntimezone: Asia/Tokyo\n",
        "content/areas/essex/index.md": "---\nname: Essex\n---\n\nEssex.\n",
        "content/areas/west-sussex/index.md": "---\nname: West Sussex\n---\n\nWest Sussex.\n",
        "content/areas/no-profile/notes.md": "---\ntitle: A snippet\ndate: 2009-01-01\n---\n\nText.\n",
        "content/posts/2009/2009-05-11-keeping-up-with-the-joneses.md":
            "---\ntitle: Keeping up with the Joneses\ndate: 2009-05-11\n---\n\nBody.\n",
    ]

    // MARK: - The executable

    /// `swift test` builds `hubsite` beside the test bundle; a scratch folder of the package
    /// will do too.
    static let executable: URL? = {
        var folders: [URL] = []
        if let bundle = Bundle.main.executableURL { folders.append(bundle.deletingLastPathComponent()) }
        folders.append(Bundle.main.bundleURL)
        folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for scratch in [".build-serve", ".build"] {
            folders.append(packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return folders.map { $0.appendingPathComponent("hubsite") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `hubsite` in `folder`; output goes through files so that a full pipe never blocks it.
    static func run(_ arguments: [String], in folder: URL) throws -> Run {
        let executable = try #require(Self.executable, "the hubsite executable was not built next to the tests")
        let io = try Self.folder("io")
        defer { remove(io) }
        let output = io.appendingPathComponent("stdout")
        let errors = io.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: try read(output), stderr: try read(errors))
    }
}
