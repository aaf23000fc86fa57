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
        var out = ""
        write(to: &out)
        return out
    }

    private func write(to out: inout String) {
        switch self {
        case .string(let text): Self.quote(text, into: &out)
        case .number(let number): out += String(number)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                item.write(to: &out)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += "," }
                Self.quote(field.0, into: &out)
                out += ":"
                field.1.write(to: &out)
            }
            out += "}"
        }
    }

    /// `text` as a JSON string, the one JSON string escaping of the code base. With `forScript`,
    /// `<`, `>`, `&`, U+2028 and U+2029 are also escaped, so the text can sit inside `<script>`.
    static func quote(_ text: String, into out: inout String, forScript: Bool = true) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<" where forScript: out += "\\u003c"
            case ">" where forScript: out += "\\u003e"
            case "&" where forScript: out += "\\u0026"
            case "\u{2028}" where forScript: out += "\\u2028"
            case "\u{2029}" where forScript: out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}
