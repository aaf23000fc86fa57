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
        /// The search page, with `search: true` (docs/search.md).
        case search
        case notFound
    }

    /// Every file the site will have, with where it comes from, before anything is rendered:
    /// enough to check for clashes and broken links, and to plan the writing.
    public func plan() -> [PlannedOutput] {
        var outputs = generatedKinds().map(output)
        for (postIndex, post) in site.posts.enumerated() {
            for (aliasIndex, aliasPath) in post.aliasPaths.enumerated() {
                outputs.append(PlannedOutput(path: aliasPath, origin: post.sourcePath, kind: .alias(post: postIndex, alias: aliasIndex)))
            }
        }
        for (pageIndex, page) in site.pages.enumerated() {
            for aliasIndex in page.aliasPaths.indices { outputs.append(output(.pageAlias(page: pageIndex, alias: aliasIndex))) }
        }
        for file in site.themeAssets + site.staticFiles {
            outputs.append(PlannedOutput(path: file.outputPath, origin: file.displayPath, kind: .file(file)))
        }
        return outputs
    }

    /// The pages and feeds that show the text (body or summary) of any of the `changed` posts:
    /// what a build must render again when only the bodies of those posts changed. Looks at
    /// the lists of the site only, never at a post.
    func kinds(showingPosts changed: Set<Int>) -> [PlannedOutput.Kind] {
        generatedKinds().filter { postsShown(by: $0).contains(where: changed.contains) }
    }

    /// Pages, feeds, the sitemap and robots.txt: the outputs made from the model.
    private func generatedKinds() -> [PlannedOutput.Kind] {
        var kinds = jobs().map { PlannedOutput.Kind.page($0) }
        kinds.append(.siteFeed)
        kinds += site.tags.indices.map { .tagFeed($0) }
        kinds += site.areas.indices.filter { site.areas[$0].hasFeed }.map { .areaFeed($0) }
        kinds += [.sitemap, .robots]
        return kinds
    }

    /// The file a kind of output makes (post pages need that post of the site).
    func output(_ kind: PlannedOutput.Kind) -> PlannedOutput {
        switch kind {
        case .page(let job):
            let (path, origin) = location(of: job)
            return PlannedOutput(path: path, origin: origin, kind: kind)
        case .siteFeed: return PlannedOutput(path: "feed.xml", origin: "feed.xml", kind: kind)
        case .tagFeed(let index):
            let tag = site.tags[index]
            return PlannedOutput(path: tag.path + "feed.xml", origin: "feed of tag '\(tag.slug)'", kind: kind)
        case .areaFeed(let index):
            let area = site.areas[index]
            return PlannedOutput(path: area.path + "feed.xml", origin: "feed of area '\(area.slug)'", kind: kind)
        case .sitemap: return PlannedOutput(path: "sitemap.xml", origin: "sitemap.xml", kind: kind)
        case .robots: return PlannedOutput(path: "robots.txt", origin: "robots.txt", kind: kind)
        case .alias(let post, let alias):
            return PlannedOutput(path: site.posts[post].aliasPaths[alias], origin: site.posts[post].sourcePath, kind: kind)
        case .pageAlias(let page, let alias):
            return PlannedOutput(path: site.pages[page].aliasPaths[alias], origin: "'aliases' of page '\(site.pages[page].slug)'", kind: kind)
        case .file(let file): return PlannedOutput(path: file.outputPath, origin: file.displayPath, kind: kind)
        }
    }

    // MARK: What each output shows
    //
    // The renderer draws every post it shows from these lists (each kind's list sits beside
    // its rendering, in Pages/ and Feeds/), so an incremental build that re-renders the outputs
    // showing an edited post cannot miss one.

    /// Posts whose summary or body the output shows (titles, dates and tags do not count: a
    /// change to those is not an edit of the body alone).
    func postsShown(by kind: PlannedOutput.Kind) -> [Int] {
        switch kind {
        case .page(let job): postsShown(on: job)
        case .siteFeed: siteFeedPosts()
        case .tagFeed(let index): tagFeedPosts(index)
        case .areaFeed(let index): areaFeedPosts(index)
        case .sitemap, .robots, .alias, .pageAlias, .file: []
        }
    }

    func postsShown(on job: PageJob) -> [Int] {
        switch job {
        case .home(let page): homePosts(page: page)
        case .post(let index): postPagePosts(index)
        case .tag(let index, let page): tagPosts(index, page: page)
        case .area(let index): areaPosts(index)
        case .year(let index): yearPosts(index)
        case .month(let year, let month): monthPosts(year: year, month: month)
        case .tags, .areas, .archive, .page, .search, .notFound: []
        }
    }

    /// Posts whose whole body the output shows.
    func postBodiesShown(by kind: PlannedOutput.Kind) -> [Int] {
        switch kind {
        case .page(.home), .siteFeed, .tagFeed, .areaFeed: return postsShown(by: kind)
        case .page(.post(let index)): return [index]
        default: return []
        }
    }

    static func slice<Indices: RandomAccessCollection<Int>>(_ indices: Indices, page: Int, perPage: Int) -> [Int] {
        let start = (page - 1) * perPage
        guard start >= 0, start < indices.count else { return [] }
        let first = indices.index(indices.startIndex, offsetBy: start)
        return Array(indices[first..<indices.index(first, offsetBy: min(perPage, indices.count - start))])
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
        if site.settings.search { jobs.append(.search) }
        jobs.append(.notFound)
        return jobs
    }

    static func pageCount(_ items: Int, _ perPage: Int) -> Int {
        max(1, (items + perPage - 1) / perPage)
    }

    static func pagePath(_ first: String, _ page: Int) -> String {
        page == 1 ? first : first + "page/\(page)/"
    }

    /// The address of a page below the site's base: `tags/funding/page/2/`.
    func urlPath(of job: PageJob) -> String {
        switch job {
        case .home(let number): Self.pagePath("", number)
        case .post(let index): site.posts[index].path
        case .tags: "tags/"
        case .tag(let index, let number): Self.pagePath(site.tags[index].path, number)
        case .areas: "areas/"
        case .area(let index): site.areas[index].path
        case .archive: "archive/"
        case .year(let index): site.archive[index].path
        case .month(let year, let month): site.archive[year].months[month].path
        case .page(let index): site.pages[index].path
        case .search: SearchIndex.pagePath
        case .notFound: "404.html"
        }
    }

    /// The output file and origin of a page, without rendering it.
    func location(of job: PageJob) -> (path: String, origin: String) {
        let urlPath = urlPath(of: job)
        let file = urlPath.isEmpty || urlPath.hasSuffix("/") ? urlPath + "index.html" : urlPath
        if case .post(let index) = job { return (file, site.posts[index].sourcePath) }
        return (file, "page \(site.settings.baseURL.url(urlPath))")
    }
}
