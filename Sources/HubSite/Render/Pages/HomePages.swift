import MustacheEngine

// Home pages (`/`, `/page/2/`, ...): the newest posts in full, `postsPerPage` to a page.

extension SitePlanner {
    func homePosts(page: Int) -> [Int] {
        Self.slice(site.posts.indices, page: page, perPage: site.settings.postsPerPage)
    }
}

extension PageRenderer {
    func home(page number: Int, posts: [Int]) -> PageView {
        var view = PageView(template: "index", section: number == 1 ? "home" : "")
        view.context["days"] = models.days(posts, full: true)
        view.context["pagination"] = models.pagination(
            page: number, pageCount: SitePlanner.pageCount(site.posts.count, site.settings.postsPerPage), firstPath: "")
        view.context["hasPosts"] = .bool(!site.posts.isEmpty)
        view.page["title"] = .text(number == 1 ? title : "\(title): page \(number)")
        view.page["heading"] = .text(title)
        view.page["isHome"] = .bool(number == 1)
        view.page["description"] = .text(site.settings.tagline ?? title)
        view.page["ownFeed"] = siteFeed
        return view
    }
}
