/// One file of the built site, in memory.
public struct OutputFile: Sendable, Equatable {
    /// Path inside the output folder: `2009/05/joneses/index.html`.
    public var path: String
    public var bytes: [UInt8]
    /// What produced it, for reporting clashes: a content path, or a description of the page.
    public var origin: String

    public init(path: String, bytes: [UInt8], origin: String) {
        self.path = path
        self.bytes = bytes
        self.origin = origin
    }

    public init(path: String, text: String, origin: String) {
        self.init(path: path, bytes: Array(text.utf8), origin: origin)
    }
}
