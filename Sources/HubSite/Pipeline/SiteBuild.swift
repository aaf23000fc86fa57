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
    /// Folder of the build cache; nil builds from scratch and leaves no cache (`--no-cache`).
    public var cachePath: String?

    public init(contentPath: String, themePath: String, options: BuildOptions, cachePath: String? = nil) {
        self.contentPath = contentPath
        self.themePath = themePath
        self.options = options
        self.cachePath = cachePath
    }

    /// The default cache folder: `.hubsite-cache` beside the output folder.
    public static func defaultCachePath(forOutput outputPath: String) -> String {
        OutputWriter(outputPath: outputPath).parent + "/.hubsite-cache"
    }

    /// The stages of a build, in order (docs/ and the README's layout name the same).
    public enum Stage: String, Sendable {
        case load, parse, model, plan, render, write
    }

    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The command line is wrong (exit 2).
        case usage(String)
        /// A stage could not do its work on this machine: the output folder is locked, or the
        /// disk refused (exit 3).
        case environment(Stage, String)

        public var description: String {
            switch self {
            case .usage(let message): message
            case .environment(let stage, let message): "\(stage.rawValue) stage: \(message)"
            }
        }
    }

    public struct Report: Sendable {
        public var diagnostics: [Diagnostic]
        /// Nil when nothing was written (errors, or a check).
        public var summary: OutputWriter.Summary?
        public var pageCount: Int
        /// True when the cache showed that nothing changed, so nothing was read or written.
        public var upToDate = false
        /// True when only post bodies changed and only the pages showing them were rendered.
        public var incremental = false
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
    /// `progress` hears (files done, files in all) from the rendering threads.
    /// `force` replaces an output folder that no build made (its files are lost).
    public func build(outputPath: String, strict: Bool, force: Bool = false,
                      progress: (@Sendable (Int, Int) -> Void)? = nil) throws(Failure) -> Report {
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
            throw .environment(.write, "cannot make the folder '\(writer.parent)': \(error)")
        }
        let lock: OutputLock?
        do {
            lock = try OutputLock(path: writer.lockPath)
        } catch {
            throw .environment(.write, "cannot lock the output folder: \(error)")
        }
        guard let lock else {
            throw .environment(.write, "output folder '\(outputPath)' is locked by another build (\(writer.lockPath))")
        }
        defer { withExtendedLifetime(lock) {} }
        if !force, writer.folderState() == .foreign {
            throw .environment(.write, "output folder '\(outputPath)' is not empty and was not made by hubsite: a build would delete "
                               + "what it holds. Build into another folder with --output DIR, or pass --force to replace it")
        }

        // Nothing new since the last build? Then read nothing and write nothing.
        let settings = cacheSettings(outputPath: outputPath, strict: strict)
        let now = options.zoneFreeInstant
        let inputs = cachePath == nil ? [] : BuildCache.stamps(ofFiles: BuildCache.files(in: [contentPath, themePath]))
        if let cachePath, let now, let cache = BuildCache.load(from: cachePath) {
            if cache.isCurrent(settings: settings, inputs: inputs, now: now, outputFolder: writer.outputPath) {
                return Report(diagnostics: cache.diagnostics, summary: nil, pageCount: cache.outputs.count, upToDate: true)
            }
            // Only some post bodies changed? Then only the pages that show them are rendered.
            do {
                if let report = try BodyEditBuild(build: self, cachePath: cachePath, writer: writer)
                    .run(cache: cache, settings: settings, inputs: inputs, now: now) {
                    return report
                }
            } catch {
                throw .environment(.write, "\(error)")
            }
        }

        let tree = FolderReader().read(content: contentPath, theme: themePath)
        let (plan, _, diagnostics) = Pipeline.plan(tree, options: options)
        let report = Report(diagnostics: diagnostics, summary: nil, pageCount: 0)
        guard let plan, !(strict && diagnostics.hasWarnings) else { return report }
        var searchIndex: SearchIndex?
        if plan.site.settings.search {
            do {
                searchIndex = try SearchIndex.locate()
            } catch {
                throw .environment(.write, error.description)
            }
        }
        do {
            if let cachePath { BuildCache.remove(from: cachePath) } // stale until this build is in
            let session = try writer.begin(paths: plan.outputs.map(\.path))
            let total = plan.outputs.count
            let done = Counter()
            try plan.renderer.render(plan.outputs) { file in
                try session.add(file)
                progress?(done.increment(), total)
            }
            let summary = try session.commit { newSite, currentSite in
                try searchIndex?.index(site: newSite, previous: currentSite)
            }
            if let cachePath {
                // A cache that cannot be written only costs time.
                let cache = BuildCache(settings: settings, schedule: plan.site.schedule, inputs: inputs,
                                       outputs: BuildCache.stamps(ofFiles: plan.outputs.map(\.path), under: writer.outputPath),
                                       outputFolder: BuildCache.inode(of: writer.outputPath),
                                       diagnostics: diagnostics,
                                       snapshot: BodyEditBuild.saveSnapshot(of: plan.site, cachePath: cachePath))
                try? cache.save(to: cachePath)
            }
            return Report(diagnostics: diagnostics, summary: summary, pageCount: total)
        } catch {
            // Rendering cannot fail; what fails here is handing its files to the disk.
            throw .environment(.write, "\(error)")
        }
    }

    /// Everything besides the inputs that decides the output, including the program itself.
    private func cacheSettings(outputPath: String, strict: Bool) -> String {
        var program = stat()
        let version = stat("/proc/self/exe", &program) == 0
            ? "\(program.st_size).\(program.st_mtim.tv_sec).\(program.st_mtim.tv_nsec)" : "unknown"
        return [
            "program=\(version)", "content=\(contentPath)", "theme=\(themePath)", "output=\(outputPath)",
            "base=\(options.baseURLOverride ?? "")", "drafts=\(options.includeDrafts)", "scheduled=\(options.previewScheduled)", "strict=\(strict)",
        ].joined(separator: " ")
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
