/// Turns YAML's own complaints ("mapping values are not allowed in this context") into what
/// happened and what to write, for authors who have never heard of YAML (docs/content.md,
/// "Quoting titles"). The parser's position is often a line or two past the mistake, so the
/// front matter's lines are read up to that position and the first recognised mistake wins.
enum YAMLAdvice {
    struct Advice: Equatable {
        /// 1-based line and column within the YAML text.
        var line: Int
        var column: Int
        var message: String
    }

    /// The first recognisable mistake on lines 1...`errorLine` (1-based), if any. `lineOffset` turns
    /// YAML lines into file lines for messages that name a line.
    static func explain(yaml: String, errorLine: Int, lineOffset: Int) -> Advice? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let considered = lines.prefix(max(1, errorLine))
        for (index, line) in considered.enumerated() {
            let scalars = Array(line.unicodeScalars)
            let previous = lines[..<index].last { !$0.allSatisfy { $0 == " " } }
            if let advice = explain(line: scalars, number: index + 1, fileLine: index + lineOffset)
                ?? misindented(scalars, after: previous, number: index + 1, fileLine: index + lineOffset) {
                return advice
            }
            // A list opened with `[` and closed on no later line.
            if let entry = Entry(scalars), listKeys.contains(entry.key), entry.value.first == "[",
               closingBracket(entry.value) == nil,
               !lines[(index + 1)...].contains(where: { $0.contains("]") }) {
                return Advice(line: index + 1, column: entry.valueColumn + entry.value.count,
                              message: "the list of \(entry.key) opens with [ but never closes: end it with ]")
            }
        }
        return nil
    }

    /// `  author: Ann` under `date: 2009-05-11`: an indented key reads as part of the value above.
    private static func misindented(_ line: [Unicode.Scalar], after previous: Substring?, number: Int,
                                    fileLine: Int) -> Advice? {
        guard let entry = Entry(line), let first = line.first, first == " ", let previous,
              let above = Entry(Array(previous.unicodeScalars)), !above.value.isEmpty else { return nil }
        let indent = line.prefix { $0 == " " }.count
        let aboveIndent = previous.prefix { $0 == " " }.count
        guard indent > aboveIndent else { return nil }
        return Advice(line: number, column: indent + 1,
                      message: "line \(fileLine) is indented, so YAML reads it as part of '\(above.key)' above: "
                          + "start '\(entry.key):' at the beginning of the line")
    }

    /// `# starts a comment`: a value that YAML read as empty because it starts with `#`.
    /// Returns the column of the `#` and the advice, when the key's line shows that.
    static func commentedValue(key: String, line: Substring) -> (column: Int, message: String)? {
        guard let entry = Entry(Array(line.unicodeScalars)), entry.key == key,
              entry.value.first == "#" else { return nil }
        let text = String(String.UnicodeScalarView(entry.value))
        return (entry.valueColumn, "# starts a comment here, so the \(key) is empty: quote it: \(key): \(quoted(text))")
    }

    private static func explain(line: [Unicode.Scalar], number: Int, fileLine: Int) -> Advice? {
        // Indentation: YAML allows only spaces.
        for (offset, scalar) in line.enumerated() {
            if scalar == "\t" {
                return Advice(line: number, column: offset + 1,
                              message: "line \(fileLine) starts with a tab: use spaces")
            }
            if scalar == "\u{A0}" {
                return Advice(line: number, column: offset + 1,
                              message: "line \(fileLine) starts with a non-breaking space: use ordinary spaces")
            }
            if scalar != " " { break }
        }
        // `title:` followed by a non-breaking space (Alt+Space on a Mac, or pasted from a word
        // processor): YAML sees no `: ` and reads the whole line as one word.
        if let colon = line.firstIndex(of: ":"), colon + 1 < line.count, line[colon + 1] == "\u{A0}",
           isKey(line[..<colon]) {
            let key = String(String.UnicodeScalarView(line[..<colon])).trimmingWhitespace()
            return Advice(line: number, column: colon + 2,
                          message: "line \(fileLine) has a non-breaking space after '\(key):': use an ordinary space")
        }
        guard let entry = Entry(line) else { return nil }
        let value = entry.value
        let text = String(String.UnicodeScalarView(value))
        let key = entry.key
        let fix = "put the \(key) in quotes: \(key): \(quoted(text))"
        guard let first = value.first else { return nil }
        switch first {
        case "\"", "'":
            guard let close = closingQuote(value) else {
                return Advice(line: number, column: entry.valueColumn,
                              message: "the \(key) opens a quote (\(first)) that is never closed on its line: "
                                  + "close it, or \(fix)")
            }
            if hasTextAfter(value, from: close + 1) {
                return Advice(line: number, column: entry.valueColumn,
                              message: "the \(key) starts with a quote mark, so YAML takes only the quoted words: \(fix)")
            }
        case "[", "{":
            // A list of tags is fine; a title such as "[Draft] plans" is not a list.
            guard let close = closingBracket(value) else {
                if listKeys.contains(key) { return nil } // a list over several lines
                return Advice(line: number, column: entry.valueColumn,
                              message: "the \(key) starts with \(first), which YAML reads as the start of a list: \(fix)")
            }
            if hasTextAfter(value, from: close + 1) {
                let what = first == "[" ? "a list" : "a mapping"
                return Advice(line: number, column: entry.valueColumn,
                              message: "the \(key) starts with \(first), which YAML reads as \(what): \(fix)")
            }
        case "@", "`", "%", "|", ">", "!", "&", "*":
            guard !listKeys.contains(key) else { return nil }
            return Advice(line: number, column: entry.valueColumn,
                          message: "YAML gives '\(first)' a meaning at the start of a value: \(fix)")
        default:
            // `title: NI7: what next`: ": " inside a plain value reads as another key.
            if let colon = colonSpace(in: value) {
                return Advice(line: number, column: entry.valueColumn + colon,
                              message: "the \(key) holds ': ', which YAML reads as a new key: \(fix)")
            }
        }
        return nil
    }

    /// Keys whose values are meant to be lists.
    private static let listKeys: Set<String> = ["tags", "areas", "aliases"]

    /// `key: value` on one line (a leading `- ` of a list item is not a key).
    private struct Entry {
        var key: String
        var value: ArraySlice<Unicode.Scalar>
        /// 1-based column of the value's first character.
        var valueColumn: Int

        init?(_ line: [Unicode.Scalar]) {
            let indent = line.prefix { $0 == " " }.count
            guard indent < line.count, line[indent] != "-", line[indent] != "#",
                  let colon = line[indent...].firstIndex(of: ":"), colon + 1 < line.count,
                  line[colon + 1] == " " || line[colon + 1] == "\t",
                  YAMLAdvice.isKey(line[indent..<colon]) else { return nil }
            key = String(String.UnicodeScalarView(line[indent..<colon]))
            var start = colon + 1
            while start < line.count, line[start] == " " || line[start] == "\t" { start += 1 }
            var end = line.count
            while end > start, line[end - 1] == " " || line[end - 1] == "\t" { end -= 1 }
            value = line[start..<end]
            valueColumn = start + 1
        }
    }

    private static func isKey(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var trimmed = scalars
        while let first = trimmed.first, first == " " { trimmed = trimmed.dropFirst() }
        return !trimmed.isEmpty && trimmed.allSatisfy { $0.properties.isAlphabetic || $0 == "_" || $0 == "-" || ("0"..."9").contains($0) }
    }

    /// Index of the quote that closes the one at the start (`''` is an escaped `'`, `\"` an escaped `"`).
    private static func closingQuote(_ value: ArraySlice<Unicode.Scalar>) -> Int? {
        guard let quote = value.first else { return nil }
        var index = value.startIndex + 1
        while index < value.endIndex {
            let scalar = value[index]
            if quote == "\"" && scalar == "\\" {
                index += 2
                continue
            }
            if scalar == quote {
                if quote == "'", index + 1 < value.endIndex, value[index + 1] == "'" {
                    index += 2
                    continue
                }
                return index
            }
            index += 1
        }
        return nil
    }

    private static func closingBracket(_ value: ArraySlice<Unicode.Scalar>) -> Int? {
        var depth = 0
        var quote: Unicode.Scalar?
        for index in value.indices {
            let scalar = value[index]
            if let open = quote {
                if scalar == open { quote = nil }
                continue
            }
            switch scalar {
            case "\"", "'": quote = scalar
            case "[", "{": depth += 1
            case "]", "}":
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    /// Whether anything but spaces and a comment follows `index`.
    private static func hasTextAfter(_ value: ArraySlice<Unicode.Scalar>, from index: Int) -> Bool {
        let rest = value[min(index, value.endIndex)...].drop { $0 == " " || $0 == "\t" }
        return !(rest.isEmpty || rest.first == "#")
    }

    /// Offset of the first `: ` (or a final `:`) in a plain value, before any ` #` comment.
    private static func colonSpace(in value: ArraySlice<Unicode.Scalar>) -> Int? {
        for index in value.indices {
            if value[index] == "#", index > value.startIndex, value[index - 1] == " " { return nil }
            guard value[index] == ":" else { continue }
            if index + 1 == value.endIndex || value[index + 1] == " " || value[index + 1] == "\t" {
                return index - value.startIndex
            }
        }
        return nil
    }

    /// The value as YAML must be written to keep it whole: single quotes when it holds a double
    /// quote (no escapes needed), double quotes otherwise.
    static func quoted(_ text: String) -> String {
        if text.contains("\"") {
            return "'" + text.replacingAll("'", with: "''") + "'"
        }
        return "\"" + text.replacingAll("\\", with: "\\\\") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
