/// Escaping for text that goes into HTML or XML, in text or in a quoted attribute.
public enum HTMLEscaping {
    /// Escapes `& < > " '`, so the result is safe in text and in either kind of quoted attribute.
    /// Works on UTF-8 bytes: feeds escape whole rendered posts, so this is a hot path.
    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscape) else { return nil }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + bytes.count / 8 + 16)
            output.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case 0x26: output.append(contentsOf: ampersand)
                case 0x3C: output.append(contentsOf: lessThan)
                case 0x3E: output.append(contentsOf: greaterThan)
                case 0x22: output.append(contentsOf: quote)
                case 0x27: output.append(contentsOf: apostrophe)
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        } ?? text
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }

    private static let ampersand = Array("&amp;".utf8)
    private static let lessThan = Array("&lt;".utf8)
    private static let greaterThan = Array("&gt;".utf8)
    private static let quote = Array("&quot;".utf8)
    private static let apostrophe = Array("&#39;".utf8)

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
                case 0x26 where forAttribute: output.append(contentsOf: ampersand)
                case 0x27 where forAttribute: output.append(contentsOf: apostrophe)
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
