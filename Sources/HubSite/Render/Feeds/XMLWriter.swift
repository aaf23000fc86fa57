/// A small builder for XML text: escaped text and attributes, nothing else.
struct XMLWriter {
    private(set) var text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"

    mutating func raw(_ fragment: String) { text += fragment }

    /// `<name>escaped text</name>` on its own line, with indentation.
    mutating func element(_ name: String, _ value: String, attributes: [(String, String)] = [], indent: Int) {
        text += String(repeating: "  ", count: indent) + "<\(name)"
        for (key, attribute) in attributes { text += " \(key)=\"\(Self.escape(attribute))\"" }
        text += ">\(Self.escape(value))</\(name)>\n"
    }

    /// Escapes `& < > " '`. Characters XML forbids never get here: `SourceText` replaced them.
    static func escape(_ value: String) -> String { HTMLEscaping.escape(value) }
}
