import ArgumentParser
import CHubSiteVersion
import HubSite

@main
struct Hubsite: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubsite",
        abstract: "Builds the hub's static site from Markdown content.",
        version: versionLine,
        subcommands: [BuildCommand.self, CheckCommand.self, ServeCommand.self, NewCommand.self, MarkdownCommand.self,
                      CommentsCommand.self, ImportCommand.self, RedirectsCommand.self]
    )

    /// What `hubsite --version` prints: "hubsite 0.9.0 (commit 1a2b3c4d5e6f)", or
    /// "(development build)" when built without scripts/package.
    static let versionLine: String = {
        let version = String(cString: hubsite_version())
        let commit = String(cString: hubsite_commit())
        return "hubsite \(version) (\(commit.isEmpty ? "development build" : "commit \(commit)"))"
    }()

    /// The exit statuses of docs/content.md ("When something is wrong"): a wrong command line
    /// is 2 (ArgumentParser would say 64).
    /// `serve` is async; the other commands run as they are.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                Console.error(fullMessage(for: error))
                Console.exit(ExitStatus.usage)
            }
            exit(withError: error)
        }
    }
}
