import ArgumentParser
import Foundation
import HubSite
import HubSiteCommandLine
import HubSiteComments

/// `hubsite comments`: the comment service and its moderation (docs/comments.md). The service
/// itself runs in `hubsite-server` (ServerCommands.swift).
struct CommentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "Take readers' comments into a queue, and moderate them.",
        subcommands: [CommentsServeCommand.self, CommentsListCommand.self, CommentsShowCommand.self,
                      CommentsApproveCommand.self, CommentsRejectCommand.self])
}

struct CommentsListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the comments waiting for moderation.")

    @OptionGroup var queue: QueueOptions

    @Option(help: "text or json.")
    var format: String = "text"

    @Flag(help: "List approved and rejected comments too.")
    var all = false

    func validate() throws {
        guard ["text", "json"].contains(format) else { throw ValidationError("--format must be text or json") }
    }

    func run() throws {
        let store = queue.open()
        let submissions: [Submission]
        do {
            submissions = try store.submissions(status: all ? nil : .pending)
        } catch {
            Console.error("hubsite: error: cannot read the comment queue '\(queue.db)': \(error)")
            Console.exit(ExitStatus.environment)
        }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.output(String(decoding: (try? encoder.encode(submissions)) ?? Data("[]".utf8), as: UTF8.self) + "\n")
            return
        }
        if submissions.isEmpty { Console.error(all ? "The queue is empty." : "No comments are waiting.") }
        for submission in submissions {
            let words = submission.comment.split(whereSeparator: \.isWhitespace).prefix(12).joined(separator: " ")
            Console.output("\(submission.id)\t\(submission.status.rawValue)\t\(submission.post)\t\(submission.name) (\(submission.organisation))\t\(words)\n")
        }
    }
}

struct CommentsShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one comment whole.")

    @OptionGroup var queue: QueueOptions

    @Argument(help: "The comment's number, as list shows it.")
    var id: Int64

    func run() throws {
        let store = queue.open()
        guard let submission = try? store.submission(id: id) else {
            Console.error("hubsite: error: no comment \(id) in '\(queue.db)' (hubsite comments list shows their numbers)")
            Console.exit(ExitStatus.usage)
        }
        Console.output("""
            Comment \(submission.id) (\(submission.status.rawValue))
            Post:         \(submission.post)
            Name:         \(submission.name)
            Organisation: \(submission.organisation)
            Received:     \(Approval.isoDate(submission.received)) from \(submission.address)
            \(submission.file.map { "File:         \($0)\n" } ?? "")
            \(submission.comment)

            """)
    }
}

struct CommentsApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Publish comments: each becomes content/comments/<post>/<date>-<name>.md for the next build.")

    @OptionGroup var queue: QueueOptions

    @Option(help: "The content folder.")
    var content: String = "content"

    @Flag(help: "Commit each new file with git.")
    var commit = false

    @Argument(help: "The comments' numbers.")
    var ids: [Int64]

    func run() throws {
        let moderation = Moderation(store: queue.open(), contentPath: content)
        moderateEach(ids) { id in
            let file = try moderation.approve(id: id, commit: commit)
            return "approved \(id): \(content)/\(file)"
        }
    }
}

struct CommentsRejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reject", abstract: "Turn comments down; they stay in the queue, marked rejected.")

    @OptionGroup var queue: QueueOptions

    @Argument(help: "The comments' numbers.")
    var ids: [Int64]

    func run() throws {
        let moderation = Moderation(store: queue.open(), contentPath: "")
        moderateEach(ids) { id in
            try moderation.reject(id: id)
            return "rejected \(id)"
        }
    }
}

/// Runs `action` on every comment named, reporting each outcome; one that fails is reported and
/// the rest still run, and the command then exits with the environment status.
private func moderateEach(_ ids: [Int64], _ action: (Int64) throws -> String) {
    var failed = false
    for id in ids {
        do {
            Console.error(try action(id))
        } catch {
            Console.error("hubsite: error: comment \(id): \(error)")
            failed = true
        }
    }
    if failed { Console.exit(ExitStatus.environment) }
}
