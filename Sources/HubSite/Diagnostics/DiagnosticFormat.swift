/// How `check` and `build` print their diagnostics (`--format text|github|json`, docs/content.md, "When something is wrong").
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `path:line:col: severity: message`, one a line, as compilers print them.
    case text
    /// GitHub Actions workflow commands, which show each problem on its line of the file in a
    /// pull request or a commit: `::error file=…,line=…,col=…::message`.
    case github
    /// One JSON document: `{"diagnostics": [...], "errors": N, "warnings": N}`.
    case json

    /// The whole report, ending with a line break (empty text for no diagnostics).
    public func render(_ diagnostics: [Diagnostic]) -> String {
        switch self {
        case .text:
            return diagnostics.map { $0.description + "\n" }.joined()
        case .github:
            return diagnostics.map(Self.annotation).joined()
        case .json:
            let items = diagnostics.map { diagnostic in
                "    {\"file\": \(Self.jsonString(diagnostic.location.path)), \"line\": \(diagnostic.location.line), "
                    + "\"column\": \(diagnostic.location.column), \"severity\": \"\(diagnostic.severity.rawValue)\", "
                    + "\"message\": \(Self.jsonString(diagnostic.message))}"
            }
            let errors = diagnostics.filter { $0.severity == .error }.count
            let warnings = diagnostics.filter { $0.severity == .warning }.count
            let list = items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n  ]"
            return "{\n  \"diagnostics\": \(list),\n  \"errors\": \(errors),\n  \"warnings\": \(warnings)\n}\n"
        }
    }

    private static func annotation(_ diagnostic: Diagnostic) -> String {
        let command = switch diagnostic.severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "notice"
        }
        let location = diagnostic.location
        return "::\(command) file=\(escapeProperty(location.path)),line=\(location.line),col=\(location.column)"
            + "::\(escapeData(diagnostic.message))\n"
    }

    /// The escapes GitHub's runner undoes in a workflow command's message.
    /// Keyed by Unicode scalar: as a Character, "\r\n" is one grapheme that no key would match.
    private static let dataEscapes: [Unicode.Scalar: String] = ["%": "%25", "\r": "%0D", "\n": "%0A"]
    /// Properties (`file=`) also escape the characters that separate them.
    private static let propertyEscapes = dataEscapes.merging([":": "%3A", ",": "%2C"]) { data, _ in data }

    static func escapeData(_ text: String) -> String { percentEscape(text, dataEscapes) }

    static func escapeProperty(_ text: String) -> String { percentEscape(text, propertyEscapes) }

    private static func percentEscape(_ text: String, _ escapes: [Unicode.Scalar: String]) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if let escape = escapes[scalar] { result += escape } else { result.unicodeScalars.append(scalar) }
        }
        return result
    }

    /// A JSON string in the shared escaping; plain JSON, not made safe for `<script>`.
    static func jsonString(_ text: String) -> String {
        var result = ""
        JSONText.quote(text, into: &result, forScript: false)
        return result
    }
}
