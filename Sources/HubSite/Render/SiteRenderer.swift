/// The render stage: a `Site` and a theme in, every output file (path and bytes) out.
/// Pure and deterministic: the same site gives the same bytes, in the same order.
public struct SiteRenderer: Sendable {
    /// Ids the default theme gives its own elements; body headings keep clear of them.
    public static let themeIDs: Set<String> = ["site-header", "site-nav", "site-main", "site-sidebar",
                                               "site-footer", "comments", "snippets", "posts"]

    let site: Site
    let theme: Theme

    public init(site: Site, theme: Theme) {
        self.site = site
        self.theme = theme
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

    public func render() -> [OutputFile] {
        let models = ViewModels(site: site)
        let sidebar = theme.render(models.sidebarContext(), template: "sidebar")
        let pages = jobs().parallelMap { job in
            renderPage(job, models: models, siteContext: models.siteContext(sidebarHTML: sidebar))
        }
        var files = pages
        files += FeedRenderer(site: site).render()
        files.append(SitemapRenderer(site: site).render())
        files.append(robots())
        files += aliases()
        files += site.themeAssets.map { OutputFile(path: $0.outputPath, bytes: $0.bytes, origin: $0.displayPath) }
        files += site.staticFiles.map { OutputFile(path: $0.outputPath, bytes: $0.bytes, origin: $0.displayPath) }
        return files
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

    // MARK: - Pages

    private func renderPage(_ job: PageJob, models: ViewModels, siteContext: [String: Any]) -> OutputFile {
        let base = site.settings.baseURL
        let siteFeed = feedLink(title: site.settings.title, path: "feed.xml")
        var context: [String: Any] = ["site": siteContext]
        var page: [String: Any] = [:]
        let template: String
        let path: String
        var feeds = [siteFeed]
        var section = ""
        var origin = ""

        switch job {
        case .home(let number):
            path = Self.pagePath("", number)
            let slice = slice(site.posts.indices, page: number)
            context["days"] = models.days(site.posts(at: slice), full: true)
            context["pagination"] = models.pagination(page: number, pageCount: Self.pageCount(site.posts.count, site.settings.postsPerPage), firstPath: "")
            context["hasPosts"] = !site.posts.isEmpty
            page["title"] = number == 1 ? site.settings.title : "\(site.settings.title): page \(number)"
            page["heading"] = site.settings.title
            page["isHome"] = number == 1
            page["description"] = site.settings.tagline ?? site.settings.title
            template = "index"
            section = number == 1 ? "home" : ""

        case .post(let index):
            let post = site.posts[index]
            path = post.path
            origin = post.sourcePath
            context["post"] = models.postFull(post, idPrefix: "")
            context["comments"] = models.comments(of: post)
            context["hasComments"] = !post.comments.isEmpty
            context["commentsHeading"] = "\(ViewModels.commentsLabel(post.comments.count)):"
            if index > 0 { context["newer"] = models.postSummary(site.posts[index - 1]) }
            if index + 1 < site.posts.count { context["older"] = models.postSummary(site.posts[index + 1]) }
            page["title"] = "\(post.title) | \(site.settings.title)"
            page["heading"] = post.title
            page["description"] = post.summary
            page["type"] = "article"
            feeds += post.areas.map { feedLink(title: "\(site.settings.title): \($0.name)", path: "areas/\($0.slug)/feed.xml") }
            feeds += post.tags.compactMap { reference in
                site.tags.first { $0.slug == reference.slug }.map { feedLink(title: "\(site.settings.title): \($0.name)", path: "\($0.path)feed.xml") }
            }
            template = "post"

        case .tags:
            path = "tags/"
            context["tags"] = site.tags.map { tag -> [String: Any] in
                ["name": tag.name, "url": base.url(tag.path), "count": tag.postIndices.count,
                 "feedURL": base.url(tag.path + "feed.xml")]
            }
            page["title"] = "Tags | \(site.settings.title)"
            page["heading"] = "Tags"
            page["description"] = "Every tag on \(site.settings.title), with its number of posts."
            template = "tags"
            section = "tags"

        case .tag(let index, let number):
            let tag = site.tags[index]
            path = Self.pagePath(tag.path, number)
            let slice = slice(tag.postIndices.indices, page: number).map { tag.postIndices[$0] }
            context["tag"] = ["name": tag.name, "url": base.url(tag.path), "count": tag.postIndices.count,
                              "countLabel": Self.postsLabel(tag.postIndices.count),
                              "feedURL": base.url(tag.path + "feed.xml")] as [String: Any]
            context["days"] = models.days(site.posts(at: slice), full: false)
            context["pagination"] = models.pagination(page: number, pageCount: Self.pageCount(tag.postIndices.count, site.settings.postsPerPage), firstPath: tag.path)
            page["title"] = "\(tag.name)\(number > 1 ? ", page \(number)" : "") | \(site.settings.title)"
            page["heading"] = "Posts tagged \u{201C}\(tag.name)\u{201D}"
            page["description"] = "Posts tagged \(tag.name) on \(site.settings.title)."
            let tagFeed = feedLink(title: "\(site.settings.title): \(tag.name)", path: tag.path + "feed.xml")
            feeds.append(tagFeed)
            page["pageFeed"] = tagFeed
            template = "tag"

        case .areas:
            path = "areas/"
            context["areas"] = site.areas.map { area -> [String: Any] in
                var item: [String: Any] = ["name": area.name, "url": base.url(area.path),
                                           "snippetCount": area.snippets.count, "postCount": area.postIndices.count]
                if let region = area.region { item["region"] = region }
                return item
            }
            page["title"] = "Areas | \(site.settings.title)"
            page["heading"] = "Areas"
            page["description"] = "Every local area on \(site.settings.title), with its region."
            template = "areas"
            section = "areas"

        case .area(let index):
            let area = site.areas[index]
            path = area.path
            var areaContext: [String: Any] = [
                "name": area.name, "url": base.url(area.path), "body": area.body.html(),
                "snippetCount": area.snippets.count, "postCount": area.postIndices.count,
                "hasSnippets": !area.snippets.isEmpty, "hasPosts": !area.postIndices.isEmpty,
            ]
            if let region = area.region { areaContext["region"] = region }
            if let website = area.website { areaContext["website"] = website }
            if area.hasFeed { areaContext["feedURL"] = base.url(area.path + "feed.xml") }
            context["area"] = areaContext
            context["snippets"] = area.snippets.map { snippet -> [String: Any] in
                var item: [String: Any] = [
                    "title": snippet.title, "anchor": snippet.anchor, "url": base.url(area.path) + "#" + snippet.anchor,
                    "dateText": snippet.date.britishDate, "dateISO": snippet.date.iso8601,
                    "body": snippet.body.html(idPrefix: snippet.anchor + "-"),
                    "tags": snippet.tags.map { ["name": $0] }, "hasTags": !snippet.tags.isEmpty,
                ]
                if let source = snippet.source { item["source"] = source }
                return item
            }
            context["posts"] = site.posts(at: area.postIndices).map(models.postSummary)
            page["title"] = "\(area.name) | \(site.settings.title)"
            page["heading"] = area.name
            page["description"] = area.body.summary.isEmpty ? "What \(area.name) is doing." : area.body.summary
            if area.hasFeed {
                let areaFeed = feedLink(title: "\(site.settings.title): \(area.name)", path: area.path + "feed.xml")
                feeds.append(areaFeed)
                page["pageFeed"] = areaFeed
            }
            template = "area"

        case .archive:
            path = "archive/"
            context["years"] = site.archive.map { year -> [String: Any] in
                ["year": String(year.year), "url": base.url(year.path), "count": year.postCount,
                 "months": year.months.map { month -> [String: Any] in
                     ["name": month.name, "url": base.url(month.path), "count": month.postIndices.count]
                 }]
            }
            context["hasPosts"] = !site.posts.isEmpty
            page["title"] = "Archive | \(site.settings.title)"
            page["heading"] = "Archive"
            page["description"] = "Every month of \(site.settings.title), with its number of posts."
            template = "archive"
            section = "archive"

        case .year(let yearIndex):
            let year = site.archive[yearIndex]
            path = year.path
            let indices = year.months.flatMap(\.postIndices)
            context["days"] = models.days(site.posts(at: indices), full: false)
            context["months"] = year.months.map { month -> [String: Any] in
                ["name": month.name, "url": base.url(month.path), "count": month.postIndices.count]
            }
            context["countLabel"] = Self.postsLabel(indices.count)
            page["title"] = "\(year.year) | \(site.settings.title)"
            page["heading"] = "Posts of \(year.year)"
            page["description"] = "Everything posted on \(site.settings.title) in \(year.year)."
            template = "period"

        case .month(let yearIndex, let monthIndex):
            let month = site.archive[yearIndex].months[monthIndex]
            path = month.path
            context["days"] = models.days(site.posts(at: month.postIndices), full: false)
            context["countLabel"] = Self.postsLabel(month.postIndices.count)
            context["yearURL"] = base.url(site.archive[yearIndex].path)
            context["year"] = String(month.year)
            page["title"] = "\(month.name) | \(site.settings.title)"
            page["heading"] = "Posts of \(month.name)"
            page["description"] = "Everything posted on \(site.settings.title) in \(month.name)."
            template = "period"

        case .page(let index):
            let standalone = site.pages[index]
            path = standalone.path
            context["body"] = standalone.body.html()
            page["title"] = "\(standalone.title) | \(site.settings.title)"
            page["heading"] = standalone.title
            page["description"] = standalone.summary
            template = "page"
            section = standalone.slug == "about" ? "about" : ""

        case .notFound:
            path = "404.html"
            page["title"] = "Page not found | \(site.settings.title)"
            page["heading"] = "Page not found"
            page["description"] = "This page does not exist."
            template = "404"
        }

        page["canonicalURL"] = path == "404.html" ? base.absolute("") : base.absolute(path)
        page["feeds"] = feeds
        page["nav"] = models.navigation(current: section)
        context["page"] = page
        let html = theme.render(context, template: template)
        let file = path.hasSuffix("/") || path.isEmpty ? path + "index.html" : path
        return OutputFile(path: file, text: html, origin: origin.isEmpty ? "page \(base.url(path))" : origin)
    }

    private func slice(_ indices: Range<Int>, page: Int) -> [Int] {
        let perPage = site.settings.postsPerPage
        let start = indices.lowerBound + (page - 1) * perPage
        return Array(start..<min(indices.upperBound, start + perPage))
    }

    private func feedLink(title: String, path: String) -> [String: Any] {
        ["title": title, "url": site.settings.baseURL.url(path)]
    }

    // MARK: - Small files

    private func robots() -> OutputFile {
        let text = "User-agent: *\nAllow: /\n\nSitemap: \(site.settings.baseURL.absolute("sitemap.xml"))\n"
        return OutputFile(path: "robots.txt", text: text, origin: "robots.txt")
    }

    /// Redirect pages for old URLs of moved posts. Plain HTML, not themed: nobody reads them.
    private func aliases() -> [OutputFile] {
        site.posts.flatMap { post in
            post.aliasPaths.map { aliasPath in
                let target = HTMLEscaping.escape(site.settings.baseURL.absolute(post.path))
                let title = HTMLEscaping.escape(post.title)
                let html = """
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
                return OutputFile(path: aliasPath, text: html, origin: post.sourcePath)
            }
        }
    }
}
