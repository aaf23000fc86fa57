import ArgumentParser
import HubSite
import HubSiteCommandLine

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Start a new post or area profile from a filled-in template.",
        subcommands: [NewPostCommand.self, NewAreaCommand.self])
}

struct NewPostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Write content/posts/YYYY/YYYY-MM-DD-<slug>.md, dated now, as a draft.",
        discussion: """
            The file gets the title, today's date and time in the site's time zone, the tags and \
            areas given, an empty author and role for you to fill in, and `draft: true`. It prints \
            the new file's path. An existing file is never replaced.
            """)

    @Argument(help: "The post's title; its slug names the file.")
    var title: String

    @Option(name: .customLong("area"), help: "An area the post is about (a folder of content/areas/); repeat for more.")
    var areas: [String] = []

    @Option(name: .customLong("tag"), help: "A tag; repeat for more.")
    var tags: [String] = []

    @Option(help: "The content folder.")
    var content: String = "content"

    func run() throws {
        try requireContentFolder(content)
        let facts = NewContent.readFacts(contentPath: content)
        let result = NewContent.post(title: title, now: SiteBuild.clock(), tags: tags, areas: areas, facts: facts)
        create(result, contentPath: content)
        Console.error("It is a draft: preview it with `hubsite serve --drafts`, and delete the line `draft: true` when it is ready.")
    }
}

struct NewAreaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "area",
        abstract: "Write content/areas/<slug>/index.md for a new area.",
        discussion: "The profile gets the name; region and website are left blank for you to fill in.")

    @Argument(help: "The area's name, e.g. \"West Sussex\"; its slug names the folder.")
    var name: String

    @Option(help: "The content folder.")
    var content: String = "content"

    func run() throws {
        try requireContentFolder(content)
        create(NewContent.area(name: name), contentPath: content)
    }
}

private func requireContentFolder(_ path: String) throws {
    guard FolderReader.isFolder(path) else {
        throw ValidationError("content folder '\(path)' does not exist (run this in the site's folder, or give --content DIR)")
    }
}

/// Writes the new file, or reports why not and leaves with its exit status (README, "The command line").
@discardableResult
private func create(_ result: Result<NewContent.File, NewContent.Problems>, contentPath: String) -> String {
    switch result {
    case .failure(let failure):
        let problems = failure.problems
        for problem in problems { Console.error("hubsite: error: \(problem)") }
        let usage = problems.contains { if case .emptySlug = $0 { true } else { false } }
        Console.exit(usage ? ExitStatus.usage : ExitStatus.contentErrors)
    case .success(let file):
        do {
            let path = try NewContent.create(file, contentPath: contentPath)
            Console.output(path + "\n")
            return path
        } catch {
            Console.error("hubsite: error: \(error)")
            Console.exit(ExitStatus.environment)
        }
    }
}
