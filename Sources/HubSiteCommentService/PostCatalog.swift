import HubSite

/// The posts a comment may be about: those the site publishes now (no drafts, nothing
/// scheduled), read from the content folder as a build reads it.
public struct PostCatalog: Sendable {
    public struct Entry: Sendable, Equatable {
        public var title: String
        /// Absolute URL of the post's page.
        public var url: String
    }

    public let posts: [String: Entry]
    /// The site's address, for links to its stylesheet.
    public let baseURL: String
    public let title: String

    /// Nil when the content has no readable site.yml.
    public static func load(content: String, now: Int64) -> PostCatalog? {
        let files = FolderReader.forContent.read(root: content, displayRoot: content)
        let parsed = DocumentParser().parse(SourceTree(content: files.files, theme: []))
        guard let site = SiteBuilder(now: now).build(parsed).site else { return nil }
        let base = site.settings.baseURL
        var posts: [String: Entry] = [:]
        for post in site.posts { posts[post.slug] = Entry(title: post.title, url: base.absolute(post.path)) }
        return PostCatalog(posts: posts, baseURL: base.description, title: site.settings.title)
    }

    public init(posts: [String: Entry], baseURL: String, title: String) {
        self.posts = posts
        self.baseURL = baseURL
        self.title = title
    }
}
