/// What a build is asked to do.
public struct BuildOptions: Sendable {
    public var baseURLOverride: String?
    public var includeDrafts: Bool
    /// `--now` as written; nil means the clock.
    public var now: String?
    /// The clock's reading, used when `now` is nil (seconds since 1970).
    public var clock: Int64
    /// How the theme folder was named, for messages.
    public var themeRoot: String

    public init(baseURLOverride: String? = nil, includeDrafts: Bool = false, now: String? = nil,
                clock: Int64 = 0, themeRoot: String = "theme") {
        self.baseURLOverride = baseURLOverride
        self.includeDrafts = includeDrafts
        self.now = now
        self.clock = clock
        self.themeRoot = themeRoot
    }
}

/// What a build made: the files (when there were no errors) and every diagnostic, sorted.
public struct BuildResult: Sendable {
    public var files: [OutputFile]?
    public var site: Site?
    public var diagnostics: [Diagnostic]
}

/// parse -> model -> render -> check, from a source tree already in memory. Pure: the same
/// tree and options give the same result, so tests run it from strings.
public enum Pipeline {
    public static func generate(_ tree: SourceTree, options: BuildOptions) -> BuildResult {
        let parsed = DocumentParser(baseURLOverride: options.baseURLOverride).parse(tree)
        var diagnostics: [Diagnostic] = []
        let (theme, themeDiagnostics) = Theme.load(parsed.templates, themeRoot: options.themeRoot)
        diagnostics += themeDiagnostics

        let zone = parsed.settings?.timeZone ?? .london
        var now = options.clock
        if let text = options.now {
            switch Moment.parse(text, in: zone) {
            case .success(let moment): now = moment.epochSeconds
            case .failure:
                diagnostics.append(.error(SourceLocation(path: "--now", line: 1), "'\(text)' is not a date"))
            }
        }

        let builder = SiteBuilder(includeDrafts: options.includeDrafts, now: now, reservedIDs: SiteRenderer.themeIDs)
        let (site, modelDiagnostics) = builder.build(parsed)
        diagnostics += modelDiagnostics
        guard let site, let theme, !diagnostics.hasErrors else {
            return BuildResult(files: nil, site: site, diagnostics: diagnostics.sortedForReport())
        }

        let files = SiteRenderer(site: site, theme: theme).render()
        diagnostics += OutputChecks.collisions(files)
        diagnostics += OutputChecks.brokenLinks(site.internalLinks, files: files, basePath: site.settings.baseURL.path)
        let ok = !diagnostics.hasErrors
        return BuildResult(files: ok ? files : nil, site: site, diagnostics: diagnostics.sortedForReport())
    }
}

/// Checks on the finished file list: no path made twice, no internal link to nowhere.
enum OutputChecks {
    static func collisions(_ files: [OutputFile]) -> [Diagnostic] {
        var owners: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for file in files {
            if !OutputPath.isSafe(file.path) {
                diagnostics.append(.error(SourceLocation(path: file.origin), "output path '\(file.path)' is not allowed"))
            } else if let owner = owners[file.path] {
                diagnostics.append(.error(SourceLocation(path: file.origin), "'\(file.path)' would be written twice: \(owner) makes it too"))
            } else {
                owners[file.path] = file.origin
            }
        }
        return diagnostics
    }

    static func brokenLinks(_ links: [InternalLink], files: [OutputFile], basePath: String) -> [Diagnostic] {
        let paths = Set(files.map(\.path))
        return links.compactMap { link in
            if let file = OutputPath.file(forURL: link.url, basePath: basePath),
               paths.contains(file) || paths.contains(file + "/index.html") {
                return nil
            }
            return .error(link.location, "broken link '\(link.destination)': nothing in the site at \(link.url)")
        }
    }
}
