/// The model of the last build as the build cache keeps it, so that an edit to the body of a
/// post can re-render only the pages that show it, without reading or parsing the other files.
///
/// Two files. The site part holds everything but the post bodies: the lists of tags, areas and
/// the archive, read whole; a table of posts (where each is recorded, its source and where its
/// body lies); and the posts, each read only when a page to render shows it. The bodies file
/// holds the rendered HTML, appended to as posts are edited. Static files, theme assets and
/// the link list are left out: an incremental build renders neither, and checks only the
/// links of the bodies it renders again.
struct SiteSnapshot: Sendable {
    /// The site, with placeholders for the posts not loaded yet (`loadPosts`).
    var site: Site
    /// Where each post's rendered body lies in the bodies file, by index in `site.posts`.
    var bodyRanges: [Range<Int>]
    /// Each post's source file, as `Post.sourcePath`.
    var sourcePaths: [String]
    /// Where each post's record lies in the site part, which is read from here on demand.
    private let postRecords: [Range<Int>]
    /// Where the content URLs lie (`Site.contentURLs`, left empty until `loadContentURLs`).
    private let contentURLRecord: Range<Int>
    private var loaded: Set<Int> = []
    private var edits: [Int: PostEdit] = [:]

    static let header = "hubsite-site 6"

    /// A post body rendered again by an incremental build: its new summaries and where its new
    /// body lies in the bodies file. Kept in the cache state, so the site part is written
    /// only by full builds.
    struct PostEdit: Sendable, Equatable {
        var index: Int
        var summary: String
        var bodySummary: String
        var body: Range<Int>
    }

    /// Takes in the edits made since the snapshot was written; false if one does not fit it.
    mutating func apply(_ edits: [PostEdit]) -> Bool {
        for edit in edits {
            guard site.posts.indices.contains(edit.index) else { return false }
            self.edits[edit.index] = edit
            bodyRanges[edit.index] = edit.body
        }
        return true
    }

    /// Reads the given posts (but their bodies) into `site`, their records read with `read`
    /// (a range of the site part); false if the snapshot is damaged.
    mutating func loadPosts(_ indices: some Sequence<Int>, read: (Range<Int>) -> [UInt8]?) -> Bool {
        for index in indices where site.posts.indices.contains(index) && !loaded.contains(index) {
            guard let record = read(postRecords[index]) else { return false }
            var input = ByteReader(record)
            guard var post = try? input.post(), input.isAtEnd else { return false }
            if let edit = edits[index] {
                post.summary = edit.summary
                post.body.summary = edit.bodySummary
            }
            site.posts[index] = post
            loaded.insert(index)
        }
        return true
    }

    /// Reads `Site.contentURLs`, which only a body that links to a `.md` file needs.
    mutating func loadContentURLs(read: (Range<Int>) -> [UInt8]?) -> Bool {
        guard let record = read(contentURLRecord) else { return false }
        var input = ByteReader(record)
        var urls: [String: String] = [:]
        do throws(ByteReader.Damaged) {
            for _ in 0..<(try input.count()) {
                urls[try input.string()] = try input.string()
            }
        } catch {
            return false
        }
        site.contentURLs = urls
        return input.isAtEnd
    }

    /// The snapshot of a site fresh from a full build: (site part, bodies part).
    static func encode(_ site: Site) -> (site: [UInt8], bodies: [UInt8]) {
        var bodies = ByteWriter()
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(site.posts.count)
        for post in site.posts {
            let start = bodies.bytes.count
            bodies.string(post.body.template)
            ranges.append(start..<bodies.bytes.count)
        }
        return (encode(site, bodyRanges: ranges), bodies.bytes)
    }

    /// The site part, for bodies in the bodies file at `bodyRanges`: a header, the lengths of
    /// the parts, the table, the rest, the content URLs, then the posts.
    static func encode(_ site: Site, bodyRanges: [Range<Int>]) -> [UInt8] {
        var posts = ByteWriter()
        var table = ByteWriter()
        table.int(site.posts.count)
        for (post, range) in zip(site.posts, bodyRanges) {
            table.int(posts.bytes.count)
            table.int(range.lowerBound)
            table.int(range.count)
            table.string(post.sourcePath)
            posts.post(post)
        }
        let rest = encodeRest(of: site)
        let contentURLs = encodeContentURLs(of: site)
        var out = ByteWriter()
        out.string(header)
        out.int(table.bytes.count)
        out.int(rest.count)
        out.int(contentURLs.count)
        out.int(posts.bytes.count)
        return out.bytes + table.bytes + rest + contentURLs + posts.bytes
    }

    private static func encodeRest(of site: Site) -> [UInt8] {
        var out = ByteWriter()
        out.window(site.schedule)
        out.list(site.tags) { out, tag in
            out.string(tag.slug)
            out.string(tag.name)
            out.list(tag.postIndices) { $0.int($1) }
        }
        out.list(site.areas) { out, area in
            out.string(area.slug)
            out.string(area.name)
            out.optional(area.region)
            out.optional(area.website)
            out.body(area.body)
            out.list(area.snippets) { out, snippet in
                out.string(snippet.fileStem)
                out.string(snippet.title)
                out.moment(snippet.date)
                out.optional(snippet.source)
                out.list(snippet.tags) { $0.string($1) }
                out.body(snippet.body)
            }
            out.list(area.postIndices) { $0.int($1) }
        }
        out.list(site.pages) { out, page in
            out.string(page.slug)
            out.string(page.title)
            out.string(page.summary)
            out.body(page.body)
            out.list(page.aliasPaths) { $0.string($1) }
        }
        out.list(site.archive) { out, year in
            out.int(year.year)
            out.list(year.months) { out, month in
                out.int(month.month)
                out.list(month.postIndices) { $0.int($1) }
            }
        }
        return out.bytes
    }

    private static func encodeContentURLs(of site: Site) -> [UInt8] {
        var out = ByteWriter()
        out.list(site.contentURLs.sorted { $0.key < $1.key }) { out, entry in
            out.string(entry.key)
            out.string(entry.value)
        }
        return out.bytes
    }

    /// How many bytes at the start of the site part `decode` needs (all but the posts), read
    /// from the first `headLength` bytes; nil if they are not a snapshot of this version.
    static func prefixLength(_ head: [UInt8]) -> Int? {
        var input = ByteReader(head)
        guard let name = try? input.string(), name == header,
              let table = try? input.size(), let rest = try? input.size(),
              (try? input.size()) != nil, (try? input.size()) != nil else { return nil }
        return input.offset + table + rest
    }

    static let headLength = 64

    /// Reads the site part back from its start (`prefixLength` bytes): the lists and the table
    /// now, the posts when loaded. Nil when the bytes are damaged or from another version.
    static func decode(_ bytes: [UInt8], settings: SiteSettings) -> SiteSnapshot? {
        var input = ByteReader(bytes)
        do throws(ByteReader.Damaged) {
            guard try input.string() == header else { return nil }
            let tableLength = try input.count()
            let restLength = try input.count()
            let urlsLength = try input.size()
            let postsLength = try input.size()
            let tableEnd = input.offset + tableLength
            let urlsStart = tableEnd + restLength
            let postsStart = urlsStart + urlsLength
            guard urlsStart == bytes.count else { return nil }
            var table = ByteReader(bytes, range: input.offset..<tableEnd)
            let postCount = try table.size()
            guard postCount <= tableLength else { return nil }
            var starts: [Int] = []
            var ranges: [Range<Int>] = []
            var sources: [String] = []
            starts.reserveCapacity(postCount)
            ranges.reserveCapacity(postCount)
            sources.reserveCapacity(postCount)
            for _ in 0..<postCount {
                let offset = try table.size()
                let body = try table.range()
                guard offset >= (starts.last ?? 0), offset < postsLength else { return nil }
                starts.append(offset)
                ranges.append(body)
                sources.append(try table.string())
            }
            guard table.isAtEnd else { return nil }
            let records = starts.indices.map { index in
                postsStart + starts[index]..<postsStart + (index + 1 < starts.count ? starts[index + 1] : postsLength)
            }
            var rest = ByteReader(bytes, range: tableEnd..<urlsStart)
            var site = try decodeRest(&rest, settings: settings, postCount: postCount)
            guard rest.isAtEnd else { return nil }
            site.posts = Array(repeating: placeholder, count: postCount)
            return SiteSnapshot(site: site, bodyRanges: ranges, sourcePaths: sources, postRecords: records,
                                contentURLRecord: urlsStart..<postsStart)
        } catch {
            return nil
        }
    }

    /// Stands in for a post not loaded: never rendered, since only the pages that show loaded
    /// posts are.
    private static let placeholder = Post(
        slug: "", title: "", date: Moment(epochSeconds: 0, offsetSeconds: 0), updated: nil, author: nil, role: nil,
        tags: [], areas: [], summary: "", body: RenderedBody(template: "", summary: ""), path: "", guid: "",
        isPermalinkGUID: true, comments: [], aliasPaths: [], sourcePath: "", headDigest: 0)

    /// Everything but the posts, which come from the other sections.
    private static func decodeRest(_ input: inout ByteReader, settings: SiteSettings, postCount: Int) throws(ByteReader.Damaged) -> Site {
        let schedule = try input.window()
        let indices = { (input: inout ByteReader) throws(ByteReader.Damaged) -> [Int] in
            let values = try input.list { input throws(ByteReader.Damaged) in try input.int() }
            guard values.allSatisfy({ (0..<postCount).contains($0) }) else { throw ByteReader.Damaged() }
            return values
        }
        let tags = try input.list { input throws(ByteReader.Damaged) in
            Tag(slug: try input.string(), name: try input.string(), postIndices: try indices(&input))
        }
        let areas = try input.list { input throws(ByteReader.Damaged) in
            Area(slug: try input.string(), name: try input.string(), region: try input.optional(),
                 website: try input.optional(), body: try input.body(),
                 snippets: try input.list { input throws(ByteReader.Damaged) in
                     Snippet(fileStem: try input.string(), title: try input.string(), date: try input.moment(),
                             source: try input.optional(),
                             tags: try input.list { input throws(ByteReader.Damaged) in try input.string() },
                             body: try input.body())
                 },
                 postIndices: try indices(&input))
        }
        let pages = try input.list { input throws(ByteReader.Damaged) in
            Page(slug: try input.string(), title: try input.string(), summary: try input.string(), body: try input.body(),
                 aliasPaths: try input.list { input throws(ByteReader.Damaged) in try input.string() })
        }
        let archive = try input.list { input throws(ByteReader.Damaged) -> ArchiveYear in
            let year = try input.int()
            return ArchiveYear(year: year, months: try input.list { input throws(ByteReader.Damaged) in
                ArchiveMonth(year: year, month: try input.int(), postIndices: try indices(&input))
            })
        }
        return Site(settings: settings, posts: [], tags: tags, areas: areas, pages: pages, archive: archive,
                    staticFiles: [], themeAssets: [], internalLinks: [], contentURLs: [:],
                    schedule: schedule)
    }

    /// A body read back from the bodies file.
    static func decodeBody(_ bytes: [UInt8]) -> String? {
        var input = ByteReader(bytes)
        guard let text = try? input.string(), input.isAtEnd else { return nil }
        return text
    }

    static func encodeBody(_ template: String) -> [UInt8] {
        var out = ByteWriter()
        out.string(template)
        return out.bytes
    }
}

private extension ByteWriter {
    /// A post without its body (in the bodies file). The body's summary is the post's summary
    /// unless front matter set one.
    mutating func post(_ post: Post) {
        string(post.slug)
        string(post.title)
        moment(post.date)
        bool(post.updated != nil)
        if let updated = post.updated { moment(updated) }
        optional(post.author)
        optional(post.role)
        list(post.tags) { $0.reference($1) }
        list(post.areas) { $0.reference($1) }
        string(post.summary)
        optional(post.body.summary == post.summary ? nil : post.body.summary)
        string(post.path)
        string(post.guid)
        bool(post.isPermalinkGUID)
        list(post.comments) { out, comment in
            out.string(comment.name)
            out.string(comment.organisation)
            out.moment(comment.date)
            out.body(comment.body)
            out.string(comment.anchor)
            out.string(comment.fileStem)
            out.optional(comment.replyTo)
            out.optional(comment.threadAnchor)
        }
        list(post.aliasPaths) { $0.string($1) }
        string(post.sourcePath)
        unsigned(post.headDigest)
        optional(post.image)
    }

    mutating func moment(_ moment: Moment) {
        int64(moment.epochSeconds)
        int(moment.offsetSeconds)
    }

    mutating func reference(_ reference: Reference) {
        string(reference.slug)
        string(reference.name)
    }

    /// A body kept whole in the site part (comments, areas, snippets, pages): only what pages show.
    mutating func body(_ body: RenderedBody) {
        string(body.template)
        string(body.summary)
    }
}

private extension ByteReader {
    mutating func post() throws(Damaged) -> Post {
        let slug = try string()
        let title = try string()
        let date = try moment()
        let updated = try bool() ? try moment() : nil
        let author = try optional()
        let role = try optional()
        let tags = try list { input throws(Damaged) in try input.reference() }
        let areas = try list { input throws(Damaged) in try input.reference() }
        let summary = try string()
        let bodySummary = try optional() ?? summary
        let path = try string()
        let guid = try string()
        let isPermalinkGUID = try bool()
        let comments = try list { input throws(Damaged) in
            Comment(name: try input.string(), organisation: try input.string(), date: try input.moment(),
                    body: try input.body(), anchor: try input.string(), fileStem: try input.string(), replyTo: try input.optional(),
                    threadAnchor: try input.optional())
        }
        let aliasPaths = try list { input throws(Damaged) in try input.string() }
        return Post(slug: slug, title: title, date: date, updated: updated, author: author, role: role,
                    tags: tags, areas: areas, summary: summary, body: RenderedBody(template: "", summary: bodySummary),
                    path: path, guid: guid, isPermalinkGUID: isPermalinkGUID, comments: comments,
                    aliasPaths: aliasPaths, sourcePath: try string(), headDigest: try unsigned(), image: try optional())
    }

    mutating func moment() throws(Damaged) -> Moment {
        let seconds = try int64()
        let offset = try int()
        guard (-86_400...86_400).contains(offset), (-(1 << 40)...(1 << 40)).contains(seconds) else { throw Damaged() }
        return Moment(epochSeconds: seconds, offsetSeconds: offset)
    }

    mutating func reference() throws(Damaged) -> Reference {
        Reference(slug: try string(), name: try string())
    }

    mutating func body() throws(Damaged) -> RenderedBody {
        RenderedBody(template: try string(), summary: try string())
    }
}
