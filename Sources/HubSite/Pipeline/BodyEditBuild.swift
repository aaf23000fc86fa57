#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The incremental build: when the only inputs that changed since the last build are the
/// bodies of published posts, it re-renders those bodies and the pages and feeds that show
/// them, from the snapshot the last build left in the cache, and reads and writes nothing else.
///
/// Anything it is not sure of sends the build back to the full path: a new, deleted or other
/// file; a change to front matter (titles, dates, tags and areas reach pages that never show
/// the body); a post that had or now has any diagnostic; a body whose links do not resolve; an
/// output folder another build swapped in; a snapshot that does not match the state.
///
/// Of the output it checks only the files it rewrites (their bytes are compared anyway): the
/// stamps of the others stay as the last full build left them, so the next build with nothing
/// to do still finds a page changed by hand and builds in full.
struct BodyEditBuild {
    let build: SiteBuild
    let cachePath: String
    let writer: OutputWriter

    var sitePath: String { Self.snapshotFiles(in: cachePath)[0] }
    var bodiesPath: String { Self.snapshotFiles(in: cachePath)[1] }

    /// The snapshot's two files in the cache folder: the site part and the bodies.
    static let siteName = "site", bodiesName = "bodies"

    static func snapshotFiles(in cachePath: String) -> [String] {
        [siteName, bodiesName].map { cachePath + "/" + $0 }
    }

    /// The build's report, or nil when the change needs a full build.
    func run(cache: BuildCache, settings: String, inputs: [BuildCache.FileStamp], now: Int64) throws -> SiteBuild.Report? {
        guard cache.settings == settings, cache.schedule.contains(now),
              cache.outputFolder != 0, cache.outputFolder == BuildCache.inode(of: writer.outputPath),
              cache.snapshot == BuildCache.stamps(ofFiles: Self.snapshotFiles(in: cachePath)),
              let changedFiles = changedPosts(from: cache.inputs, to: inputs) else { return nil }

        // The changed posts, parsed with the settings and the theme (all unchanged).
        let content = build.contentPath
        var files: [SourceFile] = []
        for relative in ["site.yml"] + changedFiles {
            guard let file = FolderReader.readFile(root: content, relative: relative, displayRoot: content) else { return nil }
            files.append(file)
        }
        let theme = FolderReader.forTheme.read(root: build.themePath, displayRoot: build.themePath)
        let parsed = DocumentParser(baseURLOverride: build.options.baseURLOverride)
            .parse(SourceTree(content: files, theme: theme.files, diagnostics: theme.diagnostics))
        // Warnings about site.yml are the last build's too (it did not change); the posts must have none.
        let settingsPath = files[0].displayPath
        let postPaths = Set(files.dropFirst().map(\.displayPath))
        guard parsed.diagnostics.allSatisfy({ $0.location.path == settingsPath }),
              let siteSettings = parsed.settings, parsed.posts.count == changedFiles.count,
              // The search index is made from the whole new site: a site with search builds in full.
              !siteSettings.search,
              !cache.diagnostics.contains(where: { postPaths.contains($0.location.path) }),
              case (let theTheme?, let themeDiagnostics) = Theme.load(parsed.templates, themeRoot: build.options.themeRoot),
              themeDiagnostics.isEmpty,
              let snapshotFile = ReadOnlyFile(path: sitePath),
              var snapshot = loadSnapshot(snapshotFile, settings: siteSettings), snapshot.apply(cache.postEdits) else { return nil }
        let readRecord = { (range: Range<Int>) in snapshotFile.read(range) }

        // Each changed post must be published and keep its front matter; its new body must be clean.
        let base = siteSettings.baseURL
        var changed: Set<Int> = []
        for document in parsed.posts {
            guard let index = snapshot.sourcePaths.firstIndex(of: document.body.displayPath),
                  snapshot.loadPosts([index], read: readRecord), snapshot.site.posts[index].headDigest == document.body.headDigest else { return nil }
            let post = snapshot.site.posts[index]
            var context = BodyContext(pageURL: base.url(post.path), basePath: base.path, contentURLs: [:],
                                      allowRawHTML: siteSettings.rawHTML, reservedIDs: SiteRenderer.themeIDs)
            var body = BodyRenderer.render(document.body, context: context)
            // Without the content URLs, a link to a `.md` file is an error: only then are they read.
            if !body.diagnostics.isEmpty {
                guard snapshot.site.contentURLs.isEmpty ? snapshot.loadContentURLs(read: readRecord) : true else { return nil }
                context.contentURLs = snapshot.site.contentURLs
                body = BodyRenderer.render(document.body, context: context)
            }
            guard body.diagnostics.isEmpty,
                  body.internalLinks.isEmpty || OutputChecks.brokenLinks(body.internalLinks, paths: Set(cache.outputs.map(\.path)),
                                                                        basePath: base.path).isEmpty else { return nil }
            snapshot.site.posts[index].body = body
            snapshot.site.posts[index].summary = document.summary ?? body.summary
            changed.insert(index)
        }

        // What shows those posts: load the posts those pages show, and the bodies they show whole.
        let planner = SitePlanner(site: snapshot.site)
        let kinds = planner.kinds(showingPosts: changed)
        var bodies: Set<Int> = []
        var shown: Set<Int> = []
        for kind in kinds {
            shown.formUnion(planner.postsShown(by: kind))
            bodies.formUnion(planner.postBodiesShown(by: kind))
        }
        guard snapshot.loadPosts(shown.subtracting(changed), read: readRecord) else { return nil }
        var site = snapshot.site
        snapshot.site.posts = [] // so that filling in bodies below does not copy every post
        guard fillBodies(bodies.subtracting(changed), of: &site, ranges: snapshot.bodyRanges) else { return nil }
        let planned = kinds.map(SitePlanner(site: site).output)
        let collected = FileCollector()
        try SiteRenderer(site: site, theme: theTheme).render(planned) { collected.add($0) }
        let rendered = collected.files(inOrderOf: planned)
        guard rendered.count == planned.count else { return nil }

        // The state goes first: a build stopped among the renames finds no cache and builds in full.
        BuildCache.remove(from: cachePath)
        let summary = try writer.replace(rendered)
        var state = cache
        for index in changed.sorted() {
            let post = site.posts[index]
            let encoded = SiteSnapshot.encodeBody(post.body.template)
            let start = try FileSystem.append(bodiesPath, encoded)
            state.postEdits.removeAll { $0.index == index }
            state.postEdits.append(SiteSnapshot.PostEdit(index: index, summary: post.summary, bodySummary: post.body.summary,
                                                         body: start..<start + encoded.count))
        }
        state.inputs = inputs
        let rewritten = Dictionary(BuildCache.stamps(ofFiles: rendered.map(\.path), under: writer.outputPath)
                                       .map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        state.outputs = cache.outputs.map { rewritten[$0.path] ?? $0 }
        state.snapshot = BuildCache.stamps(ofFiles: Self.snapshotFiles(in: cachePath))
        try? state.save(to: cachePath)
        // Every file not rewritten is as the last build left it.
        let counts = OutputWriter.Summary(written: summary.written, unchanged: cache.outputs.count - summary.written)
        return SiteBuild.Report(diagnostics: cache.diagnostics, summary: counts, pageCount: cache.outputs.count, incremental: true)
    }

    /// Content-relative paths of the posts whose files changed, when nothing else did.
    private func changedPosts(from old: [BuildCache.FileStamp], to new: [BuildCache.FileStamp]) -> [String]? {
        guard old.count == new.count else { return nil }
        let postsFolder = build.contentPath + "/posts/"
        var changed: [String] = []
        for (before, after) in zip(old, new) where before != after {
            guard before.path == after.path, after.path.hasPrefix(postsFolder), after.path.hasSuffix(".md") else { return nil }
            changed.append(String(after.path.dropFirst(build.contentPath.count + 1)))
        }
        return changed.isEmpty ? nil : changed
    }

    /// The snapshot's lists and table; its posts are read later, one by one, as pages need them.
    private func loadSnapshot(_ file: ReadOnlyFile, settings: SiteSettings) -> SiteSnapshot? {
        guard let head = file.read(0..<SiteSnapshot.headLength) ?? file.readAll(),
              let length = SiteSnapshot.prefixLength(head), let prefix = file.read(0..<length) else { return nil }
        return SiteSnapshot.decode(prefix, settings: settings)
    }

    /// Reads the bodies of the given posts back from the bodies file.
    private func fillBodies(_ indices: Set<Int>, of site: inout Site, ranges: [Range<Int>]) -> Bool {
        guard !indices.isEmpty else { return true }
        guard let file = ReadOnlyFile(path: bodiesPath) else { return false }
        for index in indices {
            guard let bytes = file.read(ranges[index]), let template = SiteSnapshot.decodeBody(bytes) else { return false }
            site.posts[index].body.template = template
        }
        return true
    }

    /// After a full build: the snapshot of its site, then its stamps for the state.
    static func saveSnapshot(of site: Site, cachePath: String) -> [BuildCache.FileStamp] {
        let (sitePart, bodies) = SiteSnapshot.encode(site)
        do {
            try BuildCache.replaceFile(bodiesName, in: cachePath, with: bodies)
            try BuildCache.replaceFile(siteName, in: cachePath, with: sitePart)
        } catch {
            return [] // no snapshot: the next edit builds in full
        }
        return BuildCache.stamps(ofFiles: snapshotFiles(in: cachePath))
    }
}
