/// Parses Mustache text into nodes. Lines that hold nothing but one section, inverted,
/// closing, comment, partial, parent or block tag are dropped whole, as the Mustache spec says,
/// so templates can be laid out freely without stray blank lines in the output.
enum TemplateParser {
    private enum TagKind {
        case variable(escaped: Bool), section, inverted, close, comment, partial, parent, block
        var isStandalone: Bool {
            if case .variable = self { return false }
            return true
        }
    }

    private struct Tag {
        var kind: TagKind
        var name: String
        var start: Int   // byte offset of "{{"
        var end: Int     // byte offset after "}}"
        var line: Int
        var column: Int
    }

    private struct Frame {
        var kind: TagKind
        var name: String
        var nodes: [TemplateNode] = []
        var line: Int
        var column: Int
    }

    static func parse(_ text: String, name: String) throws(TemplateError) -> Template {
        let bytes = Array(text.utf8)
        let tags = try scan(bytes)
        var stack = [Frame(kind: .section, name: "", line: 1, column: 1)]
        var references: [TemplateReference] = []
        var cursor = 0

        func appendText(_ start: Int, _ end: Int) {
            guard end > start else { return }
            stack[stack.count - 1].nodes.append(.text(Array(bytes[start..<end])))
        }

        for tag in tags {
            var (textEnd, nextStart) = (tag.start, tag.end)
            if tag.kind.isStandalone, let line = standaloneLine(bytes, tag: tag) {
                (textEnd, nextStart) = line
            }
            appendText(cursor, textEnd)
            cursor = nextStart
            switch tag.kind {
            case .variable(let escaped):
                stack[stack.count - 1].nodes.append(.variable(path: path(tag.name), escaped: escaped))
            case .comment:
                break
            case .partial:
                references.append(TemplateReference(name: tag.name, line: tag.line, column: tag.column))
                stack[stack.count - 1].nodes.append(.partial(name: tag.name))
            case .section, .inverted, .parent, .block:
                if case .parent = tag.kind {
                    references.append(TemplateReference(name: tag.name, line: tag.line, column: tag.column))
                }
                stack.append(Frame(kind: tag.kind, name: tag.name, line: tag.line, column: tag.column))
            case .close:
                guard stack.count > 1, let open = stack.last, open.name == tag.name else {
                    let expected = stack.count > 1 ? " (expected {{/\(stack[stack.count - 1].name)}})" : ""
                    throw TemplateError(line: tag.line, column: tag.column,
                                        message: "'{{/\(tag.name)}}' closes nothing that is open\(expected)")
                }
                stack.removeLast()
                let node: TemplateNode
                switch open.kind {
                case .section: node = .section(path: path(open.name), inverted: false, body: open.nodes)
                case .inverted: node = .section(path: path(open.name), inverted: true, body: open.nodes)
                case .block: node = .block(name: open.name, defaultBody: open.nodes)
                default:
                    var blocks: [String: [TemplateNode]] = [:]
                    for case .block(let name, let body) in open.nodes { blocks[name] = body }
                    node = .parent(name: open.name, blocks: blocks)
                }
                stack[stack.count - 1].nodes.append(node)
            }
        }
        appendText(cursor, bytes.count)
        if stack.count > 1, let open = stack.last {
            throw TemplateError(line: open.line, column: open.column, message: "'{{\(open.name)}}' is never closed")
        }
        return Template(name: name, nodes: stack[0].nodes, references: references)
    }

    private static func path(_ name: String) -> [String] {
        name == "." ? [] : name.split(separator: ".").map(String.init)
    }

    /// All tags with their positions.
    private static func scan(_ bytes: [UInt8]) throws(TemplateError) -> [Tag] {
        var tags: [Tag] = []
        var index = 0
        var line = 1
        var lineStart = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard bytes[index] == 0x7B, bytes[index + 1] == 0x7B else {
                index += 1
                continue
            }
            let column = String(decoding: bytes[lineStart..<index], as: UTF8.self).unicodeScalars.count + 1
            let triple = index + 2 < bytes.count && bytes[index + 2] == 0x7B
            let contentStart = index + (triple ? 3 : 2)
            let closing: [UInt8] = triple ? [0x7D, 0x7D, 0x7D] : [0x7D, 0x7D]
            // Only a comment may run over several lines.
            let isComment = !triple && contentStart < bytes.count && bytes[contentStart] == 0x21
            guard let close = find(closing, in: bytes, from: contentStart, acrossLines: isComment) else {
                throw TemplateError(line: line, column: column, message: "a tag is never closed with '\(triple ? "}}}" : "}}")'")
            }
            var content = String(decoding: bytes[contentStart..<close], as: UTF8.self)
            if content.contains("\n") {
                guard isComment else {
                    throw TemplateError(line: line, column: column, message: "a tag must not span lines")
                }
            }
            let tagLine = line
            for offset in contentStart..<close where bytes[offset] == 0x0A {
                line += 1
                lineStart = offset + 1
            }
            var kind = TagKind.variable(escaped: !triple)
            if !triple, let sigil = content.first {
                let rest = String(content.dropFirst())
                switch sigil {
                case "#": kind = .section; content = rest
                case "^": kind = .inverted; content = rest
                case "/": kind = .close; content = rest
                case "!": kind = .comment; content = rest
                case ">": kind = .partial; content = rest
                case "<": kind = .parent; content = rest
                case "$": kind = .block; content = rest
                case "&": kind = .variable(escaped: false); content = rest
                case "=": throw TemplateError(line: line, column: column, message: "changing delimiters is not supported")
                default: break
                }
            }
            let name = trimmed(content)
            if case .comment = kind {} else if name.isEmpty {
                throw TemplateError(line: line, column: column, message: "a tag has no name")
            }
            tags.append(Tag(kind: kind, name: name, start: index, end: close + closing.count, line: tagLine, column: column))
            index = close + closing.count
        }
        return tags
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int, acrossLines: Bool) -> Int? {
        var index = start
        while index + needle.count <= bytes.count {
            if bytes[index] == needle[0] && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            if bytes[index] == 0x0A && !acrossLines { return nil }
            index += 1
        }
        return nil
    }

    /// When a tag stands alone on its line, the range of text to keep before it and where
    /// the text after it resumes (past the line break).
    private static func standaloneLine(_ bytes: [UInt8], tag: Tag) -> (Int, Int)? {
        var before = tag.start
        while before > 0, bytes[before - 1] == 0x20 || bytes[before - 1] == 0x09 { before -= 1 }
        guard before == 0 || bytes[before - 1] == 0x0A else { return nil }
        var after = tag.end
        while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x09 { after += 1 }
        if after == bytes.count { return (before, after) }
        if bytes[after] == 0x0A { return (before, after + 1) }
        if bytes[after] == 0x0D, after + 1 < bytes.count, bytes[after + 1] == 0x0A { return (before, after + 2) }
        return nil
    }

    private static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
