/// The parse stage: source files in, typed documents and located diagnostics out.
/// Pure: it reads nothing from disk and never stops at the first problem.
public struct DocumentParser: Sendable {
    /// `--base-url`, when given, wins over `site.yml`.
    public var baseURLOverride: String?

    public init(baseURLOverride: String? = nil) {
        self.baseURLOverride = baseURLOverride
    }

    public func parse(_ tree: SourceTree) -> ParsedContent {
        parse(tree, memo: nil, recording: false)
    }

    /// `parse`, taking the documents of files left unread (`SourceFile.isUnread`) from `memo`.
    /// A file the memo cannot give sets `ParsedContent.memoFailed`: the build then reads
    /// everything again. Each parsed file is recorded in `ParsedContent.parses` for the next build.
    func parse(_ tree: SourceTree, memo: ParseMemo?, recording: Bool = true) -> ParsedContent {
        var result = ParsedContent()
        result.diagnostics = tree.diagnostics

        let settingsFile = tree.content.first { $0.relativePath == "site.yml" }
        if let settingsFile {
            result.settings = parseSettings(settingsFile, diagnostics: &result.diagnostics)
        } else {
            let shown = tree.content.first.map { String($0.displayPath.dropLast($0.relativePath.count)) } ?? ""
            result.diagnostics.append(.error(SourceLocation(path: shown + "site.yml"),
                                             "missing site settings: create site.yml with at least 'title' and 'base_url'"))
        }
        let zone = result.settings?.timeZone ?? .london
        let known = memo.flatMap { $0.zone == zone.identifier ? $0.lookup() : nil } ?? [:]

        // Files parse independently: spread them over the cores, then merge in input order.
        let parts = tree.content.filter { $0.relativePath != "site.yml" }.parallelMap { file -> (ParsedContent, ParseMemo.Entry?) in
            guard let stamp = file.stamp, recording || file.isUnread, ParseMemo.isMemoised(file.relativePath) else {
                var part = ParsedContent()
                classify(file, zone: zone, into: &part)
                return (part, nil)
            }
            if file.isUnread {
                guard let entry = known[file.relativePath], entry.stamp == stamp else {
                    var part = ParsedContent()
                    part.memoFailed = true
                    return (part, nil)
                }
                return (entry.parse.content(displayPath: file.displayPath), entry)
            }
            var part = ParsedContent()
            classify(file, zone: zone, into: &part)
            return (part, ParseMemo.Entry(relativePath: file.relativePath, stamp: stamp, parse: FileParse(part)))
        }
        result.parses = ParseMemo(zone: zone.identifier, entries: parts.compactMap(\.1))
        for (part, _) in parts { result.merge(part) }
        parseTheme(tree.theme, into: &result)
        return result
    }

    // MARK: - Classification

    private func classify(_ file: SourceFile, zone: SiteTimeZone, into result: inout ParsedContent) {
        let parts = file.relativePath.split(separator: "/").map(String.init)
        let isMarkdown = file.relativePath.hasSuffix(".md")
        guard let top = parts.first else { return }
        switch top {
        case "static" where parts.count > 1:
            result.staticFiles.append(StaticFile(outputPath: parts.dropFirst().joined(separator: "/"),
                                                 bytes: file.bytes, displayPath: file.displayPath))
        case "posts" where isMarkdown:
            withDocument(file, into: &result) { matter, body in
                parsePost(&matter, body: body, zone: zone)
            }.map { result.posts.append($0) }
        case "areas" where isMarkdown && parts.count == 3:
            if parts[2] == "index.md" {
                withDocument(file, into: &result) { matter, body in
                    parseArea(&matter, slug: parts[1], body: body)
                }.map { result.areas.append($0) }
            } else {
                withDocument(file, into: &result) { matter, body in
                    parseSnippet(&matter, area: parts[1], stem: String(parts[2].dropLast(3)), body: body, zone: zone)
                }.map { result.snippets.append($0) }
            }
        case "comments" where isMarkdown && parts.count == 3:
            if result.commentFolders[parts[1]] == nil {
                result.commentFolders[parts[1]] = SourceLocation(path: file.displayPath)
            }
            withDocument(file, into: &result) { matter, body in
                parseComment(&matter, post: parts[1], stem: String(parts[2].dropLast(3)), body: body, zone: zone)
            }.map { result.comments.append($0) }
        case "pages" where isMarkdown && parts.count == 2:
            withDocument(file, into: &result) { matter, body in
                parsePage(&matter, body: body)
            }.map { result.pages.append($0) }
        default:
            result.diagnostics.append(.warning(SourceLocation(path: file.displayPath),
                                               "file is not part of the content layout and is ignored"
                                                   + " (see the content reference for where files go)"))
        }
    }

    /// Decodes, splits and reads front matter, then hands over to `make`; collects all diagnostics.
    private func withDocument<Document>(
        _ file: SourceFile, into result: inout ParsedContent,
        _ make: (inout FrontMatter, MarkdownSource) -> Document?
    ) -> Document? {
        let text: String
        switch SourceText.decode(file) {
        case .success(let decoded): text = decoded.text
        case .failure(let diagnostic):
            result.diagnostics.append(diagnostic)
            return nil
        }
        let split: SplitDocument
        switch SplitDocument.split(text, path: file.displayPath) {
        case .success(let value): split = value
        case .failure(let diagnostic):
            result.diagnostics.append(diagnostic)
            return nil
        }
        var matter = FrontMatter(yaml: split.yaml, firstLine: split.yamlFirstLine, path: file.displayPath)
        if matter.diagnostics.hasErrors {
            result.diagnostics += matter.diagnostics
            return nil
        }
        let body = MarkdownSource(text: split.body, firstLine: split.bodyFirstLine,
                                  displayPath: file.displayPath, relativePath: file.relativePath)
        let document = make(&matter, body)
        result.diagnostics += matter.diagnostics
        return document
    }

    // MARK: - Kinds of document

    private func parseSettings(_ file: SourceFile, diagnostics: inout [Diagnostic]) -> SiteSettings? {
        let text: String
        switch SourceText.decode(file) {
        case .success(let decoded): text = decoded.text
        case .failure(let diagnostic):
            diagnostics.append(diagnostic)
            return nil
        }
        var matter = FrontMatter(yaml: text, firstLine: 1, path: file.displayPath)
        defer { diagnostics += matter.diagnostics }
        guard !matter.diagnostics.hasErrors else { return nil }
        matter.warnAboutUnknownKeys(SiteSettings.keys)

        let title = matter.string("title", required: true)
        let tagline = matter.string("tagline")?.value
        let baseText = baseURLOverride.map { Located($0, at: SourceLocation(path: "--base-url", line: 1)) }
            ?? matter.string("base_url", required: true)
        var baseURL: BaseURL?
        if let baseText {
            baseURL = BaseURL(baseText.value)
            if baseURL == nil {
                matter.recordError(at: baseText.location,
                                   "'base_url' must be an absolute http(s) URL, e.g. https://www.example.org/")
            }
        }
        let language = matter.string("language")?.value ?? "en-GB"
        var zone = SiteTimeZone.london
        if let zoneText = matter.string("timezone") {
            if let found = SiteTimeZone(identifier: zoneText.value) {
                zone = found
            } else {
                matter.recordError(at: zoneText.location, "unknown time zone '\(zoneText.value)'"
                                   + NearestName.hint(for: zoneText.value, among: SiteTimeZone.knownIdentifiers))
            }
        }
        let perPage = matter.positiveInt("posts_per_page")?.value ?? 10
        let feedItems = matter.positiveInt("feed_items")?.value ?? 20
        let rawHTML = matter.bool("raw_html")?.value ?? false
        let note = matter.string("comment_note")?.value
        let search = matter.bool("search")?.value ?? false
        let channel = matter.textMapping("comments", known: CommentChannel.keys)
        if let endpoint = channel["endpoint"], !CommentChannel.isEndpoint(endpoint.value) {
            matter.recordError(at: endpoint.location, "'comments.endpoint' must be an http(s) URL or a path from the "
                               + "site's root, e.g. https://www.example.org/comments or /comments")
        }
        if let email = channel["email"], !CommentChannel.isEmail(email.value) {
            matter.recordError(at: email.location, "'comments.email' must be an e-mail address, e.g. hub@example.org")
        }
        let image = matter.string("image")
        if let image { checkImage(image, &matter) }
        guard let title, let baseURL, !matter.diagnostics.hasErrors else { return nil }
        var settings = SiteSettings(title: title.value, tagline: tagline, baseURL: baseURL, language: language,
                                    timeZone: zone, postsPerPage: perPage, feedItems: feedItems, rawHTML: rawHTML,
                                    commentNote: note, displayPath: file.displayPath)
        settings.search = search
        settings.comments = CommentChannel(endpoint: channel["endpoint"]?.value, email: channel["email"]?.value)
        settings.image = image
        return settings
    }

    /// A link preview's picture: an http(s) URL or a path from the site's root (docs/content.md).
    private func checkImage(_ image: Located<String>, _ matter: inout FrontMatter) {
        if !ShareImage.isValid(image.value) {
            matter.recordError(at: image.location, "'image' must be an http(s) URL or a path from the site's root, "
                               + "e.g. /images/hub.png")
        }
    }

    private func parsePost(_ matter: inout FrontMatter, body: MarkdownSource, zone: SiteTimeZone) -> PostDocument? {
        matter.warnAboutUnknownKeys(PostDocument.keys)
        let title = matter.string("title", required: true)
        let date = matter.date("date", required: true, in: zone)
        let post = PostDocument(
            title: title ?? Located("", at: matter.startLocation),
            date: date ?? Located(Moment(epochSeconds: 0, in: zone), at: matter.startLocation),
            author: matter.string("author")?.value,
            role: matter.string("role")?.value,
            tags: matter.stringList("tags"),
            areas: matter.stringList("areas"),
            summary: matter.string("summary")?.value,
            slug: matter.string("slug"),
            updated: matter.date("updated", in: zone)?.value,
            draft: matter.bool("draft"),
            aliases: matter.stringList("aliases"),
            guid: matter.string("guid")?.value,
            image: matter.string("image"),
            body: body,
            location: matter.startLocation,
            isComplete: false)
        parsePostImage(post, &matter)
        var complete = post
        complete.isComplete = !matter.diagnostics.hasErrors
        return complete
    }

    private func parsePostImage(_ post: PostDocument, _ matter: inout FrontMatter) {
        if let image = post.image { checkImage(image, &matter) }
    }

    private func parseArea(_ matter: inout FrontMatter, slug: String, body: MarkdownSource) -> AreaProfileDocument? {
        matter.warnAboutUnknownKeys(AreaProfileDocument.keys)
        let name = matter.string("name", required: true)
        let region = matter.string("region")?.value
        let website = matter.string("website")
        if let website, !URLSafety.isSafeExternal(website.value) {
            matter.recordError(at: website.location, "'website' must be an http(s) URL")
        }
        guard let name else { return nil }
        return AreaProfileDocument(slug: slug, name: name.value, region: region, website: website,
                                   body: body, location: matter.startLocation)
    }

    private func parseSnippet(_ matter: inout FrontMatter, area: String, stem: String,
                              body: MarkdownSource, zone: SiteTimeZone) -> SnippetDocument? {
        matter.warnAboutUnknownKeys(SnippetDocument.keys)
        let title = matter.string("title", required: true)
        let date = matter.date("date", required: true, in: zone)
        let source = matter.string("source")?.value
        let tags = matter.stringList("tags")
        guard let title, let date else { return nil }
        return SnippetDocument(areaSlug: area, fileStem: stem, title: title.value, date: date, source: source,
                               tags: tags, body: body, location: matter.startLocation)
    }

    private func parseComment(_ matter: inout FrontMatter, post: String, stem: String, body: MarkdownSource,
                              zone: SiteTimeZone) -> CommentDocument? {
        matter.warnAboutUnknownKeys(CommentDocument.keys)
        let name = matter.string("name", required: true)
        let organisation = matter.string("organisation", required: true)
        let date = matter.date("date", required: true, in: zone)
        let replyTo = matter.string("reply_to")
        guard let name, let organisation, let date else { return nil }
        return CommentDocument(postSlug: post, fileStem: stem, name: name.value, organisation: organisation.value,
                               date: date, replyTo: replyTo, body: body, location: matter.startLocation)
    }

    private func parsePage(_ matter: inout FrontMatter, body: MarkdownSource) -> PageDocument? {
        matter.warnAboutUnknownKeys(PageDocument.keys)
        let title = matter.string("title", required: true)
        let slug = matter.string("slug")
        let summary = matter.string("summary")?.value
        let draft = matter.bool("draft")?.value ?? false
        guard let title else { return nil }
        return PageDocument(title: title.value, slug: slug, summary: summary, draft: draft,
                            aliases: matter.stringList("aliases"), body: body, location: matter.startLocation)
    }

    // MARK: - Theme

    private func parseTheme(_ files: [SourceFile], into result: inout ParsedContent) {
        for file in files {
            if file.relativePath.hasPrefix("templates/") && file.relativePath.hasSuffix(".mustache") {
                let name = String(file.relativePath.dropFirst("templates/".count).dropLast(".mustache".count))
                switch SourceText.decode(file) {
                case .success(let decoded):
                    result.templates.append(TemplateSource(name: name, text: decoded.text, displayPath: file.displayPath))
                case .failure(let diagnostic):
                    result.diagnostics.append(diagnostic)
                }
            } else if file.relativePath.hasPrefix("assets/") {
                result.themeAssets.append(StaticFile(outputPath: file.relativePath, bytes: file.bytes,
                                                     displayPath: file.displayPath))
            } else {
                result.diagnostics.append(.warning(SourceLocation(path: file.displayPath),
                                                   "theme file is neither under templates/ nor under assets/; ignored"))
            }
        }
    }
}

extension FrontMatter {
    /// Records an error found while checking a value's meaning (not its type).
    mutating func recordError(at location: SourceLocation, _ message: String) {
        appendDiagnostic(.error(location, message))
    }
}
