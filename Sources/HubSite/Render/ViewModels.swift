import MustacheEngine

/// What templates see, made from the model here and nowhere else: `TemplateValue` objects of
/// text, numbers, booleans and lists. Templates escape every value with `{{ }}`; the only
/// values placed raw with `{{{ }}}` are HTML the site rendered itself: `body`, `sidebar`, and
/// the JSON-LD `structuredData` (escaped for a script element by `JSONText`).
struct ViewModels: Sendable {
    let site: Site
    let base: BaseURL
    /// Each post's summary view, made once: a post shows in many lists. Empty when only a
    /// few pages are rendered (an incremental build): they make the summaries they show.
    private let summaries: [[String: TemplateValue]]

    init(site: Site, precomputeSummaries: Bool = true) {
        self.site = site
        self.base = site.settings.baseURL
        summaries = precomputeSummaries ? site.posts.parallelMap { [base] post in Self.makeSummary(post, base: base) } : []
    }

    /// The summary view of the post at `index` in `Site.posts`.
    func postSummary(at index: Int) -> [String: TemplateValue] {
        summaries.isEmpty ? Self.makeSummary(site.posts[index], base: base) : summaries[index]
    }

    func url(_ path: String) -> TemplateValue { .text(base.url(path)) }

    private var aboutPage: Page? { site.pages.first { $0.slug == "about" } }

    // MARK: Site-wide

    /// Values every page shares, computed once.
    func siteContext(sidebarHTML: String) -> TemplateValue {
        let settings = site.settings
        var context: [String: TemplateValue] = [
            "title": .text(settings.title),
            "language": .text(settings.language),
            "homeURL": url(""),
            "feedURL": url("feed.xml"),
            "assetsURL": url("assets/"),
            "areasURL": url("areas/"),
            "tagsURL": url("tags/"),
            "archiveURL": url("archive/"),
            "sidebar": .text(sidebarHTML),
            "tagline": .optional(settings.tagline),
            "commentNote": .optional(settings.commentNote),
            "search": .bool(settings.search),
            "searchURL": url(SearchIndex.pagePath),
        ]
        if let about = aboutPage {
            context["aboutURL"] = url(about.path)
            context["aboutSummary"] = .text(about.summary)
        }
        return .object(context)
    }

    /// The sidebar's lists: areas, tags and the archive, with counts.
    func sidebarContext() -> TemplateValue {
        var context: [String: TemplateValue] = [
            "areas": .list(site.areas.map { area in
                ["name": .text(area.name), "url": url(area.path), "snippetCount": .number(area.snippets.count),
                 "snippetsLabel": .text(Wording.count(area.snippets.count, "snippet")),
                 "postCount": .number(area.postIndices.count)]
            }),
            "tags": .list(sidebarTags.map { tag in
                ["name": .text(tag.name), "url": url(tag.path), "count": .number(tag.postIndices.count)]
            }),
            "moreTags": .bool(sidebarTags.count < site.tags.count),
            "tagCount": .number(site.tags.count),
            "years": archiveYears(),
            "feedURL": url("feed.xml"),
            "tagsURL": url("tags/"),
        ]
        if let about = aboutPage {
            context["aboutURL"] = url(about.path)
            context["aboutSummary"] = .text(about.summary)
        }
        return .object(context)
    }

    /// The sidebar is on every page: past `sidebarTagLimit` tags it lists the most used ones
    /// (in slug order) and links to the tags page, so a site with thousands of tags does not
    /// repeat them all on every page.
    static let sidebarTagLimit = 60

    private var sidebarTags: [Tag] {
        guard site.tags.count > Self.sidebarTagLimit else { return site.tags }
        let kept = site.tags.indices
            .sorted { (site.tags[$1].postIndices.count, site.tags[$0].slug) < (site.tags[$0].postIndices.count, site.tags[$1].slug) }
            .prefix(Self.sidebarTagLimit)
        return kept.sorted().map { site.tags[$0] }
    }

    func archiveYears() -> TemplateValue {
        .list(site.archive.map { year in
            ["year": .text(String(year.year)), "url": url(year.path), "count": .number(year.postCount),
             "months": archiveMonths(year)]
        })
    }

    func archiveMonths(_ year: ArchiveYear) -> TemplateValue {
        .list(year.months.map { month in
            ["name": .text(month.name), "url": url(month.path), "count": .number(month.postIndices.count)]
        })
    }

    /// Navigation with the current section marked (templates add `aria-current`).
    func navigation(current: String) -> TemplateValue {
        var items: [(key: String, label: String, path: String)] = [
            ("home", "Home", ""), ("areas", "Areas", "areas/"), ("tags", "Tags", "tags/"), ("archive", "Archive", "archive/"),
        ]
        if let about = aboutPage { items.append(("about", "About", about.path)) }
        items.append(("subscribe", "Subscribe", "feed.xml"))
        return .list(items.map { ["label": .text($0.label), "url": url($0.path), "current": .bool($0.key == current)] })
    }

    // MARK: Posts

    private static func makeSummary(_ post: Post, base: BaseURL) -> [String: TemplateValue] {
        func url(_ path: String) -> TemplateValue { .text(base.url(path)) }
        var context: [String: TemplateValue] = [
            "title": .text(post.title),
            "url": url(post.path),
            "dateText": .text(post.date.britishDate),
            "dateISO": .text(post.date.iso8601),
            "dateDay": .text(post.date.isoDay),
            "dateMedium": .text(post.date.dayMonthYear),
            "dateShort": .text(post.date.shortDayMonthYear),
            "time": .text(post.date.clockTime),
            "summary": .text(post.summary),
            "tags": .list(post.tags.map { ["name": .text($0.name), "url": url(Tag.path(slug: $0.slug))] }),
            "hasTags": .bool(!post.tags.isEmpty),
            "areas": .list(post.areas.map { ["name": .text($0.name), "url": url(Area.path(slug: $0.slug))] }),
            "hasAreas": .bool(!post.areas.isEmpty),
            "commentCount": .number(post.comments.count),
            "commentsLabel": .text(Wording.countAtStart(post.comments.count, "comment")),
            "commentsURL": .text(base.url(post.path) + "#comments"),
            "hasBody": false,
            "author": .optional(post.author),
            "role": .optional(post.role),
            "hasByline": .bool(post.author != nil || post.role != nil),
        ]
        if let updated = post.updated, updated != post.date {
            context["updatedText"] = .text(updated.britishDate)
            context["updatedISO"] = .text(updated.iso8601)
        }
        return context
    }

    /// A post with its body; `idPrefix` keeps heading ids unique on pages with several bodies.
    func postFull(at index: Int, idPrefix: String) -> [String: TemplateValue] {
        // Fields read in place: a copy of the whole `Post` costs a retain per field.
        var context = postSummary(at: index)
        context["body"] = .text(site.posts[index].body.html(idPrefix: idPrefix))
        context["hasBody"] = true
        if let banner = site.posts[index].previewBanner { context["previewBanner"] = .text(banner) }
        return context
    }

    /// The comments that start threads, oldest first, each with its thread's replies beneath
    /// it (`replies`), as Blogger showed them.
    func comments(of post: Post) -> TemplateValue {
        var names: [String: String] = [:]
        for comment in post.comments { names[comment.anchor] = comment.name }
        var replies: [String: [TemplateValue]] = [:]
        for comment in post.comments {
            if let thread = comment.threadAnchor {
                replies[thread, default: []].append(.object(self.comment(comment, names: names)))
            }
        }
        return .list(post.comments.filter { $0.threadAnchor == nil }.map { comment in
            var context = self.comment(comment, names: names)
            let thread = replies[comment.anchor] ?? []
            context["replies"] = .list(thread)
            context["hasReplies"] = .bool(!thread.isEmpty)
            return .object(context)
        })
    }

    private func comment(_ comment: Comment, names: [String: String]) -> [String: TemplateValue] {
        var context: [String: TemplateValue] = [
            "name": .text(comment.name),
            "organisation": .text(comment.organisation),
            "dateText": .text(comment.date.britishDate),
            "time": .text(comment.date.clockTime),
            "dateISO": .text(comment.date.iso8601),
            "anchor": .text(comment.anchor),
            "fileStem": .text(comment.fileStem),
            "body": .text(comment.body.html(idPrefix: comment.anchor + "--")),
        ]
        if let answered = comment.replyTo, let name = names[answered] {
            context["replyTo"] = .object(["anchor": .text(answered), "name": .text(name)])
        }
        return context
    }

    /// Posts under their date headers, as the hub has always shown them.
    func days(_ indices: [Int], full: Bool) -> TemplateValue {
        var days: [TemplateValue] = []
        var current: [TemplateValue] = []
        var currentDate: Moment?
        func flush() {
            guard let date = currentDate, !current.isEmpty else { return }
            days.append(["dateText": .text(date.britishDate), "dateISO": .text(date.isoDay), "posts": .list(current)])
        }
        for index in indices {
            let date = site.posts[index].date
            if !(currentDate.map { Self.sameDay($0, date) } ?? false) {
                flush()
                currentDate = date
                current = []
            }
            current.append(.object(full ? postFull(at: index, idPrefix: site.posts[index].slug + "--") : postSummary(at: index)))
        }
        flush()
        return .list(days)
    }

    /// Whether two moments fall on the same local day (what `isoDay` shows, without formatting it).
    private static func sameDay(_ first: Moment, _ second: Moment) -> Bool {
        (first.local.year, first.local.month, first.local.day) == (second.local.year, second.local.month, second.local.day)
    }

    // MARK: Readers

    /// The comment form under a post (docs/comments.md): it posts to `comments.endpoint`;
    /// without one, a mailto link to `comments.email` stands in; without either, nothing.
    func commentForm(for post: Post) -> TemplateValue {
        let channel = site.settings.comments
        if let endpoint = channel.endpoint {
            return ["endpoint": .text(endpoint), "post": .text(post.slug),
                    "tokenURL": .text((endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint) + "/token"),
                    "limits": ["name": .number(CommentLimits.name), "organisation": .number(CommentLimits.organisation),
                               "comment": .number(CommentLimits.comment)]]
        }
        if let email = channel.email {
            let subject = "Comment on \u{201C}\(post.title)\u{201D}"
            return ["email": .text(email), "mailto": .text("mailto:\(email)?subject=\(Self.percentEncoded(subject))")]
        }
        return .null
    }

    /// For a mailto subject: everything but unreserved ASCII is percent-encoded (RFC 6068).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// The search page's filters (areas and tags, as the index records them) and links for
    /// readers without JavaScript.
    func searchPage() -> TemplateValue {
        ["areas": .list(site.areas.map { ["name": .text($0.name)] }),
         "tags": .list(site.tags.map { ["name": .text($0.name)] }),
         "hasTags": .bool(!site.tags.isEmpty),
         "bundleURL": url(SearchIndex.bundleFolder + "/"),
         "basePath": .text(base.path)]
    }

    // MARK: Pagination

    func pagination(page: Int, pageCount: Int, firstPath: String) -> TemplateValue {
        func path(_ number: Int) -> String { number == 1 ? firstPath : firstPath + "page/\(number)/" }
        var context: [String: TemplateValue] = ["page": .number(page), "pageCount": .number(pageCount), "isPaged": .bool(pageCount > 1)]
        if page > 1 { context["newerURL"] = url(path(page - 1)) }
        if page < pageCount { context["olderURL"] = url(path(page + 1)) }
        return .object(context)
    }
}
