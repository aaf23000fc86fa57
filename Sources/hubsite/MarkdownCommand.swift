import ArgumentParser
import HubSite
import HubSiteCommandLine
#if canImport(Glibc)
import Glibc
#endif

struct MarkdownCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "markdown",
        abstract: "Render Markdown from standard input to HTML on standard output, as a post body renders.")

    @Flag(name: .customLong("raw-html"), help: "Keep raw HTML, as posts do when site.yml sets raw_html: true.")
    var rawHTML = false

    func run() throws {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(0, &chunk, chunk.count)
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        let file = SourceFile(relativePath: "stdin.md", displayPath: "<stdin>", bytes: bytes)
        switch SourceText.decode(file) {
        case .failure(let diagnostic):
            Console.error(diagnostic.description)
            Console.exit(ExitStatus.contentErrors)
        case .success(let text):
            let source = MarkdownSource(text: text.text, firstLine: 1, displayPath: "<stdin>", relativePath: "stdin.md")
            let body = BodyRenderer.render(source, context: BodyContext(allowRawHTML: rawHTML))
            Console.output(body.html())
        }
    }
}
