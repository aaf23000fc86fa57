import HubSite

/// Arbitrary bytes as one content file, run through the whole generator in memory.
///
/// Shared by the fuzz target (`Fuzz/`, which links this same file) and by the regression tests
/// that replay `Fuzz/corpus` and `Fuzz/regressions`. A content file can play six roles: a post,
/// a comment, an area snippet, an area profile, a page and `site.yml`. The rest of the site is
/// fixed and valid, so an input that parses goes all the way through `Pipeline.generate`:
/// `DocumentParser`, the model, the link checks and rendering with a tiny theme.
///
/// A fuzz input is `<role digit><file bytes>`: its first byte picks the role (`0` post,
/// `1` comment, `2` snippet, `3` area, `4` page, `5` site.yml, any other byte modulo 6), so a
/// mutation keeps the role of the input it came from. The tests also try each input's file
/// bytes in every role.
///
/// The functions return the broken promises; a crash, a hang or a sanitizer report is caught
/// by whoever runs them (libFuzzer, or the test runner).
enum FuzzHarness {
    enum Role: String, CaseIterable, Sendable {
        case post, comment, snippet, area, page, settings

        /// Where the input goes, below `content/`.
        var path: String {
            switch self {
            case .post: "posts/2009/x.md"
            case .comment: "comments/hello/x.md"
            case .snippet: "areas/herts/x.md"
            case .area: "areas/herts/index.md"
            case .page: "pages/x.md"
            case .settings: "site.yml"
            }
        }
    }

    static let settings = """
    title: Fuzz Hub
    tagline: A hub to fuzz
    base_url: https://example.org/hub/
    comment_note: Please include your name and organisation.

    """

    /// Comments must lose raw HTML whatever `raw_html` says: the comment role runs with it on.
    static let settingsWithRawHTML = settings + "raw_html: true\n"

    static let hubPost = """
    ---
    title: Hello "hub"
    date: 2009-05-11 09:30
    author: Ethel Bangwayo
    role: Strategic Engagement Officer, Herts CVS Group
    tags: [NI7, Third Sector]
    areas: [herts]
    ---
    First paragraph with [the about page](../../pages/about.md) and [home](/).

    ## Funding

    - one
    - two

    """

    static let area = """
    ---
    name: Hertfordshire
    region: East of England
    website: https://www.hertsdirect.org/
    ---
    The county.

    """

    static let snippet = """
    ---
    title: NI7 action plan
    date: 2009-05-01
    source: NI7 action plan 2009
    tags: [NI7]
    ---
    What the *area* does.

    """

    static let comment = """
    ---
    name: Ann Reader
    organisation: Reader Trust
    date: 2009-05-12 10:00
    ---
    Thank you.

    """

    static let page = """
    ---
    title: About
    summary: About this hub.
    ---
    About the hub.

    """

    /// A whole small site: what `site.yml` is tried against.
    static let content: [String: String] = [
        "posts/2009/2009-05-11-hello.md": hubPost,
        "areas/herts/index.md": area,
        "areas/herts/2009-05-01-plan.md": snippet,
        "comments/hello/01.md": comment,
        "pages/about.md": page,
    ]

    /// The fixed files beside the input in each role: as few as the role needs, so that each
    /// input runs quickly, and enough that a valid input is published and rendered.
    static func neighbours(of role: Role) -> [String: String] {
        switch role {
        case .settings: content
        case .post: ["areas/herts/index.md": area, "pages/about.md": page]
        case .comment: ["posts/2009/2009-05-11-hello.md": hubPost, "areas/herts/index.md": area, "pages/about.md": page]
        case .snippet: ["areas/herts/index.md": area]
        case .area: ["areas/herts/2009-05-01-plan.md": snippet]
        case .page: [:]
        }
    }

    /// A theme small enough to render quickly that still shows every field a page carries.
    static let templates: [String: String] = [
        "layout": """
        <!DOCTYPE html><html><head><title>{{page.title}}</title>\
        <meta name="description" content="{{page.description}}">\
        {{#page.feeds}}<link rel="alternate" type="application/rss+xml" title="{{title}}" href="{{url}}">{{/page.feeds}}\
        </head><body><a href="{{site.homeURL}}">{{site.title}}</a> {{site.tagline}}\
        {{#page.nav}}<a href="{{url}}">{{label}}</a>{{/page.nav}}\
        <main>{{$main}}{{/main}}</main>{{{site.sidebar}}}<p>{{site.commentNote}}</p></body></html>
        """,
        "entry": """
        <article><h2><a href="{{url}}">{{title}}</a></h2><p>{{author}} {{role}} {{dateText}} {{time}}</p>\
        {{{body}}}<p>{{summary}}</p>{{#tags}}<a href="{{url}}">{{name}}</a>{{/tags}}\
        {{#areas}}<a href="{{url}}">{{name}}</a>{{/areas}}<a href="{{commentsURL}}">{{commentsLabel}}</a></article>
        """,
        "days": "{{#days}}<h2>{{dateText}}</h2>{{#posts}}{{>entry}}{{/posts}}{{/days}}"
            + "{{#pagination}}{{#newerURL}}<a href=\"{{newerURL}}\">newer</a>{{/newerURL}}"
            + "{{#olderURL}}<a href=\"{{olderURL}}\">older</a>{{/olderURL}}{{/pagination}}",
        "index": "{{<layout}}{{$main}}{{>days}}{{/main}}{{/layout}}",
        "post": """
        {{<layout}}{{$main}}{{#post}}{{>entry}}{{/post}}\
        {{#comments}}<li id="{{anchor}}">{{{body}}}<p>{{name}}, {{organisation}}, {{dateText}}</p></li>{{/comments}}\
        {{#newer}}<a href="{{url}}">{{title}}</a>{{/newer}}{{#older}}<a href="{{url}}">{{title}}</a>{{/older}}\
        {{/main}}{{/layout}}
        """,
        "tag": "{{<layout}}{{$main}}{{#tag}}<h1>{{name}}</h1>{{countLabel}}<a href=\"{{feedURL}}\">feed</a>{{/tag}}{{>days}}{{/main}}{{/layout}}",
        "tags": "{{<layout}}{{$main}}{{#tags}}<a href=\"{{url}}\">{{name}}</a> {{count}}{{/tags}}{{/main}}{{/layout}}",
        "area": """
        {{<layout}}{{$main}}{{#area}}<h1>{{name}}</h1>{{region}}<a href="{{website}}">site</a>{{{body}}}{{/area}}\
        {{#snippets}}<article id="{{anchor}}"><a href="{{url}}">{{title}}</a>{{source}}{{{body}}}\
        {{#tags}}{{name}}{{/tags}}</article>{{/snippets}}{{#posts}}{{>entry}}{{/posts}}{{/main}}{{/layout}}
        """,
        "areas": "{{<layout}}{{$main}}{{#areas}}<a href=\"{{url}}\">{{name}}</a>{{region}}{{/areas}}{{/main}}{{/layout}}",
        "archive": "{{<layout}}{{$main}}{{#years}}<a href=\"{{url}}\">{{year}}</a>{{#months}}<a href=\"{{url}}\">{{name}}</a>{{/months}}{{/years}}{{/main}}{{/layout}}",
        "period": "{{<layout}}{{$main}}{{page.heading}}{{>days}}{{/main}}{{/layout}}",
        "page": "{{<layout}}{{$main}}<h1>{{page.heading}}</h1>{{{body}}}{{/main}}{{/layout}}",
        "404": "{{<layout}}{{$main}}Not found{{/main}}{{/layout}}",
        "sidebar": "{{#areas}}<a href=\"{{url}}\">{{name}}</a>{{/areas}}{{#tags}}<a href=\"{{url}}\">{{name}}</a>{{/tags}}",
    ]

    static let themeFiles: [SourceFile] = templates.keys.sorted().map { name in
        SourceFile(relativePath: "templates/\(name).mustache", root: "theme", text: templates[name]!)
    } + [SourceFile(relativePath: "assets/style.css", root: "theme", text: "body { margin: 0 }\n")]

    static let options = BuildOptions(now: "2010-01-01T00:00:00Z", themeRoot: "theme")

    /// The fixed site with `bytes` in `role`'s place.
    static func tree(_ bytes: [UInt8], as role: Role) -> SourceTree {
        var files = neighbours(of: role)
        files["site.yml"] = role == .comment ? settingsWithRawHTML : settings
        files[role.path] = nil
        var sources = files.map { SourceFile(relativePath: $0.key, text: $0.value) }
        sources.append(SourceFile(relativePath: role.path, displayPath: "content/" + role.path, bytes: bytes))
        sources.sort { Array($0.relativePath.utf8).lexicographicallyPrecedes(Array($1.relativePath.utf8)) }
        return SourceTree(content: sources, theme: themeFiles)
    }

    /// The role a fuzz input's first byte picks.
    static func role(selector: UInt8) -> Role {
        Role.allCases[Int(selector) % Role.allCases.count]
    }

    /// What the fuzz target runs: the first byte picks the role, the rest is the file.
    static func problems(fuzzInput input: [UInt8]) -> [String] {
        guard let selector = input.first else { return problems([], as: .post) }
        return problems(Array(input.dropFirst()), as: role(selector: selector))
    }

    /// Every broken promise for one file's bytes, in every role; empty when all held.
    static func problems(_ bytes: [UInt8]) -> [String] {
        Role.allCases.flatMap { problems(bytes, as: $0) }
    }

    static func problems(_ bytes: [UInt8], as role: Role) -> [String] {
        var problems: [String] = []
        let tree = tree(bytes, as: role)

        // The whole pipeline: parse (a document or located errors), model, checks, render.
        let result = Pipeline.generate(tree, options: options)
        problems += unlocated(result.diagnostics, stage: "generate", role: role)
        let hasErrors = result.diagnostics.contains { $0.severity == .error }
        if hasErrors && result.files != nil {
            problems.append("\(role): files were generated although there were errors")
        }
        if !hasErrors && result.files == nil {
            problems.append("\(role): no files and no error to say why")
        }
        for file in result.files ?? [] {
            if !OutputPath.isSafe(file.path) {
                problems.append("\(role): unsafe output path '\(file.path)'")
            }
            if file.path.hasSuffix(".html") || file.path.hasSuffix(".xml") {
                problems += HTMLSafety.problems(in: file.bytes).map { "\(role): \(file.path): \($0)" }
                if let character = HTMLSafety.forbiddenCharacter(in: file.bytes) {
                    problems.append("\(role): \(file.path): holds \(character), which HTML and XML forbid")
                }
            }
        }
        return problems
    }

    static func unlocated(_ diagnostics: [Diagnostic], stage: String, role: Role) -> [String] {
        diagnostics.compactMap { diagnostic in
            let location = diagnostic.location
            if location.path.isEmpty || location.line < 1 || location.column < 1 {
                return "\(role): \(stage): diagnostic without a proper location: '\(diagnostic)'"
            }
            return nil
        }
    }
}

/// Looks at generated HTML (or XML) the way a browser would for the markup that could run
/// script: `<script>` and `<iframe>`-like elements, `on...` event-handler attributes, and `href`,
/// `src` or `action` values whose scheme is not a safe one. Only real tags count: text that
/// merely mentions `<script>` is escaped, and escaped text is what a safe page holds.
enum HTMLSafety {
    /// The head's JSON-LD, which the theme writes and `JSONText` escapes (no `<` inside): the
    /// one script element a page may hold, cut out before the scan.
    static func withoutStructuredData(_ bytes: [UInt8]) -> [UInt8] {
        let open = Array("<script type=\"application/ld+json\">".utf8), close = Array("</script>".utf8)
        guard let start = bytes.firstRange(of: open),
              let end = bytes[start.upperBound...].firstRange(of: close) else { return bytes }
        return Array(bytes[..<start.lowerBound]) + Array(bytes[end.upperBound...])
    }

    static let forbiddenElements: Set<String> = ["script", "iframe", "object", "embed", "frame", "frameset",
                                                 "applet", "base", "form", "meta", "svg", "math", "style", "link"]
    /// Elements the site's own templates use, which the tiny and the real theme may hold.
    static let themeElements: Set<String> = ["meta", "link"]
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "background"]
    static let safeSchemes: Set<String> = ["http", "https", "mailto", "tel", "ftp", "ftps", "sftp", "news", "irc",
                                           "ircs", "xmpp", "geo", "webcal"]

    /// What is unsafe in a page; empty when it is safe. `themeElements` are allowed because the
    /// page's own head carries them; the content cannot add any (see the tests).
    static func problems(in bytes: [UInt8], allowing allowed: Set<String> = themeElements) -> [String] {
        let bytes = withoutStructuredData(bytes)
        var problems: [String] = []
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == 0x3C else { index += 1; continue } // <
            var cursor = index + 1
            if cursor < count, bytes[cursor] == 0x2F { cursor += 1 } // </
            let nameStart = cursor
            while cursor < count, isNameByte(bytes[cursor]) { cursor += 1 }
            guard cursor > nameStart, isLetter(bytes[nameStart]) else { index += 1; continue }
            let name = lowercased(bytes[nameStart..<cursor])
            if forbiddenElements.contains(name) && !allowed.contains(name) {
                problems.append("a <\(name)> element")
            }
            // Attributes up to the closing '>', with quoted values.
            while cursor < count, bytes[cursor] != 0x3E {
                if isSpace(bytes[cursor]) || bytes[cursor] == 0x2F { cursor += 1; continue }
                let attributeStart = cursor
                while cursor < count, !isSpace(bytes[cursor]), bytes[cursor] != 0x3D, bytes[cursor] != 0x3E,
                      bytes[cursor] != 0x2F || cursor == attributeStart {
                    cursor += 1
                }
                let attribute = lowercased(bytes[attributeStart..<cursor])
                while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                var value: [UInt8]? = nil
                if cursor < count, bytes[cursor] == 0x3D { // =
                    cursor += 1
                    while cursor < count, isSpace(bytes[cursor]) { cursor += 1 }
                    if cursor < count, bytes[cursor] == 0x22 || bytes[cursor] == 0x27 {
                        let quote = bytes[cursor]
                        let valueStart = cursor + 1
                        cursor = valueStart
                        while cursor < count, bytes[cursor] != quote { cursor += 1 }
                        value = Array(bytes[valueStart..<min(cursor, count)])
                        cursor += 1
                    } else {
                        let valueStart = cursor
                        while cursor < count, !isSpace(bytes[cursor]), bytes[cursor] != 0x3E { cursor += 1 }
                        value = Array(bytes[valueStart..<cursor])
                    }
                }
                if attribute.hasPrefix("on") && attribute.count > 2 {
                    problems.append("an event handler attribute '\(attribute)' on <\(name)>")
                }
                if attribute == "style" {
                    problems.append("a style attribute on <\(name)>")
                }
                if urlAttributes.contains(attribute), let value, let scheme = unsafeScheme(value) {
                    problems.append("\(attribute)=\"\(scheme):...\" on <\(name)>")
                }
            }
            index = max(cursor, index + 1)
        }
        return problems
    }

    /// The first character that neither XML 1.0 nor HTML allows in a document (C0 and C1
    /// controls but tab, newline and carriage return; U+FFFE, U+FFFF), as `U+XXXX`.
    static func forbiddenCharacter(in bytes: [UInt8]) -> String? {
        // Only bytes below 0x20, 0xC2 (C1 controls) and 0xEF (U+FFFE/F) can start one.
        guard bytes.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xEF })
        else { return nil }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            let value = scalar.value
            if (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D) || (0x7F...0x9F).contains(value)
                || value == 0xFFFE || value == 0xFFFF {
                return "U+" + String(value, radix: 16, uppercase: true).leftPadded(to: 4)
            }
        }
        return nil
    }

    /// The scheme of an attribute value as a browser reads it, when it is not a safe one.
    static func unsafeScheme(_ value: [UInt8]) -> String? {
        let decoded = decodeEntities(value).filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.drop { $0 <= 0x20 }
        guard let colon = decoded.firstIndex(of: 0x3A) else { return nil }
        let candidate = decoded[decoded.startIndex..<colon]
        guard let first = candidate.first, isLetter(first),
              candidate.allSatisfy({ isLetter($0) || isDigit($0) || $0 == 0x2B || $0 == 0x2D || $0 == 0x2E }) else {
            return nil // a '/' or '?' before the ':' makes it a path, not a scheme
        }
        let scheme = lowercased(candidate)
        if safeSchemes.contains(scheme) { return nil }
        if scheme == "data" {
            let lower = lowercased(decoded)
            let images = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]
            if images.contains(where: { lower.hasPrefix($0 + ";") || lower.hasPrefix($0 + ",") }) { return nil }
        }
        return scheme
    }

    /// `&amp;`, `&#106;`, `&#x6A;`, `&colon;` and the like, as a browser decodes them in an attribute.
    static func decodeEntities(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0x26) else { return bytes }
        let named: [String: String] = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":",
                                       "tab": "\t", "newline": "\n", "sol": "/", "lpar": "(", "rpar": ")"]
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x26 else { output.append(bytes[index]); index += 1; continue }
            var end = index + 1
            while end < bytes.count, end - index < 40, bytes[end] != 0x3B, bytes[end] != 0x26 { end += 1 }
            let body = String(decoding: bytes[(index + 1)..<min(end, bytes.count)], as: UTF8.self)
            var scalar: Unicode.Scalar?
            if body.hasPrefix("#x") || body.hasPrefix("#X") {
                scalar = UInt32(body.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
            } else if body.hasPrefix("#") {
                scalar = UInt32(body.dropFirst(), radix: 10).flatMap(Unicode.Scalar.init)
            } else if let text = named[body.lowercased()] {
                scalar = text.unicodeScalars.first
            }
            if let scalar {
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index = end < bytes.count && bytes[end] == 0x3B ? end + 1 : end
            } else {
                output.append(0x26)
                index += 1
            }
        }
        return output
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }
    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C }
    private static func isNameByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 0x3A || byte == 0x2D }
    private static func lowercased<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        String(decoding: bytes.map { isLetter($0) && $0 < 0x61 ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
