/// What the last build worked out from its inputs, handed to the stages of the next one so
/// that each redoes only what changed (docs/content.md, "The build cache"):
/// - the parse stage takes the documents of a file it parsed before, unread, when the file's
///   stamp and the site's time zone are as they were (`ParseMemo`);
/// - the model stage takes a body it rendered before when the body's text and everything its
///   rendering reads are as they were (`BodyMemo`);
/// - texts (Markdown and rendered HTML) are kept apart, in the `TextStore`, and read back only
///   for what this build renders.
struct BuildMemo: Sendable {
    var parses: ParseMemo
    var bodies: BodyMemo
    var texts: TextStore.Reader
    /// The stamp each memoised file had, by path below the content folder.
    let stamps: [String: FileStamp]
    /// The memo files they came from, by content folder.
    var files: [String: BuildCache.MemoFile] = [:]

    init(parses: ParseMemo, bodies: BodyMemo, texts: TextStore.Reader) {
        self.parses = parses
        self.bodies = bodies
        self.texts = texts
        stamps = Dictionary(parses.entries.map { ($0.relativePath, $0.stamp) }, uniquingKeysWith: { first, _ in first })
    }

    /// The memos of every content folder as one, with the store their texts are in.
    init(_ memos: [String: BuildCache.Memos], files: [BuildCache.MemoFile], storePath: String) {
        let parts = files.compactMap { memos[$0.folder] }
        let zones = Set(parts.map(\.parses.zone))
        self.init(parses: ParseMemo(zone: zones.count == 1 ? zones.first ?? "" : "", entries: parts.flatMap(\.parses.entries)),
                  bodies: BodyMemo(entries: parts.flatMap(\.bodies.entries)),
                  texts: TextStore.Reader(path: storePath, entries: parts.flatMap(\.texts)))
        self.files = Dictionary(files.map { ($0.folder, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The documents one content file parsed into, and the diagnostics it gave.
struct FileParse: Sendable, Codable {
    var post: PostDocument?
    var area: AreaProfileDocument?
    var snippet: SnippetDocument?
    var comment: CommentDocument?
    var page: PageDocument?
    /// The post slug of a file in `comments/` (`ParsedContent.commentFolders`).
    var commentFolder: String?
    var diagnostics: [Diagnostic] = []

    /// The part of `ParsedContent` made from one file.
    init(_ part: ParsedContent) {
        post = part.posts.first
        area = part.areas.first
        snippet = part.snippets.first
        comment = part.comments.first
        page = part.pages.first
        commentFolder = part.commentFolders.keys.first
        diagnostics = part.diagnostics
    }

    func content(displayPath: String) -> ParsedContent {
        var part = ParsedContent()
        part.posts = post.map { [$0] } ?? []
        part.areas = area.map { [$0] } ?? []
        part.snippets = snippet.map { [$0] } ?? []
        part.comments = comment.map { [$0] } ?? []
        part.pages = page.map { [$0] } ?? []
        if let commentFolder { part.commentFolders[commentFolder] = SourceLocation(path: displayPath) }
        part.diagnostics = diagnostics
        return part
    }

    /// The sources whose text the store must keep.
    var sources: [MarkdownSource] {
        [post?.body, area?.body, snippet?.body, comment?.body, page?.body].compactMap { $0 }
    }
}

/// The parse stage's memo: by file, what it parsed into, for the stamp and zone it had.
struct ParseMemo: Sendable, Codable {
    /// A class: entries pass from the memo to the parse stage and back to the next memo,
    /// and each copy of a struct would copy every field of every document.
    final class Entry: Sendable, Codable {
        let relativePath: String
        let stamp: FileStamp
        let parse: FileParse

        init(relativePath: String, stamp: FileStamp, parse: FileParse) {
            self.relativePath = relativePath
            self.stamp = stamp
            self.parse = parse
        }
    }

    /// The site's time zone the dates were read in.
    var zone: String
    var entries: [Entry]

    /// Files in `static/` are copied, not parsed: they are always read.
    static func isMemoised(_ relativePath: String) -> Bool {
        relativePath.hasSuffix(".md") && !relativePath.hasPrefix("static/")
    }

    func lookup() -> [String: Entry] {
        Dictionary(entries.map { ($0.relativePath, $0) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The model stage's memo: rendered bodies by the digest of everything their rendering read.
struct BodyMemo: Sendable, Codable {
    struct Entry: Sendable, Codable {
        var key: UInt64
        /// The source's path below the content folder: the memo file it is kept in.
        var path: String
        var body: RenderedBody
    }

    var entries: [Entry]

    func lookup() -> [UInt64: RenderedBody] {
        Dictionary(entries.map { ($0.key, $0.body) }, uniquingKeysWith: { first, _ in first })
    }
}

/// The texts a build cache keeps apart from its state: sources and rendered bodies, by digest,
/// appended to one file and read back one by one, so that an edit of one post neither reads
/// nor writes the others'.
enum TextStore {
    struct Entry: Sendable, Codable, Equatable {
        var digest: UInt64
        var offset: Int
        var length: Int
    }

    static let fileName = "texts"

    /// Reads texts back; a text it cannot find (a damaged store) is nil, and the build that
    /// asked for it starts again without the cache.
    final class Reader: @unchecked Sendable {
        private let file: ReadOnlyFile?
        let entries: [UInt64: Entry]
        private let missed = Mutex()
        private var missing = false

        init(path: String?, entries: [Entry]) {
            file = path.flatMap(ReadOnlyFile.init(path:))
            self.entries = Dictionary(entries.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        }

        static let empty = Reader(path: nil, entries: [])

        func text(_ digest: UInt64) -> String? {
            guard let entry = entries[digest], let bytes = file?.read(entry.offset..<entry.offset + entry.length),
                  StableHash.of(bytes) == digest else {
                missed.withLock { missing = true }
                return nil
            }
            return String(decoding: bytes, as: UTF8.self)
        }

        var missedAny: Bool { missed.withLock { missing } }
    }

    /// Appends the texts the store lacks and returns the entries of every text in `live`, and
    /// whether the store was written anew, which happens when more than half the file would
    /// be texts no longer used (the texts it keeps are read through `previous`, whose file
    /// stays open).
    static func save(_ live: [(digest: UInt64, text: () -> String?)], folder: String,
                     previous: Reader) throws -> (entries: [Entry], rewritten: Bool) {
        let path = folder + "/" + fileName
        let used = Set(live.map(\.digest))
        let liveSize = previous.entries.values.filter { used.contains($0.digest) }.reduce(0) { $0 + $1.length }
        let compact = (FileSystem.size(path) ?? 0) > 2 * liveSize + 1_048_576
        var kept: [Entry] = compact ? [] : previous.entries.values.filter { used.contains($0.digest) }
        var seen = Set(kept.map(\.digest))
        var pending: [UInt8] = []
        var added: [Entry] = []
        for (digest, text) in live where seen.insert(digest).inserted {
            guard let text = text() else { continue }
            added.append(Entry(digest: digest, offset: pending.count, length: text.utf8.count))
            pending.append(contentsOf: text.utf8)
        }
        if compact {
            try FileSystem.writeFile(path + ".tmp", pending)
            try FileSystem.rename(path + ".tmp", path)
        } else if !pending.isEmpty {
            let offset = try FileSystem.append(path, pending)
            for index in added.indices { added[index].offset += offset }
        }
        kept += added
        return (kept.sorted { $0.offset < $1.offset }, compact)
    }
}

extension Site {
    /// Puts back the HTML of bodies read from the build cache without it: every page's,
    /// area's, snippet's and comment's, and the posts' at `posts`. A text the store lacks
    /// is left empty and marks the reader (`TextStore.Reader.missedAny`).
    mutating func restoreStoredBodies(posts indices: some Sequence<Int>, from texts: TextStore.Reader) {
        func restore(_ body: inout RenderedBody) {
            if body.isStored { body = body.restored(texts.text(body.templateDigest) ?? "") }
        }
        // Only a body kept apart is touched: the posts are shared with the plan, and the first
        // change would copy them all.
        for index in indices where posts.indices.contains(index) && posts[index].body.isStored { restore(&posts[index].body) }
        for post in posts.indices where posts[post].comments.contains(where: \.body.isStored) {
            for comment in posts[post].comments.indices { restore(&posts[post].comments[comment].body) }
        }
        for page in pages.indices { restore(&pages[page].body) }
        for area in areas.indices {
            restore(&areas[area].body)
            for snippet in areas[area].snippets.indices { restore(&areas[area].snippets[snippet].body) }
        }
    }
}
