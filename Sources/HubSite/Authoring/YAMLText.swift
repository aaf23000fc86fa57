/// Writing front matter values so that they read back exactly as given: plain when that is
/// safe, double-quoted (with escapes) otherwise.
public enum YAMLText {
    /// A value for `key: value`.
    public static func scalar(_ text: String) -> String {
        isPlainSafe(text, inFlow: false) ? text : quoted(text)
    }

    /// A flow list, `[NI7, Third Sector]`; `[]` when empty.
    public static func flowList(_ items: [String]) -> String {
        "[" + items.map { isPlainSafe($0, inFlow: true) ? $0 : quoted($0) }.joined(separator: ", ") + "]"
    }

    /// `"..."` with `\` and `"` escaped, and control characters written as escapes.
    public static func quoted(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    output += "\\u" + hex4(scalar.value)
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    /// Words YAML reads as something other than text (booleans, null) in some version of it.
    private static let specialWords: Set<String> = [
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    ]

    /// Whether `text` reads back as itself when written plain.
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        if first.properties.isWhitespace || last.properties.isWhitespace { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if last == ":" { return false }
        if specialWords.contains(text.lowercased()) { return false }
        if Double(text) != nil || text.hasPrefix("0x") || text.hasPrefix("0o") || text.hasPrefix(".") { return false }
        if text.contains(": ") || text.contains(" #") || text.contains(":\t") || text.contains("\t#") { return false }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF { return false }
            if inFlow && ",[]{}".unicodeScalars.contains(scalar) { return false }
        }
        if inFlow && text.contains(":") { return false }
        return true
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return String((0..<4).reversed().map { digits[Int((value >> (UInt32($0) * 4)) & 0xF)] })
    }
}
