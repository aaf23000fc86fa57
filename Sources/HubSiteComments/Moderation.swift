import Foundation

/// A moderator's decisions: approve writes the comment's content file (and, if asked, commits
/// it); reject marks it. Neither touches the site: the next build publishes what was approved.
public struct Moderation {
    let store: CommentStore
    let contentPath: String

    public init(store: CommentStore, contentPath: String) {
        self.store = store
        self.contentPath = contentPath
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Writes the file and marks the comment approved; returns the file's path in the content.
    public func approve(id: Int64, commit: Bool) throws -> String {
        guard let submission = try store.submission(id: id) else {
            throw Failure(description: "not in the queue (hubsite comments list shows the numbers)")
        }
        guard submission.status == .pending else {
            throw Failure(description: "already \(submission.status.rawValue)\(submission.file.map { " (\($0))" } ?? "")")
        }
        let manager = FileManager.default
        let relative = Approval.relativePath(submission) { manager.fileExists(atPath: contentPath + "/" + $0) }
        let path = contentPath + "/" + relative
        try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard manager.createFile(atPath: path, contents: Data(Approval.fileText(submission).utf8)) else {
            throw Failure(description: "cannot write \(path)")
        }
        if commit {
            try git(["add", "--", relative])
            try git(["commit", "--quiet", "-m", "Comment by \(submission.name) on \(submission.post), approved", "--", relative])
        }
        try store.setStatus(.approved, file: relative, id: id)
        return relative
    }

    public func reject(id: Int64) throws {
        guard let submission = try store.submission(id: id) else {
            throw Failure(description: "not in the queue (hubsite comments list shows the numbers)")
        }
        guard submission.status == .pending else { throw Failure(description: "already \(submission.status.rawValue)") }
        try store.setStatus(.rejected, id: id)
    }

    private func git(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", contentPath] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "git \(arguments.first ?? "") failed (exit \(process.terminationStatus)); the file is written but not committed")
        }
    }
}
