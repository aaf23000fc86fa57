/// A Markdown body rendered once, shown in several places.
///
/// The HTML keeps two kinds of holes, filled when the body is placed on a page:
/// U+0001 where a heading id begins (a page showing several bodies prefixes each id with the
/// post's slug) and U+0002 before every site-internal URL (empty on pages, the site's origin in
/// feeds, whose readers need absolute links). Input text never carries either character
/// (`SourceText` replaces control characters), so the holes cannot be forged.
public struct RenderedBody: Sendable, Hashable {
    public var template: String
    /// The first paragraph as plain text.
    public var summary: String
    /// Links to paths inside the site, for the link check.
    public var internalLinks: [InternalLink]
    public var diagnostics: [Diagnostic]

    static let idHole: UInt8 = 0x01
    static let originHole: UInt8 = 0x02

    public init(template: String, summary: String, internalLinks: [InternalLink] = [], diagnostics: [Diagnostic] = []) {
        self.template = template
        self.summary = summary
        self.internalLinks = internalLinks
        self.diagnostics = diagnostics
    }

    /// The HTML with heading ids prefixed by `idPrefix` and internal URLs by `origin`.
    public func html(idPrefix: String = "", origin: String = "") -> String {
        var template = template
        return template.withUTF8 { bytes -> String? in
            guard var hole = bytes.firstIndex(where: { $0 <= Self.originHole }) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 256)
            var start = 0
            while true {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<hole]))
                output.append(contentsOf: bytes[hole] == Self.idHole ? idPrefix.utf8 : origin.utf8)
                start = hole + 1
                guard let next = bytes[start...].firstIndex(where: { $0 <= Self.originHole }) else { break }
                hole = next
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
            return String(decoding: output, as: UTF8.self)
        } ?? template
    }
}

/// A link from a body to a path inside the site, as written into the page.
public struct InternalLink: Sendable, Hashable {
    /// Root-relative URL, e.g. `/hub/2009/05/joneses/#funding`.
    public var url: String
    /// What the author wrote.
    public var destination: String
    public var location: SourceLocation
}
