import Foundation
import HubSite
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension Robustness {
    /// Builds killed with SIGKILL at random moments, and builds started together on one output
    /// folder, run with the real `hubsite` executable (`swift build` makes it; `swift test` too).
    ///
    /// Two versions of one site, A and B, differ in new, changed and removed files. The output
    /// folder starts as a complete A; each round builds the other version into it and kills the
    /// build at a random moment between its start and a little after a whole build's time. The
    /// output must then be exactly the old site or exactly the new one: the same paths, folders
    /// included, and the same bytes. Set `HUBSITE_KILL_SEED` to replay a run's delays.
    @Suite("interrupted and concurrent builds", .serialized)
    struct InterruptionTests {
        static let now = "2010-01-01T00:00:00Z"
        static let kills = 40
        static let posts = 120

        struct Workspace {
            let root: URL
            let contents: [URL]
            let output: URL
            /// Clean builds of A and B.
            let expected: [[String: Data?]]
            /// Seconds a build over the other version takes (the middle of three).
            let buildSeconds: Double

            var temporary: URL { root.appendingPathComponent(".site.hubsite-tmp") }
            var retired: URL { root.appendingPathComponent(".site.hubsite-old") }

            func arguments(_ version: Int, output: URL? = nil) -> [String] {
                ["build", "--content", contents[version].path, "--theme", Robust.theme.path,
                 "--output", (output ?? self.output).path, "--now", InterruptionTests.now]
            }

            /// Which version the output folder holds, if it is exactly one of them.
            func state() -> Int? {
                let snapshot = Robust.snapshot(output)
                return expected.firstIndex { $0 == snapshot }
            }

            func describeState() -> String {
                let snapshot = Robust.snapshot(output)
                return "versus A: \(Robust.differences(snapshot, expected[0])); versus B: \(Robust.differences(snapshot, expected[1]))"
            }
        }

        /// Writes A and B, builds each cleanly for reference, then A, B and A again into the
        /// output. The caller removes `root`; a failure here removes it itself.
        static func workspace(_ label: String) throws -> Workspace {
            let hubsite = try Robust.hubsite()
            let root = try Robust.temporaryFolder(label)
            var ready = false
            defer { if !ready { Robust.remove(root) } }
            var contents: [URL] = []
            for version in 0..<2 {
                let content = root.appendingPathComponent("content-\(version == 0 ? "a" : "b")")
                try Robust.write(Robust.site(posts: posts, variant: version), under: content)
                contents.append(content)
            }
            let output = root.appendingPathComponent("site")
            var expected: [[String: Data?]] = []
            var seconds = 0.0
            for version in 0..<2 {
                let reference = root.appendingPathComponent("reference")
                let partial = Workspace(root: root, contents: contents, output: output, expected: [], buildSeconds: 0)
                let result = try ChildProcess(hubsite, partial.arguments(version, output: reference), io: root).wait(seconds: 300)
                try #require(result.status == 0, "reference build failed: \(result.summary)")
                expected.append(Robust.snapshot(reference))
                seconds = max(seconds, result.seconds)
                Robust.remove(reference)
                Robust.remove(root.appendingPathComponent(".reference.hubsite-lock"))
            }
            #expect(expected[0] != expected[1])
            var workspace = Workspace(root: root, contents: contents, output: output, expected: expected, buildSeconds: seconds)
            // A → B → A over the same output (the cache beside it in use), as the builds that the
            // tests kill work; the middle time of the three is the build time.
            var times: [Double] = []
            for version in [0, 1, 0] {
                let result = try ChildProcess(hubsite, workspace.arguments(version), io: root).wait(seconds: 300)
                try #require(result.status == 0, "build of \(version) failed: \(result.summary)")
                try #require(workspace.state() == version, "the build differs from a clean one: \(workspace.describeState())")
                times.append(result.seconds)
            }
            seconds = times.sorted()[1]
            workspace = Workspace(root: root, contents: contents, output: output, expected: expected, buildSeconds: seconds)
            ready = true
            return workspace
        }

        @Test("SIGKILL at random moments leaves the old site or the new one, complete; the next build cleans up",
              .timeLimit(.minutes(20)))
        func killedBuilds() throws {
            let hubsite = try Robust.hubsite()
            let space = try Self.workspace("kill")
            defer { Robust.remove(space.root) }

            let seed = ProcessInfo.processInfo.environment["HUBSITE_KILL_SEED"].flatMap { UInt64($0) }
                ?? UInt64(truncatingIfNeeded: Int64(ChildProcess.now() * 1000))
            var random = SeededGenerator(state: seed)
            var current = 0
            var landed = (old: 0, new: 0, finished: 0, leftovers: 0, checks: 0)
            // How long a build takes now; the builds left alone below keep it up to date.
            var estimate = space.buildSeconds
            for attempt in 0..<Self.kills {
                let target = 1 - current
                // Spread over the whole build, and a little past it, to catch the swap and the cleanup.
                let delay = Double.random(in: 0...(estimate * 1.15), using: &random)
                let child = try ChildProcess(hubsite, space.arguments(target), io: space.root)
                usleep(useconds_t(delay * 1_000_000))
                let ranToEnd = child.poll()
                child.kill(SIGKILL)
                let result = child.wait(seconds: 300)
                let finished = ranToEnd || result.status != nil
                if finished {
                    landed.finished += 1
                    #expect(result.status == 0, "attempt \(attempt): \(result.summary)")
                } else {
                    #expect(result.outcome == .signalled(SIGKILL), "attempt \(attempt): \(result.summary)")
                }
                guard let state = space.state() else {
                    Issue.record("""
                        attempt \(attempt) (seed \(seed)), killed after \(String(format: "%.3f", delay)) s: \
                        the output is neither the old site nor the new one: \(space.describeState())
                        """)
                    return
                }
                if finished && state != target {
                    Issue.record("attempt \(attempt): the build ended well but the output is not the new site")
                }
                if state == current { landed.old += 1 } else { landed.new += 1 }
                if FileManager.default.fileExists(atPath: space.temporary.path) { landed.leftovers += 1 }
                current = state
                // Now and then a build left alone must give the other site exactly: a killed build
                // may leave nothing (a temporary folder, a cache) that misleads the next one.
                if attempt % 4 == 3 {
                    let check = try ChildProcess(hubsite, space.arguments(1 - current), io: space.root).wait(seconds: 300)
                    #expect(check.status == 0, "attempt \(attempt), build after the kill: \(check.summary)")
                    guard space.state() == 1 - current else {
                        Issue.record("attempt \(attempt) (seed \(seed)): the build after the kill gave \(space.describeState())")
                        return
                    }
                    current = 1 - current
                    landed.checks += 1
                    estimate = check.seconds
                }
            }
            print("robustness figure: \(Self.kills) SIGKILLs (seed \(seed)) over builds of "
                  + "\(String(format: "%.2f", space.buildSeconds)) s: \(landed.old) left the old site, \(landed.new) the new one "
                  + "(\(landed.finished) had finished); \(landed.leftovers) left a temporary folder; "
                  + "\(landed.checks) builds after a kill gave the right site")

            // A leftover of a killed build, made for certain, goes with the next build.
            try FileManager.default.createDirectory(at: space.temporary.appendingPathComponent("stale/folder"),
                                                    withIntermediateDirectories: true)
            try Data("stale".utf8).write(to: space.temporary.appendingPathComponent("stale/folder/index.html"))
            let target = 1 - current
            let result = try ChildProcess(hubsite, space.arguments(target), io: space.root).wait(seconds: 300)
            #expect(result.status == 0, "\(result.summary)")
            #expect(space.state() == target, "\(space.describeState())")
            #expect(!FileManager.default.fileExists(atPath: space.temporary.path), "the temporary folder is still there")
            #expect(!FileManager.default.fileExists(atPath: space.retired.path))
        }

        @Test("a build swaps its site in while a reader holds files and folders of the old one open", .timeLimit(.minutes(10)))
        func swapWithOpenFiles() throws {
            // A publish step reading the site holds files and folders open: the swap must not care.
            let hubsite = try Robust.hubsite()
            let space = try Self.workspace("open-files")
            defer { Robust.remove(space.root) }
            let held = open(space.output.appendingPathComponent("index.html").path, O_RDONLY)
            let folder = opendir(space.output.appendingPathComponent("tags").path)
            defer {
                if held >= 0 { close(held) }
                if let folder { closedir(folder) }
            }
            let result = try ChildProcess(hubsite, space.arguments(1), io: space.root).wait(seconds: 300)
            #expect(result.status == 0, "\(result.summary)")
            #expect(space.state() == 1, "\(space.describeState())")
        }

        @Test("builds started together on one output folder: each either succeeds or fails with exit 3 and a clear message",
              .timeLimit(.minutes(20)))
        func concurrentBuilds() throws {
            let hubsite = try Robust.hubsite()
            let space = try Self.workspace("concurrent")
            defer { Robust.remove(space.root) }
            let rounds = 12
            var refused = 0
            var bothSucceeded = 0
            for round in 0..<rounds {
                // Round 0 starts both at once; later rounds start the second later and later in
                // the first's run, the last ones after it.
                let offset = space.buildSeconds * 1.2 * Double(round) / Double(rounds)
                // The first build has work to do (the other site); the second asks for the site as
                // it was, so it too has work once the first has swapped its site in.
                let current = try #require(space.state(), "round \(round): \(space.describeState())")
                let versions = [1 - current, current]
                let first = try ChildProcess(hubsite, space.arguments(versions[0]), io: space.root)
                usleep(useconds_t(offset * 1_000_000))
                let second = try ChildProcess(hubsite, space.arguments(versions[1]), io: space.root)
                let results = [first.wait(seconds: 300), second.wait(seconds: 300)]
                let state = space.state()
                #expect(state != nil, "round \(round): a mix: \(space.describeState())")
                for (index, result) in results.enumerated() {
                    switch result.status {
                    case 0: break
                    case 3:
                        refused += 1
                        #expect(result.stderr.contains("is locked by another build"), "round \(round): \(result.stderr)")
                        #expect(result.stderr.contains(".site.hubsite-lock"), "round \(round): the message names no lock file: \(result.stderr)")
                        #expect(result.stderrLines.count == 1, "round \(round): \(result.stderr)")
                        // The refused build wrote nothing: the output is the other build's site.
                        #expect(state == versions[1 - index], "round \(round): the refused build changed the output")
                    default:
                        Issue.record("round \(round), build \(index): \(result.summary)")
                    }
                }
                if results.allSatisfy({ $0.status == 0 }) { bothSucceeded += 1 }
                #expect(!FileManager.default.fileExists(atPath: space.temporary.path), "round \(round): temporary folder left")
            }
            print("robustness figure: \(rounds) rounds of two builds at once: \(refused) refused with exit 3, \(bothSucceeded) rounds where both ran in turn")
            #expect(refused > 0, "the builds never overlapped: nothing was tested")
        }

        @Test("four builds at once: at most one writes at a time, and the output is a complete site", .timeLimit(.minutes(10)))
        func manyBuildsAtOnce() throws {
            let hubsite = try Robust.hubsite()
            let space = try Self.workspace("many")
            defer { Robust.remove(space.root) }
            let children = try (0..<4).map { try ChildProcess(hubsite, space.arguments($0 % 2), io: space.root) }
            let results = children.map { $0.wait(seconds: 300) }
            for result in results {
                #expect(result.status == 0 || result.status == 3, "\(result.summary)")
            }
            #expect(results.contains { $0.status == 0 })
            #expect(space.state() != nil, "\(space.describeState())")
        }
    }
}
