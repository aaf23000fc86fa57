import ArgumentParser
import Dispatch
import FlyingFox
import FlyingSocks
import Foundation
import HubSite
import HubSiteComments

/// `hubsite comments`: the comment service and its moderation (docs/comments.md).
struct CommentsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "Take readers' comments into a queue, and moderate them.",
        subcommands: [CommentsServeCommand.self, CommentsListCommand.self, CommentsShowCommand.self,
                      CommentsApproveCommand.self, CommentsRejectCommand.self])
}

struct QueueOptions: ParsableArguments {
    @Option(help: "The queue: an SQLite database, made if missing.")
    var db: String = "comments.sqlite"

    func open() -> CommentStore {
        do {
            return try CommentStore(path: db)
        } catch {
            Console.error("hubsite: error: cannot open the comment queue '\(db)': \(error)")
            Console.exit(ExitStatus.environment)
        }
    }
}

struct CommentsServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take comment forms at /comments and keep them for moderation.",
        discussion: """
            Listens on 127.0.0.1 unless --host names another address; put it behind the web \
            server (docs/comments.md has an nginx location). Reads the content folder to know \
            which posts are published. With HUBSITE_MODERATION_TOKEN set, /comments/moderate?token=… \
            lists the waiting comments with Approve and Reject buttons, for requests made on \
            this machine directly. Stops on Ctrl-C or TERM.
            """)

    @Option(help: "The content folder, to know the published posts.")
    var content: String = "content"

    @OptionGroup var queue: QueueOptions

    @Option(help: "The address to listen on (IPv4).")
    var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    var port: Int = 8081

    @Option(name: .customLong("min-seconds"), help: "Fewest seconds between a form's token and its sending.")
    var minimumSeconds: Int = 3

    @Option(name: .customLong("per-hour"), help: "Submissions taken from one address in an hour.")
    var perHour: Int = 10

    @Flag(name: .customLong("moderation-through-proxy"),
          help: "Serve the moderation page to requests through a web server too (off: only on this machine).")
    var moderationThroughProxy = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard minimumSeconds >= 0, perHour > 0 else { throw ValidationError("--min-seconds must be 0 or more and --per-hour 1 or more") }
        guard FolderReader.isFolder(content) else { throw ValidationError("content folder '\(content)' does not exist") }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let store = queue.open()
        var settings = ServiceSettings(contentPath: content)
        settings.minimumSeconds = Int64(minimumSeconds)
        settings.submissionsPerHour = perHour
        // The moderation page's token comes from the environment, never the command line (which
        // other users of the machine can read); without it the page is off.
        settings.moderationToken = ProcessInfo.processInfo.environment["HUBSITE_MODERATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        settings.moderationThroughProxy = moderationThroughProxy
        let service: CommentService
        do {
            service = try CommentService(store: store, settings: settings, clock: { SiteBuild.clock() })
        } catch {
            Console.error("hubsite: error: cannot read the comment queue '\(queue.db)': \(error)")
            Console.exit(ExitStatus.environment)
        }
        let address: sockaddr_in
        do {
            address = try sockaddr_in.inet(ip4: host, port: UInt16(port))
        } catch {
            Console.error("hubsite: error: --host '\(host)' is not an IPv4 address")
            Console.exit(ExitStatus.usage)
        }
        let server = HTTPServer(config: .init(address: address, timeout: 15, logger: .disabled),
                                handler: CommentHandler(service: service))
        for number in [SIGINT, SIGTERM] { signal(number, SIG_IGN) }
        let signals = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
            source.setEventHandler { Console.exit(0) }
            source.resume()
            return source
        }
        Task {
            for _ in 0..<500 {
                if await server.isListening, case .ip4(_, let actual)? = await server.listeningAddress {
                    Console.error("Taking comments at http://\(host):\(actual)/comments (queue: \(queue.db); Ctrl-C to stop)")
                    return
                }
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        do {
            try await server.run()
        } catch {
            if case SocketError.failed(_, let code, _) = error, code == EADDRINUSE {
                Console.error("hubsite: error: port \(port) on \(host) is in use; choose another with --port N")
            } else {
                Console.error("hubsite: error: cannot listen on \(host):\(port): \(error)")
            }
            Console.exit(ExitStatus.environment)
        }
        withExtendedLifetime(signals) {}
    }
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
