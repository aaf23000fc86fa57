import ArgumentParser
import HubSite
import HubSiteCommandLine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Validate the content and theme; write nothing.")

    @OptionGroup var source: SourceOptions

    @OptionGroup var reporting: ReportOptions

    func run() throws {
        let report: SiteBuild.Report
        do {
            report = try source.siteBuild().check()
        } catch {
            fail(error)
        }
        let status = finish(report.diagnostics, strict: source.strict, format: reporting.format)
        if status != ExitStatus.success { Console.exit(status) }
        Console.error("Checked: no errors")
    }
}
