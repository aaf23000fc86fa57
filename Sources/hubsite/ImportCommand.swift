import ArgumentParser
import BloggerImport
import Foundation
import HubSite
import HubSiteCommandLine

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Bring content over from another blog.",
        subcommands: [BloggerImportCommand.self])
}

/// `hubsite import blogger EXPORT`: see docs/authors.md, Moving from Blogger.
struct BloggerImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blogger",
        abstract: "Import a Blogger export (blog-MM-DD-YYYY.xml or Takeout's feed.atom) as Markdown content.")

    @Argument(help: "The export file.")
    var export: String

    @Option(help: "The content folder to write into.")
    var content: String = "content"

    @Flag(name: .customLong("dry-run"), help: "Print what the import would do; write nothing.")
    var dryRun = false

    @Option(help: "A folder of downloaded copies of the blog's images, to serve from content/static/.")
    var images: String?

    func run() throws {
        guard let bytes = FileManager.default.contents(atPath: export).map({ [UInt8]($0) }) else {
            Console.error("hubsite: error: cannot read the export '\(export)': check the path")
            Console.exit(ExitStatus.environment)
        }
        let clock = Stopwatch()
        let readProgress = ProgressBar(stopwatch: clock, unit: "KB of the export read")
        let read = BloggerExport.read(bytes, path: export) { done, total in
            readProgress.update(done: done / 1024, total: max(total / 1024, 1))
        }
        readProgress.finish()
        let parsed: BloggerExport
        switch read {
        case .success(let value): parsed = value
        case .failure(let diagnostic):
            Console.error(diagnostic.description)
            Console.error("hubsite: the export could not be read; nothing was written")
            Console.exit(ExitStatus.contentErrors)
        }

        var downloaded: [String: [UInt8]] = [:]
        if let images {
            do {
                downloaded = try ImportFiles.images(in: images)
            } catch {
                Console.error("hubsite: error: cannot read the images folder '\(images)'")
                Console.exit(ExitStatus.environment)
            }
        }
        let files = ImportFiles(contentPath: content)
        let convertProgress = ProgressBar(stopwatch: clock, unit: "posts and pages converted")
        let settings = files.read("site.yml").flatMap { bytes in
            DocumentParser().parse(SourceTree(content: [SourceFile(relativePath: "site.yml", displayPath: "site.yml", bytes: bytes)],
                                              theme: [])).settings
        }
        let plan = ImportPlanner(images: downloaded, hasSettings: files.exists("site.yml"), rawHTML: settings?.rawHTML ?? false)
            .plan(parsed, progress: convertProgress.update)
        convertProgress.finish()

        let manifest = files.manifest()
        var existing: [String: [UInt8]?] = [:]
        for file in plan.files { existing[file.path] = files.read(file.path) }
        let decisions = ImportDecision.decide(plan.files, existing: existing, manifest: manifest)

        for diagnostic in plan.diagnostics.sortedForReport() { Console.error(diagnostic.description) }
        var counts: [ImportAction: Int] = [:]
        for (file, action) in decisions {
            counts[action, default: 0] += 1
            guard action != .unchanged else { continue }
            let shown = (content as NSString).appendingPathComponent(file.path)
            switch action {
            case .keepEdited, .keepOther:
                Console.error("\(shown): warning: \(action.rawValue): not overwritten; the export's version differs")
            case .keepDeleted:
                Console.error("\(shown): warning: removed since the last import: not written again")
            default:
                Console.output("\(dryRun ? "would \(action.rawValue)" : action.rawValue) \(shown)\n")
            }
        }

        if !dryRun {
            let writes = decisions.filter { $0.action.writes }.map(\.file)
            let nextManifest = ImportDecision.manifest(after: decisions, previous: manifest)
            if !writes.isEmpty || nextManifest != manifest {
                do {
                    try files.write(writes, manifest: nextManifest)
                } catch {
                    Console.error("hubsite: error: writing into '\(content)' failed: \(error.localizedDescription)")
                    Console.exit(ExitStatus.environment)
                }
            }
        }
        Console.error(summary(parsed, plan, counts))
    }

    private func summary(_ export: BloggerExport, _ plan: ImportPlan, _ counts: [ImportAction: Int]) -> String {
        let skipped = plan.skipped.values.reduce(0, +)
        let reasons = plan.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        let created = counts[.create, default: 0], updated = counts[.update, default: 0]
        let kept = counts[.keepEdited, default: 0] + counts[.keepOther, default: 0] + counts[.keepDeleted, default: 0]
        return "\(dryRun ? "Would import" : "Imported") from the \(export.format == .classic ? "classic Blogger" : "Takeout") export: "
            + "\(plan.posts) posts (\(plan.drafts) drafts), \(plan.pages) pages, \(plan.comments) comments; "
            + "skipped \(skipped)\(reasons.isEmpty ? "" : " (\(reasons))"); \(plan.remoteImages) remote images; "
            + "files: \(created) \(dryRun ? "to create" : "created"), \(updated) \(dryRun ? "to update" : "updated"), "
            + "\(counts[.unchanged, default: 0]) unchanged, \(kept) kept as they are"
    }
}
