/// The whole site as the render stage sees it: one immutable value, every list in its final order.
public struct Site: Sendable {
    public var settings: SiteSettings
    /// Published posts, newest first (ties by slug, then by path).
    public var posts: [Post]
    /// Tags with at least one published post, by slug.
    public var tags: [Tag]
    /// Every area, by slug.
    public var areas: [Area]
    /// Published standalone pages, by slug.
    public var pages: [Page]
    /// Years with published posts, newest first.
    public var archive: [ArchiveYear]
    public var staticFiles: [StaticFile]
    public var themeAssets: [StaticFile]
    /// Every internal link of every published body, for the link check.
    public var internalLinks: [InternalLink]
    /// What a `.md` link in a body resolves to: content file (`posts/2009/joneses.md`) -> URL.
    public var contentURLs: [String: String]
    /// The span of build times that publish exactly what this build published.
    public var schedule: ScheduleWindow

    public func posts(at indices: [Int]) -> [Post] { indices.map { posts[$0] } }
}

/// A name and the page it links to, as lists of tags and areas show them.
public struct Reference: Sendable, Hashable, Codable {
    public var slug: String
    public var name: String
}

public struct Post: Sendable, Codable {
    public var slug: String
    public var title: String
    public var date: Moment
    public var updated: Moment?
    public var author: String?
    public var role: String?
    public var tags: [Reference]
    public var areas: [Reference]
    public var summary: String
    public var body: RenderedBody
    /// Output path of its page: `2009/05/keeping-up-with-the-joneses/`.
    public var path: String
    /// The feed guid; by default the permalink (absolute URL).
    public var guid: String
    public var isPermalinkGUID: Bool
    /// Oldest first.
    public var comments: [Comment]
    /// Output paths of redirect pages (`2009/05/old-slug/index.html`).
    public var aliasPaths: [String]
    public var sourcePath: String
    /// Absolute URL of the picture link previews show (`image`), when the post names one.
    public var image: String? = nil
    /// Shown above a draft or scheduled post in a preview; nil on the published site.
    public var previewBanner: String? = nil
}

public struct Comment: Sendable, Codable {
    public var name: String
    public var organisation: String
    public var date: Moment
    public var body: RenderedBody
    /// Unique on its post's page: `comment-1`, `comment-2`, ...
    public var anchor: String
    /// Its file name without `.md`, a second anchor that stays put as comments are added, and
    /// the one an imported Blogger comment keeps (`c<id>`, see docs/authors.md, Moving from Blogger).
    public var fileStem: String
    /// The anchor of the comment this one answers (`reply_to`).
    public var replyTo: String? = nil
    /// The anchor of the comment that starts this reply's thread: the theme shows the reply
    /// beneath it.
    public var threadAnchor: String? = nil
}

public struct Tag: Sendable, Codable {
    public var slug: String
    /// The spelling most posts use.
    public var name: String
    /// Indices into `Site.posts`, newest first.
    public var postIndices: [Int]
    public var path: String { Self.path(slug: slug) }
    /// Where the pages of the tag with this slug live: the one definition of `tags/<slug>/`.
    public static func path(slug: String) -> String { "tags/\(slug)/" }
}

public struct Area: Sendable, Codable {
    public var slug: String
    public var name: String
    public var region: String?
    public var website: String?
    public var body: RenderedBody
    /// Published snippets, newest first.
    public var snippets: [Snippet]
    /// Indices into `Site.posts` of the posts that name the area, newest first.
    public var postIndices: [Int]
    public var path: String { Self.path(slug: slug) }
    /// Where the page of the area with this slug lives: the one definition of `areas/<slug>/`.
    public static func path(slug: String) -> String { "areas/\(slug)/" }
    public var hasFeed: Bool { !snippets.isEmpty || !postIndices.isEmpty }
}

public struct Snippet: Sendable, Codable {
    public var fileStem: String
    public var title: String
    public var date: Moment
    public var source: String?
    public var tags: [String]
    public var body: RenderedBody
    public var anchor: String { "snippet-\(fileStem)" }
}

public struct Page: Sendable, Codable {
    public var slug: String
    public var title: String
    public var summary: String
    public var body: RenderedBody
    /// Output paths of its alias pages (`aliases`), as for posts.
    public var aliasPaths: [String] = []
    public var path: String { "\(slug)/" }
}

public struct ArchiveYear: Sendable, Encodable {
    public var year: Int
    /// Newest first.
    public var months: [ArchiveMonth]
    public var postCount: Int { months.reduce(0) { $0 + $1.postIndices.count } }
    public var path: String { "\(pad(year, 4))/" }
}

public struct ArchiveMonth: Sendable, Encodable {
    public var year: Int
    public var month: Int
    /// Indices into `Site.posts`, newest first.
    public var postIndices: [Int]
    public var path: String { "\(pad(year, 4))/\(pad(month))/" }
    public var name: String { "\(Moment.monthName(month)) \(year)" }
}

/// Builds run at any moment in `[since, until)` publish the same posts, snippets and comments:
/// `since` is the latest content date at or before the build's `now`, `until` the earliest after it.
public struct ScheduleWindow: Sendable, Equatable, Codable {
    public var since: Int64
    public var until: Int64?

    public func contains(_ now: Int64) -> Bool {
        now >= since && (until.map { now < $0 } ?? true)
    }

    static func around(_ now: Int64, dates: [Int64]) -> ScheduleWindow {
        var since = Int64.min
        var until: Int64?
        for date in dates {
            if date <= now { since = max(since, date) } else { until = min(until ?? date, date) }
        }
        return ScheduleWindow(since: since, until: until)
    }
}
