import ArgumentParser
import HubSite
#if canImport(Glibc)
import Glibc
#endif

/// The exit statuses of docs/content.md ("When something is wrong").
public enum ExitStatus {
    public static let success: Int32 = 0
    public static let contentErrors: Int32 = 1
    public static let usage: Int32 = 2
    public static let environment: Int32 = 3
}

/// Standard output and error, written straight to their file descriptors.
public enum Console {
    public static func error(_ text: String) {
        write(2, text.hasSuffix("\n") ? text : text + "\n")
    }

    /// Writes as it is, without a line break (for the progress bar).
    public static func errorRaw(_ text: String) {
        write(2, text)
    }

    public static func output(_ text: String) {
        write(1, text)
    }

    private static func write(_ descriptor: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            bytes = bytes.dropFirst(count)
        }
    }

    public static func exit(_ code: Int32) -> Never { Glibc.exit(code) }
}

public struct SourceOptions: ParsableArguments {
    public init() {}

    @Option(help: "The content folder.")
    public var content: String = "content"

    @Option(help: "The theme folder.")
    public var theme: String = "theme"

    @Option(name: .customLong("base-url"), help: "Publish under this URL instead of site.yml's base_url.")
    public var baseURL: String?

    @Flag(help: "Publish drafts too.")
    public var drafts = false

    @Option(help: "Build as if it were this moment (ISO 8601), for scheduled posts.")
    public var now: String?

    @Flag(help: "Treat warnings as errors.")
    public var strict = false

    public func validate() throws {
        if let now, case .failure = Moment.Reading.parse(now) {
            throw ValidationError("--now '\(now)' is not a date; write e.g. 2009-05-11 or 2009-05-11T09:30+01:00")
        }
        if let baseURL, BaseURL(baseURL) == nil {
            throw ValidationError("--base-url '\(Diagnostic.oneLine(baseURL))' is not an absolute http or https URL; write e.g. https://www.myhertslaa.net/")
        }
    }

    public func siteBuild() -> SiteBuild {
        SiteBuild(contentPath: content, themePath: theme,
                  options: BuildOptions(baseURLOverride: baseURL, includeDrafts: drafts, now: now,
                                        clock: SiteBuild.clock(), themeRoot: theme))
    }
}

extension DiagnosticFormat: ExpressibleByArgument {}

/// `--format` of `check` and `build`.
public struct ReportOptions: ParsableArguments {
    public init() {}

    @Option(help: "How to print problems: text (path:line:col lines on standard error), github (GitHub Actions annotations on standard output) or json (on standard output).")
    public var format: DiagnosticFormat = .text
}

/// Prints diagnostics, then leaves with the status they call for. Text goes to standard error
/// as docs/content.md says; annotations and JSON are for programs, on standard output.
public func finish(_ diagnostics: [Diagnostic], strict: Bool, format: DiagnosticFormat = .text) -> Int32 {
    if format == .text {
        for diagnostic in diagnostics { Console.error(diagnostic.description) }
    } else {
        Console.output(format.render(diagnostics))
    }
    let errors = diagnostics.filter { $0.severity == .error }.count
    let warnings = diagnostics.filter { $0.severity == .warning }.count
    if errors > 0 || (strict && warnings > 0) {
        var parts: [String] = []
        if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
        if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
        Console.error("hubsite: \(parts.joined(separator: " and ")); nothing was written")
        return ExitStatus.contentErrors
    }
    return ExitStatus.success
}

public func fail(_ failure: SiteBuild.Failure) -> Never {
    switch failure {
    case .usage:
        Console.error("hubsite: error: \(failure)")
        Console.exit(ExitStatus.usage)
    case .environment:
        Console.error("hubsite: error: \(failure)")
        Console.exit(ExitStatus.environment)
    }
}
