import MustacheEngine

/// The render stage: a `Site` and a theme in, every output file (path and bytes) out.
/// Pure and deterministic: the same site gives the same bytes, in the same order.
public struct SiteRenderer: Sendable {
    /// Ids a body heading must not take on pages where the theme links to them. The theme's
    /// other ids all contain "--", which slugs never do, so they cannot clash.
    public static let themeIDs: Set<String> = ["comments", "snippets", "posts"]

    let site: Site
    let theme: Theme
    private let tagNames: [String: String]

    public init(site: Site, theme: Theme) {
        self.site = site
        self.theme = theme
        tagNames = Dictionary(site.tags.map { ($0.slug, $0.name) }, uniquingKeysWith: { first, _ in first })
    }



    /// Renders planned outputs on every core, handing each file to `deliver` as soon as it is
    /// made (from several threads at once), so the whole site never has to sit in memory.
    public func render(_ outputs: [PlannedOutput], deliver: @Sendable (OutputFile) throws -> Void) throws {
        // Summaries are made ahead for a whole site; a handful of pages makes the ones it shows.
        let models = ViewModels(site: site, precomputeSummaries: outputs.count > 64)
        let sidebar = theme.render(models.sidebarContext(), template: "sidebar")
        let siteContext = models.siteContext(sidebarHTML: sidebar)
        let feeds = FeedRenderer(site: site)
        let failures = outputs.parallelMap { output -> String? in
            let bytes: [UInt8]
            switch output.kind {
            case .page(let job):
                bytes = renderPage(job, models: models, siteContext: siteContext)
            case .siteFeed: bytes = Array(feeds.siteFeed().utf8)
            case .tagFeed(let index): bytes = Array(feeds.tagFeed(site.tags[index]).utf8)
            case .areaFeed(let index): bytes = Array(feeds.areaFeed(site.areas[index]).utf8)
            case .sitemap: bytes = Array(SitemapRenderer(site: site).render().utf8)
            case .robots: bytes = Array(robots().utf8)
            case .alias(let post, let alias): bytes = Array(aliasPage(site.posts[post], target: site.posts[post].aliasPaths[alias]).utf8)
            case .file(let file): bytes = file.bytes
            }
            do {
                try deliver(OutputFile(path: output.path, bytes: bytes, origin: output.origin))
                return nil
            } catch {
                return "\(error)"
            }
        }
        if let failure = failures.first(where: { $0 != nil }) ?? nil {
            throw RenderFailure(message: failure)
        }
    }

    /// Renders the whole site into memory (for `check`-like uses and tests).
    public func render() -> [OutputFile] {
        let outputs = SitePlanner(site: site).plan()
        let collected = FileCollector()
        try? render(outputs, deliver: { collected.add($0) })
        return collected.files(inOrderOf: outputs)
    }



    // MARK: - Pages


    private func renderPage(_ job: SitePlanner.PageJob, models: ViewModels, siteContext: TemplateValue) -> [UInt8] {
        let base = site.settings.baseURL
        let title = site.settings.title
        var context: [String: TemplateValue] = ["site": siteContext]
        var page: [String: TemplateValue] = [:]
        let template: String
        let path: String
        var feeds = [feedLink(title: title, path: "feed.xml")]
        var section = ""

        switch job {
        case .home(let number):
            path = SitePlanner.pagePath("", number)
            let slice = SitePlanner.slice(site.posts.indices, page: number, perPage: site.settings.postsPerPage)
            context["days"] = models.days(slice, full: true)
            context["pagination"] = models.pagination(page: number, pageCount: SitePlanner.pageCount(site.posts.count, site.settings.postsPerPage), firstPath: "")
            context["hasPosts"] = .bool(!site.posts.isEmpty)
            page["title"] = .text(number == 1 ? title : "\(title): page \(number)")
            page["heading"] = .text(title)
            page["isHome"] = .bool(number == 1)
            page["description"] = .text(site.settings.tagline ?? title)
            page["ownFeed"] = feeds[0]
            template = "index"
            section = number == 1 ? "home" : ""

        case .post(let index):
            let post = site.posts[index]
            path = post.path
            context["post"] = .object(models.postFull(at: index, idPrefix: ""))
            context["comments"] = models.comments(of: post)
            context["hasComments"] = .bool(!post.comments.isEmpty)
            context["commentsHeading"] = .text("\(ViewModels.commentsLabel(post.comments.count)):")
            if index > 0 { context["newer"] = .object(models.postSummary(at: index - 1)) }
            if index + 1 < site.posts.count { context["older"] = .object(models.postSummary(at: index + 1)) }
            page["title"] = .text("\(post.title) | \(title)")
            page["heading"] = .text(post.title)
            page["description"] = .text(post.summary)
            feeds += post.areas.map { feedLink(title: "\(title): \($0.name)", path: "areas/\($0.slug)/feed.xml") }
            feeds += post.tags.map { feedLink(title: "\(title): \(tagName($0))", path: "tags/\($0.slug)/feed.xml") }
            template = "post"

        case .tags:
            path = "tags/"
            context["tags"] = .list(site.tags.map { tag in
                ["name": .text(tag.name), "url": .text(base.url(tag.path)), "count": .number(tag.postIndices.count),
                 "feedURL": .text(base.url(tag.path + "feed.xml"))]
            })
            page["title"] = .text("Tags | \(title)")
            page["heading"] = "Tags"
            page["description"] = .text("Every tag on \(title), with its number of posts.")
            template = "tags"
            section = "tags"

        case .tag(let index, let number):
            let tag = site.tags[index]
            path = SitePlanner.pagePath(tag.path, number)
            let posts = SitePlanner.slice(tag.postIndices, page: number, perPage: site.settings.postsPerPage)
            context["tag"] = ["name": .text(tag.name), "url": .text(base.url(tag.path)), "count": .number(tag.postIndices.count),
                              "countLabel": .text(SitePlanner.postsLabel(tag.postIndices.count)),
                              "feedURL": .text(base.url(tag.path + "feed.xml"))]
            context["days"] = models.days(posts, full: false)
            context["posts"] = .list(posts.map { .object(models.postSummary(at: $0)) })
            context["pagination"] = models.pagination(page: number, pageCount: SitePlanner.pageCount(tag.postIndices.count, site.settings.postsPerPage), firstPath: tag.path)
            page["title"] = .text("\(tag.name)\(number > 1 ? ", page \(number)" : "") | \(title)")
            page["heading"] = .text("Posts tagged \u{201C}\(tag.name)\u{201D}")
            page["description"] = .text("Posts tagged \(tag.name) on \(title).")
            let tagFeed = feedLink(title: "\(title): \(tag.name)", path: tag.path + "feed.xml", label: "Follow \(tag.name)")
            feeds.append(tagFeed)
            page["pageFeed"] = tagFeed
            page["ownFeed"] = tagFeed
            template = "tag"

        case .areas:
            path = "areas/"
            context["areas"] = .list(site.areas.map { area in
                ["name": .text(area.name), "url": .text(base.url(area.path)), "region": .optional(area.region),
                 "snippetCount": .number(area.snippets.count), "postCount": .number(area.postIndices.count),
                 "snippetsLabel": .text(Self.count(area.snippets.count, "snippet")),
                 "postsLabel": .text(Self.count(area.postIndices.count, "post"))]
            })
            page["title"] = .text("Areas | \(title)")
            page["heading"] = "Areas"
            page["description"] = .text("Every local area on \(title), with its region.")
            template = "areas"
            section = "areas"

        case .area(let index):
            let area = site.areas[index]
            path = area.path
            context["area"] = [
                "name": .text(area.name), "url": .text(base.url(area.path)), "body": .text(area.body.html()),
                "region": .optional(area.region), "website": .optional(area.website),
                "feedURL": area.hasFeed ? .text(base.url(area.path + "feed.xml")) : .null,
                "snippetCount": .number(area.snippets.count), "postCount": .number(area.postIndices.count),
                "hasSnippets": .bool(!area.snippets.isEmpty), "hasPosts": .bool(!area.postIndices.isEmpty),
                "hasMeta": .bool(area.region != nil || area.website != nil || area.hasFeed),
            ]
            context["snippets"] = .list(area.snippets.map { snippet in
                [
                    "title": .text(snippet.title), "anchor": .text(snippet.anchor),
                    "url": .text(base.url(area.path) + "#" + snippet.anchor),
                    "dateText": .text(snippet.date.britishDate), "dateISO": .text(snippet.date.iso8601),
                    "body": .text(snippet.body.html(idPrefix: snippet.anchor + "--")),
                    "source": .optional(snippet.source),
                    "tags": .list(snippet.tags.map { ["name": .text($0)] }), "hasTags": .bool(!snippet.tags.isEmpty),
                ]
            })
            context["posts"] = .list(area.postIndices.map { .object(models.postSummary(at: $0)) })
            page["title"] = .text("\(area.name) | \(title)")
            page["heading"] = .text(area.name)
            page["description"] = .text(area.body.summary.isEmpty ? "What \(area.name) is doing." : area.body.summary)
            if area.hasFeed {
                let areaFeed = feedLink(title: "\(title): \(area.name)", path: area.path + "feed.xml", label: "Follow \(area.name)")
                feeds.append(areaFeed)
                page["pageFeed"] = areaFeed
                page["ownFeed"] = areaFeed
            }
            template = "area"

        case .archive:
            path = "archive/"
            context["years"] = models.archiveYears()
            context["hasPosts"] = .bool(!site.posts.isEmpty)
            page["title"] = .text("Archive | \(title)")
            page["heading"] = "Archive"
            page["description"] = .text("Every month of \(title), with its number of posts.")
            template = "archive"
            section = "archive"

        case .year(let yearIndex):
            let year = site.archive[yearIndex]
            path = year.path
            let indices = year.months.flatMap(\.postIndices)
            context["days"] = models.days(indices, full: false)
            context["months"] = models.archiveMonths(year)
            context["countLabel"] = .text(SitePlanner.postsLabel(indices.count))
            page["title"] = .text("\(year.year) | \(title)")
            page["heading"] = .text("Posts of \(year.year)")
            page["description"] = .text("Everything posted on \(title) in \(year.year).")
            template = "period"

        case .month(let yearIndex, let monthIndex):
            let month = site.archive[yearIndex].months[monthIndex]
            path = month.path
            context["days"] = models.days(month.postIndices, full: false)
            context["countLabel"] = .text(SitePlanner.postsLabel(month.postIndices.count))
            context["yearURL"] = .text(base.url(site.archive[yearIndex].path))
            context["year"] = .text(String(month.year))
            page["title"] = .text("\(month.name) | \(title)")
            page["heading"] = .text("Posts of \(month.name)")
            page["description"] = .text("Everything posted on \(title) in \(month.name).")
            template = "period"

        case .page(let index):
            let standalone = site.pages[index]
            path = standalone.path
            context["body"] = .text(standalone.body.html())
            page["title"] = .text("\(standalone.title) | \(title)")
            page["heading"] = .text(standalone.title)
            page["description"] = .text(standalone.summary)
            template = "page"
            section = standalone.slug == "about" ? "about" : ""

        case .notFound:
            path = "404.html"
            page["title"] = .text("Page not found | \(title)")
            page["heading"] = "Page not found"
            page["description"] = "This page does not exist."
            template = "404"
        }

        page["canonicalURL"] = .text(path == "404.html" ? base.absolute("") : base.absolute(path))
        page["feeds"] = .list(feeds)
        page["nav"] = models.navigation(current: section)
        context["page"] = .object(page)
        return theme.renderBytes(.object(context), template: template)
    }

    /// "1 snippet", "2 snippets", "no snippets".
    static func count(_ number: Int, _ noun: String) -> String {
        switch number {
        case 0: "no \(noun)s"
        case 1: "1 \(noun)"
        default: "\(number) \(noun)s"
        }
    }

    /// A tag's display name (the spelling most posts use), not the spelling of one post.
    private func tagName(_ reference: Reference) -> String {
        tagNames[reference.slug] ?? reference.name
    }

    /// A feed: `title` for `<link rel="alternate">`, `label` for links a reader sees.
    private func feedLink(title: String, path: String, label: String? = nil) -> TemplateValue {
        ["title": .text(title), "url": .text(site.settings.baseURL.url(path)), "label": .text(label ?? title)]
    }

    // MARK: - Small files

    private func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(site.settings.baseURL.absolute("sitemap.xml"))\n"
    }

    /// A redirect page for an old URL of a moved post. Plain HTML, not themed: nobody reads it.
    private func aliasPage(_ post: Post, target aliasPath: String) -> String {
        let target = HTMLEscaping.escape(site.settings.baseURL.absolute(post.path))
        let title = HTMLEscaping.escape(post.title)
        return """
        <!DOCTYPE html>
        <html lang="\(HTMLEscaping.escape(site.settings.language))">
        <head>
        <meta charset="utf-8">
        <title>\(title)</title>
        <link rel="canonical" href="\(target)">
        <meta http-equiv="refresh" content="0; url=\(target)">
        </head>
        <body>
        <p>This post has moved to <a href="\(target)">\(title)</a>.</p>
        </body>
        </html>

        """
    }
}

/// One file the build will write, known before it is rendered.
public struct PlannedOutput: Sendable {
    public var path: String
    /// What makes it, for messages about clashes.
    public var origin: String
    let kind: Kind

    enum Kind: Sendable {
        case page(SitePlanner.PageJob)
        case siteFeed
        case tagFeed(Int)
        case areaFeed(Int)
        case sitemap
        case robots
        case alias(post: Int, alias: Int)
        case file(StaticFile)
    }
}

struct RenderFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// Gathers files delivered from several threads.
final class FileCollector: @unchecked Sendable {
    private var byPath: [String: OutputFile] = [:]
    private let lock = Mutex()

    func add(_ file: OutputFile) {
        lock.withLock { byPath[file.path] = file }
    }

    func files(inOrderOf outputs: [PlannedOutput]) -> [OutputFile] {
        lock.withLock { outputs.compactMap { byPath[$0.path] } }
    }
}
