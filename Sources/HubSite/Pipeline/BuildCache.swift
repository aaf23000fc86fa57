#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the last successful build saw and wrote, so that a build with nothing new to do
/// can say so without reading a single content file.
///
/// Inputs are compared by path, size, modification time and inode (as make and git do), over
/// every file below the content and theme folders. When no input changed, the output is
/// checked file by file the same way, so a page changed or deleted by hand is rebuilt (a file
/// added by hand stays until the next full build). A scheduled post that fell due is caught by
/// the schedule window.
public struct BuildCache: Sendable, Equatable {
    /// Options, paths and the program version, as one line.
    public var settings: String
    public var schedule: ScheduleWindow
    public var inputs: [FileStamp]
    /// Paths relative to the output folder.
    public var outputs: [FileStamp]
    /// The output folder's inode: another build swaps in a folder of its own.
    public var outputFolder: UInt64
    /// The warnings and notes of that build, told again when nothing changed.
    public var diagnostics: [Diagnostic] = []
    /// The snapshot files (`site`, `bodies`) as this state last wrote them; empty when there
    /// is no snapshot to trust.
    public var snapshot: [FileStamp] = []
    /// Post bodies that incremental builds rendered again since the snapshot was written.
    var postEdits: [SiteSnapshot.PostEdit] = []

    public struct FileStamp: Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var modified: Int64 // nanoseconds since 1970
        public var inode: UInt64
    }

    static let header = "hubsite-cache 2"

    /// Whether a build with these inputs, settings and `now` would produce the output as it is.
    public func isCurrent(settings: String, inputs: [FileStamp], now: Int64, outputFolder: String) -> Bool {
        self.settings == settings && schedule.contains(now) && self.inputs == inputs
            && Self.stamps(ofFiles: outputs.map(\.path), under: outputFolder) == outputs
    }

    /// The inode of a folder (0 if missing).
    public static func inode(of path: String) -> UInt64 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    // MARK: Stamps

    /// Paths of every file below the given folders (symbolic links count as files), in a fixed
    /// order. Only folder entries are read; nothing is stat'ed here.
    public static func files(in folders: [String]) -> [String] {
        folders.filter(FileSystem.isFolder).flatMap(files(below:))
    }

    /// Files below one folder; subfolders are read on every core (a site has one per year).
    private static func files(below folder: String) -> [String] {
        guard let directory = opendir(folder) else { return [] }
        var entries = FolderReader.entries(in: directory).map { entry in
            (name: entry.name, isFolder: entry.isFolder ?? FileSystem.isFolder(folder + "/" + entry.name)) // some file systems do not say
        }
        closedir(directory)
        // Any fixed order will do: stamps are only compared with those of the same code.
        entries.sort { $0.name < $1.name }
        var files: [String] = []
        var folders: [String] = []
        for entry in entries {
            let path = folder + "/" + entry.name
            if entry.isFolder { folders.append(path) } else { files.append(path) }
        }
        return files + folders.parallelMap(files(below:)).flatMap { $0 }
    }

    /// Stamps of files (paths relative to `root`, or as given when it is nil), one `fstatat`
    /// each, spread over the cores: every build stats every input, and a build with nothing
    /// to do every output the cache remembers, so this is most of what such a build costs.
    public static func stamps(ofFiles paths: [String], under root: String? = nil) -> [FileStamp] {
        let descriptor = root.map { open($0, O_RDONLY | O_DIRECTORY | O_CLOEXEC) } ?? AT_FDCWD
        defer { if root != nil && descriptor >= 0 { close(descriptor) } }
        let chunkSize = 512
        let chunks = stride(from: 0, to: paths.count, by: chunkSize).map { paths[$0..<min(paths.count, $0 + chunkSize)] }
        return chunks.parallelMap { chunk in
            chunk.map { path in
                var info = stat()
                guard descriptor != -1, fstatat(descriptor, path, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
                    return FileStamp(path: path, size: -1, modified: 0, inode: 0) // missing: differs from any real stamp
                }
                return stamp(path, info)
            }
        }.flatMap { $0 }
    }

    private static func stamp(_ path: String, _ info: stat) -> FileStamp {
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileStamp(path: path, size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino))
    }

    // MARK: Reading and writing

    public func serialised() -> [UInt8] {
        var out = ByteWriter()
        out.string(Self.header)
        out.string(settings)
        out.unsigned(outputFolder)
        out.window(schedule)
        out.list(diagnostics) { out, diagnostic in
            out.string(diagnostic.severity.rawValue)
            out.string(diagnostic.location.path)
            out.int(diagnostic.location.line)
            out.int(diagnostic.location.column)
            out.string(diagnostic.message)
        }
        for stamps in [inputs, outputs, snapshot] {
            out.list(stamps) { out, stamp in
                out.string(stamp.path)
                out.int64(stamp.size)
                out.int64(stamp.modified)
                out.unsigned(stamp.inode)
            }
        }
        out.list(postEdits) { out, edit in
            out.int(edit.index)
            out.string(edit.summary)
            out.string(edit.bodySummary)
            out.int(edit.body.lowerBound)
            out.int(edit.body.count)
        }
        return out.bytes
    }

    /// Reads a cache; nil when it is missing, damaged or from another version.
    public static func parse(_ bytes: [UInt8]) -> BuildCache? {
        var input = ByteReader(bytes)
        do throws(ByteReader.Damaged) {
            guard try input.string() == header else { return nil }
            let settings = try input.string()
            let outputFolder = try input.unsigned()
            let schedule = try input.window()
            let diagnostics = try input.list { input throws(ByteReader.Damaged) -> Diagnostic in
                guard let severity = Severity(rawValue: try input.string()) else { throw ByteReader.Damaged() }
                let location = SourceLocation(path: try input.string(), line: try input.int(), column: try input.int())
                return Diagnostic(severity, location, try input.string())
            }
            let stampLists = try (0..<3).map { _ throws(ByteReader.Damaged) in
                try input.list { input throws(ByteReader.Damaged) in
                    FileStamp(path: try input.string(), size: try input.int64(), modified: try input.int64(),
                              inode: try input.unsigned())
                }
            }
            let postEdits = try input.list { input throws(ByteReader.Damaged) -> SiteSnapshot.PostEdit in
                SiteSnapshot.PostEdit(index: try input.size(), summary: try input.string(), bodySummary: try input.string(),
                                      body: try input.range())
            }
            guard input.isAtEnd else { return nil }
            return BuildCache(settings: settings, schedule: schedule,
                              inputs: stampLists[0], outputs: stampLists[1], outputFolder: outputFolder, diagnostics: diagnostics,
                              snapshot: stampLists[2], postEdits: postEdits)
        } catch {
            return nil
        }
    }

    public static func load(from folder: String) -> BuildCache? {
        let path = folder + "/state"
        guard let size = FileSystem.size(path), let bytes = FileSystem.readFile(path, size: size) else { return nil }
        return parse(bytes)
    }

    /// Writes the cache atomically (a new file renamed over the old one).
    public func save(to folder: String) throws {
        try Self.replaceFile("state", in: folder, with: serialised())
    }

    /// Writes a file of the cache folder through a temporary file renamed over it.
    static func replaceFile(_ name: String, in folder: String, with bytes: [UInt8]) throws {
        try SiteBuild.makeParents(of: folder)
        try FileSystem.makeFolder(folder)
        let temporary = folder + "/" + name + ".tmp"
        try FileSystem.writeFile(temporary, bytes)
        try FileSystem.rename(temporary, folder + "/" + name)
    }

    public static func remove(from folder: String) {
        unlink(folder + "/state")
    }
}

/// A schedule window in the cache's files (the state and the snapshot both keep one).
extension ByteWriter {
    mutating func window(_ window: ScheduleWindow) {
        int64(window.since)
        bool(window.until != nil)
        int64(window.until ?? 0)
    }
}

extension ByteReader {
    mutating func window() throws(Damaged) -> ScheduleWindow {
        let since = try int64()
        let hasUntil = try bool()
        let until = try int64()
        return ScheduleWindow(since: since, until: hasUntil ? until : nil)
    }
}
