/// `sitemap.xml`: every published page, absolute URLs, `lastmod` from content, in URL order.
struct SitemapRenderer {
    let site: Site

    func render() -> String {
        var entries: [(path: String, lastmod: Moment?)] = []
        let perPage = site.settings.postsPerPage
        let changes = site.posts.map(Self.lastChange)
        func newest(_ indices: some Sequence<Int>) -> Moment? { indices.lazy.map { changes[$0] }.max() }

        for number in 1...SitePlanner.pageCount(site.posts.count, perPage) {
            let first = (number - 1) * perPage
            entries.append((SitePlanner.pagePath("", number), newest(first..<min(site.posts.count, first + perPage))))
        }
        for (post, change) in zip(site.posts, changes) { entries.append((post.path, change)) }
        entries.append(("tags/", changes.max()))
        for tag in site.tags {
            for number in 1...SitePlanner.pageCount(tag.postIndices.count, perPage) {
                entries.append((SitePlanner.pagePath(tag.path, number), newest(tag.postIndices.dropFirst((number - 1) * perPage).prefix(perPage))))
            }
        }
        entries.append(("areas/", nil))
        for area in site.areas {
            let dates = area.snippets.map(\.date) + [newest(area.postIndices)].compactMap { $0 }
            entries.append((area.path, dates.max()))
        }
        entries.append(("archive/", changes.max()))
        for year in site.archive {
            entries.append((year.path, newest(year.months.flatMap(\.postIndices))))
            for month in year.months { entries.append((month.path, newest(month.postIndices))) }
        }
        for page in site.pages { entries.append((page.path, nil)) }
        entries.sort { $0.path < $1.path }

        var xml = XMLWriter()
        xml.raw("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n")
        for entry in entries {
            xml.raw("  <url>\n")
            xml.element("loc", site.settings.baseURL.absolute(entry.path), indent: 2)
            if let lastmod = entry.lastmod { xml.element("lastmod", lastmod.iso8601, indent: 2) }
            xml.raw("  </url>\n")
        }
        xml.raw("</urlset>\n")
        return xml.text
    }

    /// All the sitemap shows of a post besides its address (`OutputKeys` keys the sitemap by it).
    static func lastChange(_ post: Post) -> Moment { max(post.updated ?? post.date, post.date) }
}
