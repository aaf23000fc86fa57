import MustacheEngine

// A post's page: the post in full, its comments, and the newer and older posts' summaries.

extension SitePlanner {
    func postPagePosts(_ index: Int) -> [Int] {
        [index - 1, index, index + 1].filter(site.posts.indices.contains)
    }
}

extension PageRenderer {
    func post(_ index: Int) -> PageView {
        let post = site.posts[index]
        var view = PageView(template: "post")
        view.context["post"] = .object(models.postFull(at: index, idPrefix: ""))
        view.context["comments"] = models.comments(of: post)
        view.context["hasComments"] = .bool(!post.comments.isEmpty)
        view.context["commentsHeading"] = .text("\(Wording.countAtStart(post.comments.count, "comment")):")
        if index > 0 { view.context["newer"] = .object(models.postSummary(at: index - 1)) }
        if index + 1 < site.posts.count { view.context["older"] = .object(models.postSummary(at: index + 1)) }
        view.page["title"] = .text("\(post.title) | \(title)")
        view.page["heading"] = .text(post.title)
        view.page["description"] = .text(post.summary)
        view.context["commentForm"] = models.commentForm(for: post)
        view.page["preview"] = LinkPreview.post(post, site: site).context
        view.page["structuredData"] = .text(LinkPreview.structuredData(post, site: site))
        view.feeds += post.areas.map { feedLink(title: "\(title): \($0.name)", path: Area.path(slug: $0.slug) + "feed.xml") }
        view.feeds += post.tags.map { feedLink(title: "\(title): \($0.name)", path: Tag.path(slug: $0.slug) + "feed.xml") }
        return view
    }
}
