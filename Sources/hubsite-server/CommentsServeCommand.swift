import ArgumentParser
import Dispatch
import FlyingFox
import FlyingSocks
import Foundation
import HubSite
import HubSiteCommandLine
import HubSiteCommentService
import HubSiteComments

/// `hubsite comments serve`: the comment service (docs/comments.md); the queue's other commands
/// are `hubsite`'s own.
struct CommentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "comments",
        abstract: "Take readers' comments into a queue.",
        subcommands: [CommentsServeCommand.self])
}

struct CommentsServeCommand: AsyncParsableCommand {
    static let configuration = CommentServiceHelp.configuration

    @OptionGroup var options: CommentServiceOptions

    var content: String { options.content }
    var queue: QueueOptions { options.queue }
    var host: String { options.host }
    var port: Int { options.port }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)
        let store = queue.open()
        var settings = ServiceSettings(contentPath: content)
        settings.minimumSeconds = Int64(options.minimumSeconds)
        settings.submissionsPerHour = options.perHour
        // The moderation page's token comes from the environment, never the command line (which
        // other users of the machine can read); without it the page is off.
        settings.moderationToken = ProcessInfo.processInfo.environment["HUBSITE_MODERATION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        settings.moderationThroughProxy = options.moderationThroughProxy
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
        let (host, db) = (host, queue.db)
        Task {
            for _ in 0..<500 {
                if await server.isListening, case .ip4(_, let actual)? = await server.listeningAddress {
                    Console.error("Taking comments at http://\(host):\(actual)/comments (queue: \(db); Ctrl-C to stop)")
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
