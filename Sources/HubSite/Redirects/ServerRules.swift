/// `hubsite redirects`: the site's old addresses as HTTP 301 rules for a web server, so that
/// links, bookmarks and feed subscriptions to a Blogger site follow it to the new one
/// (docs/authors.md, Moving from Blogger). Reads the model; prints text; writes nothing.
public enum ServerRules {
    public enum Format: String, CaseIterable, Sendable {
        case nginx, apache, netlify
    }

    /// One old address (a path, percent-decoded as servers match it) and where it now lives.
    public struct Redirect: Sendable, Equatable {
        public var from: String
        public var to: String
    }

    /// Every old address of the site, exact ones first, then catch-alls (`from` ending in `/`
    /// with `isPrefix`) for label pages and feeds the site no longer has.
    public struct Rules: Sendable, Equatable {
        public var exact: [Redirect] = []
        public var prefixes: [Redirect] = []
    }

    public static func rules(for site: Site) -> Rules {
        let base = site.settings.baseURL
        var rules = Rules()
        var seen: Set<String> = []
        func add(_ from: String, _ to: String) {
            guard from != to, seen.insert(from).inserted else { return }
            rules.exact.append(Redirect(from: from, to: to))
        }
        func addAlias(_ alias: String, _ to: String) {
            add(base.path + (alias.hasSuffix("/index.html") ? String(alias.dropLast("index.html".count)) : alias), to)
        }

        // Posts: every alias, and Blogger's per-post feeds, found from the Blogger id in `guid`.
        for post in site.posts.sorted(by: { $0.path < $1.path }) {
            let target = base.url(post.path)
            for alias in post.aliasPaths.sorted() { addAlias(alias, target) }
            if !post.isPermalinkGUID, let id = bloggerPostID(post.guid) {
                add(base.path + "feeds/posts/default/\(id)", target)
                add(base.path + "feeds/\(id)/comments/default", target + "#comments")
            }
        }
        // Label pages and label feeds, in the tag's spelling (with `+` for spaces too, as some
        // old links have them).
        for tag in site.tags {
            let spellings = tag.name.contains(" ") ? [tag.name, tag.name.replacingSpaces(with: "+")] : [tag.name]
            for name in spellings {
                add(base.path + "search/label/" + name, base.url(tag.path))
                add(base.path + "feeds/posts/default/-/" + name, base.url(tag.path + "feed.xml"))
                add(base.path + "feeds/posts/summary/-/" + name, base.url(tag.path + "feed.xml"))
            }
        }
        // The site's feeds.
        for feed in ["feeds/posts/default", "feeds/posts/summary", "feeds/posts/full", "feeds/comments/default",
                     "feeds/comments/full", "feeds/comments/summary", "rss.xml", "atom.xml"] {
            add(base.path + feed, base.url("feed.xml"))
        }
        // Month archives (Blogger's `/2009/05/` is the site's month page already).
        for year in site.archive {
            for month in year.months {
                add(base.path + "\(pad(month.year, 4))_\(pad(month.month))_01_archive.html", base.url(month.path))
            }
        }
        // Static pages: their aliases, and Blogger's `/p/about.html`.
        for page in site.pages {
            for alias in page.aliasPaths.sorted() { addAlias(alias, base.url(page.path)) }
            add(base.path + "p/\(page.slug).html", base.url(page.path))
        }
        rules.prefixes = [
            Redirect(from: base.path + "search/label/", to: base.url("tags/")),
            Redirect(from: base.path + "feeds/", to: base.url("feed.xml")),
        ]
        return rules
    }

    /// `tag:blogger.com,1999:blog-123.post-456` -> `456`.
    static func bloggerPostID(_ guid: String) -> String? {
        guard guid.hasPrefix("tag:blogger.com,"), let range = guid.range(of: ".post-") else { return nil }
        let id = guid[range.upperBound...]
        return !id.isEmpty && id.allSatisfy(\.isNumber) ? String(id) : nil
    }

    public static func text(_ rules: Rules, format: Format, site: Site) -> String {
        switch format {
        case .nginx: nginx(rules, site: site)
        case .apache: apache(rules, site: site)
        case .netlify: netlify(rules, site: site)
        }
    }

    // MARK: - nginx

    /// An include for the site's `server` block. `location` matches the decoded path and never
    /// the query string, so `?m=1` and `?alt=rss` reach the same rule as the bare path, and
    /// `return` drops them (docs/authors.md).
    static func nginx(_ rules: Rules, site: Site) -> String {
        var text = "# Redirects from the old addresses of \(site.settings.baseURL), made by `hubsite redirects --format nginx`.\n"
            + "# Include this file inside the site's server block: include /etc/nginx/snippets/hubsite-redirects.conf;\n"
        for rule in rules.exact {
            text += "location = \(nginxQuoted(rule.from)) { return 301 \(nginxQuoted(rule.to)); }\n"
        }
        for rule in rules.prefixes {
            text += "location ^~ \(nginxQuoted(rule.from)) { return 301 \(nginxQuoted(rule.to)); }\n"
        }
        return text
    }

    static func nginxQuoted(_ text: String) -> String {
        let plain = text.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F && !"\"'\\;{}$#".unicodeScalars.contains(scalar)
        }
        if plain { return text }
        var quoted = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"", "\\": quoted += "\\" + String(scalar)
            case "$": quoted += "${dollar}"
            default: quoted.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar)
            }
        }
        return quoted + "\""
    }

    // MARK: - Apache

    /// A `.htaccess` for the site's folder (mod_rewrite). `QSD` drops the old query string.
    static func apache(_ rules: Rules, site: Site) -> String {
        let base = site.settings.baseURL.path
        var text = "# Redirects from the old addresses of \(site.settings.baseURL), made by `hubsite redirects --format apache`.\n"
            + "# Save as .htaccess in the site's folder (needs mod_rewrite and AllowOverride FileInfo).\n"
            + "RewriteEngine On\n"
        func pattern(_ from: String) -> String {
            // In a .htaccess, rules see the path without the folder's own prefix.
            let relative = from.hasPrefix(base) ? String(from.dropFirst(base.count)) : from
            return regexEscaped(relative)
        }
        for rule in rules.exact {
            text += "RewriteRule ^\(pattern(rule.from))$ \(apacheTarget(rule.to)) [R=301,L,QSD,NE]\n"
        }
        for rule in rules.prefixes {
            text += "RewriteRule ^\(pattern(rule.from)) \(apacheTarget(rule.to)) [R=301,L,QSD,NE]\n"
        }
        return text
    }

    static func regexEscaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if "\\^$.|?*+()[]{}".unicodeScalars.contains(scalar) {
                escaped += "\\" + String(scalar)
            } else if scalar == " " {
                escaped += "\\x20"
            } else if scalar == "\"" || scalar == "'" || scalar == "#" || scalar.value < 0x20 || scalar == "%" {
                escaped += String(format2: scalar.value)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }

    static func apacheTarget(_ url: String) -> String {
        percentEncodedPath(url)
    }

    // MARK: - Netlify

    /// A `_redirects` file for the site's root. Forced (`301!`), since the alias pages are
    /// files there too.
    static func netlify(_ rules: Rules, site: Site) -> String {
        var text = "# Redirects from the old addresses of \(site.settings.baseURL), made by `hubsite redirects --format netlify`.\n"
            + "# Save as _redirects in the published folder (e.g. content/static/_redirects).\n"
        for rule in rules.exact {
            text += "\(percentEncodedPath(rule.from))  \(percentEncodedPath(rule.to))  301!\n"
        }
        for rule in rules.prefixes {
            text += "\(percentEncodedPath(rule.from))*  \(percentEncodedPath(rule.to))  301!\n"
        }
        return text
    }

    /// Percent-encodes what may not stand in a URL path as it is (spaces, `&`, non-ASCII ...).
    static func percentEncodedPath(_ path: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:#!$'()*+,;=@".unicodeScalars)
        var encoded = ""
        for byte in path.utf8 {
            let scalar = Unicode.Scalar(byte)
            if byte < 0x80 && allowed.contains(scalar) {
                encoded.unicodeScalars.append(scalar)
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

private extension String {
    init(format2 value: UInt32) {
        self = "\\x" + String(value, radix: 16).leftPadded(to: 2)
    }

    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }

    func replacingSpaces(with replacement: String) -> String {
        split(separator: " ", omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
