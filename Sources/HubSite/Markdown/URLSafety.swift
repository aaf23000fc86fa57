/// Which link destinations may reach a page. Anything that could run script
/// (`javascript:`, `vbscript:`, `data:` outside images) or reach the reader's disk (`file:`)
/// is refused; so is any scheme this list does not know.
public enum URLSafety {
    static let safeSchemes: Set<String> = ["http", "https", "mailto", "tel", "ftp", "ftps", "sftp", "news", "irc", "ircs", "xmpp", "geo", "webcal"]
    static let safeImageData = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]

    /// The scheme of a URL (`https`), lower-cased, if it has one.
    public static func scheme(of url: String) -> String? {
        var url = url
        return url.withUTF8 { bytes in
            guard let colon = bytes.firstIndex(of: 0x3A), colon > 0 else { return nil }
            for (index, byte) in bytes[..<colon].enumerated() {
                let isLetter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                let isOther = (0x30...0x39).contains(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E
                guard isLetter || (index > 0 && isOther) else { return nil }
            }
            return String(decoding: bytes[..<colon], as: UTF8.self).lowercased()
        }
    }

    /// Whether a destination with a scheme may be linked to (or shown, for images).
    public static func isSafe(_ url: String, forImage: Bool) -> Bool {
        // Most destinations are plain paths: no ':' at all means no scheme to judge.
        if !url.utf8.contains(0x3A) { return true }
        // Browsers drop leading spaces and controls, and tabs and newlines anywhere
        // ("java\tscript:"); so do we before judging.
        // (Most hold none of them: then the URL is judged as it is, not copied.)
        let cleaned = !url.utf8.contains(where: { $0 <= 0x20 }) ? url
            : String(decoding: url.utf8.filter { $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.drop { $0 <= 0x20 }, as: UTF8.self)
        guard let scheme = scheme(of: cleaned) else { return true }
        if forImage && scheme == "data" {
            let lower = cleaned.lowercased()
            return safeImageData.contains { lower.hasPrefix($0 + ";") || lower.hasPrefix($0 + ",") }
        }
        return safeSchemes.contains(scheme)
    }

    /// An absolute http(s) URL, as front matter fields like `website` need.
    public static func isSafeExternal(_ url: String) -> Bool {
        guard let scheme = scheme(of: url), scheme == "http" || scheme == "https" else { return false }
        return !url.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" || $0 == ">" })
    }
}
