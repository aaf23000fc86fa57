import Foundation
import HubSite

/// One file the import would write, relative to the content folder.
public struct PlannedFile: Sendable, Equatable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Everything an import decides, before anything is written: pure, from the export and the
/// downloaded images' names.
public struct ImportPlan: Sendable {
    public var files: [PlannedFile] = []
    public var diagnostics: [Diagnostic] = []
    public var posts = 0
    public var pages = 0
    public var comments = 0
    public var drafts = 0
    public var skipped: [String: Int] = [:]
    public var remoteImages = 0
}

/// Export -> Markdown files an author can edit (docs/authors.md, Moving from Blogger):
/// posts in `posts/YYYY/`, pages in `pages/`, comments in `comments/<post-slug>/` with
/// `reply_to`; slugs from Blogger's file names; Blogger's id as `guid`; the old address as
/// an alias; links between posts as `.md` links.
public struct ImportPlanner: Sendable {
    public var zone: SiteTimeZone
    /// Downloaded images (`--images`): file name -> the file's bytes.
    public var images: [String: [UInt8]]
    /// Whether `site.yml` exists already (it is never overwritten).
    public var hasSettings: Bool
    /// The site's `raw_html`: tables are kept as HTML only where the build keeps raw HTML.
    public var rawHTML: Bool

    public init(zone: SiteTimeZone = .london, images: [String: [UInt8]] = [:], hasSettings: Bool, rawHTML: Bool = false) {
        self.zone = zone
        self.images = images
        self.hasSettings = hasSettings
        self.rawHTML = rawHTML
    }

    /// Where downloaded images go, under `static/`, and the address they are shown at.
    static let imageFolder = "images/blogger"

    /// Page slugs the site's own pages own (docs/content.md, "What the build produces").
    static let reservedPageSlugs: Set<String> = ["tags", "areas", "archive", "page", "assets", "feed", "sitemap", "404"]

    private struct Placed {
        var entry: BloggerExport.Entry
        var title: String
        var slug: String
        var date: Moment
        /// Path under the content folder.
        var path: String
    }

    /// `progress` is told how many posts and pages are converted, of how many.
    public func plan(_ export: BloggerExport, progress: (Int, Int) -> Void = { _, _ in }) -> ImportPlan {
        var plan = ImportPlan()
        plan.diagnostics = export.warnings
        plan.skipped = export.skipped
        let placed = place(export, plan: &plan)

        // Old addresses -> the files that now hold them, for links between posts.
        var targets: [String: String] = [:]
        for item in placed {
            if let old = item.entry.oldPath { targets[Self.normalisedPath(old)] = item.path }
        }
        let blogHost = export.blogURL.flatMap { URLComponents(string: $0)?.host?.lowercased() }
        var usedImages: Set<String> = []

        for (index, item) in placed.enumerated() {
            progress(index, placed.count)
            let folder = (item.path as NSString).deletingLastPathComponent
            let converter = HTMLToMarkdown(
                mode: .post,
                rewriteLink: { href in Self.rewrite(href, from: folder, targets: targets, blogHost: blogHost) },
                rewriteImage: { source in
                    guard let name = Self.imageName(source), images[name] != nil else { return source }
                    usedImages.insert(name)
                    return "/" + Self.imageFolder + "/" + name
                },
                tablesAsHTML: rawHTML)
            let output = converter.convert(item.entry.html)
            plan.remoteImages += output.remoteImages.count
            for problem in output.problems {
                plan.diagnostics.append(.warning(item.entry.location, "\(item.entry.kind.rawValue) '\(item.title)': \(problem)"))
            }
            plan.files.append(PlannedFile(path: item.path, bytes: Array(frontMatter(item).utf8) + Array(("\n" + output.markdown).utf8)))
            if item.entry.kind == .post {
                plan.posts += 1
                if item.entry.isDraft { plan.drafts += 1 }
            } else {
                plan.pages += 1
            }
        }
        for name in usedImages.sorted() {
            if let bytes = images[name] {
                plan.files.append(PlannedFile(path: "static/" + Self.imageFolder + "/" + name, bytes: bytes))
            }
        }
        planComments(export, posts: placed, targets: targets, blogHost: blogHost, into: &plan)
        if !hasSettings {
            plan.files.append(PlannedFile(path: "site.yml", bytes: Array(settings(export, plan: &plan).utf8)))
        }
        plan.files.sort { $0.path < $1.path }
        return plan
    }

    // MARK: - Titles, slugs and paths

    private func place(_ export: BloggerExport, plan: inout ImportPlan) -> [Placed] {
        var placed: [Placed] = []
        var usedPostSlugs: Set<String> = []
        var usedPageSlugs: Set<String> = []
        var titleCounts: [String: Int] = [:]
        // Oldest first, so that the first of two posts keeps the plain title and slug.
        let ordered = export.entries.compactMap { entry -> (BloggerExport.Entry, Moment)? in
            guard let date = Self.moment(entry.published) else {
                plan.diagnostics.append(.warning(entry.location, "\(entry.kind.rawValue) '\(entry.title)':"
                    + " its date '\(entry.published)' is not an ISO 8601 date; skipped"))
                plan.skipped["\(entry.kind.rawValue) with a bad date", default: 0] += 1
                return nil
            }
            return (entry, date)
        }.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        for entry in export.entries where entry.kind == .post && !entry.title.isEmpty {
            titleCounts[entry.title.lowercased(), default: 0] += 1
        }
        var titlesSeen: [String: Int] = [:]

        for (entry, date) in ordered {
            let local = Moment(epochSeconds: date.epochSeconds, in: zone).local
            var title = entry.title
            if title.isEmpty {
                title = Self.titleFromBody(entry.html) ?? "\(entry.kind == .post ? "Post" : "Page") of \(local.day) \(Self.monthNames[local.month - 1]) \(local.year)"
                plan.diagnostics.append(.note(entry.location, "untitled \(entry.kind.rawValue) on Blogger: titled '\(title)' from its first words; change 'title' if you like"))
            } else if entry.kind == .post, titleCounts[title.lowercased(), default: 0] > 1 {
                let seen = titlesSeen[title.lowercased(), default: 0]
                titlesSeen[title.lowercased()] = seen + 1
                if seen > 0 {
                    let original = title
                    title += " (\(Self.monthNames[local.month - 1]) \(local.year))"
                    if seen > 1 { title = original + " (\(local.day) \(Self.monthNames[local.month - 1]) \(local.year))" }
                    plan.diagnostics.append(.note(entry.location, "another post is titled '\(original)' too: this one is titled '\(title)'"))
                }
            }
            let stem = entry.oldPath.map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension } ?? ""
            var slug = Self.isGenericFileName(stem) ? Slug.make(title) : Slug.make(stem.removingPercentEncoding ?? stem)
            if slug.isEmpty { slug = Slug.make(title) }
            if slug.isEmpty { slug = entry.kind.rawValue + "-" + Slug.make(entry.id.bloggerShortID) }
            if entry.kind == .post {
                if usedPostSlugs.contains(slug) {
                    let wanted = slug
                    slug = wanted + "-" + String(format: "%04d-%02d", local.year, local.month)
                    var counter = 2
                    while usedPostSlugs.contains(slug) {
                        slug = wanted + "-" + String(format: "%04d-%02d", local.year, local.month) + "-\(counter)"
                        counter += 1
                    }
                    plan.diagnostics.append(.note(entry.location, "another post has the address slug '\(wanted)': this one is '\(slug)'"))
                }
                usedPostSlugs.insert(slug)
                let path = String(format: "posts/%04d/%04d-%02d-%02d-", local.year, local.year, local.month, local.day) + slug + ".md"
                placed.append(Placed(entry: entry, title: title, slug: slug, date: date, path: path))
            } else {
                let wanted = slug
                if Self.reservedPageSlugs.contains(slug) || (slug.count == 4 && slug.allSatisfy(\.isNumber)) {
                    slug += "-page"
                }
                var counter = 2
                while usedPageSlugs.contains(slug) {
                    slug = wanted + "-\(counter)"
                    counter += 1
                }
                if slug != wanted {
                    plan.diagnostics.append(.note(entry.location, "the page's slug '\(wanted)' is taken: this page is '\(slug)'"))
                }
                usedPageSlugs.insert(slug)
                placed.append(Placed(entry: entry, title: title, slug: slug, date: date, path: "pages/\(slug).md"))
            }
        }
        return placed
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                             "September", "October", "November", "December"]

    /// Blogger names untitled posts `blog-post.html`, `blog-post_12.html` or `_12.html`.
    static func isGenericFileName(_ stem: String) -> Bool {
        let base = stem.hasPrefix("blog-post") ? String(stem.dropFirst("blog-post".count)) : stem
        if base.isEmpty { return true }
        return base.hasPrefix("_") && base.dropFirst().allSatisfy(\.isNumber)
    }

    /// The first sentence of a body, or its first twelve words, as a title.
    static func titleFromBody(_ html: String) -> String? {
        let text = HTMLToMarkdown(mode: .comment, rewriteLink: { _ in nil }, rewriteImage: { $0 }).convert(html).markdown
        let plain = text.replacingOccurrences(of: "\\", with: "").split(whereSeparator: { $0.isWhitespace })
        guard !plain.isEmpty else { return nil }
        var words = plain.prefix(12).map(String.init)
        if let end = words.firstIndex(where: { $0.hasSuffix(".") || $0.hasSuffix("!") || $0.hasSuffix("?") }) {
            words = Array(words[...end])
        }
        var title = words.joined(separator: " ")
        while let last = title.last, ".,;:".contains(last) { title.removeLast() }
        if plain.count > words.count && !(words.last?.hasSuffix(".") ?? false) { title += " …" }
        return title.isEmpty ? nil : title
    }

    /// An ISO 8601 moment as Blogger writes it (`2009-05-11T09:30:00.000+01:00`).
    static func moment(_ text: String) -> Moment? {
        try? Moment.parse(frontMatterDate(text), in: .london).get()
    }

    /// `2009-05-11T09:30:00.000+01:00` -> `2009-05-11T09:30:00+01:00` (the offset kept).
    static func frontMatterDate(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), text.distance(from: text.startIndex, to: dot) == 19 else { return text }
        let rest = text[text.index(after: dot)...].drop { $0.isNumber }
        return String(text[..<dot]) + rest
    }

    // MARK: - Links and images

    static func normalisedPath(_ path: String) -> String {
        let decoded = path.removingPercentEncoding ?? path
        return decoded.lowercased()
    }

    /// A link to another post or page of the blog becomes a `.md` link (so the build checks it
    /// and it follows renames); a label page becomes the tag page; others stay as they are.
    static func rewrite(_ href: String, from folder: String, targets: [String: String], blogHost: String?) -> String? {
        let lower = href.lowercased()
        if lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("data:") { return nil }
        guard let components = URLComponents(string: href) else { return href }
        let isLocal: Bool
        if let host = components.host?.lowercased() {
            guard let blogHost else { return href }
            let bare = { (name: String) in name.hasPrefix("www.") ? String(name.dropFirst(4)) : name }
            isLocal = bare(host) == bare(blogHost)
        } else {
            isLocal = href.hasPrefix("/")
        }
        guard isLocal else { return href }
        let path = components.percentEncodedPath
        if let target = targets[normalisedPath(path)] {
            return relativePath(from: folder, to: target)
        }
        if path.hasPrefix("/search/label/") {
            let label = String(path.dropFirst("/search/label/".count))
            let slug = Slug.make(label.removingPercentEncoding ?? label)
            if !slug.isEmpty { return "/tags/\(slug)/" }
        }
        return href
    }

    static func relativePath(from folder: String, to target: String) -> String {
        let from = folder.split(separator: "/")
        let to = target.split(separator: "/")
        var common = 0
        while common < from.count, common < to.count - 1, from[common] == to[common] { common += 1 }
        return (Array(repeating: "..", count: from.count - common) + to[common...].map(String.init)).joined(separator: "/")
    }

    /// The file name an image address ends with, `photo.jpg`.
    static func imageName(_ source: String) -> String? {
        guard let components = URLComponents(string: source) else { return nil }
        let name = (components.path as NSString).lastPathComponent
        return name.isEmpty || name == "/" ? nil : name
    }

    // MARK: - Files

    private func frontMatter(_ item: Placed) -> String {
        let entry = item.entry
        var lines = ["---", "title: " + YAMLText.scalar(item.title)]
        if entry.kind == .post {
            lines.append("date: " + Self.frontMatterDate(entry.published))
            if let updated = entry.updated, updated != entry.published, Self.moment(updated) != nil {
                lines.append("updated: " + Self.frontMatterDate(updated))
            }
            if let author = entry.author, !author.isEmpty { lines.append("author: " + YAMLText.scalar(author)) }
            var seen: Set<String> = []
            let labels = entry.labels.filter { seen.insert($0).inserted }
            if !labels.isEmpty { lines.append("tags: " + YAMLText.flowList(labels)) }
            if entry.isDraft { lines.append("draft: true") }
            if !entry.id.isEmpty { lines.append("guid: " + YAMLText.scalar(entry.id)) }
        } else {
            if entry.isDraft { lines.append("draft: true") }
        }
        // Posts and pages alike: an alias page at the old address works on any host.
        if let old = entry.oldPath, case .success = OutputPath.alias(old) {
            lines.append("aliases: " + YAMLText.flowList([old]))
        }
        lines.append("---")
        return lines.joined(separator: "\n") + "\n"
    }

    private func planComments(_ export: BloggerExport, posts: [Placed], targets: [String: String], blogHost: String?,
                              into plan: inout ImportPlan) {
        var postsByID: [String: Placed] = [:]
        var pageIDs: Set<String> = []
        for item in posts {
            if item.entry.kind == .post { postsByID[item.entry.id.bloggerShortID] = item } else { pageIDs.insert(item.entry.id.bloggerShortID) }
        }
        let ordered = export.comments.compactMap { comment -> (BloggerExport.Comment, Moment)? in
            guard let date = Self.moment(comment.published) else {
                plan.diagnostics.append(.warning(comment.location, "comment date '\(comment.published)' is not an ISO 8601 date; skipped"))
                plan.skipped["comment with a bad date", default: 0] += 1
                return nil
            }
            return (comment, date)
        }.sorted { ($0.1, $0.0.id) < ($1.1, $1.0.id) }
        var stems: [String: String] = [:] // comment short id -> file stem
        var usedStems: Set<String> = []
        for (comment, _) in ordered {
            let postKey = comment.postID.bloggerShortID
            guard let post = postsByID[postKey] else {
                let reason = pageIDs.contains(postKey) ? "comment on a page" : "comment on a post not imported"
                plan.skipped[reason, default: 0] += 1
                continue
            }
            // The theme anchors a comment at its file name, so `c<id>` keeps Blogger's `#c<id>`
            // links working through the redirect (docs/authors.md, Moving from Blogger).
            let shortID = comment.id.bloggerShortID
            var stem = "c" + Slug.make(shortID)
            var counter = 2
            let wanted = stem
            while usedStems.contains(post.slug + "/" + stem) {
                stem = wanted + "-\(counter)"
                counter += 1
            }
            usedStems.insert(post.slug + "/" + stem)
            stems[shortID] = stem

            let converter = HTMLToMarkdown(
                mode: .comment,
                rewriteLink: { href in
                    let lower = href.lowercased()
                    guard lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") else { return nil }
                    return Self.rewrite(href, from: "comments/" + post.slug, targets: targets, blogHost: blogHost)
                },
                rewriteImage: { $0 })
            let html = comment.html.utf8.count > Self.maximumCommentBytes
                ? String(decoding: Array(comment.html.utf8.prefix(Self.maximumCommentBytes)), as: UTF8.self) : comment.html
            if html.utf8.count < comment.html.utf8.count {
                plan.diagnostics.append(.warning(comment.location, "comment by \(comment.author) is over \(Self.maximumCommentBytes / 1024) KB; its end was cut"))
            }
            let converted = converter.convert(html)
            for problem in converted.problems {
                plan.diagnostics.append(.warning(comment.location, "comment by \(comment.author): \(problem)"))
            }
            var body = converted.markdown
            var organisation = "Not given on Blogger"
            if let signed = Self.signature(in: body, name: comment.author) {
                organisation = signed.organisation
                body = signed.body
            }
            var lines = ["---", "name: " + YAMLText.scalar(comment.author), "organisation: " + YAMLText.scalar(organisation),
                         "date: " + Self.frontMatterDate(comment.published)]
            if let answered = comment.inReplyTo {
                if let target = stems[answered.bloggerShortID] {
                    lines.append("reply_to: " + YAMLText.scalar(target))
                } else {
                    plan.diagnostics.append(.note(comment.location, "comment by \(comment.author) answers a comment that was not imported; shown on its own"))
                }
            }
            lines.append("---")
            let text = lines.joined(separator: "\n") + "\n\n" + (body.isEmpty ? "(No text.)\n" : body)
            plan.files.append(PlannedFile(path: "comments/\(post.slug)/\(stem).md", bytes: Array(text.utf8)))
            plan.comments += 1
        }
    }

    /// Comments are readers' text: an import keeps at most this much of one.
    static let maximumCommentBytes = 64 * 1024

    /// Commenters on the hub sign off with their name and, on the next line, their
    /// organisation (see the seed page): that line becomes `organisation`.
    static func signature(in body: String, name: String) -> (organisation: String, body: String)? {
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard lines.count >= 3 else { return nil }
        let clean = { (line: String) in
            line.replacingOccurrences(of: "\\", with: "").trimmingCharacters(in: .whitespaces)
        }
        let nameLine = clean(lines[lines.count - 2])
        let organisation = clean(lines[lines.count - 1])
        guard nameLine.lowercased() == name.lowercased(), !organisation.isEmpty, organisation.count <= 120 else { return nil }
        var rest = Array(lines.dropLast(2))
        if var last = rest.popLast() {
            while last.hasSuffix("\\") { last.removeLast() }
            rest.append(last)
        }
        while rest.last?.isEmpty == true { rest.removeLast() }
        guard !rest.isEmpty else { return nil }
        return (organisation, rest.joined(separator: "\n") + "\n")
    }

    private func settings(_ export: BloggerExport, plan: inout ImportPlan) -> String {
        var baseURL = export.blogURL ?? ""
        if BaseURL(baseURL) == nil {
            baseURL = "https://www.example.org/"
            plan.diagnostics.append(.warning(SourceLocation(path: "site.yml"),
                "the export does not say the blog's address: set 'base_url' in site.yml to the address the site is published at"))
        }
        let title = export.blogTitle.isEmpty ? "Imported blog" : export.blogTitle
        return "title: " + YAMLText.scalar(title) + "\nbase_url: " + YAMLText.scalar(baseURL) + "\n"
    }
}
