/// What a build is asked to do.
public struct BuildOptions: Sendable {
    public var baseURLOverride: String?
    public var includeDrafts: Bool
    /// Publish posts scheduled for later too, each with a banner saying so (the preview server).
    public var previewScheduled = false
    /// `--now` as written; nil means the clock.
    public var now: String? { didSet { nowReading = now.map(Moment.Reading.parse) } }
    /// `--now`, read once; a time without an offset is placed in the site's zone when the
    /// settings are known (docs/content.md, "Dates and time zones").
    private(set) var nowReading: Result<Moment.Reading, DateFormatProblem>?
    /// The clock's reading, used when `now` is nil (seconds since 1970).
    public var clock: Int64
    /// How the theme folder was named, for messages.
    public var themeRoot: String

    public init(baseURLOverride: String? = nil, includeDrafts: Bool = false, now: String? = nil,
                clock: Int64 = 0, themeRoot: String = "theme") {
        self.baseURLOverride = baseURLOverride
        self.includeDrafts = includeDrafts
        self.now = now
        self.nowReading = now.map(Moment.Reading.parse)
        self.clock = clock
        self.themeRoot = themeRoot
    }

    /// The build's present in seconds since 1970, `--now` read in the site's `zone`; nil when
    /// `--now` is not a date.
    func instant(in zone: SiteTimeZone) -> Int64? {
        switch nowReading {
        case nil: clock
        case .success(let reading)?: reading.moment(in: zone).epochSeconds
        case .failure?: nil
        }
    }

    /// The build's present when it does not depend on the site's zone (the clock, or `--now`
    /// with an offset); nil otherwise, and the build cache is then not trusted.
    var zoneFreeInstant: Int64? {
        switch nowReading {
        case nil: clock
        case .success(let reading)? where reading.offsetSeconds != nil: reading.moment(in: .london).epochSeconds
        default: nil
        }
    }
}

/// What a build made: the files (when there were no errors) and every diagnostic, sorted.
public struct BuildResult: Sendable {
    public var files: [OutputFile]?
    public var site: Site?
    public var diagnostics: [Diagnostic]
}

/// A site ready to render: the model, the theme and the list of files it will make, all checked.
public struct BuildPlan: Sendable {
    public var site: Site
    public var theme: Theme
    public var outputs: [PlannedOutput]

    public var renderer: SiteRenderer { SiteRenderer(site: site, theme: theme) }
}

/// parse -> model -> plan (+ checks) -> render, from a source tree already in memory. Pure: the
/// same tree and options give the same result, so tests run it from strings.
public enum Pipeline {
    /// Everything up to rendering: what `check` runs, and what `build` streams from.
    public static func plan(_ tree: SourceTree, options: BuildOptions) -> (plan: BuildPlan?, site: Site?, diagnostics: [Diagnostic]) {
        let planned = plan(tree, options: options, memo: nil, recording: false)
        return (planned.plan, planned.site, planned.diagnostics)
    }

    /// What planning made, and what the next build's memos keep of it.
    struct Planned: Sendable {
        var plan: BuildPlan?
        var site: Site?
        var diagnostics: [Diagnostic]
        var parses = ParseMemo(zone: "", entries: [])
        var bodies: [BodyMemo.Entry] = []
        /// The templates, for `OutputKeys`.
        var themeDigest: UInt64 = 0
        /// True when the memo could not give what a file left unread needs: plan again without it.
        var memoFailed = false
    }

    /// `plan`, with the last build's memo (docs/content.md, "The build cache"); `recording`
    /// keeps this build's documents and bodies for the next one (without a cache, they would
    /// only hold every source text in memory while the site renders).
    static func plan(_ tree: SourceTree, options: BuildOptions, memo: BuildMemo?, recording: Bool = true) -> Planned {
        let parsed = DocumentParser(baseURLOverride: options.baseURLOverride).parse(tree, memo: memo?.parses, recording: recording)
        if parsed.memoFailed { return Planned(diagnostics: [], memoFailed: true) }
        var diagnostics: [Diagnostic] = []
        let (theme, themeDiagnostics) = Theme.load(parsed.templates, themeRoot: options.themeRoot)
        diagnostics += themeDiagnostics

        let zone = parsed.settings?.timeZone ?? .london
        let now = options.instant(in: zone) ?? options.clock
        if options.instant(in: zone) == nil, let text = options.now {
            diagnostics.append(.error(SourceLocation(path: "--now", line: 1), "'\(text)' is not a date"))
        }

        var builder = SiteBuilder(includeDrafts: options.includeDrafts, now: now, reservedIDs: SiteRenderer.themeIDs)
        builder.includeScheduled = options.previewScheduled
        let texts = memo?.texts ?? .empty
        builder.bodyMemo = memo?.bodies.lookup() ?? [:]
        builder.storedTexts = texts
        let (site, modelDiagnostics, bodies) = builder.buildRecordingBodies(parsed)
        diagnostics += modelDiagnostics
        var planned = Planned(diagnostics: [], parses: parsed.parses, bodies: recording ? bodies : [],
                              themeDigest: CacheCoding.digest(parsed.templates))
        guard var site else {
            planned.diagnostics = diagnostics.sortedForReport()
            return planned
        }
        // Every body but the posts' is put back now (they are few; comment links are checked
        // below); a post's body only when an output to render shows it.
        site.restoreStoredBodies(posts: [], from: texts)
        if texts.missedAny { return Planned(diagnostics: [], memoFailed: true) }

        // Clashes and broken links are checked even when other problems were found, so that
        // one run reports everything.
        let outputs = SitePlanner(site: site).plan()
        // The clash check beside the link check: each walks every output.
        let (collisions, links) = alongside({ OutputChecks.collisions(outputs) }, { () -> [Diagnostic] in
            let paths = Set(outputs.map(\.path))
            let broken = OutputChecks.brokenLinks(site.internalLinks, paths: paths, basePath: site.settings.baseURL.path)
            OutputChecks.dropBrokenCommentLinks(in: &site, paths: paths)
            return broken
        })
        diagnostics += collisions + links
        planned.site = site
        planned.diagnostics = diagnostics.sortedForReport()
        guard let theme, !diagnostics.hasErrors else { return planned }
        planned.plan = BuildPlan(site: site, theme: theme, outputs: outputs)
        return planned
    }

    /// The whole build in memory: plan, then render every file.
    public static func generate(_ tree: SourceTree, options: BuildOptions) -> BuildResult {
        let (plan, site, diagnostics) = self.plan(tree, options: options)
        let files = plan.map { plan in
            let collected = FileCollector()
            try? plan.renderer.render(plan.outputs) { collected.add($0) }
            return collected.files(inOrderOf: plan.outputs)
        }
        return BuildResult(files: files, site: site, diagnostics: diagnostics)
    }
}

/// Checks on the planned file list: no path made twice, no internal link to nowhere.
enum OutputChecks {
    static func collisions(_ outputs: [PlannedOutput]) -> [Diagnostic] {
        var owners: [String: String] = Dictionary(minimumCapacity: outputs.count)
        var diagnostics: [Diagnostic] = []
        // A file where another output needs a folder (`static/about` beside `about/index.html`).
        var folders: [String: String] = Dictionary(minimumCapacity: outputs.count)
        for output in outputs {
            var folder = LinkPath.folder(of: output.path)
            while !folder.isEmpty, folders[folder] == nil {
                folders[folder] = output.origin
                folder = LinkPath.folder(of: folder)
            }
        }
        for output in outputs {
            if let user = folders[output.path] {
                diagnostics.append(.error(SourceLocation(path: output.origin),
                                          "'\(output.path)' would be a file where \(user) needs a folder"))
            }
        }
        for output in outputs {
            if !OutputPath.isSafe(output.path) {
                diagnostics.append(.error(SourceLocation(path: output.origin), "output path '\(output.path)' is not allowed"))
            } else if let owner = owners[output.path] {
                diagnostics.append(.error(SourceLocation(path: output.origin),
                                          "'\(output.path)' would be written twice: \(owner) makes it too"))
            } else {
                owners[output.path] = output.origin
            }
        }
        return diagnostics
    }

    /// Said of a comment's broken link, which is a warning (docs/content.md, "Comments").
    static let commentLinkDropped = "; the comment shows its words without the link"

    static func brokenLinks(_ links: [InternalLink], paths: Set<String>, basePath: String) -> [Diagnostic] {
        links.compactMap { link in
            if resolves(link, paths: paths, basePath: basePath) { return nil }
            let message = "broken link '\(link.destination)': nothing in the site at \(link.url)"
            return link.isInComment ? .warning(link.location, message + commentLinkDropped) : .error(link.location, message)
        }
    }

    static func resolves(_ link: InternalLink, paths: Set<String>, basePath: String) -> Bool {
        guard let file = OutputPath.file(forURL: link.url, basePath: basePath) else { return false }
        return paths.contains(file) || paths.contains(file + "/index.html")
    }

    /// Takes the address off every comment link that leads nowhere; its words stay.
    static func dropBrokenCommentLinks(in site: inout Site, paths: Set<String>) {
        let basePath = site.settings.baseURL.path
        let broken = Set(site.internalLinks.filter { $0.isInComment && !resolves($0, paths: paths, basePath: basePath) }.map(\.url))
        guard !broken.isEmpty else { return }
        for postIndex in site.posts.indices {
            for commentIndex in site.posts[postIndex].comments.indices {
                let body = site.posts[postIndex].comments[commentIndex].body
                guard body.internalLinks.contains(where: { broken.contains($0.url) }) else { continue }
                site.posts[postIndex].comments[commentIndex].body = body.droppingLinks(to: broken)
            }
        }
        site.internalLinks.removeAll { $0.isInComment && broken.contains($0.url) }
    }
}
