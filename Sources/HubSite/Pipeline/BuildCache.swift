#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the last successful build saw, worked out and wrote, in the cache folder
/// (`.hubsite-cache` beside the output), in the format `CacheCoding` derives from these types:
/// `state` (stamps, all a build with nothing to do reads), one `memo-*` file per content folder
/// (the stages' memos for its files; only those of folders with an edit are written again)
/// and the `TextStore` beside them. docs/content.md, "The build cache".
///
/// A build compares the stamps of its inputs with `inputs` (nothing new: it reads and writes
/// nothing), hands the memos to its stages, and renders only the outputs whose key changed
/// or whose file is no longer as the last build left it.
struct BuildCache: Sendable, Codable {
    /// Options, paths and the program itself, as one line: any change starts afresh.
    var settings: String
    var schedule: ScheduleWindow
    var inputs: [Input]
    /// The output folder's inode: another build swaps in a folder of its own.
    var outputFolder: UInt64
    var outputs: [Output]
    /// The warnings and notes of that build, told again when nothing changed.
    var diagnostics: [Diagnostic]
    var memoFiles: [MemoFile]

    /// The stages' memos for the files of one content folder, in a file of their own.
    struct Memos: Sendable, Codable {
        var parses: ParseMemo
        var bodies: BodyMemo
        var texts: [TextStore.Entry]
    }

    struct MemoFile: Sendable, Codable, Equatable {
        /// Below the content folder (`posts/2009`).
        var folder: String
        /// What its memos were made from (`MemoFile.signature`): equal, they need not be written again.
        var signature: UInt64
        /// `StableHash` of the file as written: another is not used.
        var digest: UInt64

        var name: String { "memo-" + String(StableHash.of(folder), radix: 16) }

        /// The paths and stamps of its files and the keys of its bodies: the same signature
        /// means the same memos.
        static func signature(_ memos: Memos) -> UInt64 {
            StableHash.combine([StableHash.of(memos.parses.zone)]
                + memos.parses.entries.flatMap { entry in
                    [StableHash.of(entry.relativePath), UInt64(bitPattern: entry.stamp.size),
                     UInt64(bitPattern: entry.stamp.modified), entry.stamp.inode]
                }
                + [0] + memos.bodies.entries.flatMap { [$0.key, $0.body.templateDigest] })
        }
    }

    struct Input: Sendable, Codable, Equatable {
        var path: String
        var stamp: FileStamp
    }

    struct Output: Sendable, Codable, Equatable {
        /// Below the output folder.
        var path: String
        /// `OutputKeys.key` of what it shows.
        var key: UInt64
        var stamp: FileStamp
    }

    static let stateName = "state"

    static func load(from folder: String) -> BuildCache? {
        guard let bytes = read(folder + "/" + stateName) else { return nil }
        return try? CacheCoding.decode(BuildCache.self, from: bytes)
    }

    /// The memos written with this state, by content folder, read on every core; nil when one
    /// is missing, damaged or from another build.
    func loadMemos(from folder: String) -> [String: Memos]? {
        let read = memoFiles.parallelMap { file -> Memos? in
            guard let bytes = Self.read(folder + "/" + file.name), StableHash.of(bytes) == file.digest else { return nil }
            return try? CacheCoding.decode(Memos.self, from: bytes)
        }
        var memos: [String: Memos] = [:]
        for (file, memo) in zip(memoFiles, read) {
            guard let memo else { return nil }
            memos[file.folder] = memo
        }
        return memos
    }

    private static func read(_ path: String) -> [UInt8]? {
        FileSystem.size(path).flatMap { FileSystem.readFile(path, size: $0) }
    }

    /// Writes a folder's memos (atomically: a new file renamed over the old one).
    static func write(_ memos: Memos, folder: String, signature: UInt64, in cacheFolder: String) throws -> MemoFile {
        let bytes = try CacheCoding.encode(memos)
        let file = MemoFile(folder: folder, signature: signature, digest: StableHash.of(bytes))
        try replace(file.name, in: cacheFolder, with: bytes)
        return file
    }

    /// Writes the state, last (atomically), once every memo file it names is in place.
    func save(to folder: String) throws {
        try SiteBuild.makeParents(of: folder)
        try FileSystem.makeFolder(folder)
        try Self.replace(Self.stateName, in: folder, with: try CacheCoding.encode(self))
    }

    private static func replace(_ name: String, in folder: String, with bytes: [UInt8]) throws {
        let temporary = folder + "/" + name + ".tmp"
        try FileSystem.writeFile(temporary, bytes)
        try FileSystem.rename(temporary, folder + "/" + name)
    }

    /// Forgets the state: until a build is whole on disk, none is trusted.
    static func remove(from folder: String) {
        unlink(folder + "/" + stateName)
    }

    /// The outputs whose files are no longer as this cache recorded them (changed or deleted by hand).
    func outputsChanged(under outputFolder: String) -> Set<String> {
        let stamps = Self.stamps(ofFiles: outputs.map(\.path), under: outputFolder)
        return Set(zip(outputs, stamps).filter { $0.stamp != $1 }.map(\.0.path))
    }

    /// The inode of a folder (0 if missing).
    static func inode(of path: String) -> UInt64 {
        var info = stat()
        return lstat(path, &info) == 0 ? UInt64(info.st_ino) : 0
    }

    /// Stamps of files below `root`, one `fstatat` each, spread over the cores: a build with
    /// nothing to do stats every output the cache remembers, so this is most of its cost.
    static func stamps(ofFiles paths: [String], under root: String) -> [FileStamp] {
        let descriptor = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if descriptor >= 0 { close(descriptor) } }
        let chunkSize = 512
        let chunks = stride(from: 0, to: paths.count, by: chunkSize).map { paths[$0..<min(paths.count, $0 + chunkSize)] }
        return chunks.parallelMap { chunk in
            chunk.map { path in
                var info = stat()
                guard descriptor >= 0, fstatat(descriptor, path, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .missing }
                let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                return FileStamp(size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino))
            }
        }.flatMap { $0 }
    }
}
