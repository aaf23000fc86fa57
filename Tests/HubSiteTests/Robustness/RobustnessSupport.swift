import Foundation
import HubSite
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Nothing an author, a reader or a crash can do breaks the hub: the fuzz corpus replayed,
/// hostile content, big and deep inputs, builds killed at random moments and builds run
/// together. The suites that start `hubsite` need the executable built (`swift build`, or
/// `swift test`, which builds every product); they run one test at a time, as their timings
/// matter. Run them alone with `swift test --disable-xctest --filter Robustness`.
@Suite("Robustness", .serialized)
enum Robustness {}

/// What the robustness tests share: where things are, a child process with a time and memory
/// limit, snapshots of folders, and sites made to measure.
enum Robust {
    /// `Tests/HubSiteTests/Robustness`
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let packageRoot = folder.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let theme = packageRoot.appendingPathComponent("theme")
    static let fuzzCorpus = packageRoot.appendingPathComponent("Fuzz/corpus")
    static let fuzzRegressions = packageRoot.appendingPathComponent("Fuzz/regressions")

    /// The `hubsite` executable of this build. `swift test` builds every product of the package
    /// into the folder that holds the test binary, so it is looked for there first (whatever the
    /// scratch path or sanitizer), then in the usual scratch folders. Run `swift build` (or
    /// `swift test`, which builds it) before running the tests some other way.
    static let executable: URL? = {
        var folders: [URL] = []
        if let own = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: own).deletingLastPathComponent())
        }
        if let bundle = Bundle.main.executableURL { folders.append(bundle.deletingLastPathComponent()) }
        folders.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for scratch in [".build", ".build-robust"] {
            folders.append(packageRoot.appendingPathComponent(scratch).appendingPathComponent("debug"))
        }
        return folders.map { $0.appendingPathComponent("hubsite") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    static func hubsite() throws -> URL {
        try #require(executable, "no hubsite executable beside the tests: run `swift build` first")
    }

    // MARK: Folders

    /// A fresh temporary folder; remove it with `remove`.
    static func temporaryFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hubsite-robust-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func remove(_ url: URL) {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `relative path -> bytes` under a folder.
    static func write(_ files: [String: [UInt8]], under folder: URL) throws {
        for (path, bytes) in files {
            let url = folder.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
        }
    }

    static func write(_ files: [String: String], under folder: URL) throws {
        try write(files.mapValues { Array($0.utf8) }, under: folder)
    }

    /// Every entry below a folder, hidden ones included, by relative path: a file's bytes, or
    /// nil for a folder. Symbolic links are not followed (the output never holds any).
    static func snapshot(_ root: URL) -> [String: Data?] {
        var result: [String: Data?] = [:]
        func walk(_ relative: String) {
            let path = relative.isEmpty ? root.path : root.path + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names {
                let child = relative.isEmpty ? name : relative + "/" + name
                var info = stat()
                guard lstat(root.path + "/" + child, &info) == 0 else { continue }
                if info.st_mode & S_IFMT == S_IFDIR {
                    result[child] = .some(nil)
                    walk(child)
                } else {
                    result[child] = Robust.read(root.path + "/" + child).map { Data($0) } ?? Data([0xFF, 0x00])
                }
            }
        }
        walk("")
        return result
    }

    /// Paths that differ between two snapshots, for a readable failure.
    static func differences(_ actual: [String: Data?], _ expected: [String: Data?], limit: Int = 8) -> [String] {
        var lines: [String] = []
        for path in Set(actual.keys).union(expected.keys).sorted() {
            switch (actual[path], expected[path]) {
            case (nil, _): lines.append("missing \(path)")
            case (_, nil): lines.append("extra \(path)")
            case let (a?, e?) where a != e: lines.append("different \(path)")
            default: break
            }
            if lines.count == limit { lines.append("..."); break }
        }
        return lines
    }

    /// A file's bytes, read with plain POSIX calls. (Foundation's readers leak a buffer on empty
    /// files, which LeakSanitizer reports under `swift test --sanitize=address`.)
    static func read(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    static func readText(_ path: String) -> String? {
        read(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The entries of a folder, hidden ones included, sorted.
    static func entries(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    // MARK: Sites made to measure

    static let settings = """
    title: Robust Hub
    tagline: Content that tries to break the hub
    base_url: https://example.org/hub/
    comment_note: Please include your name and organisation when you post a comment.

    """

    /// A site of `posts` posts over several months, with tags, areas, snippets and comments:
    /// about `posts * 1.3` pages. `variant` changes some bodies and titles, adds some posts
    /// and drops others, so two variants differ in new, changed and removed files.
    static func site(posts: Int, variant: Int) -> [String: String] {
        var files: [String: String] = ["site.yml": settings]
        for area in ["herts", "essex", "kent"] {
            files["areas/\(area)/index.md"] = "---\nname: \(area.capitalized)\nregion: East\n---\nAbout \(area).\n"
            files["areas/\(area)/2009-01-0\(variant + 1)-plan.md"] =
                "---\ntitle: Plan \(variant)\ndate: 2009-01-0\(variant + 1)\n---\nThe plan, version \(variant).\n"
        }
        files["pages/about.md"] = "---\ntitle: About\n---\nAbout the hub, version \(variant).\n"
        for index in 0..<posts {
            // Variant 1 drops every 7th post and adds a few of its own.
            if variant == 1 && index % 7 == 3 { continue }
            let month = 1 + index % 12
            let day = 1 + (index / 12) % 28
            let date = String(format: "2009-%02d-%02d %02d:%02d", month, day, index % 24, index % 60)
            let changed = variant == 1 && index % 5 == 0
            let tags = ["NI\(index % 9)", "Third Sector", "Topic \(index % 23)"]
            files["posts/2009/post-\(index).md"] = """
            ---
            title: Post \(index)\(changed ? " (revised)" : "")
            date: \(date)
            author: Author \(index % 11)
            tags: [\(tags.joined(separator: ", "))]
            areas: [\(["herts", "essex", "kent"][index % 3])]
            ---
            Paragraph one of post \(index)\(changed ? ", revised" : ""). \(String(repeating: "Words about the area. ", count: 20))

            ## Section

            - a point
            - another point

            """
            if index % 4 == 0 {
                files["comments/post-\(index)/01.md"] =
                    "---\nname: Reader \(index)\norganisation: Group \(index % 5)\ndate: 2009-12-01 10:00\n---\nThanks.\n"
            }
        }
        if variant == 1 {
            for extra in 0..<5 {
                files["posts/2010/new-\(extra).md"] = "---\ntitle: New \(extra)\ndate: 2009-12-2\(extra)\n---\nNew post.\n"
            }
        }
        return files
    }
}

/// A child process run with `posix_spawn`, so that a test can kill it at a chosen moment and
/// read its peak memory, and never waits for it longer than it said.
final class ChildProcess {
    let pid: pid_t
    let outputPath: String
    let errorPath: String
    private(set) var finished: Outcome?

    enum Outcome: Equatable {
        /// Exit status.
        case exited(Int32)
        /// Killed by a signal (by the test, or a crash).
        case signalled(Int32)
        /// Killed by the test after the time limit.
        case timedOut
        /// Killed by the test when its memory passed the limit.
        case memoryExceeded(megabytes: Int)
    }

    struct Result {
        var outcome: Outcome
        var seconds: Double
        /// Peak resident memory, as last seen in /proc (0 for a child that ended within milliseconds).
        var peakMegabytes: Int
        var stdout: String
        var stderr: String
    }

    private let started: Double

    /// Starts `executable` with `arguments`; standard input comes from `input`, standard output
    /// and error go to files in `io`.
    init(_ executable: URL, _ arguments: [String], io: URL, input: String = "/dev/null",
         environment extra: [String: String] = [:]) throws {
        let tag = UUID().uuidString
        outputPath = io.appendingPathComponent("stdout-\(tag)").path
        errorPath = io.appendingPathComponent("stderr-\(tag)").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var environment = ProcessInfo.processInfo.environment
        // A crash should end the child at once, not after a symbolicated backtrace.
        environment["SWIFT_BACKTRACE"] = "enable=no"
        // Under `swift test --sanitize=...` the child is instrumented too: its reports must not
        // pass for exit status 1 (content errors), the sanitizers' default.
        for (name, code) in [("ASAN_OPTIONS", 86), ("TSAN_OPTIONS", 87)] {
            environment[name] = (environment[name].map { $0 + ":" } ?? "") + "exitcode=\(code)"
        }
        for (key, value) in extra { environment[key] = value }
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable.path, &actions, nil, argv, envp)
        guard status == 0 else {
            throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO)
        }
        self.pid = pid
        started = ChildProcess.now()
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Reaps the child if it has ended; true when it has.
    @discardableResult
    func poll() -> Bool {
        if finished != nil { return true }
        var status: Int32 = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return false }
        let signal = status & 0x7F
        finished = signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
        return true
    }

    func kill(_ signal: Int32 = SIGKILL) {
        if finished == nil { Glibc.kill(pid, signal) }
    }

    /// Waits for the end, killing the child when it passes `seconds` or `megabytes` of memory.
    func wait(seconds limit: Double, megabytes memoryLimit: Int = 8192) -> Result {
        var forced: Outcome?
        var peak = 0
        while !poll() {
            if let (resident, highWater) = memory() {
                peak = max(peak, highWater)
                if forced == nil && resident > memoryLimit { forced = .memoryExceeded(megabytes: resident) }
            }
            if forced == nil && ChildProcess.now() - started > limit { forced = .timedOut }
            if forced != nil { kill() }
            usleep(forced == nil ? 5_000 : 1_000)
        }
        let elapsed = ChildProcess.now() - started
        let stdout = Robust.readText(outputPath) ?? ""
        let stderr = Robust.readText(errorPath) ?? ""
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
        return Result(outcome: forced ?? finished!, seconds: elapsed, peakMegabytes: peak, stdout: stdout, stderr: stderr)
    }

    /// Resident memory now and its high-water mark, in megabytes, from /proc. (The kernel's
    /// `ru_maxrss` is no use here: it keeps the test process's size across the spawn.)
    private func memory() -> (resident: Int, highWater: Int)? {
        guard let text = Robust.readText("/proc/\(pid)/status") else { return nil }
        func field(_ name: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 / 1024 }
        }
        guard let resident = field("VmRSS") else { return nil }
        return (resident, field("VmHWM") ?? resident)
    }

    deinit {
        // Never leave a child behind, whatever the test did.
        if finished == nil {
            Glibc.kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }
}

extension ChildProcess.Result {
    var status: Int32? {
        if case .exited(let status) = outcome { return status }
        return nil
    }

    var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

    /// Exit 0, or exit 1 with located errors and nothing from a sanitizer: how a build may end.
    var endedNormally: Bool {
        if stderr.contains("Sanitizer") || stderr.contains("Fatal error") { return false }
        switch status {
        case 0: return true
        case 1:
            let errors = stderrLines.filter { $0.contains(": error: ") }
            return !errors.isEmpty && errors.allSatisfy(Self.isLocatedDiagnostic)
        default: return false
        }
    }

    /// `path:line:col: severity: message`, with line and column from 1.
    static func isLocatedDiagnostic(_ line: String) -> Bool {
        guard let match = line.wholeMatch(of: /([^\n]+?):([0-9]+):([0-9]+): (error|warning|note): .+/),
              let lineNumber = Int(match.output.2), let column = Int(match.output.3) else { return false }
        return !match.output.1.isEmpty && lineNumber >= 1 && column >= 1
    }

    var summary: String {
        "\(outcome) after \(String(format: "%.2f", seconds)) s, peak \(peakMegabytes) MB; stderr: \(stderr.prefix(2000))"
    }
}
