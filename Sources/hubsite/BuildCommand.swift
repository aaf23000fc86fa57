import ArgumentParser
import HubSite
import HubSiteCommandLine
#if canImport(Glibc)
import Glibc
#endif

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "Build the site into the output folder.")

    @OptionGroup var source: SourceOptions

    @OptionGroup var reporting: ReportOptions

    @Option(help: "The output folder.")
    var output: String = "site"

    @Option(help: "The build cache folder (default: .hubsite-cache beside the output folder).")
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Build from scratch: neither read nor write the cache.")
    var noCache = false

    @Flag(help: "Replace the output folder even if no hubsite build made it (what it holds is lost).")
    var force = false

    func run() throws {
        let clock = Stopwatch()
        var build = source.siteBuild()
        build.cachePath = noCache ? nil : (cache ?? SiteBuild.defaultCachePath(forOutput: output))
        let progress = ProgressBar(stopwatch: clock)
        let report: SiteBuild.Report
        do {
            report = try build.build(outputPath: output, strict: source.strict, force: force, progress: progress.update)
        } catch {
            progress.finish()
            fail(error)
        }
        progress.finish()
        let status = finish(report.diagnostics, strict: source.strict, format: reporting.format)
        if status != ExitStatus.success { Console.exit(status) }
        let time = (clock.seconds * 100).rounded() / 100
        if report.upToDate {
            Console.error("Nothing changed: \(report.pageCount.formatted) files up to date (\(time) s)")
        } else if let summary = report.summary {
            Console.error("Built \(report.pageCount.formatted) files in \(time) s "
                          + "(\(summary.written.formatted) written, \(summary.unchanged.formatted) unchanged)")
        }
    }
}

/// Wall-clock time since it was made, for messages only (never in the output).
struct Stopwatch: Sendable {
    private let start: timespec

    init() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        start = now
    }

    var seconds: Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec - start.tv_sec) + Double(now.tv_nsec - start.tv_nsec) / 1e9
    }
}

/// A one-line progress bar on standard error, shown only on a terminal and only once a build
/// has run for more than a second.
final class ProgressBar: @unchecked Sendable {
    private let stopwatch: Stopwatch
    private let unit: String
    private let enabled = isatty(2) != 0
    private var mutex = pthread_mutex_t()
    private var lastDrawn = -1.0
    private var drawn = false

    init(stopwatch: Stopwatch, unit: String = "files") {
        self.stopwatch = stopwatch
        self.unit = unit
        pthread_mutex_init(&mutex, nil)
    }

    deinit { pthread_mutex_destroy(&mutex) }

    func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let elapsed = stopwatch.seconds
        guard elapsed > 1 else { return }
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        guard elapsed - lastDrawn >= 0.1 || done == total else { return }
        lastDrawn = elapsed
        drawn = true
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Console.errorRaw("\r[\(bar)] \(done.formatted)/\(total.formatted) \(unit)")
    }

    func finish() {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if drawn { Console.errorRaw("\r\u{1B}[K") }
        drawn = false
    }
}
