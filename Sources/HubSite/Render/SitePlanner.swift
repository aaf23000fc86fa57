/// Works out every file a site will have, and what makes it, before anything is rendered.
/// Needs no theme, so `check` and a build with theme errors still find clashes and broken links.
public struct SitePlanner: Sendable {
    let site: Site

    public init(site: Site) {
        self.site = site
    }

    enum PageJob: Sendable {
        case home(page: Int)
        case post(Int)
        case tags
        case tag(Int, page: Int)
        case areas
        case area(Int)
        case archive
        case year(Int)
        case month(year: Int, month: Int)
        case page(Int)
        case notFound
    }

    /// Every file the site will have, with where it comes from, before anything is rendered:
    /// enough to check for clashes and broken links, and to plan the writing.
    public func plan() -> [PlannedOutput] {
        var outputs: [PlannedOutput] = jobs().map { job in
            let (path, origin) = location(of: job)
            return PlannedOutput(path: path, origin: origin, kind: .page(job))
        }
        outputs.append(PlannedOutput(path: "feed.xml", origin: "feed.xml", kind: .siteFeed))
        for (index, tag) in site.tags.enumerated() {
            outputs.append(PlannedOutput(path: tag.path + "feed.xml", origin: "feed of tag '\(tag.slug)'", kind: .tagFeed(index)))
        }
        for (index, area) in site.areas.enumerated() where area.hasFeed {
            outputs.append(PlannedOutput(path: area.path + "feed.xml", origin: "feed of area '\(area.slug)'", kind: .areaFeed(index)))
        }
        outputs.append(PlannedOutput(path: "sitemap.xml", origin: "sitemap.xml", kind: .sitemap))
        outputs.append(PlannedOutput(path: "robots.txt", origin: "robots.txt", kind: .robots))
        for (postIndex, post) in site.posts.enumerated() {
            for (aliasIndex, aliasPath) in post.aliasPaths.enumerated() {
                outputs.append(PlannedOutput(path: aliasPath, origin: post.sourcePath, kind: .alias(post: postIndex, alias: aliasIndex)))
            }
        }
        for file in site.themeAssets + site.staticFiles {
            outputs.append(PlannedOutput(path: file.outputPath, origin: file.displayPath, kind: .file(file)))
        }
        return outputs
    }

    func jobs() -> [PageJob] {
        let perPage = site.settings.postsPerPage
        var jobs: [PageJob] = []
        jobs += (1...Self.pageCount(site.posts.count, perPage)).map { PageJob.home(page: $0) }
        jobs += site.posts.indices.map { PageJob.post($0) }
        jobs.append(.tags)
        for (index, tag) in site.tags.enumerated() {
            jobs += (1...Self.pageCount(tag.postIndices.count, perPage)).map { PageJob.tag(index, page: $0) }
        }
        jobs.append(.areas)
        jobs += site.areas.indices.map { PageJob.area($0) }
        jobs.append(.archive)
        for (yearIndex, year) in site.archive.enumerated() {
            jobs.append(.year(yearIndex))
            jobs += year.months.indices.map { PageJob.month(year: yearIndex, month: $0) }
        }
        jobs += site.pages.indices.map { PageJob.page($0) }
        jobs.append(.notFound)
        return jobs
    }

    static func pageCount(_ items: Int, _ perPage: Int) -> Int {
        max(1, (items + perPage - 1) / perPage)
    }

    static func postsLabel(_ count: Int) -> String { count == 1 ? "1 post" : "\(count) posts" }

    static func pagePath(_ first: String, _ page: Int) -> String {
        page == 1 ? first : first + "page/\(page)/"
    }

    /// The output file and origin of a page, without rendering it.
    func location(of job: PageJob) -> (path: String, origin: String) {
        let urlPath: String
        var origin = ""
        switch job {
        case .home(let number): urlPath = Self.pagePath("", number)
        case .post(let index):
            urlPath = site.posts[index].path
            origin = site.posts[index].sourcePath
        case .tags: urlPath = "tags/"
        case .tag(let index, let number): urlPath = Self.pagePath(site.tags[index].path, number)
        case .areas: urlPath = "areas/"
        case .area(let index): urlPath = site.areas[index].path
        case .archive: urlPath = "archive/"
        case .year(let index): urlPath = site.archive[index].path
        case .month(let year, let month): urlPath = site.archive[year].months[month].path
        case .page(let index): urlPath = site.pages[index].path
        case .notFound: urlPath = "404.html"
        }
        let file = urlPath.isEmpty || urlPath.hasSuffix("/") ? urlPath + "index.html" : urlPath
        return (file, origin.isEmpty ? "page \(site.settings.baseURL.url(urlPath))" : origin)
    }
}
