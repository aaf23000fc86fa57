import Dispatch
import HubSite
import HubSiteCommandLine
#if canImport(Glibc)
import Glibc
#endif

/// Builds the preview into its temporary folder, one build at a time, off the threads that
/// answer requests. A failed build leaves the last good site in place (the write stage's
/// promise) and puts its errors in the terminal and on the page.
final class PreviewBuilder: @unchecked Sendable {
    private let source: SourceOptions
    private let baseURL: String
    let outputPath: String
    private let reload: LiveReload
    private let queue = DispatchQueue(label: "hubsite.build")
    private var builds = 0

    init(source: SourceOptions, baseURL: String, outputPath: String, reload: LiveReload) {
        self.source = source
        self.baseURL = baseURL
        self.outputPath = outputPath
        self.reload = reload
    }

    /// Builds now and waits; returns whether it succeeded, or the usage problem that makes
    /// serving pointless (a missing folder at the start).
    func firstBuild() async -> SiteBuild.Failure? {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.build(reason: nil))
            }
        }
    }

    /// Rebuilds after the watcher saw changes.
    func rebuild(after changes: [String]) {
        queue.async {
            _ = self.build(reason: changes)
        }
    }

    /// Runs `body` once no build is running, then stops builds for good (for shutting down).
    func stop(then body: @escaping @Sendable () -> Void) {
        queue.async {
            body()
            self.queue.suspend()
        }
    }

    /// On the queue. The usage failure is returned for the first build only.
    private func build(reason changes: [String]?) -> SiteBuild.Failure? {
        builds += 1
        let first = changes == nil
        let start = Self.monotonicSeconds()
        var build = source.siteBuild() // reads the clock afresh: scheduled posts appear on time
        build.options.baseURLOverride = baseURL
        // The preview shows posts scheduled for later too, under a banner that says so.
        build.options.previewScheduled = true
        // Beside the preview, in its temporary folder: an edit to a post's body re-renders only
        // the pages that show it.
        build.cachePath = SiteBuild.defaultCachePath(forOutput: outputPath)
        let report: SiteBuild.Report
        do {
            report = try build.build(outputPath: outputPath, strict: source.strict)
        } catch {
            let message = "hubsite: error: \(error)"
            Console.error(Self.stamp() + message)
            reload.finished(ok: false, errors: [message])
            if first, case .usage = error { return error }
            return nil
        }
        let seconds = ((Self.monotonicSeconds() - start) * 100).rounded() / 100
        // Notes (drafts, scheduled posts) are worth reading once, not after every save.
        let shown = report.diagnostics.filter { first || $0.severity != .note }
        let problems = report.diagnostics.filter { $0.severity == .error || (source.strict && $0.severity == .warning) }
        let what = first ? "Built" : "\(Self.describe(changes ?? [])) changed; rebuilt"
        if report.summary != nil || report.upToDate {
            for diagnostic in shown { Console.error(diagnostic.description) }
            let counts = report.summary.map { " (\($0.written) written, \($0.unchanged) unchanged)" } ?? " (nothing changed)"
            Console.error(Self.stamp() + "\(what) in \(seconds) s" + counts)
            reload.finished(ok: true, errors: [])
        } else {
            for diagnostic in shown { Console.error(diagnostic.description) }
            let errors = report.diagnostics.filter { $0.severity == .error }.count
            let warnings = report.diagnostics.filter { $0.severity == .warning }.count
            var counts = "\(errors) error\(errors == 1 ? "" : "s")"
            if source.strict && warnings > 0 { counts += ", \(warnings) warning\(warnings == 1 ? "" : "s") (--strict)" }
            let tail = reload.snapshot.hasSite ? "still serving the last good site" : "nothing to serve until it builds"
            Console.error(Self.stamp() + "\(first ? "Build" : what.replacingOccurrences(of: "rebuilt", with: "rebuild")) failed: \(counts); \(tail)")
            reload.finished(ok: false, errors: problems.map(\.description))
        }
        return nil
    }

    private static func describe(_ changed: [String]) -> String {
        // Editors and tools write temporary files beside the real one: name what is left.
        let existing = changed.filter { access($0, F_OK) == 0 }
        let paths = existing.isEmpty ? changed : existing
        guard let first = paths.first else { return "something" }
        return paths.count == 1 ? first : "\(first) and \(paths.count - 1) more"
    }

    static func monotonicSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// `[14:03:07] `: the local time, so a long-running terminal reads as a log.
    static func stamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "[\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))] "
    }
}
