import Yams

/// A content file cut in two: the YAML between the `---` lines and the Markdown body after them.
public struct SplitDocument: Sendable {
    public var yaml: String
    /// File line of the first YAML line (the line after the opening `---`).
    public var yamlFirstLine: Int
    public var body: String
    /// File line of the first body line.
    public var bodyFirstLine: Int

    public static func split(_ text: String, path: String) -> Result<SplitDocument, Diagnostic> {
        // Finds the fences in the UTF-8 bytes, never splitting bodies into lines; the two parts
        // are then cut from the text itself, which is known to be valid (no second validation).
        guard let found = fences(text) else {
            return .failure(.error(SourceLocation(path: path), "missing front matter: the file must start with a '---' line"))
        }
        guard let (yamlEnd, bodyStart, bodyFirstLine) = found.closing else {
            return .failure(.error(SourceLocation(path: path), "front matter is never closed: add a '---' line after it"))
        }
        let yaml = yamlEnd > found.yamlStart ? String(text.slice(bytes: found.yamlStart..<yamlEnd)) : ""
        return .success(SplitDocument(yaml: yaml, yamlFirstLine: 2, body: String(text.slice(bytes: bodyStart..<text.utf8.count)),
                                      bodyFirstLine: bodyFirstLine))
    }

    /// Byte offsets: where the YAML starts (after the opening fence; nil without one) and, when
    /// a closing fence follows, where the YAML ends, where the body starts and its first line.
    private static func fences(_ text: String) -> (yamlStart: Int, closing: (yamlEnd: Int, bodyStart: Int, bodyFirstLine: Int)?)? {
        var text = text
        return text.withUTF8 { bytes in
            var lineStart = 0
            var lineNumber = 1
            var yamlStart: Int?
            while lineStart <= bytes.count {
                let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
                let line = bytes[lineStart..<lineEnd]
                if let start = yamlStart {
                    if isFence(line, closing: true) {
                        return (start, (max(start, lineStart - 1), min(lineEnd + 1, bytes.count), lineNumber + 1))
                    }
                } else {
                    guard isFence(line, closing: false) else { return nil }
                    yamlStart = lineEnd + 1
                }
                lineStart = lineEnd + 1
                lineNumber += 1
            }
            return yamlStart.map { ($0, nil) }
        }
    }

    private static func isFence(_ line: Slice<UnsafeBufferPointer<UInt8>>, closing: Bool) -> Bool {
        var end = line.endIndex
        while end > line.startIndex, line[end - 1] == 0x20 || line[end - 1] == 0x09 { end -= 1 }
        let trimmed = line[line.startIndex..<end]
        if trimmed.elementsEqual([0x2D, 0x2D, 0x2D]) { return true }
        return closing && trimmed.elementsEqual([0x2E, 0x2E, 0x2E])
    }
}

/// A value read from front matter, with where it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var location: SourceLocation
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
extension Located: Codable where Value: Codable {}

/// Typed access to a front matter mapping. Every read records a located diagnostic when the
/// value is missing or of the wrong type, so a whole file's problems come out in one pass.
public struct FrontMatter {
    public let path: String
    private let firstLine: Int
    private var entries: [(key: String, keyLocation: SourceLocation, value: YAMLValue)] = []
    public private(set) var diagnostics: [Diagnostic] = []
    private let start: SourceLocation
    /// The YAML as written, to explain values that YAML read differently from what was meant.
    private let yaml: String

    /// Parses YAML; on a syntax error returns nil and records the located error.
    public init(yaml: String, firstLine: Int, path: String) {
        self.path = path
        self.firstLine = firstLine
        self.start = SourceLocation(path: path, line: max(1, firstLine - 1), column: 1)
        self.yaml = yaml
        // Before Yams composes: the checks that its composing cannot make, or makes too slowly.
        // The same reading builds the values of plain front matter, which Yams then need not.
        let root: YAMLValue?
        switch YAMLEventCheck.read(yaml) {
        case .problem(let problem):
            diagnostics.append(.error(SourceLocation(path: path, line: problem.line + firstLine - 1, column: problem.column),
                                      problem.message))
            return
        case .values(let values):
            root = values
        case .leftToYams:
            do {
                // Every value is read as text and typed here, so Yams need not resolve tags (a regex
                // per scalar); an explicit encoding spares an environment lookup per file.
                root = try Yams.compose(yaml: yaml, .basic, .default, .utf8).map(YAMLValue.init)
            } catch {
                diagnostics.append(Self.diagnostic(for: error, yaml: yaml, path: path, firstLine: firstLine))
                return
            }
        }
        guard let root else { return } // empty front matter: required keys report themselves
        guard case .mapping(let mapping, _) = root else {
            diagnostics.append(.error(location(of: root), "front matter must be a mapping of keys to values"))
            return
        }
        for (keyNode, value) in mapping {
            guard let key = keyNode.text else {
                diagnostics.append(.error(location(of: keyNode), "front matter keys must be plain words"))
                continue
            }
            entries.append((key, location(of: keyNode), value))
        }
    }

    static func diagnostic(for error: Error, yaml: String, path: String, firstLine: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + firstLine - 1, column: mark.column)
        }
        switch error as? YamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            if let advice = YAMLAdvice.explain(yaml: yaml, errorLine: mark.line, lineOffset: firstLine) {
                return .error(SourceLocation(path: path, line: advice.line + firstLine - 1, column: advice.column),
                              advice.message)
            }
            return .error(at(mark), "this line is not valid front matter (YAML says: \(problem)); "
                          + "check its quotes, brackets and indentation")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            let location = secondOccurrence(of: duplicates.sorted(), in: yaml).map {
                SourceLocation(path: path, line: $0.line + firstLine - 1, column: $0.column)
            } ?? at(context.mark)
            return .error(location, "duplicate key \(names) in front matter")
        case .reader(let problem, _, _, _):
            return .error(SourceLocation(path: path, line: firstLine), "invalid YAML: \(problem)")
        default:
            return .error(SourceLocation(path: path, line: firstLine), "invalid YAML: \(error)")
        }
    }

    /// Where a key is written the second time (Yams points at the mapping, not the repeat).
    static func secondOccurrence(of keys: [String], in yaml: String) -> (line: Int, column: Int)? {
        for key in keys {
            var seen = 0
            for (index, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let indent = line.prefix { $0 == " " }.count
                let rest = line.dropFirst(indent)
                guard rest.hasPrefix(key), rest.dropFirst(key.count).first == ":" else { continue }
                seen += 1
                if seen == 2 { return (index + 1, indent + 1) }
            }
        }
        return nil
    }

    func location(of node: YAMLValue) -> SourceLocation {
        guard let position = node.position else { return start }
        return SourceLocation(path: path, line: position.line + firstLine - 1, column: position.column)
    }

    /// Where the front matter starts; used for missing keys.
    public var startLocation: SourceLocation { start }

    private func node(_ key: String) -> YAMLValue? {
        entries.first { $0.key == key }?.value
    }

    /// Warns about keys outside `known`, naming the nearest known key. A near miss of a known key
    /// (`draf`, `Title`) is an error, so that a misspelt `draft` never publishes a draft (docs/content.md, "Every file").
    public mutating func warnAboutUnknownKeys(_ known: [String]) {
        for entry in entries where !known.contains(entry.key) {
            if let meant = NearestName.nearMiss(of: entry.key, among: known) {
                diagnostics.append(.error(entry.keyLocation, "unknown key '\(entry.key)': write '\(meant)'"
                                          + " (keys are spelt exactly, in lower case)"))
            } else {
                diagnostics.append(.warning(entry.keyLocation,
                                            "unknown key '\(entry.key)'" + NearestName.hint(for: entry.key, among: known)))
            }
        }
    }

    mutating func appendDiagnostic(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    private mutating func fail(_ node: YAMLValue, _ message: String) {
        diagnostics.append(.error(location(of: node), message))
    }

    /// `title: #NI7 week`: YAML reads everything from `#` as a comment, leaving the value empty.
    private func commentedValue(_ key: String, node: YAMLValue) -> Diagnostic? {
        guard let entry = entries.first(where: { $0.key == key }) else { return nil }
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let index = entry.keyLocation.line - firstLine
        guard lines.indices.contains(index),
              let advice = YAMLAdvice.commentedValue(key: key, line: lines[index]) else { return nil }
        return .error(SourceLocation(path: path, line: entry.keyLocation.line, column: advice.column), advice.message)
    }

    private static func isNull(_ node: YAMLValue) -> Bool {
        guard case .scalar(let text, let isPlain, _) = node else { return false }
        return isPlain && ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// A text value. Empty or null counts as absent (and as missing when required).
    public mutating func string(_ key: String, required: Bool = false) -> Located<String>? {
        if let node = node(key), Self.isNull(node), let advice = commentedValue(key, node: node) {
            diagnostics.append(advice)
            return nil
        }
        guard let node = node(key), !Self.isNull(node) else {
            if required { diagnostics.append(.error(start, "missing required key '\(key)'")) }
            return nil
        }
        guard let written = node.text else {
            fail(node, "'\(key)' must be text, not a \(Self.kind(of: node))")
            return nil
        }
        let text = SourceText.normalise(written).trimmingWhitespace()
        if text.isEmpty {
            if required { fail(node, "'\(key)' must not be empty") }
            return nil
        }
        return Located(text, at: location(of: node))
    }

    public mutating func bool(_ key: String) -> Located<Bool>? {
        guard let node = node(key), !Self.isNull(node) else { return nil }
        guard let written = node.text,
              let value = Self.booleans[written.lowercased()] else {
            fail(node, "'\(key)' must be true or false")
            return nil
        }
        return Located(value, at: location(of: node))
    }

    private static let booleans: [String: Bool] = [
        "true": true, "yes": true, "on": true, "false": false, "no": false, "off": false,
    ]

    public mutating func positiveInt(_ key: String, atMost maximum: Int = 100_000) -> Located<Int>? {
        guard let node = node(key), !Self.isNull(node) else { return nil }
        guard let written = node.text, let value = Int(written), value > 0, value <= maximum else {
            fail(node, "'\(key)' must be a whole number from 1 to \(maximum)")
            return nil
        }
        return Located(value, at: location(of: node))
    }

    /// A list of text values; each item keeps its own location.
    public mutating func stringList(_ key: String) -> [Located<String>] {
        guard let node = node(key), !Self.isNull(node) else { return [] }
        guard case .sequence(let sequence, _) = node else {
            fail(node, "'\(key)' must be a list, e.g. \(key): [first, second]")
            return []
        }
        var values: [Located<String>] = []
        for item in sequence {
            guard let written = item.text else {
                fail(item, "each item of '\(key)' must be text, not a \(Self.kind(of: item))")
                continue
            }
            let text = SourceText.normalise(written).trimmingWhitespace()
            if text.isEmpty {
                fail(item, "an item of '\(key)' is empty")
                continue
            }
            values.append(Located(text, at: location(of: item)))
        }
        return values
    }

    /// A mapping of text values (`comments: {endpoint: …, email: …}`), each keeping its
    /// location; keys outside `known` are warned about as top-level keys are.
    public mutating func textMapping(_ key: String, known: [String]) -> [String: Located<String>] {
        guard let node = node(key), !Self.isNull(node) else { return [:] }
        guard case .mapping(let mapping, _) = node else {
            fail(node, "'\(key)' must be a mapping, e.g. \(key): {\(known[0]): …}")
            return [:]
        }
        var values: [String: Located<String>] = [:]
        for (keyNode, value) in mapping {
            guard let name = keyNode.text else {
                fail(keyNode, "keys of '\(key)' must be plain words")
                continue
            }
            guard known.contains(name) else {
                diagnostics.append(.warning(location(of: keyNode), "unknown key '\(key).\(name)'"
                                            + NearestName.hint(for: name, among: known)))
                continue
            }
            guard let written = value.text else {
                fail(value, "'\(key).\(name)' must be text, not a \(Self.kind(of: value))")
                continue
            }
            let text = SourceText.normalise(written).trimmingWhitespace()
            if !text.isEmpty, !Self.isNull(value) { values[name] = Located(text, at: location(of: value)) }
        }
        return values
    }

    /// A date or date-time, turned into a moment in `zone`.
    public mutating func date(_ key: String, required: Bool = false, in zone: SiteTimeZone) -> Located<Moment>? {
        guard let text = string(key, required: required) else { return nil }
        switch Moment.parse(text.value, in: zone) {
        case .success(let moment): return Located(moment, at: text.location)
        case .failure(let problem):
            let reason = problem.reason.isEmpty ? "; " + DateAdvice.advice(for: text.value) : " (\(problem.reason))"
            diagnostics.append(.error(text.location, "'\(key)' is not a date: \"\(text.value)\"\(reason)"))
            return nil
        }
    }

    private static func kind(of node: YAMLValue) -> String {
        switch node {
        case .mapping: "mapping"
        case .sequence: "list"
        case .scalar: "value"
        case .alias: "alias"
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
