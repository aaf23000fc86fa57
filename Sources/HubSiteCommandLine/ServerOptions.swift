import ArgumentParser
import HubSite
import HubSiteComments

// `hubsite serve` and `hubsite comments serve` are parsed twice: by `hubsite`, which checks the
// command line and answers --help, then by `hubsite-server`, which it runs in its place and which
// holds the servers (README, "Repository layout"). One definition of their options and
// help keeps the two the same.

/// `hubsite serve`: what it says of itself, and its options.
public enum PreviewServerHelp {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Preview the site on 127.0.0.1, rebuilding and reloading open pages on every change.",
        discussion: """
            The site is built into a temporary folder (never into site/) and served at \
            http://127.0.0.1:PORT/. content/ and theme/ are watched: each change rebuilds the site \
            and reloads the pages open in the browser. When a change does not build, the errors \
            are shown in the terminal and on the page, and the last good site stays up. Ctrl-C stops.
            """)
}

public struct PreviewServerOptions: ParsableArguments {
    public init() {}

    @OptionGroup public var source: SourceOptions

    @Option(help: "The port to listen on, on 127.0.0.1 only (0: any free port).")
    public var port: Int = 8000

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }
}

/// `hubsite comments serve`: what it says of itself, and its options.
public enum CommentServiceHelp {
    public static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Take comment forms at /comments and keep them for moderation.",
        discussion: """
            Listens on 127.0.0.1 unless --host names another address; put it behind the web \
            server (docs/comments.md has an nginx location). Reads the content folder to know \
            which posts are published. With HUBSITE_MODERATION_TOKEN set, /comments/moderate?token=… \
            lists the waiting comments with Approve and Reject buttons, for requests made on \
            this machine directly. Stops on Ctrl-C or TERM.
            """)
}

public struct CommentServiceOptions: ParsableArguments {
    public init() {}

    @Option(help: "The content folder, to know the published posts.")
    public var content: String = "content"

    @OptionGroup public var queue: QueueOptions

    @Option(help: "The address to listen on (IPv4).")
    public var host: String = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port).")
    public var port: Int = 8081

    @Option(name: .customLong("min-seconds"), help: "Fewest seconds between a form's token and its sending.")
    public var minimumSeconds: Int = 3

    @Option(name: .customLong("per-hour"), help: "Submissions taken from one address in an hour.")
    public var perHour: Int = 10

    @Flag(name: .customLong("moderation-through-proxy"),
          help: "Serve the moderation page to requests through a web server too (off: only on this machine).")
    public var moderationThroughProxy = false

    public func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard minimumSeconds >= 0, perHour > 0 else { throw ValidationError("--min-seconds must be 0 or more and --per-hour 1 or more") }
        guard FolderReader.isFolder(content) else { throw ValidationError("content folder '\(content)' does not exist") }
    }
}

/// `--db`, the moderation queue, for every `comments` command.
public struct QueueOptions: ParsableArguments {
    public init() {}

    @Option(help: "The queue: an SQLite database, made if missing.")
    public var db: String = "comments.sqlite"

    public func open() -> CommentStore {
        do {
            return try CommentStore(path: db)
        } catch {
            Console.error("hubsite: error: cannot open the comment queue '\(db)': \(error)")
            Console.exit(ExitStatus.environment)
        }
    }
}

/// Runs the command `arguments` name (`hubsite-server`, whose servers are async).
public func runCommandLine<Root: ParsableCommand>(_ root: Root.Type,
                                                  _ arguments: [String] = Array(CommandLine.arguments.dropFirst())) async {
    do {
        var command = try root.parseAsRoot(arguments)
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    } catch {
        leave(root, after: error)
    }
}

/// Leaves with the exit status of docs/content.md ("When something is wrong") for an error from
/// parsing or running a command: a wrong command line is 2 (ArgumentParser would say 64).
public func leave<Root: ParsableCommand>(_ root: Root.Type, after error: Error) -> Never {
    if root.exitCode(for: error) == .validationFailure {
        Console.error(root.fullMessage(for: error))
        Console.exit(ExitStatus.usage)
    }
    root.exit(withError: error)
}
