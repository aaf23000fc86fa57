import ArgumentParser
import HubSiteCommandLine

/// `hubsite-server`: the preview server and the comment service, which `hubsite serve` and
/// `hubsite comments serve` become (Sources/hubsite/ServerCommands.swift says why). It takes the
/// same command line, so it calls itself `hubsite` in its help and its messages.
@main
struct HubsiteServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubsite",
        abstract: "The preview server and the comment service of hubsite (run as hubsite serve and hubsite comments serve).",
        subcommands: [ServeCommand.self, CommentsCommand.self]
    )

    static func main() async {
        await runCommandLine(HubsiteServer.self)
    }
}
