import ArgumentParser
import HubSite
#if canImport(Glibc)
import Glibc
#endif

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into the output folder.")

    @OptionGroup var source: SourceOptions

    @Option(help: "The output folder.")
    var output: String = "site"

    func run() throws {
        var start = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        let report: SiteBuild.Report
        do {
            report = try source.siteBuild().build(outputPath: output, strict: source.strict)
        } catch {
            fail(error)
        }
        let status = finish(report.diagnostics, strict: source.strict)
        if status != ExitStatus.success { Console.exit(status) }
        if let summary = report.summary {
            var end = timespec()
            clock_gettime(CLOCK_MONOTONIC, &end)
            let seconds = Double(end.tv_sec - start.tv_sec) + Double(end.tv_nsec - start.tv_nsec) / 1e9
            let time = (seconds * 100).rounded() / 100
            Console.error("Built \(report.pageCount.formatted) files in \(time) s (\(summary.written.formatted) written, \(summary.unchanged.formatted) unchanged)")
        }
    }
}

extension Int {
    /// 10032 -> "10,032".
    var formatted: String {
        let digits = String(abs(self))
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (self < 0 ? "-" : "") + groups.joined(separator: ",")
    }
}
