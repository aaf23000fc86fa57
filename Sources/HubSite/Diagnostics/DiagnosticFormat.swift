/// How `check` and `build` print their diagnostics (SPEC: `--format text|github|json`).
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
    static func escapeData(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "%": result += "%25"
            case "\r": result += "%0D"
            case "\n": result += "%0A"
            default: result.append(character)
            }
        }
        return result
    }

    /// Properties (`file=`) also escape the characters that separate them.
    static func escapeProperty(_ text: String) -> String {
        var result = ""
        for character in escapeData(text) {
            switch character {
            case ":": result += "%3A"
            case ",": result += "%2C"
            default: result.append(character)
            }
        }
        return result
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
