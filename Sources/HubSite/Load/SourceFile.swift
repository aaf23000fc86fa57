/// One file as read from disk: where it lives and its raw bytes.
/// Everything after the load stage works from these values, never from the disk.
public struct SourceFile: Sendable, Hashable {
    /// Path below its root folder, with `/` separators (`posts/2009/joneses.md`).
    public var relativePath: String
    /// Path as the user named it, for diagnostics (`content/posts/2009/joneses.md`).
    public var displayPath: String
    public var bytes: [UInt8]

    public init(relativePath: String, displayPath: String, bytes: [UInt8]) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.bytes = bytes
    }

    /// A file made from text, for tests and for standard input.
    public init(relativePath: String, root: String = "content", text: String) {
        self.init(relativePath: relativePath, displayPath: SourceFile.join(root, relativePath), bytes: Array(text.utf8))
    }

    static func join(_ root: String, _ relative: String) -> String {
        if root.isEmpty || root == "." { return relative }
        return root.hasSuffix("/") ? root + relative : root + "/" + relative
    }
}

/// Everything the build reads: the content folder and the theme folder.
public struct SourceTree: Sendable {
    public var content: [SourceFile]
    public var theme: [SourceFile]
    /// Problems met while reading (unreadable files, symbolic links).
    public var diagnostics: [Diagnostic]

    public init(content: [SourceFile], theme: [SourceFile], diagnostics: [Diagnostic] = []) {
        self.content = content
        self.theme = theme
        self.diagnostics = diagnostics
    }
}
