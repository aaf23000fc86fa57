import Foundation

/// The one slug rule of the site, for tags, posts, pages and heading ids: lower-cased, accents
/// folded to ASCII, every run of other characters turned into one `-`, no `-` at either end.
/// `Third Sector` -> `third-sector`, `Café & Bar` -> `cafe-bar`.
public enum Slug {
    public static func make(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return makeFromASCII(text) }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingDash = false
        func emit(_ byte: UInt8) {
            if pendingDash && !output.isEmpty { output.append(0x2D) }
            pendingDash = false
            output.append(byte)
        }
        for scalar in decomposed(text.lowercased()).unicodeScalars {
            let value = scalar.value
            if (0x61...0x7A).contains(value) || (0x30...0x39).contains(value) {
                emit(UInt8(value))
            } else if scalar.properties.generalCategory == .nonspacingMark
                        || scalar.properties.generalCategory == .enclosingMark {
                continue // the accent of a letter already written
            } else if let folded = foldedLetters[scalar] {
                for byte in folded.utf8 { emit(byte) }
            } else {
                pendingDash = true
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The same rule for ASCII text (most titles and headings), byte by byte: no letter there
    /// decomposes or folds, so each is a letter or digit kept in lower case, or a separator.
    private static func makeFromASCII(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        var pendingDash = false
        for byte in text.utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte + 0x20 : byte
            guard (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) else {
                pendingDash = true
                continue
            }
            if pendingDash && !output.isEmpty { output.append(0x2D) }
            pendingDash = false
            output.append(lower)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Whether a text is already a slug (what `make` leaves as it is).
    public static func isSlug(_ text: String) -> Bool {
        !text.isEmpty && make(text) == text
    }

    private static func decomposed(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.decomposedStringWithCanonicalMapping
    }

    /// Latin letters that do not decompose into a base letter and an accent.
    private static let foldedLetters: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ł": "l",
        "ı": "i", "ħ": "h", "ŋ": "ng", "ſ": "s", "ĸ": "q", "ŀ": "l",
    ]
}

