/// `sitemap.xml`: every published page, absolute URLs, `lastmod` from content, in URL order.
struct SitemapRenderer {
    let site: Site

    func render() -> String {
        var entries: [(path: String, lastmod: Moment?)] = []
        let perPage = site.settings.postsPerPage
        func newest(_ indices: [Int]) -> Moment? { indices.map { lastChange(site.posts[$0]) }.max() }

        let pageCount = SitePlanner.pageCount(site.posts.count, perPage)
        for number in 1...pageCount {
            let slice = Array(site.posts.indices).dropFirst((number - 1) * perPage).prefix(perPage)
            entries.append((SitePlanner.pagePath("", number), newest(Array(slice))))
        }
        for post in site.posts { entries.append((post.path, lastChange(post))) }
        entries.append(("tags/", newest(Array(site.posts.indices))))
        for tag in site.tags {
            for number in 1...SitePlanner.pageCount(tag.postIndices.count, perPage) {
                let slice = tag.postIndices.dropFirst((number - 1) * perPage).prefix(perPage)
                entries.append((SitePlanner.pagePath(tag.path, number), newest(Array(slice))))
            }
        }
        entries.append(("areas/", nil))
        for area in site.areas {
            let dates = area.snippets.map(\.date) + [newest(area.postIndices)].compactMap { $0 }
            entries.append((area.path, dates.max()))
        }
        entries.append(("archive/", newest(Array(site.posts.indices))))
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

    private func lastChange(_ post: Post) -> Moment { max(post.updated ?? post.date, post.date) }
}
