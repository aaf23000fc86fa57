/// What templates see: plain dictionaries of strings, numbers, booleans and arrays, made from
/// the model here and nowhere else. (Dictionaries render about 2.6x faster than structs read
/// by reflection.) Every value is escaped by the template's `{{ }}` except rendered HTML,
/// which templates place with `{{{ }}}`: `body`, `sidebar`.
struct ViewModels {
    let site: Site
    let base: BaseURL

    init(site: Site) {
        self.site = site
        self.base = site.settings.baseURL
    }

    func url(_ path: String) -> String { base.url(path) }

    // MARK: Site-wide

    /// Values every page shares, computed once.
    func siteContext(sidebarHTML: String) -> [String: Any] {
        let settings = site.settings
        var context: [String: Any] = [
            "title": settings.title,
            "language": settings.language,
            "homeURL": url(""),
            "feedURL": url("feed.xml"),
            "assetsURL": url("assets/"),
            "areasURL": url("areas/"),
            "tagsURL": url("tags/"),
            "archiveURL": url("archive/"),
            "sidebar": sidebarHTML,
        ]
        if let tagline = settings.tagline { context["tagline"] = tagline }
        if let note = settings.commentNote { context["commentNote"] = note }
        if let about = site.pages.first(where: { $0.slug == "about" }) {
            context["aboutURL"] = url(about.path)
            context["aboutSummary"] = about.summary
        }
        return context
    }

    /// The sidebar's lists: areas, tags and the archive, with counts.
    func sidebarContext() -> [String: Any] {
        var context: [String: Any] = [
            "areas": site.areas.map { area -> [String: Any] in
                ["name": area.name, "url": url(area.path), "snippetCount": area.snippets.count,
                 "postCount": area.postIndices.count]
            },
            "tags": site.tags.map { tag -> [String: Any] in
                ["name": tag.name, "url": url(tag.path), "count": tag.postIndices.count]
            },
            "years": site.archive.map { year -> [String: Any] in
                ["year": String(year.year), "url": url(year.path), "count": year.postCount,
                 "months": year.months.map { month -> [String: Any] in
                     ["name": month.name, "url": url(month.path), "count": month.postIndices.count]
                 }]
            },
            "feedURL": url("feed.xml"),
        ]
        if let about = site.pages.first(where: { $0.slug == "about" }) {
            context["aboutURL"] = url(about.path)
            context["aboutSummary"] = about.summary
        }
        return context
    }

    /// Navigation with the current section marked (templates add `aria-current`).
    func navigation(current: String) -> [[String: Any]] {
        var items: [(key: String, label: String, url: String)] = [
            ("home", "Home", url("")), ("areas", "Areas", url("areas/")), ("tags", "Tags", url("tags/")),
            ("archive", "Archive", url("archive/")),
        ]
        if let about = site.pages.first(where: { $0.slug == "about" }) {
            items.append(("about", "About", url(about.path)))
        }
        items.append(("subscribe", "Subscribe", url("feed.xml")))
        return items.map { ["label": $0.label, "url": $0.url, "current": $0.key == current] }
    }

    // MARK: Posts

    func postSummary(_ post: Post) -> [String: Any] {
        var context: [String: Any] = [
            "title": post.title,
            "url": url(post.path),
            "dateText": post.date.britishDate,
            "dateISO": post.date.iso8601,
            "time": post.date.clockTime,
            "summary": post.summary,
            "tags": post.tags.map { ["name": $0.name, "url": url("tags/\($0.slug)/")] },
            "hasTags": !post.tags.isEmpty,
            "areas": post.areas.map { ["name": $0.name, "url": url("areas/\($0.slug)/")] },
            "hasAreas": !post.areas.isEmpty,
            "commentCount": post.comments.count,
            "commentsLabel": Self.commentsLabel(post.comments.count),
            "commentsURL": url(post.path) + "#comments",
            "hasBody": false,
        ]
        if let author = post.author { context["author"] = author }
        if let role = post.role { context["role"] = role }
        context["hasByline"] = post.author != nil || post.role != nil
        if let updated = post.updated, updated != post.date {
            context["updatedText"] = updated.britishDate
            context["updatedISO"] = updated.iso8601
        }
        return context
    }

    /// A post with its body; `idPrefix` keeps heading ids unique on pages with several bodies.
    func postFull(_ post: Post, idPrefix: String) -> [String: Any] {
        var context = postSummary(post)
        context["body"] = post.body.html(idPrefix: idPrefix)
        context["hasBody"] = true
        return context
    }

    func comments(of post: Post) -> [[String: Any]] {
        post.comments.map { comment in
            [
                "name": comment.name,
                "organisation": comment.organisation,
                "dateText": comment.date.britishDate,
                "time": comment.date.clockTime,
                "dateISO": comment.date.iso8601,
                "anchor": comment.anchor,
                "body": comment.body.html(idPrefix: comment.anchor + "-"),
            ]
        }
    }

    /// "No comments", "1 comment", "2 comments".
    static func commentsLabel(_ count: Int) -> String {
        switch count {
        case 0: "No comments"
        case 1: "1 comment"
        default: "\(count) comments"
        }
    }

    /// Posts under their date headers, as the hub has always shown them.
    func days(_ posts: [Post], full: Bool) -> [[String: Any]] {
        var days: [[String: Any]] = []
        var currentDay = ""
        var current: [[String: Any]] = []
        var currentDate: Moment?
        func flush() {
            guard let date = currentDate, !current.isEmpty else { return }
            days.append(["dateText": date.britishDate, "dateISO": date.isoDay, "posts": current])
        }
        for post in posts {
            if post.date.isoDay != currentDay {
                flush()
                currentDay = post.date.isoDay
                currentDate = post.date
                current = []
            }
            current.append(full ? postFull(post, idPrefix: post.slug + "-") : postSummary(post))
        }
        flush()
        return days
    }

    // MARK: Pagination

    func pagination(page: Int, pageCount: Int, firstPath: String) -> [String: Any] {
        func path(_ number: Int) -> String { number == 1 ? firstPath : firstPath + "page/\(number)/" }
        var context: [String: Any] = ["page": page, "pageCount": pageCount, "isPaged": pageCount > 1]
        if page > 1 { context["newerURL"] = url(path(page - 1)) }
        if page < pageCount { context["olderURL"] = url(path(page + 1)) }
        return context
    }
}
