import MustacheEngine

/// The render stage: a `Site` and a theme in, every output file (path and bytes) out.
/// Pure and deterministic: the same site gives the same bytes, in the same order.
public struct SiteRenderer: Sendable {
    /// Ids a body heading must not take on pages where the theme links to them. The theme's
    /// other ids all contain "--", which slugs never do, so they cannot clash.
    public static let themeIDs: Set<String> = ["comments", "snippets", "posts"]

    let site: Site
    let theme: Theme

    public init(site: Site, theme: Theme) {
        self.site = site
        self.theme = theme
    }

    /// Renders planned outputs on every core, handing each file to `deliver` as soon as it is
    /// made (from several threads at once), so the whole site never has to sit in memory.
    public func render(_ outputs: [PlannedOutput], deliver: @Sendable (OutputFile) throws -> Void) throws {
        // Summaries are made ahead for a whole site; a handful of pages makes the ones it shows.
        let models = ViewModels(site: site, precomputeSummaries: outputs.count > 64)
        let sidebar = theme.render(models.sidebarContext(), template: "sidebar")
        let siteContext = models.siteContext(sidebarHTML: sidebar)
        let pages = PageRenderer(site: site, models: models)
        let planner = SitePlanner(site: site)
        let feeds = FeedRenderer(site: site)
        // The sitemap and the feeds take longest: begun last, one would keep a core busy alone.
        let order = outputs.indices.filter { outputs[$0].kind.isLong } + outputs.indices.filter { !outputs[$0].kind.isLong }
        let failures = order.parallelMap { index -> String? in
            let output = outputs[index]
            let bytes: [UInt8]
            switch output.kind {
            case .page(let job):
                bytes = renderPage(job, pages: pages, siteContext: siteContext)
            case .siteFeed: bytes = Array(feeds.siteFeed(posts: planner.siteFeedPosts()).utf8)
            case .tagFeed(let index): bytes = Array(feeds.tagFeed(site.tags[index], posts: planner.tagFeedPosts(index)).utf8)
            case .areaFeed(let index): bytes = Array(feeds.areaFeed(site.areas[index], posts: planner.areaFeedPosts(index)).utf8)
            case .sitemap: bytes = Array(SitemapRenderer(site: site).render().utf8)
            case .robots: bytes = Array(robots().utf8)
            case .alias(let post, _): bytes = Array(aliasPage(title: site.posts[post].title, path: site.posts[post].path, kind: "post").utf8)
            case .pageAlias(let page, _): bytes = Array(aliasPage(title: site.pages[page].title, path: site.pages[page].path, kind: "page").utf8)
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

    /// The sidebar's HTML when a template other than the sidebar's names it; nil when no page
    /// shows it (then it is no input of any page's `OutputKeys`).
    func sidebarShown() -> String? {
        guard theme.mentions("sidebar", outside: "sidebar") else { return nil }
        return theme.render(ViewModels(site: site, precomputeSummaries: false).sidebarContext(), template: "sidebar")
    }

    /// Renders the whole site into memory (for `check`-like uses and tests).
    public func render() -> [OutputFile] {
        let outputs = SitePlanner(site: site).plan()
        let collected = FileCollector()
        try? render(outputs, deliver: { collected.add($0) })
        return collected.files(inOrderOf: outputs)
    }



    // MARK: - Pages

    /// A page: its kind's view (see Pages/), given the posts the planner says it shows, then
    /// what every page has (canonical URL, feeds, menu) and the theme's layout.
    private func renderPage(_ job: SitePlanner.PageJob, pages: PageRenderer, siteContext: TemplateValue) -> [UInt8] {
        let planner = SitePlanner(site: site)
        let view = pages.view(of: job, posts: planner.postsShown(on: job))
        let urlPath = planner.urlPath(of: job)
        var context = view.context
        context["site"] = siteContext
        var page = view.page
        let canonical = urlPath == "404.html" ? site.settings.baseURL.absolute("") : site.settings.baseURL.absolute(urlPath)
        page["canonicalURL"] = .text(canonical)
        // Pages without a preview of their own (all but posts) are shared with their heading.
        if page["preview"] == nil, case .text(let heading)? = page["heading"], case .text(let description)? = page["description"] {
            page["preview"] = LinkPreview(title: urlPath.isEmpty ? site.settings.title : heading, type: "website",
                                          url: canonical, description: description, image: site.shareImage).context
        }
        page["feeds"] = .list([pages.siteFeed] + view.feeds)
        page["nav"] = pages.models.navigation(current: view.section)
        context["page"] = .object(page)
        return theme.renderBytes(.object(context), template: view.template)
    }

    // MARK: - Small files

    private func robots() -> String {
        "User-agent: *\nAllow: /\n\nSitemap: \(site.settings.baseURL.absolute("sitemap.xml"))\n"
    }

    /// A redirect page for an old URL of a moved post or page. Plain HTML, not themed: nobody reads it.
    private func aliasPage(title: String, path: String, kind: String) -> String {
        let target = HTMLEscaping.escape(site.settings.baseURL.absolute(path))
        let title = HTMLEscaping.escape(title)
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
        <p>This \(kind) has moved to <a href="\(target)">\(title)</a>.</p>
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
        case pageAlias(page: Int, alias: Int)
        case file(StaticFile)

        /// Outputs that show a whole list of posts, each as long to render as many pages.
        var isLong: Bool {
            switch self {
            case .sitemap, .siteFeed, .tagFeed, .areaFeed: true
            default: false
            }
        }
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
