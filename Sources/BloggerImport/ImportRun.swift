import Foundation
import HubSite

/// What an import does with each planned file, decided against what is on disk and what the
/// last import wrote (`.blogger-import` in the content folder: a digest of each file as the
/// import wrote it), so that repeating an import changes nothing and an author's edits are
/// never overwritten.
public enum ImportAction: String, Sendable {
    case create = "create"
    case update = "update"
    case unchanged = "unchanged"
    /// Edited by an author since the import wrote it: left alone.
    case keepEdited = "kept (edited since the last import)"
    /// A file the import did not write: left alone.
    case keepOther = "kept (not written by an import)"
    /// Deleted by an author after an import wrote it: not written again.
    case keepDeleted = "kept deleted (removed since the last import)"

    public var writes: Bool { self == .create || self == .update }
}

public struct ImportManifest: Sendable, Equatable {
    public static let fileName = ".blogger-import"
    /// Path under the content folder -> digest of the bytes the import wrote there.
    public var digests: [String: String] = [:]

    public init(digests: [String: String] = [:]) {
        self.digests = digests
    }

    public init(text: String) {
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: " ", maxSplits: 1)
            if parts.count == 2 { digests[String(parts[1])] = String(parts[0]) }
        }
    }

    public var text: String {
        "# Written by `hubsite import blogger`: a digest of each file as the import wrote it, so that\n"
            + "# a later import updates only files nobody has edited since. Keep it with the content.\n"
            + digests.keys.sorted().map { "\(digests[$0]!) \($0)\n" }.joined()
    }

    /// 64-bit FNV-1a: tells an edited file from the one written, nothing more.
    public static func digest(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

public enum ImportDecision {
    /// `existing`: the bytes on disk for each planned path (nil when absent).
    public static func decide(_ files: [PlannedFile], existing: [String: [UInt8]?], manifest: ImportManifest)
        -> [(file: PlannedFile, action: ImportAction)] {
        files.map { file in
            let recorded = manifest.digests[file.path]
            guard let onDisk = existing[file.path] ?? nil else {
                return (file, recorded == nil ? .create : .keepDeleted)
            }
            if onDisk == file.bytes { return (file, .unchanged) }
            guard let recorded else { return (file, .keepOther) }
            return (file, ImportManifest.digest(onDisk) == recorded ? .update : .keepEdited)
        }
    }

    /// The manifest after writing: every file the import wrote, or finds as it would write it.
    public static func manifest(after decisions: [(file: PlannedFile, action: ImportAction)],
                                previous: ImportManifest) -> ImportManifest {
        var next = previous
        for (file, action) in decisions where action.writes || action == .unchanged {
            next.digests[file.path] = ImportManifest.digest(file.bytes)
        }
        return next
    }
}

/// The import's file reads and writes, and nothing else.
public struct ImportFiles {
    public var contentPath: String

    public init(contentPath: String) {
        self.contentPath = contentPath
    }

    private func url(_ relative: String) -> URL {
        URL(fileURLWithPath: contentPath).appendingPathComponent(relative)
    }

    public func read(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: url(relative).path).map { [UInt8]($0) }
    }

    public func exists(_ relative: String) -> Bool {
        FileManager.default.fileExists(atPath: url(relative).path)
    }

    public func manifest() -> ImportManifest {
        read(ImportManifest.fileName).map { ImportManifest(text: String(decoding: $0, as: UTF8.self)) } ?? ImportManifest()
    }

    /// Writes each file whole (a temporary file renamed over it), then the manifest.
    public func write(_ files: [PlannedFile], manifest: ImportManifest) throws {
        for file in files + [PlannedFile(path: ImportManifest.fileName, bytes: Array(manifest.text.utf8))] {
            guard OutputPath.isSafe(file.path) else { continue }
            let target = url(file.path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            let temporary = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).importing")
            try Data(file.bytes).write(to: temporary)
            if FileManager.default.fileExists(atPath: target.path) {
                _ = try FileManager.default.replaceItemAt(target, withItemAt: temporary)
            } else {
                try FileManager.default.moveItem(at: temporary, to: target)
            }
        }
    }

    /// Downloaded images (`--images DIR`), by file name; the first in path order wins.
    public static func images(in folder: String) throws -> [String: [UInt8]] {
        var images: [String: [UInt8]] = [:]
        let root = URL(fileURLWithPath: folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        var files: [URL] = []
        for case let file as URL in enumerator {
            if (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true { files.append(file) }
        }
        for file in files.sorted(by: { $0.path < $1.path }) where images[file.lastPathComponent] == nil {
            if let data = FileManager.default.contents(atPath: file.path) { images[file.lastPathComponent] = [UInt8](data) }
        }
        return images
    }
}
