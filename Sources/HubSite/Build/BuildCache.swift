#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the last successful build saw and wrote, so that a build with nothing new to do
/// can say so without reading a single content file.
///
/// Inputs are compared by path, size, modification time and inode (as make and git do); the
/// output folder is checked file by file the same way, so a site changed by hand is rebuilt.
/// A scheduled post that fell due is caught by the schedule window.
public struct BuildCache: Sendable, Equatable {
    /// Options, paths and the program version, as one line.
    public var settings: String
    public var schedule: ScheduleWindow
    public var inputs: [FileStamp]
    public var outputs: [FileStamp]
    /// The warnings and notes of that build, told again when nothing changed.
    public var diagnostics: [Diagnostic] = []

    public struct FileStamp: Sendable, Equatable {
        public var path: String
        public var size: Int64
        public var modified: Int64 // nanoseconds since 1970
        public var inode: UInt64
    }

    static let header = "hubsite-cache 1"

    /// Whether a build with these inputs, settings and `now` would produce the output as it is.
    public func isCurrent(settings: String, inputs: [FileStamp], now: Int64, outputs: [FileStamp]) -> Bool {
        self.settings == settings && schedule.contains(now) && self.inputs == inputs && self.outputs == outputs
    }

    // MARK: Stamps

    /// Stamps of every file below the given folders (symbolic links included as links).
    public static func stamps(of folders: [String]) -> [FileStamp] {
        var stamps: [FileStamp] = []
        for folder in folders { collect(folder, prefix: folder, into: &stamps) }
        return stamps
    }

    private static func collect(_ path: String, prefix: String, into stamps: inout [FileStamp]) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in FolderReader.entries(of: path) ?? [] {
                collect(path + "/" + name, prefix: prefix, into: &stamps)
            }
            return
        }
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        stamps.append(FileStamp(path: path, size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino)))
    }

    // MARK: Reading and writing

    public func serialised() -> [UInt8] {
        var text = Self.header + "\n"
        text += "settings\t\(settings)\n"
        text += "schedule\t\(schedule.since)\t\(schedule.until.map(String.init) ?? "-")\n"
        for diagnostic in diagnostics {
            let message = diagnostic.message.replacingNewlines()
            text += "diagnostic\t\(diagnostic.severity.rawValue)\t\(diagnostic.location.line)\t"
                + "\(diagnostic.location.column)\t\(diagnostic.location.path)\t\(message)\n"
        }
        for (label, stamps) in [("input", inputs), ("output", outputs)] {
            for stamp in stamps {
                text += "\(label)\t\(stamp.size)\t\(stamp.modified)\t\(stamp.inode)\t\(stamp.path)\n"
            }
        }
        return Array(text.utf8)
    }

    /// Reads a cache; nil when it is missing, damaged or from another version.
    public static func parse(_ bytes: [UInt8]) -> BuildCache? {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)[...]
        guard lines.popFirst() == Substring(header) else { return nil }
        var cache = BuildCache(settings: "", schedule: ScheduleWindow(since: 0, until: nil), inputs: [], outputs: [])
        for line in lines {
            if line.hasPrefix("diagnostic\t") {
                let fields = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
                guard fields.count == 6, let severity = Severity(rawValue: String(fields[1])),
                      let lineNumber = Int(fields[2]), let column = Int(fields[3]) else { return nil }
                let location = SourceLocation(path: String(fields[4]), line: lineNumber, column: column)
                cache.diagnostics.append(Diagnostic(severity, location, String(fields[5])))
                continue
            }
            let fields = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false)
            switch fields.first {
            case "settings" where fields.count == 2:
                cache.settings = String(fields[1])
            case "schedule" where fields.count == 3:
                guard let since = Int64(fields[1]) else { return nil }
                cache.schedule = ScheduleWindow(since: since, until: Int64(fields[2]))
            case "input", "output":
                guard fields.count == 5, let size = Int64(fields[1]), let modified = Int64(fields[2]),
                      let inode = UInt64(fields[3]) else { return nil }
                let stamp = FileStamp(path: String(fields[4]), size: size, modified: modified, inode: inode)
                if fields[0] == "input" { cache.inputs.append(stamp) } else { cache.outputs.append(stamp) }
            default:
                return nil
            }
        }
        return cache
    }

    public static func load(from folder: String) -> BuildCache? {
        let path = folder + "/state"
        guard let size = FileSystem.size(path), let bytes = FileSystem.readFile(path, size: size) else { return nil }
        return parse(bytes)
    }

    /// Writes the cache atomically (a new file renamed over the old one).
    public func save(to folder: String) throws {
        try SiteBuild.makeParents(of: folder)
        try FileSystem.makeFolder(folder)
        let temporary = folder + "/state.tmp"
        try FileSystem.writeFile(temporary, serialised())
        try FileSystem.rename(temporary, folder + "/state")
    }

    public static func remove(from folder: String) {
        unlink(folder + "/state")
    }
}

private extension String {
    /// One line per diagnostic in the cache file.
    func replacingNewlines() -> String {
        String(unicodeScalars.map { $0 == "\n" || $0 == "\t" ? " " : Character($0) })
    }
}
