/// One file as read from disk: where it lives and its raw bytes.
/// Everything after the load stage works from these values, never from the disk.
public struct SourceFile: Sendable, Hashable {
    /// Path below its root folder, with `/` separators (`posts/2009/joneses.md`).
    public var relativePath: String
    /// Path as the user named it, for diagnostics (`content/posts/2009/joneses.md`).
    public var displayPath: String
    public var bytes: [UInt8]
    /// Size, time and inode as the folder walk found them; nil for text not from a disk.
    public var stamp: FileStamp?
    /// True when the file was left unread because the last build parsed it as it is now: the
    /// parse stage takes its documents from the build cache (`ParseMemo`), and `bytes` is empty.
    public var isUnread = false

    public init(relativePath: String, displayPath: String, bytes: [UInt8], stamp: FileStamp? = nil, isUnread: Bool = false) {
        self.relativePath = relativePath
        self.displayPath = displayPath
        self.bytes = bytes
        self.stamp = stamp
        self.isUnread = isUnread
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

/// What tells an edited file from the one before without reading it, as make and git do:
/// size, modification time and inode.
public struct FileStamp: Sendable, Hashable, Codable {
    public var size: Int64
    public var modified: Int64 // nanoseconds since 1970
    public var inode: UInt64

    /// A file that is not there: differs from any real stamp.
    static let missing = FileStamp(size: -1, modified: 0, inode: 0)
}
