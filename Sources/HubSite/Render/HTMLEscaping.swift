/// Escaping for text that goes into HTML or XML, in text or in a quoted attribute.
public enum HTMLEscaping {
    /// Escapes `& < > " '`, so the result is safe in text and in either kind of quoted attribute.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// A URL made fit for an `href` or `src` attribute: bytes outside the URL-safe ASCII set are
    /// percent-encoded (existing `%XX` escapes are kept), then `&` and `'` are escaped for HTML.
    public static func escapeURL(_ url: String) -> String {
        var output = ""
        output.reserveCapacity(url.utf8.count)
        for byte in url.utf8 {
            switch byte {
            case 0x26: output += "&amp;"
            case 0x27: output += "&#39;"
            case _ where isURLSafe(byte): output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += "%"
                output += hexDigits[Int(byte >> 4)]
                output += hexDigits[Int(byte & 0xF)]
            }
        }
        return output
    }

    private static let hexDigits = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]

    private static func isURLSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return "-_.!~*();/?:@=+$,%#[]".utf8.contains(byte)
        }
    }
}
