import MustacheEngine

// Pages of `content/pages/` (about, contact, ...) and the page for addresses that have none.
// Neither shows a post.

extension PageRenderer {
    func standalone(_ index: Int) -> PageView {
        let standalone = site.pages[index]
        var view = PageView(template: "page", section: standalone.slug == "about" ? "about" : "")
        view.context["body"] = .text(standalone.body.html())
        view.page["title"] = .text("\(standalone.title) | \(title)")
        view.page["heading"] = .text(standalone.title)
        view.page["description"] = .text(standalone.summary)
        return view
    }

    /// The search page (docs/search.md): its form and filters; the script fills in the results.
    func search() -> PageView {
        var view = PageView(template: "search", section: "search")
        view.context["search"] = models.searchPage()
        view.page["title"] = .text("Search | \(title)")
        view.page["heading"] = "Search"
        view.page["description"] = .text("Search the posts, pages and area snippets of \(title).")
        return view
    }

    func notFound() -> PageView {
        var view = PageView(template: "404")
        view.page["title"] = .text("Page not found | \(title)")
        view.page["heading"] = "Page not found"
        view.page["description"] = "This page does not exist."
        return view
    }
}
