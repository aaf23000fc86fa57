import Foundation

/// Builds CommonMark text from the events of an HTML walk: blocks, each with the prefixes of
/// the quotes and list items around it, and the inline text of the paragraph being written.
/// In `.comment` mode only text, paragraphs, line breaks and links come out.
struct MarkdownWriter {
    enum Emphasis { case strong, emphasis }

    private enum Mark {
        /// Where the marked text starts in `inline` (in UTF-8 bytes); nil when it is not written.
        case emphasis(Emphasis?, start: Int)
        case link(destination: String?, title: String, start: Int)
        case code(start: Int)
    }

    private enum Container {
        case quote
        /// A list item: its marker (`- `, `3. `), written on its first line only.
        case item(marker: String, markerPending: Bool)
    }

    private struct List {
        var ordered: Bool
        var next = 1
    }

    let mode: Mode
    typealias Mode = HTMLToMarkdown.Mode

    private(set) var problems: [String] = []
    /// Readers' text can hold thousands of bad links: a body reports at most this many problems.
    static let maximumProblems = 10

    /// Something the conversion could not carry over exactly, for a located warning.
    mutating func report(_ problem: String) {
        if problems.count < Self.maximumProblems {
            problems.append(problem)
        } else if problems.count == Self.maximumProblems {
            problems.append("further problems in the same body are not listed")
        }
    }
    private(set) var remoteImages: [String] = []

    private var output = ""
    private var inline = ""
    private var marks: [Mark] = []
    /// Open marks by kind, so that hostile nesting costs no search of `marks`.
    private var openStrong = 0, openEmphasis = 0, openCodes = 0, openLinks = 0
    /// Marks deeper than this write nothing (their words stay).
    static let maximumMarks = 32
    private var containers: [Container] = []
    private var lists: [List] = []
    private var pendingBreaks = 0
    private var headingLevel: Int?
    private var preformatted: String?
    private var preformattedDepth = 0
    private var cellsInRow = 0
    /// Whether the last block written was the first block of a list item at this depth, so
    /// that a next item's first block follows it without a blank line (a tight list).
    private var lastBlockStartedItem: Int?
    /// How many of the containers around the last block written still stand: the blank line
    /// before the next block carries only their prefixes.
    private var containersKept = 0

    init(mode: Mode) {
        self.mode = mode
    }

    // MARK: - Text

    mutating func text(_ raw: String) {
        if preformatted != nil {
            preformatted! += raw
            return
        }
        var collapsed = ""
        var lastWasSpace = false
        for character in raw {
            if character.isWhitespace || character == "\u{00A0}" {
                if !lastWasSpace { collapsed.append(" ") }
                lastWasSpace = true
            } else {
                collapsed.append(character)
                lastWasSpace = false
            }
        }
        if collapsed.isEmpty { return }
        if collapsed != " " { resolveBreaks() }
        if collapsed.hasPrefix(" ") && (inline.isEmpty || inline.hasSuffix("\n") || inline.hasSuffix(" ")) {
            collapsed.removeFirst()
        }
        inline += isInCode ? collapsed : Self.escaped(collapsed)
    }

    private var isInCode: Bool {
        mode == .post && openCodes > 0
    }

    /// Backslash-escapes what Markdown would read as markup inside a line.
    static func escaped(_ text: String) -> String {
        var result = ""
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|":
                result.append("\\")
            case "!" where index + 1 < characters.count && characters[index + 1] == "[":
                result.append("\\")
            case "&":
                // Only where it would begin an entity: "Health & Wellbeing" stays as it is.
                let rest = characters[(index + 1)...].prefix(32)
                if let semicolon = rest.firstIndex(of: ";"), semicolon > index + 1,
                   rest[..<semicolon].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "#" }) {
                    result.append("\\")
                }
            default:
                break
            }
            result.append(character)
        }
        return result
    }

    // MARK: - Breaks and blocks

    mutating func lineBreak() {
        if preformatted != nil {
            preformatted! += "\n"
            return
        }
        pendingBreaks += 1
    }

    /// Blogger writes paragraphs as `<br /><br />`: two breaks in a row end a paragraph, one is
    /// a line break. Decided when the next words come.
    private mutating func resolveBreaks() {
        defer { pendingBreaks = 0 }
        if pendingBreaks >= 2 {
            blockBoundary()
        } else if pendingBreaks == 1 && !inline.isEmpty && !inline.hasSuffix("\n") {
            if headingLevel != nil || isInCode {
                inline += " "
            } else {
                while inline.hasSuffix(" ") { inline.removeLast() }
                inline += "\\\n"
            }
        }
    }

    mutating func blockBoundary() {
        pendingBreaks = 0
        flushParagraph()
    }

    private mutating func flushParagraph() {
        // Marks still open continue in the next paragraph: close them here and reopen them there.
        let open = marks
        for index in marks.indices.reversed() { closeMark(at: index) }
        var text = inline
        inline = ""
        while text.hasSuffix("\\\n") { text.removeLast(2) }
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if !text.isEmpty {
            if let level = headingLevel, mode == .post {
                let line = text.replacingOccurrences(of: "\\\n", with: " ").replacingOccurrences(of: "\n", with: " ")
                writeBlock(String(repeating: "#", count: level) + " " + line)
            } else {
                writeBlock(text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { Self.escapedLineStart(String($0)) }.joined(separator: "\n"))
            }
        }
        marks = open.map { mark in
            switch mark {
            case .emphasis(let kind, _): .emphasis(kind, start: 0)
            case .link(let destination, let title, _): .link(destination: destination, title: title, start: 0)
            case .code: .code(start: 0)
            }
        }
    }

    /// What a line may not begin with unless it means it: `#`, `>`, list markers, `=` and `-`
    /// lines (setext headings), four spaces.
    static func escapedLineStart(_ line: String) -> String {
        var line = Substring(line)
        while line.hasPrefix(" ") { line.removeFirst() }
        guard let first = line.first else { return "" }
        if "#>+=-".contains(first) { return "\\" + line }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        return String(line)
    }

    /// Writes a finished block with the prefixes of the containers around it.
    private mutating func writeBlock(_ text: String) {
        let itemDepth = containers.reduce(0) { count, container in
            if case .item = container { count + 1 } else { count }
        }
        let startsItem = containers.last.map { if case .item(_, true) = $0 { true } else { false } } ?? false
        if !output.isEmpty {
            if startsItem && lastBlockStartedItem == itemDepth {
                output += "\n"
            } else {
                let kept = Array(containers.prefix(min(containersKept, containers.count)))
                output += "\n" + Self.continuationPrefix(kept).trimmingCharacters(in: .whitespaces) + "\n"
            }
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            let prefix = index == 0 ? firstLinePrefix() : continuationPrefix()
            output += (line.isEmpty ? prefix.trimmingCharacters(in: .whitespaces) : prefix + line) + (index + 1 < lines.count ? "\n" : "")
            if index == 0 { markersWritten() }
        }
        lastBlockStartedItem = startsItem ? itemDepth : nil
        containersKept = containers.count
    }

    private mutating func popContainer() {
        containers.removeLast()
        containersKept = min(containersKept, containers.count)
    }

    private func firstLinePrefix() -> String {
        containers.map { container in
            switch container {
            case .quote: "> "
            case .item(let marker, let pending): pending ? marker : String(repeating: " ", count: marker.count)
            }
        }.joined()
    }

    private func continuationPrefix() -> String {
        Self.continuationPrefix(containers)
    }

    private static func continuationPrefix(_ containers: [Container]) -> String {
        containers.map { container in
            switch container {
            case .quote: "> "
            case .item(let marker, _): String(repeating: " ", count: marker.count)
            }
        }.joined()
    }

    private mutating func markersWritten() {
        for index in containers.indices {
            if case .item(let marker, true) = containers[index] { containers[index] = .item(marker: marker, markerPending: false) }
        }
    }

    /// HTML kept as it is (a table where the site keeps raw HTML): a block of its own.
    mutating func htmlBlock(_ html: String) {
        blockBoundary()
        if mode == .post { writeBlock(html) }
    }

    mutating func rule() {
        blockBoundary()
        if mode == .post { writeBlock("* * *") }
    }

    mutating func openHeading(level: Int) {
        blockBoundary()
        headingLevel = level
    }

    mutating func closeHeading() {
        blockBoundary()
        headingLevel = nil
    }

    mutating func openQuote() {
        blockBoundary()
        if mode == .post { containers.append(.quote) }
    }

    mutating func closeQuote() {
        blockBoundary()
        if mode == .post, let last = containers.last, case .quote = last { popContainer() }
    }

    mutating func openList(ordered: Bool) {
        blockBoundary()
        lists.append(List(ordered: ordered))
    }

    mutating func closeList() {
        blockBoundary()
        if !lists.isEmpty { lists.removeLast() }
    }

    mutating func openItem() {
        blockBoundary()
        guard mode == .post else { return }
        var marker = "- "
        if let last = lists.indices.last, lists[last].ordered {
            marker = "\(lists[last].next). "
            lists[last].next += 1
        }
        containers.append(.item(marker: marker, markerPending: true))
    }

    mutating func closeItem() {
        blockBoundary()
        guard mode == .post, let last = containers.last, case .item(_, let pending) = last else { return }
        // An empty item still shows its marker, so that the numbering stays right.
        if pending { writeBlock("") }
        popContainer()
    }

    /// Tables become lists of rows, cells apart with ` | ` (CommonMark has no tables).
    mutating func openTable() {
        blockBoundary()
        lists.append(List(ordered: false))
    }

    mutating func closeTable() {
        closeList()
    }

    mutating func openRow() {
        openItem()
        cellsInRow = 0
    }

    mutating func closeRow() {
        closeItem()
    }

    mutating func openCell(header: Bool) {
        if cellsInRow > 0 { inline += " | " }
        cellsInRow += 1
        openEmphasis(header ? .strong : nil)
    }

    mutating func closeCell() {
        closeEmphasis()
    }

    mutating func openPreformatted() {
        blockBoundary()
        preformattedDepth += 1
        if preformatted == nil { preformatted = "" }
    }

    mutating func closePreformatted() {
        preformattedDepth -= 1
        guard preformattedDepth <= 0, let code = preformatted else { return }
        preformatted = nil
        preformattedDepth = 0
        var body = code
        while body.hasSuffix("\n") { body.removeLast() }
        while body.hasPrefix("\n") { body.removeFirst() }
        guard !body.isEmpty else { return }
        if mode == .comment {
            inline = body.split(separator: "\n").map { Self.escaped(String($0)) }.joined(separator: "\\\n")
            blockBoundary()
            return
        }
        let fence = String(repeating: "`", count: max(3, Self.longestRun(of: "`", in: body) + 1))
        writeBlock(fence + "\n" + body + "\n" + fence)
    }

    static func longestRun(of character: Character, in text: String) -> Int {
        var longest = 0
        var current = 0
        for each in text {
            current = each == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    // MARK: - Inline marks

    mutating func openEmphasis(_ kind: Emphasis?) {
        resolveBreaks()
        // Inside the same emphasis, or in a comment, the markers would add nothing.
        let already = kind == .strong ? openStrong > 0 : kind == .emphasis ? openEmphasis > 0 : false
        let written = mode == .post && !already && marks.count < Self.maximumMarks ? kind : nil
        if written == .strong { openStrong += 1 }
        if written == .emphasis { openEmphasis += 1 }
        marks.append(.emphasis(written, start: inline.utf8.count))
    }

    mutating func closeEmphasis() {
        guard let index = marks.lastIndex(where: { if case .emphasis = $0 { true } else { false } }) else { return }
        if case .emphasis(let kind, _) = marks[index] {
            if kind == .strong { openStrong -= 1 }
            if kind == .emphasis { openEmphasis -= 1 }
        }
        closeMark(at: index)
        marks.remove(at: index)
    }

    mutating func openCode() {
        resolveBreaks()
        openCodes += 1
        marks.append(.code(start: inline.utf8.count))
    }

    mutating func closeCode() {
        guard let index = marks.lastIndex(where: { if case .code = $0 { true } else { false } }) else { return }
        openCodes -= 1
        closeMark(at: index)
        marks.remove(at: index)
    }

    mutating func openLink(_ destination: String?, title: String) {
        resolveBreaks()
        // A link inside a link keeps only its words.
        let written = openLinks == 0 && marks.count < Self.maximumMarks ? destination : nil
        openLinks += 1
        marks.append(.link(destination: written, title: title, start: inline.utf8.count))
    }

    mutating func closeLink() {
        guard let index = marks.lastIndex(where: { if case .link = $0 { true } else { false } }) else { return }
        openLinks -= 1
        closeMark(at: index)
        marks.remove(at: index)
    }

    /// Wraps the text written since the mark opened (marks opened after it are closed first).
    private mutating func closeMark(at index: Int) {
        let start: Int
        switch marks[index] {
        case .emphasis(nil, _), .link(nil, _, _): return
        case .code where mode == .comment: return
        case .emphasis(_, let at), .link(_, _, let at), .code(let at): start = at
        }
        let bytes = Array(inline.utf8)
        guard start <= bytes.count else { return }
        let before = String(decoding: bytes[..<start], as: UTF8.self)
        let inner = String(decoding: bytes[start...], as: UTF8.self)
        let core = inner.trimmingCharacters(in: .whitespaces)
        let leading = inner.prefix { $0 == " " }
        let trailing = core.isEmpty ? "" : String(inner.reversed().prefix { $0 == " " })
        let wrapped: String
        switch marks[index] {
        case .emphasis(let kind, _):
            guard let kind, !core.isEmpty else { return }
            let marker = kind == .strong ? "**" : "*"
            wrapped = marker + core + marker
        case .code:
            guard mode == .post, !core.isEmpty else { return }
            let ticks = String(repeating: "`", count: Self.longestRun(of: "`", in: core) + 1)
            let padding = core.hasPrefix("`") || core.hasSuffix("`") ? " " : ""
            wrapped = ticks + padding + core + padding + ticks
        case .link(let destination, let title, _):
            guard let destination, !destination.isEmpty, !core.isEmpty, !core.hasSuffix("\\") else { return }
            wrapped = "[" + core + "](" + Self.linkDestination(destination)
                + (title.isEmpty ? "" : " \"" + Self.linkTitle(title) + "\"") + ")"
        }
        inline = before + leading + wrapped + trailing
    }

    static func linkDestination(_ url: String) -> String {
        if url.contains(where: { $0 == " " || $0 == "(" || $0 == ")" || $0 == "<" || $0 == ">" }) {
            return "<" + url.replacingOccurrences(of: "<", with: "%3C").replacingOccurrences(of: ">", with: "%3E") + ">"
        }
        return url
    }

    static func linkTitle(_ title: String) -> String {
        var collapsed = title.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        collapsed = collapsed.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return collapsed
    }

    // MARK: - Images and embeds

    mutating func image(source: String, alt: String, title: String, isRemote: Bool) {
        resolveBreaks()
        let altText = alt.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard mode == .post else {
            if !altText.isEmpty { text(altText) }
            return
        }
        if isRemote { remoteImages.append(source) }
        inline += "![" + Self.escaped(altText) + "](" + Self.linkDestination(source)
            + (title.isEmpty ? "" : " \"" + Self.linkTitle(title) + "\"") + ")"
    }

    mutating func embedded(name: String, source: String?) {
        guard mode == .post else { return }
        if let source, !source.isEmpty {
            blockBoundary()
            inline = "[Embedded \(name == "iframe" ? "content" : name)](" + Self.linkDestination(source) + ")"
            blockBoundary()
            report("an embedded <\(name)> became a link to \(source)")
        } else {
            report("an embedded <\(name)> without an address was dropped")
        }
    }

    /// The Markdown, ending with one line break (or empty).
    mutating func finish() -> String {
        if let code = preformatted {
            preformatted = nil
            preformattedDepth = 0
            text(code)
        }
        blockBoundary()
        marks.removeAll()
        openStrong = 0
        openEmphasis = 0
        openCodes = 0
        openLinks = 0
        return output.isEmpty ? "" : output + "\n"
    }
}
