/// A Markdown body rendered once, shown in several places.
///
/// The HTML keeps two kinds of holes, filled when the body is placed on a page:
/// U+0001 where a heading id begins (a page showing several bodies prefixes each id with the
/// post's slug) and U+0002 before every site-internal URL (empty on pages, the site's origin in
/// feeds, whose readers need absolute links). Input text never carries either character
/// (`SourceText` replaces control characters), so the holes cannot be forged.
public struct RenderedBody: Sendable, Hashable {
    /// The HTML with holes; empty in a body the build cache kept (`isStored`), which keeps it
    /// under `templateDigest`.
    public var template: String { didSet { templateDigest = StableHash.of(template) } }
    /// The first paragraph as plain text.
    public var summary: String
    /// Links to paths inside the site, for the link check.
    public var internalLinks: [InternalLink]
    public var diagnostics: [Diagnostic]
    public private(set) var templateDigest: UInt64
    /// True when read back from the build cache without its HTML.
    public private(set) var isStored = false

    static let idHole: UInt8 = 0x01
    static let originHole: UInt8 = 0x02

    public init(template: String, summary: String, internalLinks: [InternalLink] = [], diagnostics: [Diagnostic] = []) {
        self.template = template
        self.summary = summary
        self.internalLinks = internalLinks
        self.diagnostics = diagnostics
        templateDigest = StableHash.of(template)
    }

    /// The HTML with heading ids prefixed by `idPrefix` and internal URLs by `origin`, both
    /// escaped for the attribute they land in (a prefix comes from a file name).
    public func html(idPrefix: String = "", origin: String = "") -> String {
        let holes = holeOffsets
        guard !holes.isEmpty else { return template }
        let (idPrefix, origin) = (HTMLEscaping.escape(idPrefix), HTMLEscaping.escape(origin))
        return template.replacingBytes(at: holes, extraCapacity: holes.count * max(idPrefix.utf8.count, origin.utf8.count)) {
            $0 == Self.idHole ? idPrefix : origin
        }
    }

    /// Where the holes are, in byte offsets: they are few (a heading's id, an internal link) and
    /// found with memchr, not byte by byte.
    private var holeOffsets: [Int] {
        var template = template
        return template.withUTF8 { bytes in
            var holes: [Int] = []
            for hole in [Self.idHole, Self.originHole] {
                ByteSearch.forEach(hole, in: bytes) { offset in
                    holes.append(offset)
                    return true
                }
            }
            return holes.sorted()
        }
    }
}

/// A link from a body to a path inside the site, as written into the page.
public struct InternalLink: Sendable, Hashable, Codable {
    /// Root-relative URL, e.g. `/hub/2009/05/joneses/#funding`.
    public var url: String
    /// What the author wrote.
    public var destination: String
    public var location: SourceLocation
    /// In a reader's comment: when broken, a warning, and the link keeps only its words.
    public var isInComment = false
}

extension RenderedBody {
    /// The body with its links to `urls` taken out, their words kept: what a comment shows for a
    /// link the site does not have (docs/content.md, "Comments"). Comments never hold raw HTML and
    /// links never nest, so a link's end is the first `</a>` after its start.
    func droppingLinks(to urls: Set<String>) -> RenderedBody {
        var body = self
        for url in urls.sorted() {
            let opening = "<a href=\"\u{2}" + HTMLEscaping.escapeURL(url) + "\""
            var searchStart = body.template.startIndex
            while let start = body.template.range(of: opening, range: searchStart..<body.template.endIndex),
                  let tagEnd = body.template.range(of: ">", range: start.upperBound..<body.template.endIndex),
                  let closing = body.template.range(of: "</a>", range: tagEnd.upperBound..<body.template.endIndex) {
                let offset = body.template.distance(from: body.template.startIndex, to: start.lowerBound)
                body.template.removeSubrange(closing)
                body.template.removeSubrange(start.lowerBound..<tagEnd.upperBound)
                searchStart = body.template.index(body.template.startIndex, offsetBy: offset)
            }
        }
        body.internalLinks.removeAll { urls.contains($0.url) }
        return body
    }
}

/// The build cache keeps a body without its HTML, which it stores apart (`TextStore`).
extension RenderedBody: Codable {
    private enum CodingKeys: CodingKey { case summary, internalLinks, diagnostics, templateDigest }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        template = ""
        summary = try container.decode(String.self, forKey: .summary)
        internalLinks = try container.decode([InternalLink].self, forKey: .internalLinks)
        diagnostics = try container.decode([Diagnostic].self, forKey: .diagnostics)
        templateDigest = try container.decode(UInt64.self, forKey: .templateDigest)
        isStored = true
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(summary, forKey: .summary)
        try container.encode(internalLinks, forKey: .internalLinks)
        try container.encode(diagnostics, forKey: .diagnostics)
        try container.encode(templateDigest, forKey: .templateDigest)
    }

    /// The body with its HTML back from the store.
    func restored(_ template: String) -> RenderedBody {
        var body = self
        body.template = template
        body.isStored = false
        return body
    }
}
