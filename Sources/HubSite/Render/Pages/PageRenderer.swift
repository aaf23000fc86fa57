import MustacheEngine

/// What one page shows, before the theme lays it out: its template, the values that page's
/// template reads, and the page-wide values (`page.*`) every template's head and header read.
struct PageView {
    var template: String
    var context: [String: TemplateValue] = [:]
    var page: [String: TemplateValue] = [:]
    /// Feeds beside the site's own, for `<link rel="alternate">`.
    var feeds: [TemplateValue] = []
    /// The menu entry to mark as current.
    var section = ""
}

/// Makes the `PageView` of each kind of page: one function per kind, each in the file of its
/// kind beside the planner's "which posts does it show", which hands it those posts.
struct PageRenderer {
    let site: Site
    let models: ViewModels

    var base: BaseURL { site.settings.baseURL }
    var title: String { site.settings.title }

    /// A feed: `title` for `<link rel="alternate">`, `label` for links a reader sees.
    func feedLink(title: String, path: String, label: String? = nil) -> TemplateValue {
        ["title": .text(title), "url": .text(base.url(path)), "label": .text(label ?? title)]
    }

    var siteFeed: TemplateValue { feedLink(title: title, path: "feed.xml") }

    /// The view of `job`, which shows (in summary or in full) the posts at `posts`.
    func view(of job: SitePlanner.PageJob, posts: [Int]) -> PageView {
        switch job {
        case .home(let number): home(page: number, posts: posts)
        case .post(let index): post(index)
        case .tags: tagList()
        case .tag(let index, let number): tag(index, page: number, posts: posts)
        case .areas: areaList()
        case .area(let index): area(index, posts: posts)
        case .archive: archive()
        case .year(let index): year(index, posts: posts)
        case .month(let yearIndex, let monthIndex): month(year: yearIndex, month: monthIndex, posts: posts)
        case .page(let index): standalone(index)
        case .search: search()
        case .notFound: notFound()
        }
    }
}

/// Counted nouns, the one rule for every count the site shows: "no posts", "1 post", "2 posts".
enum Wording {
    static func count(_ number: Int, _ noun: String) -> String {
        switch number {
        case 0: "no \(noun)s"
        case 1: "1 \(noun)"
        default: "\(number) \(noun)s"
        }
    }

    /// The same at the start of a sentence or heading: "No comments".
    static func countAtStart(_ number: Int, _ noun: String) -> String {
        number == 0 ? "No \(noun)s" : count(number, noun)
    }
}
