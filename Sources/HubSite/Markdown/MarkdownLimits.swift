/// Bounds on the Markdown a build will hand to cmark, so that no body can stall a build
/// (docs/security.md, "Size and time").
///
/// cmark 0.30.2 is linear on almost every input, but not on long runs of brackets in one
/// paragraph: `![[]()` repeated 10,000 times takes seconds and 80,000 times minutes, as each
/// link walks back over every image opener before it. A paragraph is parsed on its own, so the
/// bound is on the brackets of one paragraph; a comment is bounded by its size instead.
public enum MarkdownLimits {
    /// The most `[` one paragraph may hold (about 0.1 s of cmark at worst).
    public static let bracketsPerParagraph = 5_000
    /// The largest comment body shown: a long comment is a few kilobytes.
    public static let commentBytes = 20 * 1024

    public static let bracketMessage = "this paragraph has more than 5,000 '[': cmark would take minutes over it; split it up"

    /// The 1-based line where a paragraph with more than `bracketsPerParagraph` `[` starts, if any.
    /// Paragraphs are told apart by blank lines, which no paragraph holds; counting code and
    /// other blocks in with them only makes the bound stricter.
    static func paragraphWithTooManyBrackets(in text: String) -> Int? {
        var text = text
        return text.withUTF8 { bytes -> Int? in
            // Most bodies have few brackets: look no further.
            guard ByteSearch.count(0x5B, in: bytes, upTo: bracketsPerParagraph + 1) > bracketsPerParagraph else { return nil }
            var line = 1
            var paragraphLine = 1
            var brackets = 0
            var lineIsBlank = true
            for byte in bytes {
                switch byte {
                case 0x0A:
                    if lineIsBlank { brackets = 0 }
                    line += 1
                    lineIsBlank = true
                case 0x20, 0x09:
                    break
                default:
                    if lineIsBlank {
                        if brackets == 0 { paragraphLine = line }
                        lineIsBlank = false
                    }
                    if byte == 0x5B {
                        brackets += 1
                        if brackets > bracketsPerParagraph { return paragraphLine }
                    }
                }
            }
            return nil
        }
    }

    /// The warning for a comment too large to show, or nil when it fits.
    static func oversizedComment(_ body: MarkdownSource) -> Diagnostic? {
        let size = body.text.utf8.count
        guard size > commentBytes else { return nil }
        return .warning(SourceLocation(path: body.displayPath, line: body.firstLine),
                        "comment left out: its text is \(size.formatted) bytes, more than the 20 KB (20,480 bytes) a comment may have")
    }
}
