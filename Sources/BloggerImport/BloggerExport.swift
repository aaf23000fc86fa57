import Foundation
import HubSite

/// What a Blogger export holds, whichever of Blogger's two formats it came in
/// (docs/authors.md, Moving from Blogger):
/// - the classic Atom export (`blog-MM-DD-YYYY.xml`): each entry's kind in a
///   `…/blogger/2008/kind#…` category, labels as `http://www.blogger.com/atom/ns#` categories,
///   drafts as `app:draft`, comments tied to their post by `thr:in-reply-to` and to the comment
///   they answer by a `related` link;
/// - the Takeout `feed.atom`: `blogger:type`, `blogger:status`, `blogger:filename`,
///   `blogger:parent` and `blogger:inReplyTo`.
public struct BloggerExport: Sendable {
    public enum Format: String, Sendable { case classic, takeout }

    public var format: Format
    public var blogTitle: String
    /// `http://www.myhertslaa.net/`, when the export says.
    public var blogURL: String?
    public var entries: [Entry] = []
    public var comments: [Comment] = []
    /// What was left out, by reason ("settings", "template", "trashed post", "deleted comment" ...).
    public var skipped: [String: Int] = [:]
    public var warnings: [Diagnostic] = []

    public enum Kind: String, Sendable { case post, page }

    public struct Entry: Sendable {
        public var kind: Kind
        /// Blogger's id, e.g. `tag:blogger.com,1999:blog-1.post-2`.
        public var id: String
        public var title: String
        /// ISO 8601 with the offset the export gave.
        public var published: String
        public var updated: String?
        public var author: String?
        public var labels: [String]
        public var isDraft: Bool
        /// The old address's path: `/2009/05/keeping-up-with-joneses.html`, `/p/about.html`.
        public var oldPath: String?
        public var html: String
        public var location: SourceLocation
    }

    public struct Comment: Sendable {
        public var id: String
        public var postID: String
        public var inReplyTo: String?
        public var author: String
        public var published: String
        public var html: String
        public var location: SourceLocation
    }

    static let kindScheme = "http://schemas.google.com/g/2005#kind"
    static let labelScheme = "http://www.blogger.com/atom/ns#"
    static let appNamespace = "http://purl.org/atom/app#"
    static let threadNamespace = "http://purl.org/syndication/thread/1.0"
    static let takeoutNamespace = "http://schemas.google.com/blogger/2018"

    /// Reads an export. A file that is not well-formed, or is not a Blogger export, is one
    /// located error.
    public static func read(_ bytes: [UInt8], path: String,
                            progress: (Int, Int) -> Void = { _, _ in }) -> Result<BloggerExport, Diagnostic> {
        let root: XMLElement
        switch XMLTree.read(bytes, path: path, progress: progress) {
        case .success(let element): root = element
        case .failure(let diagnostic): return .failure(diagnostic)
        }
        let at = SourceLocation(path: path, line: root.line, column: root.column)
        guard root.name == "feed", root.namespace == XMLTree.atomNamespace else {
            return .failure(.error(at, "this is not a Blogger export: it should begin with an Atom <feed>,"
                                       + " as blog-MM-DD-YYYY.xml (Settings > Back up content) or Takeout's feed.atom do"))
        }
        let entries = root.children("entry", in: XMLTree.atomNamespace)
        let isTakeout = entries.contains { $0.child("type", in: takeoutNamespace) != nil }
        let isClassic = entries.contains { entry in
            entry.children("category").contains { $0.attributes["scheme"] == kindScheme }
        }
        guard isTakeout || isClassic else {
            return .failure(.error(at, "this Atom feed is not a Blogger export: its entries have no Blogger kind"
                                       + " (a 'kind#post' category or a <blogger:type>)"))
        }
        var export = BloggerExport(format: isTakeout ? .takeout : .classic,
                                   blogTitle: root.child("title", in: XMLTree.atomNamespace)?.text.trimmed ?? "",
                                   blogURL: alternateLink(of: root))
        for entry in entries {
            let location = SourceLocation(path: path, line: entry.line, column: entry.column)
            if isTakeout {
                export.readTakeout(entry, at: location)
            } else {
                export.readClassic(entry, at: location)
            }
        }
        return .success(export)
    }

    private static func alternateLink(of element: XMLElement) -> String? {
        element.children("link", in: XMLTree.atomNamespace)
            .first { $0.attributes["rel"] == "alternate" && ($0.attributes["type"] ?? "text/html") == "text/html" }?
            .attributes["href"]
    }

    private static func path(ofURL url: String) -> String? {
        guard let components = URLComponents(string: url), !components.path.isEmpty else { return nil }
        return components.percentEncodedPath
    }

    private mutating func skip(_ reason: String) {
        skipped[reason, default: 0] += 1
    }

    // MARK: - Classic

    private mutating func readClassic(_ entry: XMLElement, at location: SourceLocation) {
        let kindTerm = entry.children("category").first { $0.attributes["scheme"] == Self.kindScheme }?
            .attributes["term"] ?? ""
        let kind = kindTerm.split(separator: "#").last.map(String.init) ?? ""
        switch kind {
        case "post", "page":
            let isDraft = entry.child("control", in: Self.appNamespace)?.child("draft", in: Self.appNamespace)?
                .text.trimmed.lowercased() == "yes"
            let labels = entry.children("category").filter { $0.attributes["scheme"] == Self.labelScheme }
                .compactMap { $0.attributes["term"] }
            appendEntry(entry, kind: kind == "post" ? .post : .page, labels: labels, isDraft: isDraft,
                        oldPath: Self.alternateLink(of: entry).flatMap(Self.path(ofURL:)), at: location)
        case "comment":
            guard let reply = entry.child("in-reply-to", in: Self.threadNamespace), let postID = reply.attributes["ref"] else {
                warnings.append(.warning(location, "comment without the post it belongs to (no thr:in-reply-to); skipped"))
                skip("comment without a post")
                return
            }
            let html = entry.child("content", in: XMLTree.atomNamespace)?.text ?? ""
            if Self.isRemovedNotice(html) {
                skip("deleted comment")
                return
            }
            // A reply names the comment it answers in a `related` link: …/comments/default/<id>.
            let related = entry.children("link", in: XMLTree.atomNamespace)
                .first { $0.attributes["rel"] == "related" }?.attributes["href"]
            let parent = related.flatMap { $0.split(separator: "/").last.map(String.init) }
            appendComment(entry, postID: postID, inReplyTo: parent, at: location)
        case "settings":
            skip("settings")
        case "template":
            skip("template")
        default:
            skip(kind.isEmpty ? "unknown entry" : kind)
        }
    }

    /// Blogger keeps a removed comment as this notice.
    static func isRemovedNotice(_ html: String) -> Bool {
        let text = html.trimmed
        return text == "This comment has been removed by the author."
            || text == "This comment has been removed by a blog administrator."
            || text == "This post has been removed by the author."
    }

    // MARK: - Takeout

    private mutating func readTakeout(_ entry: XMLElement, at location: SourceLocation) {
        let ns = Self.takeoutNamespace
        let type = entry.child("type", in: ns)?.text.trimmed.uppercased() ?? ""
        let status = entry.child("status", in: ns)?.text.trimmed.uppercased() ?? "LIVE"
        switch type {
        case "POST", "PAGE":
            guard ["LIVE", "DRAFT", "SCHEDULED"].contains(status) else {
                skip(status == "SOFT_TRASHED" || status == "DELETED" ? "trashed \(type.lowercased())" : "\(type.lowercased()) \(status)")
                return
            }
            let labels = entry.children("category").compactMap { $0.attributes["term"] }
            let filename = entry.child("filename", in: ns)?.text.trimmed
            appendEntry(entry, kind: type == "POST" ? .post : .page, labels: labels, isDraft: status == "DRAFT",
                        oldPath: filename.flatMap { $0.isEmpty ? nil : ($0.hasPrefix("/") ? $0 : "/" + $0) }, at: location)
        case "COMMENT":
            guard status == "LIVE" else {
                skip(status.contains("SPAM") ? "spam comment" : "deleted comment")
                return
            }
            guard let postID = entry.child("parent", in: ns)?.text.trimmed, !postID.isEmpty else {
                warnings.append(.warning(location, "comment without the post it belongs to (no blogger:parent); skipped"))
                skip("comment without a post")
                return
            }
            let answered = entry.child("inReplyTo", in: ns)?.text.trimmed
            appendComment(entry, postID: postID, inReplyTo: answered?.isEmpty == false ? answered : nil, at: location)
        default:
            skip(type.isEmpty ? "unknown entry" : type.lowercased())
        }
    }

    // MARK: - Common

    private mutating func appendEntry(_ entry: XMLElement, kind: Kind, labels: [String], isDraft: Bool,
                                      oldPath: String?, at location: SourceLocation) {
        let atom = XMLTree.atomNamespace
        guard let published = entry.child("published", in: atom)?.text.trimmed, !published.isEmpty else {
            warnings.append(.warning(location, "\(kind.rawValue) without a <published> date; skipped"))
            skip("\(kind.rawValue) without a date")
            return
        }
        entries.append(Entry(
            kind: kind,
            id: entry.child("id", in: atom)?.text.trimmed ?? "",
            title: entry.child("title", in: atom)?.text.trimmed ?? "",
            published: published,
            updated: entry.child("updated", in: atom)?.text.trimmed,
            author: entry.child("author", in: atom)?.child("name", in: atom)?.text.trimmed,
            labels: labels.map(\.trimmed).filter { !$0.isEmpty },
            isDraft: isDraft, oldPath: oldPath,
            html: entry.child("content", in: atom)?.text ?? "",
            location: location))
    }

    private mutating func appendComment(_ entry: XMLElement, postID: String, inReplyTo: String?,
                                        at location: SourceLocation) {
        let atom = XMLTree.atomNamespace
        guard let published = entry.child("published", in: atom)?.text.trimmed, !published.isEmpty else {
            warnings.append(.warning(location, "comment without a <published> date; skipped"))
            skip("comment without a date")
            return
        }
        let author = entry.child("author", in: atom)?.child("name", in: atom)?.text.trimmed ?? ""
        comments.append(Comment(
            id: entry.child("id", in: atom)?.text.trimmed ?? "",
            postID: postID, inReplyTo: inReplyTo,
            author: author.isEmpty ? "Anonymous" : author,
            published: published,
            html: entry.child("content", in: atom)?.text ?? "",
            location: location))
    }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The part of a Blogger id after its last `post-`: `tag:blogger.com,1999:blog-1.post-2` -> `2`.
    var bloggerShortID: String {
        guard let range = range(of: "post-", options: .backwards) else { return self }
        return String(self[range.upperBound...])
    }
}
