/// Which link destinations may reach a page. Anything that could run script
/// (`javascript:`, `vbscript:`, `data:` outside images) or reach the reader's disk (`file:`)
/// is refused; so is any scheme this list does not know.
public enum URLSafety {
    static let safeSchemes: Set<String> = ["http", "https", "mailto", "tel", "ftp", "ftps", "sftp", "news", "irc", "ircs", "xmpp", "geo", "webcal"]
    static let safeImageData = ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"]

    /// The scheme of a URL (`https`), lower-cased, if it has one.
    public static func scheme(of url: String) -> String? {
        var scheme = ""
        for scalar in url.unicodeScalars {
            if scalar == ":" { return scheme.isEmpty ? nil : scheme.lowercased() }
            let isLetter = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
            let isOther = ("0"..."9").contains(scalar) || scalar == "+" || scalar == "-" || scalar == "."
            guard isLetter || (!scheme.isEmpty && isOther) else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return nil
    }

    /// Whether a destination with a scheme may be linked to (or shown, for images).
    public static func isSafe(_ url: String, forImage: Bool) -> Bool {
        // Browsers ignore tabs and newlines inside a scheme ("java\tscript:"); so do we.
        let kept = url.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let cleaned = String(String.UnicodeScalarView(kept.drop { $0.value <= 0x20 }))
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
