#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a folder tree into memory: the only place the generator reads content or theme files.
///
/// Symbolic links are not followed: a link could lead outside the folder or round in a loop,
/// so each one is reported instead. Entries are visited in byte order of their names, so the
/// result does not depend on the file system's order.
public struct FolderReader: Sendable {
    /// Whether a hidden file or folder (name starting with '.') at this relative path is read.
    let keepsHidden: @Sendable (String) -> Bool

    public init(keepsHidden: @escaping @Sendable (String) -> Bool = { _ in false }) {
        self.keepsHidden = keepsHidden
    }

    public func read(root: String, displayRoot: String) -> (files: [SourceFile], diagnostics: [Diagnostic]) {
        var files: [SourceFile] = []
        var diagnostics: [Diagnostic] = []
        walk(root: root, relative: "", displayRoot: displayRoot, files: &files, diagnostics: &diagnostics)
        return (files, diagnostics)
    }

    /// Reads a content folder: hidden files only under static/.
    public static let forContent = FolderReader(keepsHidden: { $0.hasPrefix("static/") })
    /// Reads a theme folder: hidden files only under assets/.
    public static let forTheme = FolderReader(keepsHidden: { $0.hasPrefix("assets/") })

    public func read(content: String, theme: String) -> SourceTree {
        let contentPart = Self.forContent.read(root: content, displayRoot: content)
        let themePart = Self.forTheme.read(root: theme, displayRoot: theme)
        return SourceTree(content: contentPart.files, theme: themePart.files,
                          diagnostics: contentPart.diagnostics + themePart.diagnostics)
    }

    private func walk(root: String, relative: String, displayRoot: String,
                      files: inout [SourceFile], diagnostics: inout [Diagnostic]) {
        let folder = relative.isEmpty ? root : root + "/" + relative
        guard let entries = Self.entries(of: folder) else {
            let shown = relative.isEmpty ? displayRoot : SourceFile.join(displayRoot, relative)
            diagnostics.append(.error(SourceLocation(path: shown), "cannot read folder: \(Self.lastError())"))
            return
        }
        for name in entries {
            // Hidden files are skipped (editor swap files, .git), except under static/, where a
            // site may need .well-known/ or .htaccess.
            if name == ".git" || name == ".DS_Store" { continue }
            if name.hasPrefix(".") && !keepsHidden(relative.isEmpty ? name : relative + "/" + name) { continue }
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let path = root + "/" + childRelative
            let display = SourceFile.join(displayRoot, childRelative)
            var info = stat()
            guard lstat(path, &info) == 0 else {
                diagnostics.append(.error(SourceLocation(path: display), "cannot read: \(Self.lastError())"))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(root: root, relative: childRelative, displayRoot: displayRoot, files: &files, diagnostics: &diagnostics)
            case S_IFREG:
                if let bytes = Self.contents(of: path, size: Int(info.st_size)) {
                    files.append(SourceFile(relativePath: childRelative, displayPath: display, bytes: bytes))
                } else {
                    diagnostics.append(.error(SourceLocation(path: display), "cannot read file: \(Self.lastError())"))
                }
            case S_IFLNK:
                diagnostics.append(.error(SourceLocation(path: display),
                                          "symbolic links are not followed; copy the file in instead"))
            default:
                diagnostics.append(.warning(SourceLocation(path: display), "not a regular file; ignored"))
            }
        }
    }

    static func entries(of folder: String) -> [String]? {
        guard let directory = opendir(folder) else { return nil }
        defer { closedir(directory) }
        return names(in: directory).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    /// The names in an open folder, without `.` and `..`, in the file system's order.
    static func names(in directory: OpaquePointer) -> [String] {
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func contents(of path: String, size: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size + 1)
        var chunk = [UInt8](repeating: 0, count: max(size + 1, 4096))
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// Whether a path names an existing folder.
    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
