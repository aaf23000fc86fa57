/// Markdown text cut from a content file, with what is needed to render it later and to
/// point at its lines.
public struct MarkdownSource: Sendable, Hashable {
    /// The Markdown; empty in a source the build cache kept (`isStored`), which keeps the text
    /// under `textDigest` (docs/content.md, "The build cache").
    public var text: String { didSet { textDigest = StableHash.of(text) } }
    /// File line of the text's first line.
    public var firstLine: Int
    public var displayPath: String
    /// Path below the content folder, e.g. `posts/2009/joneses.md`.
    public var relativePath: String
    public private(set) var textDigest: UInt64
    /// Whether the text names a `.md` file: only then does its rendering depend on where other
    /// content files are published.
    public private(set) var linksToContent: Bool
    /// True when read back from the build cache without its text.
    public private(set) var isStored = false

    public init(text: String, firstLine: Int, displayPath: String, relativePath: String) {
        self.text = text
        self.firstLine = firstLine
        self.displayPath = displayPath
        self.relativePath = relativePath
        textDigest = StableHash.of(text)
        linksToContent = Self.namesMarkdownFile(text)
    }
}

extension MarkdownSource {
    /// Whether `.md` occurs in the text, searched in its bytes from one dot to the next (a
    /// `String` search would go through Foundation and UTF-16 on Linux).
    static func namesMarkdownFile(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var found = false
            ByteSearch.forEach(UInt8(ascii: "."), in: bytes) { dot in
                found = dot + 2 < bytes.count && bytes[dot + 1] == UInt8(ascii: "m") && bytes[dot + 2] == UInt8(ascii: "d")
                return !found
            }
            return found
        }
    }
}

/// The build cache keeps a source without its text, which it stores apart (`TextStore`).
extension MarkdownSource: Codable {
    private enum CodingKeys: CodingKey { case firstLine, displayPath, relativePath, textDigest, linksToContent }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = ""
        firstLine = try container.decode(Int.self, forKey: .firstLine)
        displayPath = try container.decode(String.self, forKey: .displayPath)
        relativePath = try container.decode(String.self, forKey: .relativePath)
        textDigest = try container.decode(UInt64.self, forKey: .textDigest)
        linksToContent = try container.decode(Bool.self, forKey: .linksToContent)
        isStored = true
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(firstLine, forKey: .firstLine)
        try container.encode(displayPath, forKey: .displayPath)
        try container.encode(relativePath, forKey: .relativePath)
        try container.encode(textDigest, forKey: .textDigest)
        try container.encode(linksToContent, forKey: .linksToContent)
    }

    /// The source with its text back from the store.
    func restored(_ text: String) -> MarkdownSource {
        var source = self
        source.text = text
        source.isStored = false
        return source
    }
}

/// The address the site is published at, split into origin and path.
public struct BaseURL: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// `https://www.myhertslaa.net`
    public let origin: String
    /// Always begins and ends with `/`: `/` or `/hub/`.
    public let path: String

    /// Nil unless `text` is an absolute http(s) URL without query, fragment or user: a host
    /// of letters, digits, dots and hyphens (or `[v6]`), an optional port, and a path of URL
    /// characters. Quotes, angle brackets and spaces are refused, as the URL is written into
    /// every page and feed (docs/security.md, "base_url").
    public init?(_ text: String) {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return nil }
        let afterScheme = text.range(of: "://").map { text[$0.upperBound...] } ?? ""
        let host = afterScheme.prefix { $0 != "/" }
        guard Self.isHost(host) else { return nil }
        var path = String(afterScheme.dropFirst(host.count))
        guard path.utf8.allSatisfy(Self.isPathByte) else { return nil }
        if path.isEmpty { path = "/" }
        if !path.hasSuffix("/") { path += "/" }
        let scheme = lower.hasPrefix("https") ? "https" : "http"
        origin = "\(scheme)://\(host)"
        self.path = path
    }

    public var description: String { origin + path }

    /// `www.example.org`, `localhost:8000`, `127.0.0.1`, `[::1]:8000`.
    private static func isHost(_ host: Substring) -> Bool {
        var name = host
        if let colon = host.lastIndex(of: ":"), !host.hasSuffix("]") {
            let port = host[host.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy(\.isASCII), port.allSatisfy(\.isNumber) else { return false }
            name = host[..<colon]
        }
        if name.hasPrefix("[") {
            guard name.hasSuffix("]"), name.count > 2 else { return false }
            return name.dropFirst().dropLast().allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        guard !name.isEmpty, !name.hasPrefix("."), !name.hasPrefix("-") else { return false }
        return name.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x2E
        }
    }

    /// RFC 3986 path characters: unreserved, sub-delimiters, `:`, `@`, `/` and `%` escapes.
    private static func isPathByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "-._~!$&'()*+,;=:@/%".utf8.contains(byte)
        }
    }

    private init(origin: String, path: String) {
        self.origin = origin
        self.path = path
    }

    static let root = BaseURL(origin: "https://example.invalid", path: "/")

    /// The root-relative URL of an output path: `tags/ni7/` -> `/hub/tags/ni7/`.
    public func url(_ outputPath: String) -> String { path + outputPath }

    /// The absolute URL of an output path.
    public func absolute(_ outputPath: String) -> String { origin + path + outputPath }
}

public struct SiteSettings: Sendable, Encodable {
    public var title: String
    public var tagline: String?
    public var baseURL: BaseURL
    public var language: String
    public var timeZone: SiteTimeZone
    public var postsPerPage: Int
    public var feedItems: Int
    public var rawHTML: Bool
    public var commentNote: String?
    public var displayPath: String
    /// `search: true`: a search page, a search box on every page and a Pagefind index (docs/search.md).
    public var search = false
    /// Where readers send comments: the comment service's form handler, or a mailto fallback.
    public var comments = CommentChannel()
    /// The picture link previews show for pages that name none (`image`), as written.
    public var image: Located<String>?

    /// Stands in when site.yml is broken, so that the rest of the content is still checked.
    static let placeholder = SiteSettings(
        title: "", tagline: nil, baseURL: BaseURL("https://example.invalid/") ?? BaseURL.root, language: "en-GB",
        timeZone: .london, postsPerPage: 10, feedItems: 20, rawHTML: false, commentNote: nil, displayPath: "site.yml")

    public static let keys = ["title", "tagline", "base_url", "language", "timezone", "posts_per_page",
                              "feed_items", "raw_html", "comment_note", "search", "comments", "image"]
}

/// `comments:` in site.yml: the form posts to `endpoint`; without one, `email` gets a mailto link.
public struct CommentChannel: Sendable, Hashable, Encodable {
    public var endpoint: String?
    public var email: String?

    public init(endpoint: String? = nil, email: String? = nil) {
        self.endpoint = endpoint
        self.email = email
    }

    public static let keys = ["endpoint", "email"]
}

public struct PostDocument: Sendable, Codable {
    public var title: Located<String>
    public var date: Located<Moment>
    public var author: String?
    public var role: String?
    public var tags: [Located<String>]
    public var areas: [Located<String>]
    public var summary: String?
    public var slug: Located<String>?
    public var updated: Moment?
    public var draft: Located<Bool>?
    public var aliases: [Located<String>]
    public var guid: String?
    /// The picture link previews show for this post, as written.
    public var image: Located<String>?
    public var body: MarkdownSource
    /// Where the file's front matter begins, for problems about the whole post.
    public var location: SourceLocation
    /// False when the front matter had errors: the model still checks its areas, tags and
    /// slug (to report every problem at once) but never publishes it.
    public var isComplete: Bool

    public static let keys = ["title", "date", "author", "role", "tags", "areas", "summary", "slug",
                              "updated", "draft", "aliases", "guid", "image"]
}

public struct AreaProfileDocument: Sendable, Codable {
    public var slug: String
    public var name: String
    public var region: String?
    public var website: Located<String>?
    public var body: MarkdownSource
    public var location: SourceLocation

    public static let keys = ["name", "region", "website"]
}

public struct SnippetDocument: Sendable, Codable {
    public var areaSlug: String
    /// File name without `.md`: the snippet's anchor is `snippet-<fileStem>`.
    public var fileStem: String
    public var title: String
    public var date: Located<Moment>
    public var source: String?
    public var tags: [Located<String>]
    public var body: MarkdownSource
    public var location: SourceLocation

    public static let keys = ["title", "date", "source", "tags"]
}

public struct CommentDocument: Sendable, Codable {
    /// The folder name: the slug of the post commented on.
    public var postSlug: String
    /// File name without `.md`: what another comment's `reply_to` names.
    public var fileStem: String
    public var name: String
    public var organisation: String
    public var date: Located<Moment>
    /// The file stem of the comment in the same folder that this one answers.
    public var replyTo: Located<String>?
    public var body: MarkdownSource
    public var location: SourceLocation

    public static let keys = ["name", "organisation", "date", "reply_to"]
}

public struct PageDocument: Sendable, Codable {
    public var title: String
    public var slug: Located<String>?
    public var summary: String?
    public var draft: Bool
    /// Old addresses that lead here (docs/content.md, Pages), as a post's `aliases`.
    public var aliases: [Located<String>] = []
    public var body: MarkdownSource
    public var location: SourceLocation

    public static let keys = ["title", "slug", "summary", "draft", "aliases"]
}

/// A file copied to the output as it is (from `content/static/` or the theme's `assets/`).
public struct StaticFile: Sendable {
    /// Path in the output folder.
    public var outputPath: String
    public var bytes: [UInt8]
    public var displayPath: String
}

/// A Mustache template of the theme, by name (`post`, `partials/header`).
public struct TemplateSource: Sendable, Encodable {
    public var name: String
    public var text: String
    public var displayPath: String
}

/// Everything the parse stage made of the source tree.
public struct ParsedContent: Sendable {
    public var settings: SiteSettings?
    public var posts: [PostDocument] = []
    public var areas: [AreaProfileDocument] = []
    public var snippets: [SnippetDocument] = []
    public var comments: [CommentDocument] = []
    /// Comment folders, by post slug, with the location of their first file (to report a missing post).
    public var commentFolders: [String: SourceLocation] = [:]
    public var pages: [PageDocument] = []
    public var staticFiles: [StaticFile] = []
    public var templates: [TemplateSource] = []
    public var themeAssets: [StaticFile] = []
    public var diagnostics: [Diagnostic] = []
    /// Each content file's documents, for the next build's parse stage.
    var parses = ParseMemo(zone: "", entries: [])
    /// True when a file left unread was not in the memo (docs/content.md, "The build cache").
    var memoFailed = false

    /// Appends another part's documents (the settings and theme stay as they are).
    mutating func merge(_ part: ParsedContent) {
        memoFailed = memoFailed || part.memoFailed
        posts += part.posts
        areas += part.areas
        snippets += part.snippets
        comments += part.comments
        for (folder, location) in part.commentFolders where commentFolders[folder] == nil {
            commentFolders[folder] = location
        }
        pages += part.pages
        staticFiles += part.staticFiles
        diagnostics += part.diagnostics
    }
}
