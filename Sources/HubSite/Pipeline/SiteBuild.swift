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
        /// True when only the outputs whose inputs changed were rendered, in place.
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
        let outputFolder = BuildCache.inode(of: writer.outputPath)
        // Without a zone-free `now` the schedule cannot be trusted, nor so the cache.
        let now = options.zoneFreeInstant
        // The last build's state is decoded and its outputs stat'ed while the folders are walked,
        // for stamps alone (the load stage then reads what it needs).
        let ((loaded, changedByHand), walked) = alongside({ [cachePath, outputPath = writer.outputPath] in
            let loaded = cachePath.flatMap(BuildCache.load(from:)).flatMap { cache in
                now != nil && cache.settings == settings && cache.outputFolder == outputFolder && outputFolder != 0 ? cache : nil
            }
            return (loaded, loaded?.outputsChanged(under: outputPath) ?? [])
        }, {
            cachePath == nil ? nil
                : FolderReader().read(content: contentPath, theme: themePath, isKnown: { _, _ in true }, themeIsKnown: true)
        })
        var cache = loaded
        let inputs = walked.map(Self.inputs(of:)) ?? []
        if let current = cache, let now, current.inputs == inputs, current.schedule.contains(now), changedByHand.isEmpty {
            return Report(diagnostics: current.diagnostics, summary: nil, pageCount: current.outputs.count, upToDate: true)
        }

        // load -> parse -> model -> plan, each stage taking what the cache kept of it.
        var memo: BuildMemo?
        if let cache, let cachePath, let memos = cache.loadMemos(from: cachePath) {
            memo = BuildMemo(memos, files: cache.memoFiles, storePath: cachePath + "/" + TextStore.fileName)
        }
        var planned = plan(memo: memo, walked: walked)
        if planned.memoFailed {
            (cache, memo) = (nil, nil)
            planned = plan(memo: nil, walked: walked)
        }
        let diagnostics = planned.diagnostics
        let report = Report(diagnostics: diagnostics, summary: nil, pageCount: 0)
        guard var plan = planned.plan, !(strict && diagnostics.hasWarnings) else { return report }
        // The plan alone holds the site now: putting back stored bodies does not copy every post.
        (planned.plan, planned.site) = (nil, nil)
        var searchIndex: SearchIndex?
        if plan.site.settings.search {
            do {
                searchIndex = try SearchIndex.locate()
            } catch {
                throw .environment(.write, error.description)
            }
        }

        // Render only the outputs whose key changed, into the site in place. The whole site is
        // written afresh when the search index (made from the whole new site) is on, or when
        // files of the last build were changed or deleted by hand (it may hold strays too).
        let outputKeys = cachePath == nil ? [] : plan.outputs.map(
            OutputKeys(site: plan.site, themeDigest: planned.themeDigest, sidebar: plan.renderer.sidebarShown()).key)
        let previous = Dictionary((cache?.outputs ?? []).map { ($0.path, $0.key) }, uniquingKeysWith: { first, _ in first })
        let inPlace = cache != nil && searchIndex == nil && changedByHand.isEmpty
        let toRender = inPlace ? zip(plan.outputs, outputKeys).filter { previous[$0.path] != $1 }.map(\.0) : plan.outputs
        if let memo {
            let planner = SitePlanner(site: plan.site)
            plan.site.restoreStoredBodies(posts: Set(toRender.flatMap { planner.postBodiesShown(by: $0.kind) }), from: memo.texts)
        }
        let renderer = plan.renderer
        if memo?.texts.missedAny == true {
            // The store lost a text after all: build again from the files alone.
            if let cachePath { BuildCache.remove(from: cachePath) }
            return try build(outputPath: outputPath, strict: strict, force: force, progress: progress)
        }
        do {
            if let cachePath { BuildCache.remove(from: cachePath) } // stale until this build is in
            let summary: OutputWriter.Summary
            if inPlace {
                let planned = Set(plan.outputs.map(\.path))
                let stale = (cache?.outputs ?? []).map(\.path).filter { !planned.contains($0) }
                let collected = FileCollector()
                try renderer.render(toRender) { collected.add($0) }
                let written = try writer.replace(collected.files(inOrderOf: toRender), removing: stale)
                summary = OutputWriter.Summary(written: written.written, unchanged: plan.outputs.count - written.written)
            } else {
                let session = try writer.begin(paths: plan.outputs.map(\.path))
                let total = plan.outputs.count
                let done = Counter()
                try renderer.render(plan.outputs) { file in
                    try session.add(file)
                    progress?(done.increment(), total)
                }
                summary = try session.commit { newSite, currentSite in
                    try searchIndex?.index(site: newSite, previous: currentSite)
                }
            }
            if let cachePath {
                // A cache that cannot be written only costs time.
                // In place, an output not rendered again is as the last build left it (checked
                // above, `changedByHand`): its stamp is known without a stat.
                let rendered = Set(toRender.map(\.path))
                let kept = inPlace ? (cache?.outputs ?? []).filter { !rendered.contains($0.path) } : []
                try? saveCache(to: cachePath, settings: settings, inputs: inputs, plan: plan, planned: planned,
                               keys: outputKeys, outputFolder: writer.outputPath, keptOutputs: kept, memo: memo)
            }
            return Report(diagnostics: diagnostics, summary: summary, pageCount: plan.outputs.count,
                          incremental: inPlace)
        } catch {
            // Rendering cannot fail; what fails here is handing its files to the disk.
            throw .environment(.write, "\(error)")
        }
    }

    /// load -> parse -> model -> plan, with what the last build kept (nil: from the files alone).
    /// `walked`: the folders as walked for their stamps (nil: walk and read them now).
    private func plan(memo: BuildMemo?, walked: SourceTree?) -> Pipeline.Planned {
        let isKnown: @Sendable (String, FileStamp) -> Bool = { relativePath, stamp in
            guard let memo, ParseMemo.isMemoised(relativePath) else { return false }
            return memo.stamps[relativePath] == stamp
        }
        let tree = walked.map { FolderReader.fill($0, content: contentPath, theme: themePath, isKnown: isKnown) }
            ?? FolderReader().read(content: contentPath, theme: themePath, isKnown: isKnown)
        return Pipeline.plan(tree, options: options, memo: memo, recording: cachePath != nil)
    }

    /// Every file below the content and theme folders with its stamp, from a walk alone: what
    /// tells a build that nothing changed.
    static func inputs(of walked: SourceTree) -> [BuildCache.Input] {
        (walked.content + walked.theme).map { BuildCache.Input(path: $0.displayPath, stamp: $0.stamp ?? .missing) }
            + walked.diagnostics.map { BuildCache.Input(path: $0.location.path, stamp: .missing) }
    }

    /// The state for the next build: stamps of what this one read and wrote, and its memos
    /// by content folder (written again only for folders whose memos changed), with the texts
    /// they name appended to the store.
    private func saveCache(to cachePath: String, settings: String, inputs: [BuildCache.Input], plan: BuildPlan,
                           planned: Pipeline.Planned, keys: [UInt64], outputFolder: String,
                           keptOutputs: [BuildCache.Output], memo: BuildMemo?) throws {
        try Self.makeParents(of: cachePath)
        try FileSystem.makeFolder(cachePath)
        let previous = memo?.texts ?? .empty
        var groups: [String: BuildCache.Memos] = [:]
        func group(_ path: String) -> String { LinkPath.folder(of: path) }
        let empty = BuildCache.Memos(parses: ParseMemo(zone: planned.parses.zone, entries: []), bodies: BodyMemo(entries: []), texts: [])
        for entry in planned.parses.entries { groups[group(entry.relativePath), default: empty].parses.entries.append(entry) }
        for entry in planned.bodies { groups[group(entry.path), default: empty].bodies.entries.append(entry) }

        var live: [(digest: UInt64, text: () -> String?)] = []
        for entry in planned.parses.entries {
            for source in entry.parse.sources {
                live.append((source.textDigest, { source.isStored ? previous.text(source.textDigest) : source.text }))
            }
        }
        for entry in planned.bodies {
            let body = entry.body
            live.append((body.templateDigest, { body.isStored ? previous.text(body.templateDigest) : body.template }))
        }
        let (texts, rewritten) = try TextStore.save(live, folder: cachePath, previous: previous)
        let textEntries = Dictionary(texts.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })

        // Each folder's memos encoded and written on every core; unchanged ones are kept.
        let previousFiles = memo?.files ?? [:]
        let written = groups.sorted { $0.key < $1.key }.parallelMap { folder, memos in
            var memos = memos
            let signature = BuildCache.MemoFile.signature(memos)
            if !rewritten, let old = previousFiles[folder], old.signature == signature { return Result<_, Error>.success(old) }
            let digests = memos.parses.entries.flatMap { $0.parse.sources.map(\.textDigest) } + memos.bodies.entries.map(\.body.templateDigest)
            memos.texts = Set(digests).compactMap { textEntries[$0] }.sorted { $0.offset < $1.offset }
            return Result { try BuildCache.write(memos, folder: folder, signature: signature, in: cachePath) }
        }
        let files = try written.map { try $0.get() }
        let paths = plan.outputs.map(\.path)
        let keptStamps = Dictionary(keptOutputs.map { ($0.path, $0.stamp) }, uniquingKeysWith: { first, _ in first })
        let toStat = paths.filter { keptStamps[$0] == nil }
        let statted = Dictionary(zip(toStat, BuildCache.stamps(ofFiles: toStat, under: outputFolder)), uniquingKeysWith: { first, _ in first })
        let outputs = zip(paths, keys).map { path, key in
            BuildCache.Output(path: path, key: key, stamp: keptStamps[path] ?? statted[path] ?? .missing)
        }
        let state = BuildCache(settings: settings, schedule: plan.site.schedule, inputs: inputs,
                               outputFolder: BuildCache.inode(of: outputFolder), outputs: outputs,
                               diagnostics: planned.diagnostics, memoFiles: files)
        try state.save(to: cachePath)
        // Memo files of folders the site no longer has.
        let named = Set(files.map(\.name))
        for old in memo?.files.values ?? [:].values where !named.contains(old.name) {
            unlink(cachePath + "/" + old.name)
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
