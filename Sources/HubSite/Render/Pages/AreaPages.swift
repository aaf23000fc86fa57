import MustacheEngine

// The list of areas, and each area's page: its profile, its snippets in full and its posts'
// summaries.

extension SitePlanner {
    func areaPosts(_ index: Int) -> [Int] { site.areas[index].postIndices }
}

extension PageRenderer {
    func areaList() -> PageView {
        var view = PageView(template: "areas", section: "areas")
        view.context["areas"] = .list(site.areas.map { area in
            ["name": .text(area.name), "url": .text(base.url(area.path)), "region": .optional(area.region),
             "snippetCount": .number(area.snippets.count), "postCount": .number(area.postIndices.count),
             "snippetsLabel": .text(Wording.count(area.snippets.count, "snippet")),
             "postsLabel": .text(Wording.count(area.postIndices.count, "post"))]
        })
        view.page["title"] = .text("Areas | \(title)")
        view.page["heading"] = "Areas"
        view.page["description"] = .text("Every local area on \(title), with its region.")
        return view
    }

    func area(_ index: Int, posts: [Int]) -> PageView {
        let area = site.areas[index]
        var view = PageView(template: "area")
        view.context["areaFilter"] = .text(area.name)
        view.context["area"] = [
            "name": .text(area.name), "url": .text(base.url(area.path)), "body": .text(area.body.html()),
            "region": .optional(area.region), "website": .optional(area.website),
            "feedURL": area.hasFeed ? .text(base.url(area.path + "feed.xml")) : .null,
            "snippetCount": .number(area.snippets.count), "postCount": .number(area.postIndices.count),
            "hasSnippets": .bool(!area.snippets.isEmpty), "hasPosts": .bool(!area.postIndices.isEmpty),
            "hasMeta": .bool(area.region != nil || area.website != nil || area.hasFeed),
        ]
        view.context["snippets"] = .list(area.snippets.map { snippet in
            [
                "title": .text(snippet.title), "anchor": .text(snippet.anchor),
                "url": .text(base.url(area.path) + "#" + HTMLEscaping.percentEncode(snippet.anchor)),
                "dateText": .text(snippet.date.britishDate), "dateISO": .text(snippet.date.iso8601),
                "body": .text(snippet.body.html(idPrefix: snippet.anchor + "--")),
                "source": .optional(snippet.source),
                "tags": .list(snippet.tags.map { ["name": .text($0)] }), "hasTags": .bool(!snippet.tags.isEmpty),
            ]
        })
        view.context["posts"] = .list(posts.map { .object(models.postSummary(at: $0)) })
        view.page["title"] = .text("\(area.name) | \(title)")
        view.page["heading"] = .text(area.name)
        view.page["description"] = .text(area.body.summary.isEmpty ? "What \(area.name) is doing." : area.body.summary)
        if area.hasFeed {
            let areaFeed = feedLink(title: "\(title): \(area.name)", path: area.path + "feed.xml", label: "Follow \(area.name)")
            view.feeds.append(areaFeed)
            view.page["pageFeed"] = areaFeed
            view.page["ownFeed"] = areaFeed
        }
        return view
    }
}
