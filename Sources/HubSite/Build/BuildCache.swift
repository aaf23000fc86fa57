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
    /// Each folder is opened once and its entries stat'ed relative to it, so no path is
    /// walked from the root again: this runs on every build, over every file.
    public static func stamps(of folders: [String]) -> [FileStamp] {
        var stamps: [FileStamp] = []
        for folder in folders {
            var info = stat()
            guard lstat(folder, &info) == 0 else { continue }
            if (info.st_mode & S_IFMT) == S_IFDIR {
                collect(folder, into: &stamps)
            } else {
                stamps.append(stamp(folder, info))
            }
        }
        return stamps
    }

    private static func stamp(_ path: String, _ info: stat) -> FileStamp {
        let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return FileStamp(path: path, size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino))
    }

    private static func collect(_ folder: String, into stamps: inout [FileStamp]) {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0, let directory = fdopendir(descriptor) else {
            if descriptor >= 0 { close(descriptor) }
            return
        }
        defer { closedir(directory) }
        let names = FolderReader.names(in: directory).sorted() // any fixed order will do: stamps are compared with those of the same code
        var folders: [String] = []
        for name in names {
            var info = stat()
            guard fstatat(descriptor, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            let path = folder + "/" + name
            if (info.st_mode & S_IFMT) == S_IFDIR {
                folders.append(path)
            } else {
                stamps.append(stamp(path, info))
            }
        }
        for child in folders { collect(child, into: &stamps) }
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
                text += "\(label)\t\(stamp.size)\t\(stamp.modified)\t\(Int64(bitPattern: stamp.inode))\t\(stamp.path)\n"
            }
        }
        return Array(text.utf8)
    }

    /// Reads a cache; nil when it is missing, damaged or from another version.
    public static func parse(_ bytes: [UInt8]) -> BuildCache? {
        var cache = BuildCache(settings: "", schedule: ScheduleWindow(since: 0, until: nil), inputs: [], outputs: [])
        var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)[...]
        guard let first = lines.popFirst(), first.elementsEqual(header.utf8) else { return nil }
        for line in lines {
            let fields = line.split(separator: 0x09, maxSplits: 5, omittingEmptySubsequences: false)
            func text(_ index: Int) -> String { String(decoding: fields[index], as: UTF8.self) }
            func integer(_ index: Int) -> Int64? { Self.integer(fields[index]) }
            switch fields.first.map({ String(decoding: $0, as: UTF8.self) }) {
            case "input", "output":
                // The path is last and may hold tabs: rejoin what the split took apart.
                guard fields.count >= 5, let size = integer(1), let modified = integer(2), let inode = integer(3) else { return nil }
                let path = String(decoding: line[fields[4].startIndex...], as: UTF8.self)
                let stamp = FileStamp(path: path, size: size, modified: modified, inode: UInt64(bitPattern: inode))
                if fields[0].first == 0x69 { cache.inputs.append(stamp) } else { cache.outputs.append(stamp) }
            case "settings" where fields.count >= 2:
                cache.settings = String(decoding: line[fields[1].startIndex...], as: UTF8.self)
            case "schedule" where fields.count == 3:
                guard let since = integer(1) else { return nil }
                cache.schedule = ScheduleWindow(since: since, until: integer(2))
            case "diagnostic" where fields.count == 6:
                guard let severity = Severity(rawValue: text(1)), let line = integer(2), let column = integer(3) else { return nil }
                let location = SourceLocation(path: text(4), line: Int(line), column: Int(column))
                cache.diagnostics.append(Diagnostic(severity, location, text(5)))
            default:
                return nil
            }
        }
        return cache
    }

    private static func integer(_ digits: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        var negative = false
        var sawDigit = false
        for (index, byte) in digits.enumerated() {
            if index == 0 && byte == 0x2D { negative = true; continue }
            guard (0x30...0x39).contains(byte) else { return nil }
            let (product, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow else { return nil }
            value = product + Int64(byte - 0x30)
            sawDigit = true
        }
        return sawDigit ? (negative ? -value : value) : nil
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
