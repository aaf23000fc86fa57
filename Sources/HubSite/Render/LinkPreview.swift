import MustacheEngine

/// What a shared link shows: Open Graph and Twitter card fields for every page, and JSON-LD
/// (`BlogPosting`, `BreadcrumbList`) for posts. docs/content.md lists the `image` keys.
struct LinkPreview {
    var title: String
    var type: String
    var url: String
    var description: String
    var image: String?

    /// The layout writes these as `og:` and `twitter:` meta tags.
    var context: TemplateValue {
        ["title": .text(title), "type": .text(type), "url": .text(url), "description": .text(description),
         "image": .optional(image), "card": .text(image == nil ? "summary" : "summary_large_image")]
    }

    static func post(_ post: Post, site: Site) -> LinkPreview {
        LinkPreview(title: post.title, type: "article", url: site.settings.baseURL.absolute(post.path),
                    description: post.summary, image: post.image ?? site.shareImage)
    }

    /// The post as schema.org data, for a `<script type="application/ld+json">`: safe to place
    /// raw, since `JSONText` escapes `<`, `>` and `&`.
    static func structuredData(_ post: Post, site: Site) -> String {
        let base = site.settings.baseURL
        let url = base.absolute(post.path)
        var posting: [(String, JSONText)] = [
            ("@context", "https://schema.org"), ("@type", "BlogPosting"),
            ("@id", .string(url)), ("headline", .string(post.title)), ("url", .string(url)),
            ("datePublished", .string(post.date.iso8601)),
            ("dateModified", .string((post.updated ?? post.date).iso8601)),
            ("description", .string(post.summary)),
            ("author", .object([("@type", post.author == nil ? "Organization" : "Person"),
                                ("name", .string(post.author ?? site.settings.title))]
                               + (post.role.map { [("jobTitle", JSONText.string($0))] } ?? []))),
            ("publisher", .object([("@type", "Organization"), ("name", .string(site.settings.title)),
                                   ("url", .string(base.absolute("")))])),
            ("mainEntityOfPage", .string(url)),
            ("inLanguage", .string(site.settings.language)),
        ]
        if let image = post.image ?? site.shareImage { posting.append(("image", .string(image))) }
        if !post.tags.isEmpty { posting.append(("keywords", .array(post.tags.map { .string($0.name) }))) }
        let crumbs: [(String, String)] = [
            (site.settings.title, base.absolute("")),
            (String(post.date.local.year), base.absolute("\(pad(post.date.local.year, 4))/")),
            ("\(Moment.monthName(post.date.local.month)) \(post.date.local.year)", base.absolute("\(pad(post.date.local.year, 4))/\(pad(post.date.local.month))/")),
            (post.title, url),
        ]
        let breadcrumbs = JSONText.object([
            ("@context", "https://schema.org"), ("@type", "BreadcrumbList"),
            ("itemListElement", .array(crumbs.enumerated().map { index, crumb in
                .object([("@type", "ListItem"), ("position", .number(index + 1)), ("name", .string(crumb.0)),
                         ("item", .string(crumb.1))])
            })),
        ])
        return JSONText.array([.object(posting), breadcrumbs]).encoded
    }
}

extension Site {
    /// The site's own preview picture (`image` in site.yml), as an absolute URL.
    var shareImage: String? { settings.image.map { ShareImage.resolve($0, base: settings.baseURL).url } }
}

/// A small JSON writer with a fixed key order, for output that must be byte-identical between
/// builds. Escapes `<`, `>` and `&` so that the text can sit inside a `<script>` element.
enum JSONText: ExpressibleByStringLiteral {
    case string(String)
    case number(Int)
    case array([JSONText])
    case object([(String, JSONText)])

    init(stringLiteral value: String) { self = .string(value) }

    var encoded: String {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes UTF-8 bytes: a post page writes this for every post, so it stays off String's
    /// per-character appends.
    private func write(to out: inout [UInt8]) {
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let number): out.append(contentsOf: String(number).utf8)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.quote(field.0, into: &out)
                out.append(UInt8(ascii: ":"))
                field.1.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// `text` as a JSON string, the one JSON string escaping of the code base. With `forScript`,
    /// `<`, `>`, `&`, U+2028 and U+2029 are also escaped, so the text can sit inside `<script>`.
    static func quote(_ text: String, into out: inout String, forScript: Bool = true) {
        var bytes: [UInt8] = []
        quote(text, into: &bytes, forScript: forScript)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// The same on UTF-8 bytes: runs that need no escape are copied whole.
    static func quote(_ text: String, into out: inout [UInt8], forScript: Bool = true) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var copied = 0
            var index = 0
            while index < bytes.count {
                let (escape, width) = escapeSequence(at: index, in: bytes, forScript: forScript)
                if let escape {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
                    out.append(contentsOf: escape.utf8)
                    copied = index + width
                }
                index += width
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The escape for the character starting at `index` (nil when it stands as it is), and
    /// how many bytes that character takes.
    @inline(__always)
    private static func escapeSequence(at index: Int, in bytes: UnsafeBufferPointer<UInt8>,
                                       forScript: Bool) -> (String?, Int) {
        switch bytes[index] {
        case UInt8(ascii: "\""): return ("\\\"", 1)
        case UInt8(ascii: "\\"): return ("\\\\", 1)
        case UInt8(ascii: "\n"): return ("\\n", 1)
        case UInt8(ascii: "\r"): return ("\\r", 1)
        case UInt8(ascii: "\t"): return ("\\t", 1)
        case UInt8(ascii: "<") where forScript: return ("\\u003c", 1)
        case UInt8(ascii: ">") where forScript: return ("\\u003e", 1)
        case UInt8(ascii: "&") where forScript: return ("\\u0026", 1)
        case 0..<0x20:
            let hex = String(bytes[index], radix: 16)
            return ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex, 1)
        case 0xE2 where forScript && index + 2 < bytes.count && bytes[index + 1] == 0x80:
            // U+2028 and U+2029 are E2 80 A8 and E2 80 A9.
            switch bytes[index + 2] {
            case 0xA8: return ("\\u2028", 3)
            case 0xA9: return ("\\u2029", 3)
            default: return (nil, 1)
            }
        default: return (nil, 1)
        }
    }
}
