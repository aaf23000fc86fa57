import Foundation

/// The search index, part of the write stage: with `search: true`, Pagefind indexes the new
/// site in the temporary folder before it is swapped in, so readers never meet a site and an
/// index that disagree (docs/search.md). Templates choose what is indexed with
/// `data-pagefind-body` and `data-pagefind-filter`.
public struct SearchIndex: Sendable {
    /// Output path of the search page.
    public static let pagePath = "search/"
    /// Folder of the index in the output.
    public static let bundleFolder = "pagefind"
    /// How to install it, for the message when it is missing.
    public static let installCommand = "python3 -m pip install 'pagefind[bin]==1.5.2'"

    /// The Pagefind program.
    let executable: String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Finds Pagefind: `HUBSITE_PAGEFIND` names the program; otherwise `pagefind` on the PATH,
    /// then the one that `pip install pagefind[bin]` puts beside Python's packages.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws(Failure) -> SearchIndex {
        if let named = environment["HUBSITE_PAGEFIND"], !named.isEmpty {
            guard FileManager.default.isExecutableFile(atPath: named) else {
                throw Failure(description: "HUBSITE_PAGEFIND names '\(named)', which is not a program")
            }
            return SearchIndex(executable: named)
        }
        for folder in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = String(folder) + "/pagefind"
            if FileManager.default.isExecutableFile(atPath: candidate) { return SearchIndex(executable: candidate) }
        }
        let finder = "import os, pagefind_bin; print(os.path.join(os.path.dirname(pagefind_bin.__file__), 'pagefind'))"
        if let (status, output) = try? run("/usr/bin/env", ["python3", "-c", finder]), status == 0 {
            let path = output.trimmingCharacters(in: .whitespacesAndNewlines)
            if FileManager.default.isExecutableFile(atPath: path) { return SearchIndex(executable: path) }
        }
        throw Failure(description: "'search: true' in site.yml needs Pagefind, which is not installed; "
                      + "install it with: \(installCommand) (scripts/setup does), or name the program in HUBSITE_PAGEFIND")
    }

    /// Indexes the site in `folder` into `folder/pagefind/`. Index files whose bytes are those
    /// of the current site's (`previous`) are hard-linked from it, so they keep their times.
    public func index(site folder: String, previous: String) throws(Failure) {
        let result: (status: Int32, output: String)
        do {
            result = try Self.run(executable, ["--site", folder, "--output-subdir", Self.bundleFolder, "--silent"])
        } catch {
            throw Failure(description: "could not run Pagefind (\(executable)): \(error)")
        }
        guard result.status == 0 else {
            throw Failure(description: "Pagefind failed (exit \(result.status)): "
                          + result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        removeReadyMadeUI(in: folder + "/" + Self.bundleFolder)
        try SearchIndexOrder.apply(in: folder + "/" + Self.bundleFolder)
        keepUnchanged(in: folder + "/" + Self.bundleFolder, previous: previous + "/" + Self.bundleFolder)
    }

    /// Pagefind's ready-made search interfaces: the theme has its own search page
    /// (theme/assets/search.js), so only the index and `pagefind.js` are published.
    private func removeReadyMadeUI(in folder: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where name.hasPrefix("pagefind-") && (name.contains("-ui.") || name.hasPrefix("pagefind-highlight")) {
            unlink(folder + "/" + name)
        }
    }

    private func keepUnchanged(in folder: String, previous: String) {
        guard let paths = FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] else { return }
        for relative in paths.sorted() {
            let new = folder + "/" + relative, old = previous + "/" + relative
            guard !FileSystem.isFolder(new), let size = FileSystem.size(new), FileSystem.size(old) == size,
                  let bytes = FileSystem.readFile(new, size: size), FileSystem.readFile(old, size: size) == bytes,
                  unlink(new) == 0 else { continue }
            if !FileSystem.hardLink(old, new) { try? FileSystem.writeFile(new, bytes) }
        }
    }

    /// Runs a program, its output and errors together; its status.
    private static func run(_ program: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
