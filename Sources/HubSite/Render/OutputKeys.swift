/// For every output, one digest of everything it shows: the posts the planner says it shows
/// (each post whole, comments included), the lists it draws from, and what every page shares
/// (settings, theme, the menu and, when the layout shows it, the sidebar). A build renders
/// again only the outputs whose key changed since the last one (docs/content.md, "The build
/// cache"); the cache-equivalence tests hold these keys to what the renderer reads.
struct OutputKeys: Sendable {
    let site: Site
    private let planner: SitePlanner
    private let posts: [UInt64]
    private let shared: UInt64

    /// `themeDigest`: the templates; `sidebar`: the sidebar's HTML when a template shows it.
    init(site: Site, themeDigest: UInt64, sidebar: String?) {
        self.site = site
        planner = SitePlanner(site: site)
        posts = CacheCoding.digests(site.posts)
        let about = site.pages.first { $0.slug == "about" }
        shared = StableHash.combine([
            CacheCoding.digest(site.settings), themeDigest, sidebar.map(StableHash.of) ?? 0,
            about.map { StableHash.combine([StableHash.of($0.path), StableHash.of($0.summary)]) } ?? 0,
            StableHash.of(site.shareImage ?? ""),
        ])
    }

    func key(_ output: PlannedOutput) -> UInt64 {
        StableHash.combine([shared, StableHash.of(output.path)] + shows(output.kind))
    }

    /// The digests of what an output of this kind shows, beside the posts it shows.
    private func shows(_ kind: PlannedOutput.Kind) -> [UInt64] {
        let shown = planner.postsShown(by: kind).map { posts[$0] }
        switch kind {
        case .page(let job): return page(job) + shown
        case .siteFeed: return shown
        case .tagFeed(let index): return [tag(index)] + shown
        case .areaFeed(let index): return [area(index)] + shown
        case .sitemap: return [sitemapPosts, CacheCoding.digest(site.tags), CacheCoding.digest(site.areas), CacheCoding.digest(site.archive), pages]
        case .robots: return []
        case .alias(let post, _): return [posts[post]]
        case .pageAlias(let page, _): return [CacheCoding.digest(site.pages[page])]
        case .file(let file): return [StableHash.of(file.bytes)]
        }
    }

    private func page(_ job: SitePlanner.PageJob) -> [UInt64] {
        switch job {
        // A page of a list shows which page of how many it is.
        case .home(let number): [UInt64(number), UInt64(site.posts.count)]
        // Newer and older neighbours: the first and last posts lack one.
        case .post(let index): [UInt64(index == 0 ? 1 : 0), UInt64(index == site.posts.count - 1 ? 1 : 0)]
        case .tags: [CacheCoding.digest(site.tags.map(\.name)), CacheCoding.digest(site.tags.map(\.postIndices.count))]
        case .tag(let index, let number): [tag(index), UInt64(number)]
        case .areas, .search: [areas, CacheCoding.digest(site.tags.map(\.name))]
        case .area(let index): [area(index)]
        case .archive: [CacheCoding.digest(site.archive)]
        case .year(let index): [CacheCoding.digest(site.archive[index].months.map(\.postIndices.count))]
        case .month: []
        case .page(let index): [CacheCoding.digest(site.pages[index])]
        case .notFound: []
        }
    }

    /// A tag as its pages and feed show it: name, slug and count.
    private func tag(_ index: Int) -> UInt64 {
        let tag = site.tags[index]
        return StableHash.combine([StableHash.of(tag.slug), StableHash.of(tag.name), UInt64(tag.postIndices.count)])
    }

    /// An area as its page and feed show it: everything but where its posts sit in the site.
    private func area(_ index: Int) -> UInt64 {
        var area = site.areas[index]
        let count = area.postIndices.count
        area.postIndices = []
        return StableHash.combine([CacheCoding.digest(area), UInt64(count)])
    }

    /// The sitemap shows of each post its address and last change, not its text: an edit of a
    /// body leaves it as it was.
    private var sitemapPosts: UInt64 {
        StableHash.combine(site.posts.flatMap { [StableHash.of($0.path), UInt64(bitPattern: SitemapRenderer.lastChange($0).epochSeconds)] })
    }

    private var areas: UInt64 { StableHash.combine(site.areas.indices.map(area)) }
    private var pages: UInt64 { CacheCoding.digest(site.pages) }
}
