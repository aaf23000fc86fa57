import CLibXML2
import Foundation

/// Blogger's HTML -> Markdown an author can edit, through libxml2's HTML parser (which repairs
/// whatever Blogger's editor left, and decodes entities). The tree is walked with its parent
/// links, never by recursion, so a deeply nested body or comment cannot exhaust the stack.
///
/// Two modes (docs/authors.md, Moving from Blogger):
/// - `.post`: paragraphs (from `<p>` and Blogger's `<br /><br />`), emphasis (`<b>`, `<i>`,
///   `<strong>`, `<em>`, bold or italic `style`), links, images (alt and title, and the link
///   to the full-size copy around them), lists, headings, block quotes, code, tables as lists
///   of rows, or as clean HTML when the site keeps raw HTML (`tablesAsHTML`, from `raw_html`).
///   Styles, ids and handlers are dropped; the `blogger-post-footer` tracker goes.
/// - `.comment`: readers' text, which is untrusted: plain text and links, nothing else.
struct HTMLToMarkdown {
    enum Mode { case post, comment }

    var mode: Mode
    /// Rewrites a link's address (`nil` drops the link and keeps its words).
    var rewriteLink: (String) -> String?
    /// Rewrites an image's address.
    var rewriteImage: (String) -> String
    /// Keep a post's tables as HTML (only where `raw_html` is on, or the build would drop them).
    var tablesAsHTML = false

    /// What the conversion made, and what it could not carry over exactly.
    struct Output {
        var markdown: String
        var problems: [String]
        var remoteImages: [String]
    }

    func convert(_ html: String) -> Output {
        var writer = MarkdownWriter(mode: mode)
        let bytes = Array(html.utf8)
        guard !bytes.isEmpty else { return Output(markdown: "", problems: [], remoteImages: []) }
        // XML_PARSE_HUGE lifts libxml2's limit of 256 levels, which would silently drop the
        // text of a deeply nested body; the walk below needs no stack for depth.
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue) | Int32(XML_PARSE_HUGE.rawValue)
        let document: htmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(clamping: buffer.count), nil, "UTF-8", options)
            }
        }
        guard let document else { return Output(markdown: "", problems: ["the HTML could not be read"], remoteImages: []) }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { return Output(markdown: "", problems: [], remoteImages: []) }
        walk(from: root, into: &writer)
        return Output(markdown: writer.finish(), problems: writer.problems, remoteImages: writer.remoteImages)
    }

    /// Depth-first over the subtree of `root` with the tree's own links: `enter` on the way
    /// down, `exit` on the way up.
    private func walk(from root: xmlNodePtr, into writer: inout MarkdownWriter) {
        Self.walk(from: root, enter: { enter($0, &writer) }, exit: { exit($0, &writer) })
    }

    private static func walk(from root: xmlNodePtr, enter: (xmlNodePtr) -> Bool, exit: (xmlNodePtr) -> Void) {
        var current: xmlNodePtr? = root
        while let node = current {
            let descend = enter(node)
            if descend, let child = node.pointee.children {
                current = child
                continue
            }
            if descend { exit(node) }
            var climbing = node
            current = nil
            while climbing != root {
                if let next = climbing.pointee.next {
                    current = next
                    break
                }
                guard let parent = climbing.pointee.parent else { break }
                climbing = parent
                exit(parent)
            }
        }
    }

    // MARK: - Elements

    private static let blockNames: Set<String> = [
        "p", "div", "section", "article", "header", "footer", "center", "address", "figure", "figcaption",
        "dl", "dt", "dd", "main", "aside", "nav", "form", "fieldset",
    ]
    private static let droppedNames: Set<String> = [
        "script", "style", "noscript", "head", "title", "meta", "link", "template", "button", "input", "select",
        "textarea", "svg", "math",
    ]
    private static let embedNames: Set<String> = ["iframe", "object", "embed", "video", "audio"]

    /// Returns whether to go into the node's children (and call `exit` after them).
    private func enter(_ node: xmlNodePtr, _ writer: inout MarkdownWriter) -> Bool {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            writer.text(Self.string(node.pointee.content))
            return false
        case XML_ELEMENT_NODE:
            break
        default:
            return false
        }
        let name = Self.string(node.pointee.name).lowercased()
        if Self.droppedNames.contains(name) { return false }
        if Self.attribute(node, "class").split(separator: " ").contains("blogger-post-footer") { return false }
        if Self.embedNames.contains(name) {
            let source = Self.attribute(node, "src").isEmpty ? Self.attribute(node, "data") : Self.attribute(node, "src")
            writer.embedded(name: name, source: source.isEmpty ? nil : rewriteLink(source))
            return false
        }
        let style = Self.attribute(node, "style").lowercased().filter { $0 != " " }
        switch name {
        case "br":
            writer.lineBreak()
            return false
        case "img":
            image(node, &writer)
            return false
        case "hr":
            writer.rule()
            return false
        case "a":
            let href = Self.attribute(node, "href").trimmingCharacters(in: .whitespacesAndNewlines)
            let kept = href.isEmpty ? nil : rewriteLink(href)
            if !href.isEmpty && kept == nil {
                let shown = href.count > 80 ? href.prefix(80) + "…" : Substring(href)
                writer.report("the link to '\(shown)' was dropped (only web and mail addresses are kept); its words remain")
            }
            writer.openLink(kept, title: Self.attribute(node, "title"))
        case "b", "strong":
            writer.openEmphasis(.strong)
        case "i", "em", "cite":
            writer.openEmphasis(.emphasis)
        case "span", "font":
            if style.contains("font-weight:bold") || style.contains("font-weight:700") { writer.openEmphasis(.strong) }
            if style.contains("font-style:italic") { writer.openEmphasis(.emphasis) }
        case "code", "tt", "kbd", "samp":
            writer.openCode()
        case "pre":
            writer.openPreformatted()
        case "h1", "h2", "h3", "h4", "h5", "h6":
            writer.openHeading(level: Int(name.dropFirst()) ?? 2)
        case "blockquote":
            writer.openQuote()
        case "ul", "ol":
            writer.openList(ordered: name == "ol")
        case "li":
            writer.openItem()
        case "table" where tablesAsHTML && mode == .post:
            writer.htmlBlock(Self.tableHTML(node))
            return false
        case "table":
            writer.openTable()
        case "tr":
            writer.openRow()
        case "td", "th":
            writer.openCell(header: name == "th")
        default:
            if Self.blockNames.contains(name) { writer.blockBoundary() }
        }
        return true
    }

    private func exit(_ node: xmlNodePtr, _ writer: inout MarkdownWriter) {
        guard node.pointee.type == XML_ELEMENT_NODE else { return }
        let name = Self.string(node.pointee.name).lowercased()
        let style = Self.attribute(node, "style").lowercased().filter { $0 != " " }
        switch name {
        case "a":
            writer.closeLink()
        case "b", "strong", "i", "em", "cite":
            writer.closeEmphasis()
        case "span", "font":
            if style.contains("font-style:italic") { writer.closeEmphasis() }
            if style.contains("font-weight:bold") || style.contains("font-weight:700") { writer.closeEmphasis() }
        case "code", "tt", "kbd", "samp":
            writer.closeCode()
        case "pre":
            writer.closePreformatted()
        case "h1", "h2", "h3", "h4", "h5", "h6":
            writer.closeHeading()
        case "blockquote":
            writer.closeQuote()
        case "ul", "ol":
            writer.closeList()
        case "li":
            writer.closeItem()
        case "table":
            writer.closeTable()
        case "tr":
            writer.closeRow()
        case "td", "th":
            writer.closeCell()
        default:
            if Self.blockNames.contains(name) { writer.blockBoundary() }
        }
    }

    private static let tableNames: Set<String> = ["table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"]

    /// A table as clean HTML: its structure and `colspan`/`rowspan`, the text of its cells
    /// (whitespace folded, so no blank line ends the Markdown HTML block), nothing else.
    static func tableHTML(_ table: xmlNodePtr) -> String {
        var html = ""
        walk(from: table, enter: { node in
            if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE {
                let text = string(node.pointee.content).split(whereSeparator: \.isWhitespace).joined(separator: " ")
                let spaced = string(node.pointee.content).first?.isWhitespace == true && !text.isEmpty ? " " + text : text
                html += spaced.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: ">", with: "&gt;")
                return false
            }
            guard node.pointee.type == XML_ELEMENT_NODE else { return false }
            let name = string(node.pointee.name).lowercased()
            if droppedNames.contains(name) { return false }
            if name == "br" { html += "<br>" }
            guard tableNames.contains(name) else { return true }
            if name == "tr" || name == "thead" || name == "tbody" || name == "tfoot" || name == "caption" { html += "\n" }
            html += "<" + name
            for span in ["colspan", "rowspan"] {
                let value = attribute(node, span)
                if !value.isEmpty, value.allSatisfy(\.isNumber) { html += " \(span)=\"\(value)\"" }
            }
            html += ">"
            return true
        }, exit: { node in
            let name = string(node.pointee.name).lowercased()
            if tableNames.contains(name) { html += (name == "table" ? "\n" : "") + "</\(name)>" }
        })
        return html.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func image(_ node: xmlNodePtr, _ writer: inout MarkdownWriter) {
        let source = Self.attribute(node, "src").trimmingCharacters(in: .whitespacesAndNewlines)
        // Blogger's invisible tracking pixel.
        if source.contains("/tracker/") || (Self.attribute(node, "width") == "1" && Self.attribute(node, "height") == "1") {
            return
        }
        guard !source.isEmpty else { return }
        let rewritten = rewriteImage(source)
        writer.image(source: rewritten, alt: Self.attribute(node, "alt"), title: Self.attribute(node, "title"),
                     isRemote: rewritten == source && (source.hasPrefix("http://") || source.hasPrefix("https://")
                                                       || source.hasPrefix("//")))
    }

    // MARK: - libxml2 access

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    static func string(_ pointer: UnsafeMutablePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// An attribute's value, read from the node's own attribute list (no allocation to free).
    static func attribute(_ node: xmlNodePtr, _ name: String) -> String {
        var property = node.pointee.properties
        while let current = property {
            if string(current.pointee.name).lowercased() == name {
                var value = ""
                var child = current.pointee.children
                while let text = child {
                    value += string(text.pointee.content)
                    child = text.pointee.next
                }
                return value
            }
            property = current.pointee.next
        }
        return ""
    }
}
