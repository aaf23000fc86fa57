import Foundation
import HubSite
import Testing

extension Robustness {
    /// The fuzz target's corpus and every input it ever crashed on (`Fuzz/corpus`,
    /// `Fuzz/regressions`), replayed through the same harness on each test run: as the fuzzer ran
    /// them (first byte = role), and their file bytes in every role.
    @Suite("fuzz corpus and regressions")
    struct FuzzRegressionTests {
        static func inputs(_ folder: URL) -> [String] {
            Robust.entries(folder).filter { !$0.hasPrefix(".") && $0 != "README.md" }
        }

        static let regressions = inputs(Robust.fuzzRegressions)
        static let corpus = inputs(Robust.fuzzCorpus)

        /// The harness's checks, in this process.
        static func replay(_ url: URL) throws {
            let bytes = try #require(Robust.read(url.path), "cannot read \(url.path)")
            let asFuzzed = FuzzHarness.problems(fuzzInput: bytes)
            #expect(asFuzzed.isEmpty, "\(url.lastPathComponent): \(asFuzzed)")
            let everyRole = FuzzHarness.problems(Array(bytes.dropFirst()))
            #expect(everyRole.isEmpty, "\(url.lastPathComponent): \(everyRole)")
        }

        /// The harness's site written to disk and built by `hubsite` in a child process, so that
        /// an input that still crashes the generator fails this test instead of ending the run.
        /// True when the build ended normally (exit 0, or exit 1 with its errors).
        static func buildsWithoutCrash(_ bytes: [UInt8], as role: FuzzHarness.Role, name: String) throws -> Bool {
            let hubsite = try Robust.hubsite()
            let root = try Robust.temporaryFolder("regression")
            defer { Robust.remove(root) }
            let tree = FuzzHarness.tree(bytes, as: role)
            try Robust.write(Dictionary(uniqueKeysWithValues: tree.content.map { ($0.relativePath, $0.bytes) }),
                             under: root.appendingPathComponent("content"))
            try Robust.write(Dictionary(uniqueKeysWithValues: tree.theme.map { ($0.relativePath, $0.bytes) }),
                             under: root.appendingPathComponent("theme"))
            let child = try ChildProcess(hubsite, ["build", "--content", root.appendingPathComponent("content").path,
                                                   "--theme", root.appendingPathComponent("theme").path,
                                                   "--output", root.appendingPathComponent("site").path,
                                                   "--now", FuzzHarness.options.now ?? "2010-01-01T00:00:00Z"], io: root)
            let result = child.wait(seconds: 30, megabytes: 3072)
            guard result.endedNormally else {
                Issue.record("\(name) as a \(role) (\(role.path)): hubsite build \(result.summary)")
                return false
            }
            return true
        }

        @Test("inputs that once broke the generator stay fixed", arguments: regressions)
        func regression(name: String) throws {
            let url = Robust.fuzzRegressions.appendingPathComponent(name)
            let bytes = try #require(Robust.read(url.path), "cannot read \(url.path)")
            let fuzzedRole = FuzzHarness.role(selector: bytes.first ?? 0)
            var survived = try Self.buildsWithoutCrash(Array(bytes.dropFirst()), as: fuzzedRole, name: name)
            for role in FuzzHarness.Role.allCases where survived {
                survived = try Self.buildsWithoutCrash(Array(bytes.dropFirst()), as: role, name: name)
            }
            guard survived else { return }
            try Self.replay(url)
        }

        @Test("the seed corpus goes through every role", arguments: corpus)
        func seed(name: String) throws {
            try Self.replay(Robust.fuzzCorpus.appendingPathComponent(name))
        }

        @Test("the fuzz harness's fixed site is valid and renders in every role")
        func harnessBaseline() {
            let result = Pipeline.generate(FuzzHarness.tree(Array(FuzzHarness.settings.utf8), as: .settings),
                                           options: FuzzHarness.options)
            #expect(result.files != nil, "\(result.diagnostics.map(\.description))")
            #expect(!result.diagnostics.contains { $0.severity != .note }, "\(result.diagnostics.map(\.description))")
            let valid: [FuzzHarness.Role: String] = [
                .post: FuzzHarness.hubPost, .comment: FuzzHarness.comment, .snippet: FuzzHarness.snippet,
                .area: FuzzHarness.area, .page: FuzzHarness.page, .settings: FuzzHarness.settings,
            ]
            for (role, text) in valid {
                let result = Pipeline.generate(FuzzHarness.tree(Array(text.utf8), as: role), options: FuzzHarness.options)
                #expect(result.files != nil, "\(role): \(result.diagnostics.map(\.description))")
                #expect(FuzzHarness.problems(Array(text.utf8), as: role).isEmpty)
            }
        }

        @Test("every regression and corpus input is small enough for the fuzzer's -max_len")
        func sizes() throws {
            for (folder, names) in [(Robust.fuzzRegressions, Self.regressions), (Robust.fuzzCorpus, Self.corpus)] {
                for name in names {
                    let size = try #require(Robust.read(folder.appendingPathComponent(name).path)).count
                    #expect(size <= 65536, "\(name): \(size) bytes")
                }
            }
        }
    }
}
