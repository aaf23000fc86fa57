import Foundation
import HubSite
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension Robustness {
    /// Inputs that are too big, too deep or not files at all, built by the real `hubsite` in a
    /// child process under a time limit and a memory limit, so that a hang, a blow-up or a crash
    /// (a stack overflow, say) fails one test instead of the whole run. Each one must give a safe
    /// site (exit 0) or located errors (exit 1), never a signal, a time-out or a memory blow-up.
    ///
    /// The limits are generous on purpose: about ten times what a debug build of `hubsite` needs
    /// on a 2-core machine, and several times that again under the sanitizers.
    @Suite("big, deep and strange inputs", .serialized)
    struct BigInputTests {
        /// Seconds and megabytes a child may take.
        static let timeLimit = 90.0
        static let memoryLimit = 3072

        struct Outcome {
            var result: ChildProcess.Result
            var site: URL
        }

        /// Writes `files` as `content/` next to the real theme and runs `hubsite build` on it.
        static func build(_ label: String, _ files: [String: [UInt8]], seconds: Double = timeLimit,
                          extraSetup: (URL) throws -> Void = { _ in }, check body: (Outcome) throws -> Void) throws {
            let hubsite = try Robust.hubsite()
            let root = try Robust.temporaryFolder(label)
            defer { Robust.remove(root) }
            let content = root.appendingPathComponent("content")
            var all = files
            if all["site.yml"] == nil { all["site.yml"] = Array(Robust.settings.utf8) }
            try Robust.write(all, under: content)
            try extraSetup(content)
            let site = root.appendingPathComponent("site")
            let child = try ChildProcess(hubsite, ["build", "--content", content.path, "--theme", Robust.theme.path,
                                                   "--output", site.path, "--now", "2010-01-01T00:00:00Z"], io: root)
            let result = child.wait(seconds: seconds, megabytes: memoryLimit)
            let bytes = all.values.reduce(0) { $0 + $1.count }
            print("robustness figure: \(label): \(bytes) bytes of content -> \(result.outcome) in \(String(format: "%.2f", result.seconds)) s, peak \(result.peakMegabytes) MB")
            try body(Outcome(result: result, site: site))
        }

        static func text(_ files: [String: String]) -> [String: [UInt8]] { files.mapValues { Array($0.utf8) } }

        /// Exit 0 with safe pages, or exit 1 with located errors and nothing written.
        static func expectSafeOrLocated(_ outcome: Outcome, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
            let result = outcome.result
            switch result.outcome {
            case .exited(0):
                var pages = 0
                let enumerator = FileManager.default.enumerator(atPath: outcome.site.path)
                while let path = enumerator?.nextObject() as? String {
                    guard path.hasSuffix(".html") || path.hasSuffix(".xml") else { continue }
                    guard let bytes = Robust.read(outcome.site.appendingPathComponent(path).path) else { continue }
                    let file = OutputFile(path: path, bytes: bytes, origin: path)
                    let problems = HostileContentTests.unsafeParts(file)
                    #expect(problems.isEmpty, "\(path): \(problems.prefix(5))", sourceLocation: sourceLocation)
                    pages += 1
                }
                #expect(pages > 0, "exit 0 but no pages", sourceLocation: sourceLocation)
            case .exited(1):
                let errors = result.stderrLines.filter { $0.contains(": error: ") }
                #expect(!errors.isEmpty, "exit 1 without an error line: \(result.stderr.prefix(500))", sourceLocation: sourceLocation)
                for line in errors {
                    #expect(ChildProcess.Result.isLocatedDiagnostic(line), "not a located error: \(line)", sourceLocation: sourceLocation)
                }
                #expect(!FileManager.default.fileExists(atPath: outcome.site.path), "a failed build wrote the site",
                        sourceLocation: sourceLocation)
            default:
                Issue.record("hubsite build: \(result.summary)", sourceLocation: sourceLocation)
            }
            #expect(!result.stderr.contains("Backtrac") && !result.stderr.contains("Fatal error")
                        && !result.stderr.contains("Sanitizer"),
                    "a stack trace: \(result.stderr.prefix(500))", sourceLocation: sourceLocation)
        }

        static func post(_ title: String = "Big", extra: String = "", body: String) -> String {
            "---\ntitle: \(title)\ndate: 2009-05-11 09:30\n\(extra)---\n\(body)\n"
        }

        // MARK: Size

        @Test("a 1 MB line in a post body, in a comment and in a title", .timeLimit(.minutes(5)))
        func overlongLines() throws {
            let line = String(repeating: "word ", count: 200_000) // 1,000,000 bytes
            let token = String(repeating: "x", count: 1_000_000)  // one 1 MB word
            try Self.build("overlong-lines", Self.text([
                "posts/long.md": Self.post(body: line + "\n\n" + token + "\n\n[link](https://example.org/\(token))"),
                "posts/title.md": "---\ntitle: \(token)\ndate: 2009-05-12\n---\nShort.\n",
                "comments/long/1.md": "---\nname: Reader\norganisation: Group\ndate: 2009-05-13\n---\n\(line)\n",
            ])) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
            }
        }

        @Test("a post of 100,000 words", .timeLimit(.minutes(5)))
        func hundredThousandWords() throws {
            var body = ""
            for paragraph in 0..<1_000 {
                body += "Paragraph \(paragraph): " + String(repeating: "local area agreement *news* ", count: 33) + "\n\n"
                if paragraph % 50 == 0 { body += "## Section \(paragraph)\n\n" }
            }
            try Self.build("hundred-thousand-words", Self.text(["posts/words.md": Self.post(body: body)])) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
            }
        }

        /// Linear work would take a few seconds; a whole minute means something grows faster.
        @Test("a post with 10,000 tags", .timeLimit(.minutes(5)))
        func tenThousandTags() throws {
            let tags = (0..<10_000).map { "tag \($0)" }.joined(separator: ", ")
            try Self.build("ten-thousand-tags", Self.text(["posts/tags.md": Self.post(extra: "tags: [\(tags)]\n", body: "Tagged.")]),
                           seconds: 60) { outcome in
                Self.expectSafeOrLocated(outcome)
            }
        }

        // MARK: Depth

        @Test("block quotes and lists nested 10,000 deep, and deep inline nesting", .timeLimit(.minutes(5)))
        func deepMarkdown() throws {
            let depth = 10_000
            let brackets = MarkdownLimits.bracketsPerParagraph
            let emphasis = String(repeating: "*a ", count: depth) + "b" + String(repeating: " a*", count: depth)
            try Self.build("deep-markdown", Self.text([
                "posts/quotes.md": Self.post("Quotes", body: String(repeating: "> ", count: depth) + "deep quote"),
                "posts/bullets.md": Self.post("Bullets", body: String(repeating: "- ", count: depth) + "deep item"),
                "posts/ordered.md": Self.post("Ordered", body: String(repeating: "1. ", count: depth) + "deep item"),
                "posts/indented.md": Self.post("Indented", body: (0..<200).map { String(repeating: "  ", count: $0) + "- item \($0)" }
                    .joined(separator: "\n")),
                "posts/mixed.md": Self.post("Mixed", body: String(repeating: "> - ", count: depth / 2) + "mixed"),
                "posts/emphasis.md": Self.post("Emphasis", body: emphasis),
                "posts/heading.md": Self.post("Heading", body: "## " + emphasis),
                // Brackets nest as deep as one paragraph may hold them (docs/security.md); one more
                // is a located error, tested with the other review findings.
                "posts/links.md": Self.post("Links", body: String(repeating: "*[", count: brackets) + "x"
                    + String(repeating: "](https://example.org/)*", count: brackets)),
                "posts/brackets.md": Self.post("Brackets", body: String(repeating: "[", count: brackets) + "x"
                    + String(repeating: "](https://example.org/)", count: brackets)),
                "comments/quotes/1.md": "---\nname: R\norganisation: G\ndate: 2009-05-13\n---\n"
                    + String(repeating: "> - ", count: depth / 2) + "in a comment\n",
            ])) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
            }
        }

        static let nestedImageCases: [String: String] = [
            "nested-images": "![![x](https://example.org/a.png)](https://example.org/b.png)",
            "link-in-image": "![[x](https://example.org/)](https://example.org/a.png)",
            "deep-images": String(repeating: "![", count: MarkdownLimits.bracketsPerParagraph) + "x"
                + String(repeating: "](https://example.org/y.png)", count: MarkdownLimits.bracketsPerParagraph),
        ]

        @Test("images inside image descriptions, and links inside them, in posts and comments", .timeLimit(.minutes(5)),
              arguments: nestedImageCases.keys.sorted())
        func imagesInImages(name: String) throws {
            let markdown = Self.nestedImageCases[name] ?? ""
            try Self.build(name, Self.text([
                "posts/images.md": Self.post("Images", body: markdown + "\n\nMore."),
                "comments/images/1.md": "---\nname: R\norganisation: G\ndate: 2009-05-13\n---\n\(markdown)\n",
            ])) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 0, "\(outcome.result.summary)")
            }
        }

        @Test("front matter nested 10,000 deep and a YAML alias bomb", .timeLimit(.minutes(5)))
        func deepFrontMatter() throws {
            let depth = 10_000
            let sequences = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            let mappings = String(repeating: "{a: ", count: depth) + "x" + String(repeating: "}", count: depth)
            var bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
            for level in 1...9 {
                bomb += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
            }
            try Self.build("deep-front-matter", Self.text([
                "posts/sequences.md": "---\ntitle: Deep\ndate: 2009-05-11\ntags: \(sequences)\n---\nBody.\n",
                "posts/mappings.md": "---\ntitle: Deep\ndate: 2009-05-11\nsummary: \(mappings)\n---\nBody.\n",
                "posts/bomb.md": "---\n\(bomb)title: *a9\ndate: 2009-05-11\ntags: *a9\n---\nBody.\n",
            ])) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 1, "\(outcome.result.summary)")
            }
        }

        @Test("NUL bytes and YAML escapes of control characters never reach a page or a feed", .timeLimit(.minutes(5)))
        func controlCharacters() throws {
            let escapes = #"\0 \x01 \x02 \x03 \x1B \x7F \x85 \uFFFE \uFFFF \x08"#
            try Self.build("control-characters", [
                "posts/nul.md": Array("---\ntitle: Nul\u{0}title\ndate: 2009-05-11\n---\nBody \u{0} with \u{1}\u{2}\u{3} holes.\n".utf8),
                "posts/escapes.md": Array("---\ntitle: \"Escapes \(escapes)\"\ndate: 2009-05-12\nauthor: \"\(escapes)\"\ntags: [\"tag \(escapes)\"]\nsummary: \"\(escapes)\"\n---\nBody.\n".utf8),
                "comments/escapes/1.md": Array("---\nname: \"N \(escapes)\"\norganisation: \"O \(escapes)\"\ndate: 2009-05-13\n---\nHi.\n".utf8),
            ]) { outcome in
                Self.expectSafeOrLocated(outcome)
                guard outcome.result.status == 0 else { return }
                let enumerator = FileManager.default.enumerator(atPath: outcome.site.path)
                while let path = enumerator?.nextObject() as? String {
                    guard path.hasSuffix(".html") || path.hasSuffix(".xml") else { continue }
                    let text = Robust.readText(outcome.site.appendingPathComponent(path).path) ?? ""
                    let forbidden = text.unicodeScalars.filter { scalar in
                        let value = scalar.value
                        return (value < 0x20 && value != 0x09 && value != 0x0A && value != 0x0D)
                            || (0x7F...0x9F).contains(value) || value == 0xFFFE || value == 0xFFFF
                    }
                    #expect(forbidden.isEmpty,
                            "\(path) holds characters XML and HTML forbid: \(Set(forbidden.map { String(format: "U+%04X", $0.value) }).sorted())")
                }
            }
        }

        // MARK: Not files

        @Test("symbolic links in content/ (to a file outside, to a folder outside, in a loop) are located errors; nothing is read or written",
              .timeLimit(.minutes(5)))
        func symbolicLinks() throws {
            let outside = try Robust.temporaryFolder("outside")
            defer { Robust.remove(outside) }
            try Robust.write(["secret.md": "---\ntitle: Secret\ndate: 2009-05-11\n---\nTOP SECRET\n",
                              "static/secret.txt": "TOP SECRET\n"], under: outside)
            try Self.build("symlinks", Self.text(["posts/ok.md": Self.post(body: "Fine.")]), extraSetup: { content in
                let links: [(String, String)] = [
                    ("posts/outside.md", outside.appendingPathComponent("secret.md").path),
                    ("posts/outside-folder", outside.path),
                    ("static", outside.appendingPathComponent("static").path),
                    ("posts/loop", "."),
                    ("posts/self-loop.md", "self-loop.md"),
                    ("posts/a.md", "b.md"),
                    ("posts/b.md", "a.md"),
                    ("posts/dangling.md", "/nonexistent/nowhere.md"),
                ]
                for (path, target) in links {
                    try FileManager.default.createSymbolicLink(atPath: content.appendingPathComponent(path).path,
                                                               withDestinationPath: target)
                }
            }) { outcome in
                Self.expectSafeOrLocated(outcome)
                #expect(outcome.result.status == 1, "\(outcome.result.summary)")
                #expect(!outcome.result.stderr.contains("TOP SECRET"))
                for path in ["posts/outside.md", "posts/outside-folder", "static", "posts/loop", "posts/self-loop.md",
                             "posts/a.md", "posts/b.md", "posts/dangling.md"] {
                    let lines = outcome.result.stderrLines.filter { $0.contains("/content/\(path):") && $0.contains(": error: ") }
                    #expect(lines.count == 1, "\(path): \(outcome.result.stderr.prefix(1500))")
                    #expect(lines.allSatisfy(ChildProcess.Result.isLocatedDiagnostic))
                }
            }
        }

        @Test("a FIFO in content/ does not hang the build", .timeLimit(.minutes(2)))
        func fifo() throws {
            try Self.build("fifo", Self.text(["posts/ok.md": Self.post(body: "Fine.")]), extraSetup: { content in
                #expect(mkfifo(content.appendingPathComponent("posts/pipe.md").path, 0o644) == 0)
            }) { outcome in
                Self.expectSafeOrLocated(outcome)
            }
        }
    }
}
