#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole build or check against real folders: load, generate, and (for a build) write.
public struct SiteBuild: Sendable {
    public var contentPath: String
    public var themePath: String
    public var options: BuildOptions

    public init(contentPath: String, themePath: String, options: BuildOptions) {
        self.contentPath = contentPath
        self.themePath = themePath
        self.options = options
    }

    public enum Failure: Error, Sendable {
        /// The command line is wrong (exit 2).
        case usage(String)
        /// The output folder is locked, or the disk refused (exit 3).
        case environment(String)
    }

    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        /// Nil when nothing was written (errors, or a check).
        public var summary: OutputWriter.Summary?
        public var pageCount: Int
    }

    func checkFolders() throws(Failure) {
        guard FolderReader.isFolder(contentPath) else { throw .usage("content folder '\(contentPath)' does not exist") }
        guard FolderReader.isFolder(themePath) else { throw .usage("theme folder '\(themePath)' does not exist") }
    }

    /// Load and plan, rendering and writing nothing: every error a build would report.
    public func check() throws(Failure) -> Report {
        try checkFolders()
        let tree = FolderReader().read(content: contentPath, theme: themePath)
        let (plan, _, diagnostics) = Pipeline.plan(tree, options: options)
        return Report(diagnostics: diagnostics, summary: nil, pageCount: plan?.outputs.count ?? 0)
    }

    /// Load, plan and, when there are no errors (nor warnings under `strict`), render and write.
    public func build(outputPath: String, strict: Bool) throws(Failure) -> Report {
        try checkFolders()
        let output = FileSystem.canonical(outputPath)
        for (label, folder) in [("content", contentPath), ("theme", themePath)] {
            let other = FileSystem.canonical(folder)
            if output == other || output.hasPrefix(other + "/") || other.hasPrefix(output + "/") {
                throw .usage("output folder '\(outputPath)' overlaps the \(label) folder '\(folder)'")
            }
        }
        let writer = OutputWriter(outputPath: outputPath)
        do {
            try Self.makeParents(of: writer.parent)
        } catch {
            throw .environment("\(error)")
        }
        let lock: OutputLock?
        do {
            lock = try OutputLock(path: writer.lockPath)
        } catch {
            throw .environment("\(error)")
        }
        guard let lock else {
            throw .environment("output folder '\(outputPath)' is locked by another build (\(writer.lockPath))")
        }
        defer { withExtendedLifetime(lock) {} }

        try checkFolders()
        let tree = FolderReader().read(content: contentPath, theme: themePath)
        let (plan, _, diagnostics) = Pipeline.plan(tree, options: options)
        let report = Report(diagnostics: diagnostics, summary: nil, pageCount: 0)
        guard let plan, !(strict && diagnostics.hasWarnings) else { return report }
        do {
            let session = try writer.begin(paths: plan.outputs.map(\.path))
            try plan.renderer.render(plan.outputs) { try session.add($0) }
            let summary = try session.commit()
            return Report(diagnostics: diagnostics, summary: summary, pageCount: plan.outputs.count)
        } catch {
            throw .environment("\(error)")
        }
    }

    static func makeParents(of folder: String) throws {
        if folder.isEmpty || folder == "." || folder == "/" || FileSystem.isFolder(folder) { return }
        try makeParents(of: LinkPath.folder(of: folder))
        try FileSystem.makeFolder(folder)
    }

    /// The clock, in whole seconds since 1970: the default `--now`.
    public static func clock() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec)
    }
}
