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

    /// Every file below `root`. A file for which `isKnown(path, stamp)` holds is left unread
    /// (`SourceFile.isUnread`): the last build parsed it as it is.
    public func read(root: String, displayRoot: String,
                     isKnown: @Sendable (String, FileStamp) -> Bool = { _, _ in false }) -> (files: [SourceFile], diagnostics: [Diagnostic]) {
        var found: [FoundFile] = []
        var diagnostics: [Diagnostic] = []
        walk(root: root, relative: "", displayRoot: displayRoot, found: &found, diagnostics: &diagnostics)
        let unread = found.map { SourceFile(relativePath: $0.relative, displayPath: $0.display, bytes: [], stamp: $0.stamp, isUnread: true) }
        let read = Self.fill(unread, root: root, isKnown: isKnown)
        return (read.files, diagnostics + read.diagnostics)
    }

    /// Reads the files of a walk left unread, except those `isKnown` (the walk a build with the
    /// cache made first, to tell whether anything changed, serves the reading too).
    public static func fill(_ tree: SourceTree, content: String, theme: String,
                            isKnown: @Sendable (String, FileStamp) -> Bool) -> SourceTree {
        let contentPart = fill(tree.content, root: content, isKnown: isKnown)
        let themePart = fill(tree.theme, root: theme, isKnown: { _, _ in false })
        return SourceTree(content: contentPart.files, theme: themePart.files,
                          diagnostics: tree.diagnostics + contentPart.diagnostics + themePart.diagnostics)
    }

    private static func fill(_ walked: [SourceFile], root: String,
                             isKnown: @Sendable (String, FileStamp) -> Bool) -> (files: [SourceFile], diagnostics: [Diagnostic]) {
        // The reading, on every core: a site has thousands of small files.
        let read = walked.parallelMap { file -> Result<SourceFile, Diagnostic> in
            guard file.isUnread, let stamp = file.stamp, !isKnown(file.relativePath, stamp) else { return .success(file) }
            guard let bytes = contents(of: root + "/" + file.relativePath, size: Int(stamp.size)) else {
                return .failure(.error(SourceLocation(path: file.displayPath), "cannot read file: \(lastError())"))
            }
            return .success(SourceFile(relativePath: file.relativePath, displayPath: file.displayPath, bytes: bytes, stamp: stamp))
        }
        var diagnostics: [Diagnostic] = []
        var files: [SourceFile] = []
        files.reserveCapacity(read.count)
        for result in read {
            switch result {
            case .success(let file): files.append(file)
            case .failure(let diagnostic): diagnostics.append(diagnostic)
            }
        }
        return (files, diagnostics)
    }

    /// A regular file met on the walk, to be read.
    private struct FoundFile: Sendable {
        var relative: String
        var display: String
        var stamp: FileStamp
    }

    /// Reads a content folder: hidden files only under static/.
    public static let forContent = FolderReader(keepsHidden: { $0.hasPrefix("static/") })
    /// Reads a theme folder: hidden files only under assets/.
    public static let forTheme = FolderReader(keepsHidden: { $0.hasPrefix("assets/") })

    /// The content and theme folders; content files `isKnown` to the build cache are left unread.
    /// `themeIsKnown` leaves the theme unread too: a walk for stamps alone.
    public func read(content: String, theme: String, isKnown: @Sendable (String, FileStamp) -> Bool = { _, _ in false },
                     themeIsKnown: Bool = false) -> SourceTree {
        let contentPart = Self.forContent.read(root: content, displayRoot: content, isKnown: isKnown)
        let themePart = Self.forTheme.read(root: theme, displayRoot: theme, isKnown: { _, _ in themeIsKnown })
        return SourceTree(content: contentPart.files, theme: themePart.files,
                          diagnostics: contentPart.diagnostics + themePart.diagnostics)
    }

    /// One folder's entries, stat'ed, in byte order of their names.
    private struct Listing: Sendable {
        var entries: [(name: String, info: stat?, error: String)] = []
        /// Why the folder itself could not be read (nil: it was).
        var failure: String?
    }

    /// Every file below `root`, in byte order of the paths' components. The folders are
    /// listed a depth at a time on every core (a site keeps its posts in a folder per year),
    /// then put together in order.
    private func walk(root: String, relative: String, displayRoot: String,
                      found: inout [FoundFile], diagnostics: inout [Diagnostic]) {
        var listings: [String: Listing] = [:]
        var depth = [relative]
        while !depth.isEmpty {
            let listed = depth.parallelMap { list(root: root, relative: $0) }
            var next: [String] = []
            for (folder, listing) in zip(depth, listed) {
                listings[folder] = listing
                for entry in listing.entries where entry.info.map({ $0.st_mode & S_IFMT == S_IFDIR }) == true {
                    next.append(folder.isEmpty ? entry.name : folder + "/" + entry.name)
                }
            }
            depth = next
        }
        collect(relative, listings: listings, displayRoot: displayRoot, found: &found, diagnostics: &diagnostics)
    }

    /// A folder's entries. Each entry is stat'ed relative to the open folder (the kernel need
    /// not walk the whole path again).
    private func list(root: String, relative: String) -> Listing {
        var listing = Listing()
        guard let directory = opendir(relative.isEmpty ? root : root + "/" + relative) else {
            listing.failure = Self.lastError()
            return listing
        }
        defer { closedir(directory) }
        let folderDescriptor = dirfd(directory)
        for name in Self.sortedNames(Self.entries(in: directory)) {
            // Hidden files are skipped (editor swap files, .git), except under static/, where a
            // site may need .well-known/ or .htaccess.
            if name == ".git" || name == ".DS_Store" { continue }
            if name.hasPrefix(".") && !keepsHidden(relative.isEmpty ? name : relative + "/" + name) { continue }
            var info = stat()
            let stated = fstatat(folderDescriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0
            listing.entries.append((name, stated ? info : nil, stated ? "" : Self.lastError()))
        }
        return listing
    }

    /// The files of a listed folder and of its sub-folders, depth first, in order.
    private func collect(_ relative: String, listings: [String: Listing], displayRoot: String,
                         found: inout [FoundFile], diagnostics: inout [Diagnostic]) {
        guard let listing = listings[relative] else { return }
        if let failure = listing.failure {
            let shown = relative.isEmpty ? displayRoot : SourceFile.join(displayRoot, relative)
            diagnostics.append(.error(SourceLocation(path: shown), "cannot read folder: \(failure)"))
            return
        }
        for (name, info, error) in listing.entries {
            let childRelative = relative.isEmpty ? name : relative + "/" + name
            let display = SourceFile.join(displayRoot, childRelative)
            guard let info else {
                diagnostics.append(.error(SourceLocation(path: display), "cannot read: \(error)"))
                continue
            }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                collect(childRelative, listings: listings, displayRoot: displayRoot, found: &found, diagnostics: &diagnostics)
            case S_IFREG:
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                found.append(FoundFile(relative: childRelative, display: display,
                                       stamp: FileStamp(size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino))))
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
        return sortedNames(entries(in: directory))
    }

    /// Names by their bytes: the same order on every machine, whatever its locale.
    private static func sortedNames(_ entries: [(name: String, isFolder: Bool?)]) -> [String] {
        entries.map(\.name).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The entries of an open folder, without `.` and `..`, in the file system's order, each
    /// with whether it is a folder when the file system says (`d_type`; nil when it does not).
    static func entries(in directory: OpaquePointer) -> [(name: String, isFolder: Bool?)] {
        var entries: [(name: String, isFolder: Bool?)] = []
        let nameOffset = MemoryLayout<dirent>.offset(of: \dirent.d_name) ?? 19
        while let entry = readdir(directory) {
            // The record is only as long as its name: read up to the NUL, never the whole
            // 256-byte `d_name`, which can run past the end of the buffer.
            let name = String(cString: (UnsafeRawPointer(entry) + nameOffset).assumingMemoryBound(to: CChar.self))
            guard name != "." && name != ".." else { continue }
            let type = entry.pointee.d_type
            entries.append((name, type == UInt8(DT_UNKNOWN) ? nil : type == UInt8(DT_DIR)))
        }
        return entries
    }

    static func contents(of path: String, size: Int) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        // Read straight into the result, asking for one byte more than stat said, so that a
        // file that grew since is noticed and read to its end.
        var bytes: [UInt8] = []
        var expected = size + 1
        while true {
            var failed = false
            let before = bytes.count
            bytes.reserveCapacity(before + expected)
            let added = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
                count = 0
                while count < buffer.count, let base = buffer.baseAddress {
                    let got = Glibc.read(descriptor, base + count, buffer.count - count)
                    if got < 0 && errno == EINTR { continue }
                    if got < 0 { failed = true }
                    if got <= 0 { break }
                    count += got
                }
            }
            if failed { return nil }
            if before == 0 { bytes = added } else { bytes += added }
            if added.count < expected { return bytes }
            expected = 65536
        }
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
