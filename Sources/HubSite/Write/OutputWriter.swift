import CHubSiteSystem
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The write stage, the only place that writes the site.
///
/// The new site is assembled in a temporary folder beside the output, then swapped in with one
/// atomic exchange of the two folders, so a reader, a publish step or a build killed at any
/// moment sees the old site or the new one, never a mix. A file whose bytes did not change is
/// hard-linked from the old output, so it keeps its modification time.
public struct OutputWriter: Sendable {
    public let outputPath: String

    public init(outputPath: String) {
        var path = outputPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.outputPath = path
    }

    public struct Summary: Sendable, Equatable {
        public var written: Int
        public var unchanged: Int
    }

    var parent: String {
        let folder = LinkPath.folder(of: outputPath)
        return folder.isEmpty ? (outputPath.hasPrefix("/") ? "/" : ".") : folder
    }

    var name: String {
        let folder = LinkPath.folder(of: outputPath)
        return folder.isEmpty ? outputPath : String(outputPath.dropFirst(folder.count + 1))
    }

    /// Where the next site is assembled.
    public var temporaryPath: String { parent + "/." + name + ".hubsite-tmp" }
    /// Where the old site goes for a moment where folders cannot be exchanged atomically.
    var retiredPath: String { parent + "/." + name + ".hubsite-old" }
    /// Held while a build writes, so two builds never interleave.
    public var lockPath: String { parent + "/." + name + ".hubsite-lock" }

    /// What is at the output path, as far as replacing it goes.
    public enum FolderState: Sendable, Equatable {
        case absent, empty
        /// The folder a build swapped in last (the lock file names it).
        case made
        /// A non-empty folder no build made: never replaced without `--force`.
        case foreign
    }

    /// A build replaces only a folder it made or an empty one (docs/security.md, "The output folder"). The
    /// lock file beside the folder is the marker: each build writes into it the identity
    /// (device and inode) of the folders it made, so a folder put there by anything else,
    /// even under the same name, is not taken for the build's own.
    public func folderState() -> FolderState {
        guard let identity = Self.identity(of: outputPath) else { return .absent }
        guard let names = FolderReader.entries(of: outputPath) else { return .foreign }
        if names.isEmpty { return .empty }
        let marker = FileSystem.size(lockPath).flatMap { FileSystem.readFile(lockPath, size: min($0, 400)) }
        let madeFolders = marker.map { String(decoding: $0, as: UTF8.self).split(separator: "\n") } ?? []
        return madeFolders.contains(Substring(identity)) ? .made : .foreign
    }

    /// `made DEVICE INODE`, for a folder (not a link to one); nil for anything else.
    private static func identity(of path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return "made \(info.st_dev) \(info.st_ino)"
    }

    /// Records the folders at `paths` as made by a build. Before the swap the marker names both
    /// the site in place and the one about to replace it, so that a build killed at any moment
    /// of the swap leaves a folder the next build knows as its own; after it, the new site alone.
    /// The lock file is held open by the build, so it is rewritten in place, never emptied
    /// first: a build killed mid-write leaves whole lines.
    func markAsMade(_ paths: [String]) throws {
        let lines = paths.compactMap(Self.identity(of:)).map { $0 + "\n" }.joined()
        try FileSystem.overwrite(lockPath, Array(lines.utf8))
    }

    /// Writes a whole site given in memory.
    public func write(_ files: [OutputFile]) throws -> Summary {
        let session = try begin(paths: files.map(\.path))
        for file in files { try session.add(file) }
        return try session.commit()
    }

    /// Starts a new site in the temporary folder, with every folder the planned paths need.
    /// Files then arrive through `Session.add`, from any thread, and `commit` swaps the site in.
    public func begin(paths: [String]) throws -> Session {
        if FileSystem.exists(outputPath) && !FileSystem.isFolder(outputPath) {
            throw FileSystem.Failure("output is not a folder:", outputPath)
        }
        // Leftovers of a build that was killed.
        try FileSystem.removeTree(temporaryPath)
        try FileSystem.removeTree(retiredPath)
        try FileSystem.makeFolder(temporaryPath)
        var folders: Set<String> = []
        for path in paths {
            guard OutputPath.isSafe(path) else {
                throw FileSystem.Failure("refusing to write outside the output folder:", path)
            }
            var folder = LinkPath.folder(of: path)
            while !folder.isEmpty, folders.insert(folder).inserted { folder = LinkPath.folder(of: folder) }
        }
        try makeFolders(folders)
        return Session(writer: self, paths: Set(paths))
    }

    /// Makes the folders in the temporary folder a depth at a time, each depth on every core
    /// (a site has a folder per post).
    private func makeFolders(_ folders: Set<String>) throws {
        let byDepth = Dictionary(grouping: folders) { folder in folder.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) } }
        for depth in byDepth.keys.sorted() {
            let failures = (byDepth[depth] ?? []).sorted().parallelMap { folder -> FileSystem.Failure? in
                do throws(FileSystem.Failure) {
                    try FileSystem.makeFolder(temporaryPath + "/" + folder)
                    return nil
                } catch {
                    return error
                }
            }
            if let failure = failures.first(where: { $0 != nil }) ?? nil { throw failure }
        }
    }

    /// One build's writing. `add` may be called from several threads, once per path.
    public final class Session: @unchecked Sendable {
        let writer: OutputWriter
        let paths: Set<String>
        private let counts = Mutex()
        private var written = 0
        private var unchanged = 0

        init(writer: OutputWriter, paths: Set<String>) {
            self.writer = writer
            self.paths = paths
        }

        public func add(_ file: OutputFile) throws {
            guard paths.contains(file.path) else {
                throw FileSystem.Failure("not a planned output:", file.path)
            }
            let destination = writer.temporaryPath + "/" + file.path
            let previous = writer.outputPath + "/" + file.path
            if FileSystem.size(previous) == file.bytes.count,
               FileSystem.readFile(previous, size: file.bytes.count) == file.bytes,
               FileSystem.hardLink(previous, destination) {
                counts.withLock { unchanged += 1 }
            } else {
                try FileSystem.writeFile(destination, file.bytes)
                counts.withLock { written += 1 }
            }
        }

        /// Swaps the new site in, in one step. `finish` sees the new site's folder first, whole,
        /// for what is made from the written site itself (the search index).
        public func commit(finish: ((_ newSite: String, _ currentSite: String) throws -> Void)? = nil) throws -> Summary {
            try finish?(writer.temporaryPath, writer.outputPath)
            try writer.markAsMade([writer.outputPath, writer.temporaryPath])
            try writer.swapIn()
            try writer.markAsMade([writer.outputPath])
            return counts.withLock { Summary(written: written, unchanged: unchanged) }
        }
    }

    /// Replaces a few files of the current site in place, for an incremental build, where
    /// assembling a whole new site would cost more than the edit. Every new file is written
    /// first, then each is renamed over the old one: each file is whole at every moment, but a
    /// reader may meet a new page beside an old one for the moment the renames take. A file
    /// whose bytes did not change is left alone, with its time.
    /// Files at `removing` (outputs the site no longer has) are deleted last, with any folder
    /// they leave empty.
    public func replace(_ files: [OutputFile], removing: [String] = []) throws -> Summary {
        var pending: [(temporary: String, destination: String)] = []
        defer { for file in pending { unlink(file.temporary) } }
        var unchanged = 0
        for file in files {
            guard OutputPath.isSafe(file.path) else {
                throw FileSystem.Failure("refusing to write outside the output folder:", file.path)
            }
            let destination = outputPath + "/" + file.path
            if FileSystem.size(destination) == file.bytes.count,
               FileSystem.readFile(destination, size: file.bytes.count) == file.bytes {
                unchanged += 1
                continue
            }
            let folder = LinkPath.folder(of: destination)
            let name = String(destination.dropFirst(folder.count + 1))
            let temporary = folder + "/." + name + ".hubsite-tmp"
            try SiteBuild.makeParents(of: folder)
            try FileSystem.writeFile(temporary, file.bytes)
            pending.append((temporary, destination))
        }
        let renamed = pending.count
        while let file = pending.first {
            try FileSystem.rename(file.temporary, file.destination)
            pending.removeFirst()
        }
        for path in removing where OutputPath.isSafe(path) {
            unlink(outputPath + "/" + path)
            var folder = LinkPath.folder(of: path)
            while !folder.isEmpty, rmdir(outputPath + "/" + folder) == 0 { folder = LinkPath.folder(of: folder) }
        }
        return Summary(written: renamed, unchanged: unchanged)
    }

    func swapIn() throws {
        guard FileSystem.exists(outputPath) else {
            try FileSystem.rename(temporaryPath, outputPath)
            return
        }
        if hubsite_exchange_paths(temporaryPath, outputPath) == 0 {
            try FileSystem.removeTree(temporaryPath) // now the old site
            return
        }
        // No atomic exchange on this file system: two renames, a moment apart.
        try FileSystem.rename(outputPath, retiredPath)
        try FileSystem.rename(temporaryPath, outputPath)
        try FileSystem.removeTree(retiredPath)
    }
}

/// An exclusive lock on an output folder, held for as long as the value lives.
public final class OutputLock: @unchecked Sendable {
    private let descriptor: Int32

    /// Takes the lock, or returns nil if another build holds it.
    public init?(path: String) throws {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.Failure("cannot open lock file", path) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            return nil
        }
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
