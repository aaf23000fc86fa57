import Foundation
import HubSite
import Testing

/// `--format text|github|json` of `check` and `build` (README, "The command line").
@Suite("Report formats")
struct ReportFormatTests {
    private let sample = [
        Diagnostic.error(SourceLocation(path: "content/posts/a.md", line: 3, column: 7),
                         "'date' is not a date: \"50%\"; write it as YYYY-MM-DD"),
        Diagnostic.warning(SourceLocation(path: "content/posts/a,b.md", line: 4, column: 1), "unknown key 'colour'"),
        Diagnostic.note(SourceLocation(path: "content/posts/c.md", line: 4, column: 8), "draft, not published"),
    ]

    @Test("github: one workflow command per problem, with GitHub's escapes")
    func github() {
        #expect(DiagnosticFormat.github.render(sample) == """
            ::error file=content/posts/a.md,line=3,col=7::'date' is not a date: "50%25"; write it as YYYY-MM-DD
            ::warning file=content/posts/a%2Cb.md,line=4,col=1::unknown key 'colour'
            ::notice file=content/posts/c.md,line=4,col=8::draft, not published

            """)
    }

    @Test("github: a Windows line ending is escaped as two characters, in the message and the file")
    func githubLineEndings() {
        let diagnostic = Diagnostic.error(SourceLocation(path: "content/posts/a\r\nb.md", line: 1, column: 1), "one\r\ntwo")
        #expect(DiagnosticFormat.github.render([diagnostic]) == "::error file=content/posts/a%0D%0Ab.md,line=1,col=1::one%0D%0Atwo\n")
    }

    @Test("json: every field of every problem, and the counts")
    func json() throws {
        let text = DiagnosticFormat.json.render(sample)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        #expect(object["warnings"] as? Int == 1)
        let items = try #require(object["diagnostics"] as? [[String: Any]])
        #expect(items.count == 3)
        #expect(items[0]["file"] as? String == "content/posts/a.md")
        #expect(items[0]["line"] as? Int == 3)
        #expect(items[0]["column"] as? Int == 7)
        #expect(items[0]["severity"] as? String == "error")
        #expect(items[0]["message"] as? String == "'date' is not a date: \"50%\"; write it as YYYY-MM-DD")
        #expect(DiagnosticFormat.json.render([]) == "{\n  \"diagnostics\": [],\n  \"errors\": 0,\n  \"warnings\": 0\n}\n")
    }

    @Test("check and build print annotations on standard output with --format github, and exit 1")
    func commandLine() throws {
        let root = try makeTemporaryFolder()
        defer { removeFolder(root) }
        try writeFiles(["content/site.yml": defaultSettings,
                        "content/posts/a.md": post("A", date: "11/05/2009", extra: "draf: true")], under: root)
        for command in ["check", "build"] {
            let run = try CommandLineTests.run([command, "--format", "github", "--theme", TestPaths.theme.path,
                                                "--now", defaultNow], in: root)
            #expect(run.status == 1)
            #expect(run.stdout.split(separator: "\n") == [
                "::error file=content/posts/a.md,line=3,col=7::'date' is not a date: \"11/05/2009\"; write 2009-05-11 (year-month-day)",
                "::error file=content/posts/a.md,line=4,col=1::unknown key 'draf': write 'draft' (keys are spelt exactly, in lower case)",
            ])
            #expect(run.stderrLines == ["hubsite: 2 errors; nothing was written"])
        }
        let json = try CommandLineTests.run(["check", "--format", "json", "--theme", TestPaths.theme.path], in: root)
        #expect(json.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(object?["errors"] as? Int == 2)
        let wrong = try CommandLineTests.run(["check", "--format", "xml"], in: root)
        #expect(wrong.status == 2)
    }
}
