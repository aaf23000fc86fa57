import MustacheEngine

// The archive: every month with its count, then a page per year and per month with the
// summaries of the posts of that time.

extension SitePlanner {
    func yearPosts(_ index: Int) -> [Int] { site.archive[index].months.flatMap(\.postIndices) }

    func monthPosts(year: Int, month: Int) -> [Int] { site.archive[year].months[month].postIndices }
}

extension PageRenderer {
    func archive() -> PageView {
        var view = PageView(template: "archive", section: "archive")
        view.context["years"] = models.archiveYears()
        view.context["hasPosts"] = .bool(!site.posts.isEmpty)
        view.page["title"] = .text("Archive | \(title)")
        view.page["heading"] = "Archive"
        view.page["description"] = .text("Every month of \(title), with its number of posts.")
        return view
    }

    func year(_ index: Int, posts: [Int]) -> PageView {
        let year = site.archive[index]
        var view = period(String(year.year), posts: posts)
        view.context["months"] = models.archiveMonths(year)
        return view
    }

    func month(year yearIndex: Int, month monthIndex: Int, posts: [Int]) -> PageView {
        let month = site.archive[yearIndex].months[monthIndex]
        var view = period(month.name, posts: posts)
        view.context["yearURL"] = .text(base.url(site.archive[yearIndex].path))
        view.context["year"] = .text(String(month.year))
        return view
    }

    /// What a year's page and a month's page share: the posts' summaries by day, their count,
    /// and the title, heading and description naming the period.
    private func period(_ name: String, posts: [Int]) -> PageView {
        var view = PageView(template: "period")
        view.context["days"] = models.days(posts, full: false)
        view.context["countLabel"] = .text(Wording.count(posts.count, "post"))
        view.page["title"] = .text("\(name) | \(title)")
        view.page["heading"] = .text("Posts of \(name)")
        view.page["description"] = .text("Everything posted on \(title) in \(name).")
        return view
    }
}
