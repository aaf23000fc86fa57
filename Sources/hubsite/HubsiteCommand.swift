import ArgumentParser
import CHubSiteVersion
import HubSite
import HubSiteCommandLine

@main
struct Hubsite: ParsableCommand {
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

    /// Synchronous: no command of this program is async (the servers are hubsite-server's).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            leave(Hubsite.self, after: error)
        }
    }
}
