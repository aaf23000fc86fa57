/// Paths inside the output folder. Every path the build writes passes `isSafe`, so nothing in
/// the content can lead a write outside the output folder.
public enum OutputPath {
    public struct Problem: Error, Sendable {
        public var message: String
    }

    /// A relative path of plain segments: no `..`, `.`, empty segment, backslash or control character.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/") else { return false }
        // One pass over the bytes (every planned file is checked, twice): the characters
        // refused are all ASCII, and no byte of a longer UTF-8 sequence is ASCII.
        var length = 0
        var dots = 0
        for byte in path.utf8 {
            if byte == UInt8(ascii: "/") {
                if !isName(length: length, dots: dots) { return false }
                (length, dots) = (0, 0)
                continue
            }
            if byte < 0x20 || byte == UInt8(ascii: "\\") || byte == 0x7F { return false }
            length += 1
            if byte == UInt8(ascii: ".") { dots += 1 }
        }
        return isName(length: length, dots: dots)
    }

    /// A segment other than empty, `.` and `..`.
    private static func isName(length: Int, dots: Int) -> Bool {
        length > 0 && !(length == dots && length <= 2)
    }

    /// The file a redirect for an old URL path is written to:
    /// `/2009/05/old/` -> `2009/05/old/index.html`, `/old.html` -> `old.html`.
    public static func alias(_ urlPath: String) -> Result<String, Problem> {
        let (path, suffix) = LinkPath.splitSuffix(urlPath.trimmingWhitespace())
        guard suffix.isEmpty else { return .failure(Problem(message: "must be a path, without '?' or '#'")) }
        guard URLSafety.scheme(of: path) == nil, !path.hasPrefix("//") else {
            return .failure(Problem(message: "must be a path on this site, e.g. /2009/05/old-slug/"))
        }
        var relative = LinkPath.percentDecoded(path)
        while relative.hasPrefix("/") { relative.removeFirst() }
        if relative.isEmpty { return .failure(Problem(message: "cannot redirect the home page")) }
        let lastSegment = relative.split(separator: "/").last ?? ""
        let file: String
        if relative.hasSuffix("/") {
            file = relative + "index.html"
        } else if lastSegment.hasSuffix(".html") || lastSegment.hasSuffix(".htm") {
            file = relative
        } else {
            file = relative + "/index.html"
        }
        guard isSafe(file) else {
            return .failure(Problem(message: "must not contain '.', '..', empty or control-character segments"))
        }
        return .success(file)
    }

    /// The file a root-relative URL path names in the output, if it lies under `basePath`:
    /// `/hub/tags/` -> `tags/index.html`. Query and fragment are ignored.
    public static func file(forURL url: String, basePath: String) -> String? {
        let (path, _) = LinkPath.splitSuffix(url)
        guard path.hasPrefix(basePath) || path + "/" == basePath else { return nil }
        let relative = LinkPath.percentDecoded(String(path.dropFirst(min(basePath.count, path.count))))
        if relative.isEmpty || relative.hasSuffix("/") { return relative + "index.html" }
        return relative
    }
}
