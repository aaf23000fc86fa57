import ArgumentParser
import Dispatch
import FlyingFox
import FlyingSocks
import Foundation
import HubSite
import HubSiteCommandLine

struct ServeCommand: AsyncParsableCommand {
    static let configuration = PreviewServerHelp.configuration

    @OptionGroup var options: PreviewServerOptions

    var source: SourceOptions { options.source }
    var port: Int { options.port }

    func run() async throws {
        for (label, folder) in [("content", source.content), ("theme", source.theme)] where !FolderReader.isFolder(folder) {
            Console.error("hubsite: error: \(label) folder '\(folder)' does not exist")
            Console.exit(ExitStatus.usage)
        }
        signal(SIGPIPE, SIG_IGN)
        Self.raiseDescriptorLimit()
        let scratch = try Self.makeScratchFolder()
        let reload = LiveReload()

        // Listen first, so that a port in use is reported before any work.
        let failure = ServerFailure()
        let server = try Self.startServer(port: UInt16(port), handler: nil, failure: failure)
        let actualPort = try await Self.waitUntilListening(server, failure: failure) { error in
            Self.removeScratch(scratch)
            if case SocketError.failed(_, let code, _) = error, code == EADDRINUSE {
                Console.error("hubsite: error: port \(port) on 127.0.0.1 is in use; stop the program using it, or choose another with --port N")
            } else if case SocketError.failed(_, let code, _) = error, code == EACCES {
                Console.error("hubsite: error: not allowed to listen on port \(port); choose one above 1023 with --port N")
            } else {
                Console.error("hubsite: error: cannot listen on 127.0.0.1:\(port): \(error)")
            }
            Console.exit(ExitStatus.environment)
        }

        let address = "http://127.0.0.1:\(actualPort)/"
        let baseURL = source.baseURL ?? address
        let basePath = BaseURL(baseURL)?.path ?? "/"
        let builder = PreviewBuilder(source: source, baseURL: baseURL, outputPath: scratch + "/site", reload: reload)
        let handler = PreviewHandler(siteRoot: scratch + "/site", basePath: basePath, reload: reload, port: actualPort)
        await server.appendRoute("*", to: handler)

        Self.stopOnSignals(builder: builder, server: server, scratch: scratch)
        if let usage = await builder.firstBuild() {
            Self.removeScratch(scratch)
            if case .usage(let message) = usage { Console.error("hubsite: error: \(message)") }
            Console.exit(ExitStatus.usage)
        }

        let watcher = FolderWatcher(roots: [source.content, source.theme]) { changes in
            builder.rebuild(after: changes)
        }
        do {
            try watcher.start()
        } catch {
            Console.error("hubsite: warning: \(error); pages will not rebuild on their own")
        }
        let shown = address + String(basePath.dropFirst())
        Console.error("Serving \(shown) (watching \(source.content)/ and \(source.theme)/; Ctrl-C to stop)")
        if !source.drafts {
            Console.error("Drafts are hidden; run `hubsite serve --drafts` to see them.")
        }

        // Until Ctrl-C (which exits) or the server fails.
        while true {
            try await Task.sleep(for: .milliseconds(250))
            if let error = failure.error, Self.ranOutOfDescriptors(error) {
                // A flood of connections took every file descriptor and the server stopped
                // accepting: its connections are dropped with it, and a new one takes over.
                Console.error("hubsite: warning: more connections than this process can hold; dropped them all and listening again")
                try await Task.sleep(for: .milliseconds(100))
                failure.reset()
                let replacement = try Self.startServer(port: actualPort, handler: handler, failure: failure)
                withExtendedLifetime(replacement) {}
                continue
            }
            if let error = failure.error {
                Self.removeScratch(scratch)
                Console.error("hubsite: error: the server stopped: \(error)")
                Console.exit(ExitStatus.environment)
            }
            withExtendedLifetime(watcher) {}
        }
    }

    // MARK: - Start and stop

    /// A server on 127.0.0.1:`port`, running in a task of its own; its end goes to `failure`.
    private static func startServer(port: UInt16, handler: PreviewHandler?, failure: ServerFailure) throws -> HTTPServer {
        let server = HTTPServer(config: .init(address: try sockaddr_in.inet(ip4: "127.0.0.1", port: port),
                                              timeout: 30, logger: .disabled))
        Task {
            if let handler { await server.appendRoute("*", to: handler) }
            do {
                try await server.run()
            } catch {
                failure.record(error)
            }
        }
        return server
    }

    /// Whether the server stopped because the process (or system) had no descriptor left.
    static func ranOutOfDescriptors(_ error: Error) -> Bool {
        if case SocketError.failed(_, let code, _) = error { return code == EMFILE || code == ENFILE }
        return false
    }

    /// Lets the process hold as many connections as the hard limit allows.
    private static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 65_536)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// Waits for the server to listen and returns its port, or hands its error to `failed`.
    private static func waitUntilListening(_ server: HTTPServer, failure: ServerFailure,
                                           failed: (Error) -> Never) async throws -> UInt16 {
        for _ in 0..<1000 {
            if let error = failure.error { failed(error) }
            if await server.isListening, let address = await server.listeningAddress {
                switch address {
                case .ip4(_, let port), .ip6(_, let port): return port
                case .unix: break
                }
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        failed(ServerFailure.Timeout())
    }

    /// Ctrl-C (or a TERM): let a running build finish, remove the temporary folder, leave.
    /// A second Ctrl-C leaves at once.
    private static func stopOnSignals(builder: PreviewBuilder, server: HTTPServer, scratch: String) {
        let queue = DispatchQueue(label: "hubsite.signals")
        let stopping = ServerFailure()
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                if stopping.error != nil { Console.exit(130) }
                stopping.record(ServerFailure.Stopping())
                Console.error("\nStopping...")
                builder.stop {
                    removeScratch(scratch)
                    Console.error("Stopped.")
                    Console.exit(ExitStatus.success)
                }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []

    /// A fresh private folder for the preview's builds, e.g. `/tmp/hubsite-serve-Ab12Cd`.
    private static func makeScratchFolder() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast()) + Array("hubsite-serve-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            Console.error("hubsite: error: cannot make a temporary folder in \(base): \(String(cString: strerror(errno)))")
            Console.exit(ExitStatus.environment)
        }
        return String(cString: made)
    }

    static func removeScratch(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The first error the server task met (or the fact of stopping), shared between tasks.
final class ServerFailure: @unchecked Sendable {
    struct Timeout: Error, CustomStringConvertible {
        var description: String { "the server did not start listening within 10 seconds" }
    }
    struct Stopping: Error {}

    private let lock = NSLock()
    private var stored: Error?

    var error: Error? { lock.withLock { stored } }

    func record(_ error: Error) {
        lock.withLock { if stored == nil { stored = error } }
    }

    func reset() {
        lock.withLock { stored = nil }
    }
}
