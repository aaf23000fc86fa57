import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Watches folder trees for changes with inotify and calls back once the changes settle.
///
/// inotify is not recursive: every folder gets its own watch, and folders that appear later
/// get theirs when their creation is seen. Changes are gathered for `debounce` after the
/// last one, so an editor's save (write, rename, chmod) or a `git checkout` makes one call.
final class FolderWatcher: @unchecked Sendable {
    /// Called on the watcher's queue with the paths that changed (sorted, deduplicated).
    typealias Handler = @Sendable ([String]) -> Void

    private let roots: [String]
    private let debounce: DispatchTimeInterval
    private let handler: Handler
    private let queue = DispatchQueue(label: "hubsite.watcher")
    private var descriptor: Int32 = -1
    private var source: DispatchSourceRead?
    /// Watch descriptor -> folder path.
    private var folders: [Int32: String] = [:]
    private var changed: Set<String> = []
    private var pending: DispatchWorkItem?

    private static let mask: UInt32 = UInt32(IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_DELETE | IN_MOVED_FROM
                                             | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF | IN_ATTRIB)

    init(roots: [String], debounce: DispatchTimeInterval = .milliseconds(100), handler: @escaping Handler) {
        self.roots = roots
        self.debounce = debounce
        self.handler = handler
    }

    enum Failure: Error, CustomStringConvertible {
        case unavailable(String)
        var description: String {
            switch self {
            case .unavailable(let reason): "cannot watch for changes: \(reason)"
            }
        }
    }

    /// Starts watching; the handler is called from now on.
    func start() throws {
        descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { throw Failure.unavailable(String(cString: strerror(errno))) }
        try queue.sync {
            for root in roots { try addTree(root) }
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: descriptor, queue: queue)
        source.setEventHandler { [weak self] in self?.readEvents() }
        self.source = source
        source.resume()
    }

    /// How many folders are watched (for tests and messages).
    var folderCount: Int { queue.sync { folders.count } }

    // MARK: - On the queue

    private func addTree(_ path: String) throws {
        let watch = inotify_add_watch(descriptor, path, Self.mask | UInt32(IN_ONLYDIR))
        guard watch >= 0 else {
            if errno == ENOSPC {
                throw Failure.unavailable("the system's limit of inotify watches is reached "
                                          + "(raise fs.inotify.max_user_watches)")
            }
            return // gone already, or not a folder
        }
        folders[watch] = path
        guard let directory = opendir(path) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name != "." && name != ".." && !name.hasPrefix(".") else { continue }
            let child = path + "/" + name
            var info = stat()
            if lstat(child, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                try addTree(child)
            }
        }
    }

    private func readEvents() {
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset + 16 <= count {
                let (watch, mask, length) = buffer.withUnsafeBytes { raw in
                    (raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                     raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                     Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)))
                }
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += 16 + length
                handle(watch: watch, mask: mask, name: name)
            }
        }
    }

    private func handle(watch: Int32, mask: UInt32, name: String) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            // Events were lost: watch everything afresh and rebuild.
            for watch in folders.keys { inotify_rm_watch(descriptor, watch) }
            folders = [:]
            for root in roots { try? addTree(root) }
            note(roots.first ?? "")
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            folders[watch] = nil
            return
        }
        guard let folder = folders[watch] else { return }
        if name.isEmpty {
            note(folder) // the folder itself was moved or deleted
            return
        }
        // Editors' swap and backup files, and everything the build skips, change nothing.
        if name.hasPrefix(".") || name.hasSuffix("~") || name == "4913" { return }
        let path = folder + "/" + name
        if mask & UInt32(IN_ISDIR) != 0 && mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
            try? addTree(path) // with whatever is in it already
        }
        note(path)
    }

    private func note(_ path: String) {
        changed.insert(path)
        pending?.cancel()
        let work = DispatchWorkItem { [weak self] in
            guard let self else { return }
            let paths = self.changed.sorted()
            self.changed = []
            self.pending = nil
            self.handler(paths)
        }
        pending = work
        queue.asyncAfter(deadline: .now() + debounce, execute: work)
    }
}
