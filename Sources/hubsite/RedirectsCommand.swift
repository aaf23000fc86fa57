import ArgumentParser
import HubSite
import HubSiteCommandLine

/// `hubsite redirects --format nginx|apache|netlify`: the site's old addresses as 301 rules
/// on standard output (docs/authors.md, Moving from Blogger).
struct RedirectsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "redirects",
        abstract: "Print HTTP 301 rules for every alias and every Blogger address of the site.")

    @Option(help: "nginx (an include for the server block), apache (.htaccess) or netlify (_redirects).")
    var format: ServerRules.Format

    @Option(help: "The content folder.")
    var content: String = "content"

    func run() throws {
        guard FolderReader.isFolder(content) else {
            Console.error("hubsite: error: content folder '\(content)' does not exist")
            Console.exit(ExitStatus.usage)
        }
        let (files, loadDiagnostics) = FolderReader.forContent.read(root: content, displayRoot: content)
        let parsed = DocumentParser().parse(SourceTree(content: files, theme: [], diagnostics: loadDiagnostics))
        let (site, diagnostics) = SiteBuilder(now: SiteBuild.clock()).build(parsed)
        guard let site, !diagnostics.hasErrors else {
            Console.exit(finish(diagnostics.sortedForReport(), strict: false))
        }
        Console.output(ServerRules.text(ServerRules.rules(for: site), format: format, site: site))
    }
}

extension ServerRules.Format: ExpressibleByArgument {}
