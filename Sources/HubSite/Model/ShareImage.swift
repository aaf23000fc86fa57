/// The picture a link preview shows (`image` in site.yml or a post): an absolute http(s) URL,
/// or a path from the site's root that must name a file of the site (docs/content.md).
public enum ShareImage {
    public static func isValid(_ text: String) -> Bool {
        if text.hasPrefix("/") { return !text.hasPrefix("//") && !text.contains(where: Self.isUnsafe) }
        return URLSafety.isSafeExternal(text)
    }

    /// The absolute URL previews need, and, for a local picture, the internal link the link
    /// check must find in the output.
    static func resolve(_ image: Located<String>, base: BaseURL) -> (url: String, link: InternalLink?) {
        guard image.value.hasPrefix("/") else { return (image.value, nil) }
        let path = String(image.value.dropFirst())
        return (base.absolute(path), InternalLink(url: base.url(path), destination: image.value, location: image.location))
    }

    private static func isUnsafe(_ character: Character) -> Bool {
        character == " " || character == "\"" || character == "<" || character == ">" || character == "\\"
    }
}

extension CommentChannel {
    /// The form's action: an http(s) URL, or a path from the site's root (`/comments`).
    static func isEndpoint(_ text: String) -> Bool {
        (text.hasPrefix("/") && !text.hasPrefix("//") && !text.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" }))
            || URLSafety.isSafeExternal(text)
    }

    /// Enough of an address for a mailto link: one `@`, no spaces or characters that would end it.
    static func isEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0.isWhitespace || "\"<>?&#/\\:".contains($0) })
    }
}
