import ArgumentParser
import HubSite

@main
struct Hubsite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubsite",
        abstract: "Builds the hub's static site from Markdown content.",
        subcommands: [BuildCommand.self, CheckCommand.self, MarkdownCommand.self]
    )

    /// The SPEC's exit statuses: a wrong command line is 2 (ArgumentParser would say 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
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
