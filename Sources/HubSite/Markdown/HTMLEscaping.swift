/// Escaping for text that goes into HTML or XML, in text or in a quoted attribute.
public enum HTMLEscaping {
    /// Escapes `& < > " '`, so the result is safe in text and in either kind of quoted attribute.
    /// Works on UTF-8 bytes: feeds escape whole rendered posts, so this is a hot path.
    public static func escape(_ text: String) -> String {
        var text = text
        let escapes = text.withUTF8 { bytes in bytes.indices.filter { needsEscape(bytes[$0]) } }
        guard !escapes.isEmpty else { return text }
        return text.replacingBytes(at: escapes, extraCapacity: escapes.count * 5, with: entity)
    }

    /// `&`, `<`, `>`, `"` and `'`, as one test of a bit (it runs on every byte of every text escaped).
    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 64 && (escapedBytes >> UInt64(byte)) & 1 == 1
    }

    private static let escapedBytes: UInt64 = [0x26, 0x3C, 0x3E, 0x22, 0x27].reduce(0) { $0 | 1 << $1 }

    private static func entity(_ byte: UInt8) -> String {
        switch byte {
        case 0x26: "&amp;"
        case 0x3C: "&lt;"
        case 0x3E: "&gt;"
        case 0x22: "&quot;"
        default: "&#39;"
        }
    }

    /// A URL made fit for an `href` or `src` attribute: bytes outside the URL-safe ASCII set are
    /// percent-encoded (existing `%XX` escapes are kept), then `&` and `'` are escaped for HTML.
    public static func escapeURL(_ url: String) -> String {
        encodeURL(url, forAttribute: true)
    }

    /// A URL with bytes outside the URL-safe ASCII set percent-encoded (existing `%XX` escapes
    /// kept), for text that is escaped again where it lands (a feed's `<link>`).
    public static func percentEncode(_ url: String) -> String {
        encodeURL(url, forAttribute: false)
    }

    private static func encodeURL(_ url: String, forAttribute: Bool) -> String {
        var url = url
        return url.withUTF8 { bytes in
            if bytes.allSatisfy({ isURLSafe($0) && (!forAttribute || $0 != 0x26 && $0 != 0x27) }) { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for byte in bytes {
                switch byte {
                case 0x26 where forAttribute, 0x27 where forAttribute: output.append(contentsOf: entity(byte).utf8)
                case 0x26, 0x27: output.append(byte)
                case _ where isURLSafe(byte): output.append(byte)
                default:
                    output.append(0x25)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                }
            }
            return String(decoding: output, as: UTF8.self)
        } ?? url
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    private static let urlPunctuation: [Bool] = (0..<256).map { "-_.!~*();/?:@=+$,%#[]".utf8.contains(UInt8($0)) }

    private static func isURLSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return urlPunctuation[Int(byte)]
        }
    }
}
