import MustacheEngine

// The list of tags, and each tag's pages: its posts' summaries, `postsPerPage` to a page.

extension SitePlanner {
    func tagPosts(_ index: Int, page: Int) -> [Int] {
        Self.slice(site.tags[index].postIndices, page: page, perPage: site.settings.postsPerPage)
    }
}

extension PageRenderer {
    func tagList() -> PageView {
        var view = PageView(template: "tags", section: "tags")
        view.context["tags"] = .list(site.tags.map { tag in
            ["name": .text(tag.name), "url": .text(base.url(tag.path)), "count": .number(tag.postIndices.count),
             "feedURL": .text(base.url(tag.path + "feed.xml"))]
        })
        view.page["title"] = .text("Tags | \(title)")
        view.page["heading"] = "Tags"
        view.page["description"] = .text("Every tag on \(title), with its number of posts.")
        return view
    }

    func tag(_ index: Int, page number: Int, posts: [Int]) -> PageView {
        let tag = site.tags[index]
        var view = PageView(template: "tag")
        view.context["tag"] = ["name": .text(tag.name), "url": .text(base.url(tag.path)), "count": .number(tag.postIndices.count),
                               "countLabel": .text(Wording.count(tag.postIndices.count, "post")),
                               "feedURL": .text(base.url(tag.path + "feed.xml"))]
        view.context["days"] = models.days(posts, full: false)
        view.context["posts"] = .list(posts.map { .object(models.postSummary(at: $0)) })
        view.context["pagination"] = models.pagination(
            page: number, pageCount: SitePlanner.pageCount(tag.postIndices.count, site.settings.postsPerPage), firstPath: tag.path)
        view.page["title"] = .text("\(tag.name)\(number > 1 ? ", page \(number)" : "") | \(title)")
        view.page["heading"] = .text("Posts tagged \u{201C}\(tag.name)\u{201D}")
        view.page["description"] = .text("Posts tagged \(tag.name) on \(title).")
        let tagFeed = feedLink(title: "\(title): \(tag.name)", path: tag.path + "feed.xml", label: "Follow \(tag.name)")
        view.feeds.append(tagFeed)
        view.page["pageFeed"] = tagFeed
        view.page["ownFeed"] = tagFeed
        return view
    }
}
