import CCmark
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a body is shown and how its links resolve.
public struct BodyContext: Sendable {
    /// Root-relative URL of the body's own page (`/2009/05/joneses/`); nil leaves relative links as written.
    public var pageURL: String?
    /// The site's base path (`/` or `/hub/`): links starting with `/` are taken under it.
    public var basePath: String
    /// Content files by path below the content folder (`posts/2009/joneses.md`) -> root-relative URL.
    public var contentURLs: [String: String]
    /// Content files that exist but are not published, with why (`a draft`), for link messages.
    public var unpublishedContent: [String: String] = [:]
    public var allowRawHTML: Bool
    /// Ids a heading must not take, because the theme uses them.
    public var reservedIDs: Set<String>
    /// Id prefixes the theme uses for anchors of its own (`comment-`, `snippet-`).
    public var reservedIDPrefixes: [String] = ["comment-", "snippet-"]
    /// A reader's comment: nothing in it may fail the build, so its broken links are warnings
    /// and lose their address (docs/security.md).
    public var isComment = false

    public init(pageURL: String? = nil, basePath: String = "/", contentURLs: [String: String] = [:],
                allowRawHTML: Bool = false, reservedIDs: Set<String> = []) {
        self.pageURL = pageURL
        self.basePath = basePath
        self.contentURLs = contentURLs
        self.allowRawHTML = allowRawHTML
        self.reservedIDs = reservedIDs
    }
}

/// Markdown -> HTML through cmark's AST: curly quotes (SMART), heading ids, links rewritten and
/// checked, unsafe URLs dropped, raw HTML only when allowed, the first paragraph as summary.
///
/// cmark's nodes are not Sendable: everything from parse to free happens inside `render`, which
/// returns plain strings.
public enum BodyRenderer {
    public static func render(_ source: MarkdownSource, context: BodyContext) -> RenderedBody {
        if !context.isComment, let line = MarkdownLimits.paragraphWithTooManyBrackets(in: source.text) {
            let location = SourceLocation(path: source.displayPath, line: line + source.firstLine - 1)
            return RenderedBody(template: "", summary: "", diagnostics: [.error(location, MarkdownLimits.bracketMessage)])
        }
        var options = CMARK_OPT_SMART
        if context.allowRawHTML { options |= CMARK_OPT_UNSAFE }
        let length = source.text.utf8.count
        guard let document = source.text.withCString({ cmark_parse_document($0, length, options) }) else {
            return RenderedBody(template: "", summary: "")
        }
        defer { cmark_node_free(document) }

        var walker = Walker(source: source, context: context)
        walker.collect(document)
        let summary = walker.summary
        walker.rewrite()

        guard let rendered = cmark_render_html(document, options) else {
            return RenderedBody(template: "", summary: summary)
        }
        defer { free(rendered) }
        let html = walker.headings.isEmpty ? String(cString: rendered) : joinHeadingLines(rendered)
        return RenderedBody(template: html, summary: summary,
                            internalLinks: walker.internalLinks, diagnostics: walker.diagnostics)
    }
}

/// Drops the line breaks cmark writes inside a heading replaced by a custom block, marked by U+0003:
/// "\u{3}\n" after the opening and "\n\u{3}" before the closing. The text between markers is
/// copied whole, straight into the String's storage.
private func joinHeadingLines(_ html: UnsafeMutablePointer<CChar>) -> String {
    let length = strlen(html)
    return html.withMemoryRebound(to: UInt8.self, capacity: length) { source in
        String(unsafeUninitializedCapacity: length) { output in
            var written = 0
            func copy(_ range: Range<Int>) {
                guard !range.isEmpty, let base = output.baseAddress else { return }
                (base + written).update(from: source + range.lowerBound, count: range.count)
                written += range.count
            }
            var index = 0
            while index < length, let found = memchr(source + index, 0x03, length - index) {
                let marker = found.assumingMemoryBound(to: UInt8.self) - source
                if marker > index, source[marker - 1] == 0x0A { // "\n\u{3}" before the closing
                    copy(index..<marker - 1)
                    index = marker + 1
                } else { // "\u{3}\n" after the opening, or a marker alone
                    copy(index..<marker)
                    index = marker + 1 < length && source[marker + 1] == 0x0A ? marker + 2 : marker + 1
                }
            }
            copy(index..<length)
            return written
        }
    }
}

private struct Walker {
    let source: MarkdownSource
    let context: BodyContext
    var headings: [OpaquePointer] = []
    /// Links and images in document order. They nest (an image inside a link, or inside another
    /// image's description), and replacing an image frees what it holds, so they are rewritten
    /// innermost first: in reverse document order.
    var linksAndImages: [OpaquePointer] = []
    var summary = ""
    var internalLinks: [InternalLink] = []
    var diagnostics: [Diagnostic] = []
    var usedIDs: [String: Int] = [:]

    init(source: MarkdownSource, context: BodyContext) {
        self.source = source
        self.context = context
    }

    mutating func collect(_ document: OpaquePointer) {
        guard let iterator = cmark_iter_new(document) else { return }
        defer { cmark_iter_free(iterator) }
        var foundParagraph = false
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HEADING: headings.append(node)
            case CMARK_NODE_LINK, CMARK_NODE_IMAGE: linksAndImages.append(node)
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_HTML_INLINE, CMARK_NODE_HTML_BLOCK:
                cleanLiteral(of: node)
            case CMARK_NODE_CODE_BLOCK:
                cleanLiteral(of: node)
                // The info string becomes the code's `class`: the same cleaning as any text.
                let info = string(cmark_node_get_fence_info(node))
                let clean = SourceText.normalise(info)
                if clean != info { cmark_node_set_fence_info(node, clean) }
            case CMARK_NODE_PARAGRAPH where !foundParagraph:
                foundParagraph = true
                summary = SourceText.normalise(plainText(of: node)).trimmingWhitespace()
            default: break
            }
        }
    }

    /// Numeric entities (`&#16;`) decode to characters HTML and XML forbid, and U+0001...U+0003
    /// would forge the body's holes: they are replaced like the file's own. Every string cmark
    /// writes out is cleaned here or where it is rewritten (URLs are percent-encoded, titles and
    /// alt text normalised), so the holes only ever come from this renderer.
    private func cleanLiteral(of node: OpaquePointer) {
        // Looked at in cmark's own bytes first: nearly every literal is clean, and most are
        // never turned into a String at all.
        guard let pointer = cmark_node_get_literal(node),
              SourceText.needsWork(UnsafeRawPointer(pointer).assumingMemoryBound(to: UInt8.self), count: strlen(pointer))
        else { return }
        let literal = String(cString: pointer)
        let clean = SourceText.normalise(literal)
        if clean != literal { cmark_node_set_literal(node, clean) }
    }

    mutating func rewrite() {
        for heading in headings { replaceHeading(heading) }
        for node in linksAndImages.reversed() {
            if cmark_node_get_type(node) == CMARK_NODE_IMAGE { replaceImage(node) } else { replaceLink(node) }
        }
        // Found innermost last; report them in document order.
        internalLinks.reverse()
        diagnostics.reverse()
    }

    // MARK: Headings

    private mutating func replaceHeading(_ heading: OpaquePointer) {
        let level = max(2, Int(cmark_node_get_heading_level(heading)))
        let id = uniqueID(for: plainText(of: heading))
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { return }
        // cmark puts a line break after a custom block's opening and before its closing;
        // U+0003 marks those breaks for `joinHeadingLines` to take out.
        cmark_node_set_on_enter(custom, "<h\(level) id=\"\u{1}\(HTMLEscaping.escape(id))\">\u{3}")
        cmark_node_set_on_exit(custom, "\u{3}</h\(level)>")
        moveChildren(of: heading, into: custom)
        cmark_node_replace(heading, custom)
        cmark_node_free(heading)
    }

    private mutating func uniqueID(for text: String) -> String {
        var base = Slug.make(text)
        if base.isEmpty { base = "section" }
        if context.reservedIDs.contains(base) || context.reservedIDPrefixes.contains(where: { base.hasPrefix($0) }) {
            base = "h-" + base // keep clear of the theme's own anchors
        }
        var candidate = base
        var count = usedIDs[base, default: 0]
        repeat {
            count += 1
            candidate = count == 1 ? base : "\(base)-\(count)"
        } while count > 1 && usedIDs[candidate] != nil
        usedIDs[base] = count
        if candidate != base { usedIDs[candidate] = 1 }
        return candidate
    }

    // MARK: Links and images

    private mutating func replaceLink(_ link: OpaquePointer) {
        let destination = string(cmark_node_get_url(link))
        let title = SourceText.normalise(string(cmark_node_get_title(link)))
        guard let href = resolve(destination, node: link, forImage: false) else {
            // Unsafe: keep the words, drop the link.
            while let child = cmark_node_first_child(link) { cmark_node_insert_before(link, child) }
            cmark_node_unlink(link)
            cmark_node_free(link)
            return
        }
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { return }
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTMLEscaping.escape(title))\""
        cmark_node_set_on_enter(custom, "<a href=\"\(href)\"\(titleAttribute)>")
        cmark_node_set_on_exit(custom, "</a>")
        moveChildren(of: link, into: custom)
        cmark_node_replace(link, custom)
        cmark_node_free(link)
    }

    private mutating func replaceImage(_ image: OpaquePointer) {
        let destination = string(cmark_node_get_url(image))
        let title = SourceText.normalise(string(cmark_node_get_title(image)))
        let alt = SourceText.normalise(plainText(of: image))
        guard let custom = cmark_node_new(CMARK_NODE_CUSTOM_INLINE) else { return }
        let titleAttribute = title.isEmpty ? "" : " title=\"\(HTMLEscaping.escape(title))\""
        if let src = resolve(destination, node: image, forImage: true) {
            cmark_node_set_on_enter(custom, "<img src=\"\(src)\" alt=\"\(HTMLEscaping.escape(alt))\"\(titleAttribute)>")
        } else {
            cmark_node_set_on_enter(custom, HTMLEscaping.escape(alt))
        }
        cmark_node_set_on_exit(custom, "")
        cmark_node_replace(image, custom)
        cmark_node_free(image)
    }

    /// The attribute-ready URL for a destination, or nil when it must be dropped.
    private mutating func resolve(_ destination: String, node: OpaquePointer, forImage: Bool) -> String? {
        let trimmed = destination.trimmingWhitespace()
        if trimmed.isEmpty { return "" }
        if URLSafety.scheme(of: trimmed) != nil || trimmed.hasPrefix("//") {
            return URLSafety.isSafe(trimmed, forImage: forImage) ? HTMLEscaping.escapeURL(trimmed) : nil
        }
        // Browsers ignore tabs and newlines in URLs; a scheme hidden that way is still a scheme.
        if !URLSafety.isSafe(trimmed, forImage: forImage) { return nil }
        guard let pageURL = context.pageURL else { return HTMLEscaping.escapeURL(trimmed) }
        let location = self.location(of: node)
        let (path, suffix) = LinkPath.splitSuffix(trimmed)
        let resolved: String
        if path.hasSuffix(".md") {
            let target = LinkPath.resolveContentPath(path, from: LinkPath.folder(of: source.relativePath))
            guard let url = target.flatMap({ context.contentURLs[$0] }) else {
                let message = LinkAdvice.brokenContentLink(
                    destination, target: target, suffix: suffix, from: LinkPath.folder(of: source.relativePath),
                    context: context)
                if context.isComment {
                    diagnostics.append(.warning(location, message + OutputChecks.commentLinkDropped))
                    return nil
                }
                diagnostics.append(.error(location, message))
                return HTMLEscaping.escapeURL(trimmed)
            }
            // A snippet's URL already ends in its anchor; a heading inside it is `snippet-x--heading`.
            resolved = url.contains("#") && suffix.hasPrefix("#") ? url + "--" + suffix.dropFirst() : url + suffix
        } else if path.hasPrefix("/") {
            resolved = context.basePath + path.dropFirst() + suffix
        } else {
            resolved = LinkPath.resolve(path, against: pageURL) + suffix
        }
        internalLinks.append(InternalLink(url: resolved, destination: destination, location: location,
                                          isInComment: context.isComment))
        return "\u{2}" + HTMLEscaping.escapeURL(resolved)
    }

    // MARK: Helpers

    private func location(of node: OpaquePointer) -> SourceLocation {
        var current: OpaquePointer? = node
        while let candidate = current {
            let line = Int(cmark_node_get_start_line(candidate))
            if line > 0 {
                let column = max(1, Int(cmark_node_get_start_column(candidate)))
                return SourceLocation(path: source.displayPath, line: line + source.firstLine - 1, column: column)
            }
            current = cmark_node_parent(candidate)
        }
        return SourceLocation(path: source.displayPath, line: source.firstLine)
    }

    private func moveChildren(of node: OpaquePointer, into target: OpaquePointer) {
        while let child = cmark_node_first_child(node) {
            cmark_node_append_child(target, child)
        }
    }

    private func string(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// The text a reader sees in a node, without markup. Walks with cmark's iterator, never by
    /// recursion: a reader can nest emphasis or images hundreds of thousands deep.
    func plainText(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let current = cmark_iter_get_node(iterator), current != node else { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                text += string(cmark_node_get_literal(current))
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        return text
    }
}
