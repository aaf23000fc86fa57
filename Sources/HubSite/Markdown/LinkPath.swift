/// Path arithmetic for links, as a browser does it (RFC 3986 dot-segment removal).
public enum LinkPath {
    /// Splits `a/b.md?x#frag` into `a/b.md` and `?x#frag`.
    public static func splitSuffix(_ destination: String) -> (path: String, suffix: String) {
        guard let index = destination.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return (destination, "") }
        return (String(destination[..<index]), String(destination[index...]))
    }

    /// The folder part of a relative file path: `posts/2009/a.md` -> `posts/2009`.
    public static func folder(of path: String) -> String {
        // By byte: a slash is ASCII, and walking back by characters costs more.
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        return String(path[..<slash])
    }

    /// The name part of a relative file path: `posts/2009/a.md` -> `a.md`.
    public static func name(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return path }
        return String(path[path.utf8.index(after: slash)...])
    }

    /// A `.md` destination, relative to `folder` (or to the content root when it starts with `/`),
    /// as a path below the content folder; nil when it climbs out of the content folder.
    public static func resolveContentPath(_ destination: String, from folder: String) -> String? {
        let decoded = percentDecoded(destination)
        let joined = decoded.hasPrefix("/") ? String(decoded.dropFirst()) : (folder.isEmpty ? decoded : folder + "/" + decoded)
        var parts: [Substring] = []
        for part in joined.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }

    /// Resolves a relative reference against a root-relative base URL (`/2009/05/a/`).
    public static func resolve(_ reference: String, against base: String) -> String {
        if reference.isEmpty { return base }
        let directory = base.hasSuffix("/") ? base : folder(of: base) + "/"
        return removeDotSegments(directory + reference)
    }

    static func removeDotSegments(_ path: String) -> String {
        let trailing = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        if let last = parts.last, last.isEmpty { parts.removeLast() }
        var result = "/" + parts.joined(separator: "/")
        if trailing && !result.hasSuffix("/") { result += "/" }
        return result
    }

    /// `%20` -> space; invalid escapes are left as they are.
    public static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == 0x25, index + 2 < utf8.count,
               let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                bytes.append(high << 4 | low)
                index += 3
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x37
        case 0x61...0x66: byte - 0x57
        default: nil
        }
    }
}
