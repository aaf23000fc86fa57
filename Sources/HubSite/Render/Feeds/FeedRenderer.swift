/// RSS 2.0 feeds: the whole site, each tag and each area (posts and snippets).
///
/// Why each element is there:
/// - `atom:link rel="self"`: readers and validators use it to know the feed's own address.
/// - `guid isPermaLink`: the item's identity; never changes, so readers never show an old post as new.
/// - `pubDate`: from content, in the site zone's offset on that date; never the build clock.
/// - `lastBuildDate`: the newest item's date, so an unchanged site gives an unchanged feed.
/// - `description` (summary as plain text) and `content:encoded` (the full post with absolute links).
/// - `dc:creator` (RSS's own `author` wants an e-mail address) and a `category` per tag.
// Which posts each feed shows, for the planner: the newest `feedItems`.
extension SitePlanner {
    func siteFeedPosts() -> [Int] { Array(site.posts.indices.prefix(site.settings.feedItems)) }

    func tagFeedPosts(_ index: Int) -> [Int] { Array(site.tags[index].postIndices.prefix(site.settings.feedItems)) }

    func areaFeedPosts(_ index: Int) -> [Int] { Array(site.areas[index].postIndices.prefix(site.settings.feedItems)) }
}

struct FeedRenderer {
    let site: Site

    struct Item {
        var title: String
        var link: String
        var guid: String
        var isPermaLink: Bool
        var date: Moment
        var creator: String?
        var categories: [String]
        var summary: String
        var content: String
        /// Tie-break for items at the same instant.
        var key: String
    }

    func siteFeed(posts: [Int]) -> String {
        let items = posts.map { item(site.posts[$0]) }
        return feed(path: "feed.xml", title: site.settings.title, pagePath: "", items: items)
    }

    func tagFeed(_ tag: Tag, posts: [Int]) -> String {
        let items = posts.map { item(site.posts[$0]) }
        return feed(path: tag.path + "feed.xml", title: "\(site.settings.title): \(tag.name)", pagePath: tag.path, items: items)
    }

    /// An area's posts and snippets together, newest first.
    func areaFeed(_ area: Area, posts: [Int]) -> String {
        let limit = site.settings.feedItems
        var items = posts.map { item(site.posts[$0]) }
        items += area.snippets.prefix(limit).map { item($0, of: area) }
        items.sort { ($1.date, $0.key) < ($0.date, $1.key) }
        return feed(path: area.path + "feed.xml", title: "\(site.settings.title): \(area.name)", pagePath: area.path,
                    items: Array(items.prefix(limit)))
    }

    private func item(_ post: Post) -> Item {
        let base = site.settings.baseURL
        return Item(title: post.title, link: base.absolute(post.path), guid: post.guid, isPermaLink: post.isPermalinkGUID,
                    date: post.date, creator: post.author, categories: post.tags.map(\.name), summary: post.summary,
                    content: post.body.html(idPrefix: "", origin: base.origin), key: "post:" + post.slug)
    }

    private func item(_ snippet: Snippet, of area: Area) -> Item {
        let base = site.settings.baseURL
        let link = base.absolute(area.path) + "#" + HTMLEscaping.percentEncode(snippet.anchor)
        return Item(title: snippet.title, link: link, guid: link, isPermaLink: true, date: snippet.date, creator: nil,
                    categories: snippet.tags, summary: snippet.body.summary,
                    content: snippet.body.html(idPrefix: snippet.anchor + "--", origin: base.origin),
                    key: "snippet:" + snippet.fileStem)
    }

    /// Plain text for an element that feed readers may take for HTML. feedparser, like most
    /// readers, reads `title`, `description`, `dc:creator` and `category` as HTML as soon as
    /// they hold anything that looks like a tag or an entity: a title `Fish <b>` escaped once
    /// would show in bold, and `&amp;` as `&`. Escaped as HTML first, then as XML, every one of
    /// them shows as the words written (docs/security.md, "Feeds").
    static func htmlText(_ text: String) -> String { HTMLEscaping.escape(text) }

    private func feed(path: String, title: String, pagePath: String, items: [Item]) -> String {
        let settings = site.settings
        let base = settings.baseURL
        var xml = XMLWriter()
        xml.raw("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\""
                + " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""
                + " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n")
        xml.raw("<channel>\n")
        xml.element("title", Self.htmlText(title), indent: 1)
        xml.element("link", base.absolute(pagePath), indent: 1)
        xml.element("description", Self.htmlText(settings.tagline ?? settings.title), indent: 1)
        xml.element("language", settings.language, indent: 1)
        if let newest = items.map(\.date).max() {
            xml.element("lastBuildDate", newest.rfc822, indent: 1)
        }
        xml.raw("  <atom:link href=\"\(XMLWriter.escape(base.absolute(path)))\" rel=\"self\" type=\"application/rss+xml\"/>\n")
        for item in items {
            xml.raw("  <item>\n")
            xml.element("title", Self.htmlText(item.title), indent: 2)
            xml.element("link", item.link, indent: 2)
            xml.element("guid", item.guid, attributes: [("isPermaLink", item.isPermaLink ? "true" : "false")], indent: 2)
            xml.element("pubDate", item.date.rfc822, indent: 2)
            if let creator = item.creator { xml.element("dc:creator", Self.htmlText(creator), indent: 2) }
            for category in item.categories { xml.element("category", Self.htmlText(category), indent: 2) }
            xml.element("description", Self.htmlText(item.summary), indent: 2)
            xml.element("content:encoded", item.content, indent: 2)
            xml.raw("  </item>\n")
        }
        xml.raw("</channel>\n</rss>\n")
        return xml.text
    }
}
