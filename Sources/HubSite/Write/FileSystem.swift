#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX helpers for the write stage. Errors come back as messages, never as crashes.
enum FileSystem {
    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ what: String, _ path: String) {
            description = "\(what) \(path): \(String(cString: strerror(errno)))"
        }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func size(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    static func makeFolder(_ path: String) throws(Failure) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Failure("cannot create folder", path) }
    }

    static func writeFile(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure("cannot create", path) }
        defer { close(descriptor) }
        try writeAll(descriptor, bytes, path: path)
    }

    /// Writes `bytes` over the start of a file (made if missing), then cuts it to their length:
    /// never empty for a moment, as a file opened with O_TRUNC would be.
    static func overwrite(_ path: String, _ bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure("cannot open", path) }
        defer { close(descriptor) }
        try writeAll(descriptor, bytes, path: path)
        guard ftruncate(descriptor, off_t(bytes.count)) == 0 else { throw Failure("cannot write", path) }
    }

    private static func writeAll(_ descriptor: Int32, _ bytes: [UInt8], path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                write(descriptor, raw.baseAddress.map { $0 + offset }, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw Failure("cannot write", path)
            }
            offset += written
        }
    }

    /// Appends to a file (made if missing) and returns the offset the bytes start at.
    static func append(_ path: String, _ bytes: [UInt8]) throws -> Int {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Failure("cannot open", path) }
        defer { close(descriptor) }
        let start = lseek(descriptor, 0, SEEK_END)
        guard start >= 0 else { throw Failure("cannot seek in", path) }
        try writeAll(descriptor, bytes, path: path)
        return Int(start)
    }

    static func readFile(_ path: String, size: Int) -> [UInt8]? {
        FolderReader.contents(of: path, size: size)
    }

    static func hardLink(_ source: String, _ destination: String) -> Bool {
        link(source, destination) == 0
    }

    static func rename(_ source: String, _ destination: String) throws {
        if Glibc.rename(source, destination) != 0 { throw Failure("cannot move \(source) to", destination) }
    }

    /// Removes a file or a whole folder tree; symbolic links are removed, never followed.
    static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in FolderReader.entries(of: path) ?? [] {
                try removeTree(path + "/" + name)
            }
            if rmdir(path) != 0 { throw Failure("cannot remove folder", path) }
        } else if unlink(path) != 0 {
            throw Failure("cannot remove", path)
        }
    }

    /// The absolute, symlink-free form of a path; for a path that does not exist yet, its
    /// nearest existing parent resolved, with the rest appended.
    static func canonical(_ path: String) -> String {
        var remainder: [String] = []
        var current = path.isEmpty ? "." : path
        while true {
            if let resolved = realpath(current, nil) {
                defer { free(resolved) }
                let base = String(cString: resolved)
                return ([base == "/" ? "" : base] + remainder.reversed()).joined(separator: "/")
            }
            let parent = LinkPath.folder(of: current)
            remainder.append(String(current.dropFirst(parent.isEmpty ? 0 : parent.count + 1)))
            if parent.isEmpty || parent == current {
                // Nothing of the path exists: resolve from the root or the working folder.
                guard current != "/" && current != "." else { return path }
                current = current.hasPrefix("/") ? "/" : "."
            } else {
                current = parent
            }
        }
    }
}

/// A file of the build cache opened for reading parts of it; closed when the value goes.
final class ReadOnlyFile: @unchecked Sendable {
    private let descriptor: Int32
    private let size: Int

    init?(path: String) {
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        var info = stat()
        guard descriptor >= 0, fstat(descriptor, &info) == 0 else {
            if descriptor >= 0 { close(descriptor) }
            return nil
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// The bytes in `range`; nil if the file is shorter.
    func read(_ range: Range<Int>) -> [UInt8]? {
        guard range.lowerBound >= 0, range.upperBound <= size else { return nil }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let count = bytes.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress.map { $0 + done }, range.count - done, off_t(range.lowerBound + done))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return nil }
            done += count
        }
        return bytes
    }
}
