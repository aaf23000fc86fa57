import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HubSite

/// Whatever the cache lets a build skip, the site it leaves must be the site a clean build
/// makes. A seeded series of random edits to a copy of the hub fixture; after each, a build
/// with the cache into a kept output folder is compared byte for byte with a clean build.
@Suite("Build cache")
struct CacheEquivalenceTests {
    enum Edit: CaseIterable {
        case nothing, addPost, changeBody, changeOpening, changeBodyLinks, deletePost, renamePost, retag, moveArea,
             changeSettings, changeTemplate, touchOnly,
             // Front matter of one post, and the other kinds of content.
             retitle, redate, addSnippet, changeSnippet, changeAreaProfile, addComment, changePage
    }

    let now = "2010-01-01T00:00:00Z"

    @Test("after each of a series of random edits, the cached build equals a clean build", .timeLimit(.minutes(5)))
    func randomEdits() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        let theme = scratch.appendingPathComponent("theme")
        try copyFolder(TestPaths.sites.appendingPathComponent("hub/content"), to: content)
        try copyFolder(TestPaths.theme, to: theme)
        let kept = scratch.appendingPathComponent("out/site")
        let cache = scratch.appendingPathComponent("out/cache")

        var random = SeededGenerator(state: 20_091_105)
        var upToDateBuilds = 0
        var incrementalBuilds = 0
        var editsMade: [Edit] = []
        for step in 0..<60 {
            let edit = step == 0 ? Edit.nothing : Edit.allCases.randomElement(using: &random) ?? .nothing
            try apply(edit, step: step, content: content, theme: theme, random: &random)
            editsMade.append(edit)

            let cached = SiteBuild(contentPath: content.path, themePath: theme.path,
                                   options: BuildOptions(now: now, themeRoot: theme.path), cachePath: cache.path)
            let report = try cached.build(outputPath: kept.path, strict: false)
            #expect(!report.diagnostics.hasErrors, "step \(step) \(edit): \(report.diagnostics)")
            if report.upToDate { upToDateBuilds += 1 }
            if report.incremental { incrementalBuilds += 1 }

            let clean = scratch.appendingPathComponent("clean-\(step)")
            var fresh = cached
            fresh.cachePath = nil
            _ = try fresh.build(outputPath: clean.path, strict: false)
            let differences = Fixtures.differences(actual: try fileTree(kept), expected: try fileTree(clean))
            #expect(differences.isEmpty, "step \(step) after \(edit): \(differences.prefix(5))")
            removeFolder(clean)
        }
        // The series must have exercised every path: skipped builds, incremental ones and full ones.
        #expect(upToDateBuilds > 0, "\(editsMade)")
        #expect(incrementalBuilds > 0, "\(editsMade)")
        #expect(upToDateBuilds + incrementalBuilds < editsMade.count, "\(editsMade)")
    }

    @Test("a cached build notices a scheduled post falling due, and a hand-edited output")
    func scheduleAndOutput() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        try copyFolder(TestPaths.sites.appendingPathComponent("hub/content"), to: content)
        let output = scratch.appendingPathComponent("site")
        func build(now: String) throws -> SiteBuild.Report {
            try SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path,
                          options: BuildOptions(now: now, themeRoot: "theme"),
                          cachePath: scratch.appendingPathComponent("cache").path)
                .build(outputPath: output.path, strict: false)
        }
        #expect(try build(now: "2009-07-01T00:00:00Z").upToDate == false)
        #expect(try build(now: "2009-07-01T00:00:00Z").upToDate == true)
        #expect(try build(now: "2009-07-02T00:00:00Z").upToDate == true) // nothing falls due in between
        // The fixture schedules a post for 2009-07-15: from then on the site is different.
        let due = try build(now: "2009-07-16T00:00:00Z")
        #expect(due.upToDate == false)
        #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("2009/07/coming-soon/index.html").path))
        try Data("changed by hand".utf8).write(to: output.appendingPathComponent("index.html"))
        #expect(try build(now: "2009-07-16T00:00:00Z").upToDate == false)
        #expect(try String(contentsOf: output.appendingPathComponent("index.html"), encoding: .utf8) != "changed by hand")
    }

    @Test("an edit to one post's body rewrites only the pages that show it; every other file keeps its bytes and time")
    func bodyEditRewritesOnlyItsPages() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        var files = ["site.yml": defaultSettings + "\nposts_per_page: 2\nfeed_items: 2\n",
                     "areas/essex/index.md": "---\nname: Essex\n---\nThe county.\n"]
        for day in 1...6 {
            files["posts/2009/post-\(day).md"] = post("Post \(day)", date: "2009-05-0\(day) 10:00",
                                                      extra: "tags: [Tag \(day % 2)]\nareas: [essex]",
                                                      body: "First paragraph of post \(day).\n\nSecond paragraph.")
        }
        try writeFiles(files, under: content)
        let output = scratch.appendingPathComponent("site")
        let build = SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path,
                              options: BuildOptions(now: now, themeRoot: "theme"),
                              cachePath: scratch.appendingPathComponent("cache").path)
        let first = try build.build(outputPath: output.path, strict: false)
        #expect(!first.incremental && first.diagnostics.isEmpty, "\(first.diagnostics)")
        let before = try stamps(output)

        // The end of the oldest post: its page, and the home page that shows it whole.
        let oldest = content.appendingPathComponent("posts/2009/post-1.md")
        try rewrite(oldest) { $0 + "\nA closing line.\n" }
        let tail = try build.build(outputPath: output.path, strict: false)
        #expect(tail.incremental)
        #expect(try changedFiles(before, stamps(output)) == ["2009/05/post-1/index.html", "page/3/index.html"])

        // Its opening (the summary): its tag, area and archive pages too, and nothing else.
        // Each is what a clean build makes.
        let middle = try stamps(output)
        try rewrite(oldest) { $0.replacingOccurrences(of: "First paragraph", with: "Opening paragraph") }
        let opening = try build.build(outputPath: output.path, strict: false)
        #expect(opening.incremental)
        let changed = try changedFiles(middle, stamps(output))
        #expect(changed.contains("tags/tag-1/page/2/index.html"))
        #expect(changed.contains("areas/essex/index.html"))
        #expect(!changed.contains("index.html"))                    // the home page shows the newest two
        #expect(!changed.contains("feed.xml"))                      // the site feed too
        #expect(!changed.contains("2009/05/post-6/index.html") && !changed.contains("2009/05/post-2/index.html"))
        // A link to another post's file, which the snapshot resolves as a full build would.
        try rewrite(oldest) { $0 + "\nSee [the next post](post-2.md#second).\n" }
        #expect(try build.build(outputPath: output.path, strict: false).incremental)
        #expect(try String(contentsOf: output.appendingPathComponent("2009/05/post-1/index.html"), encoding: .utf8)
                    .contains("href=\"/2009/05/post-2/#second\""))
        let clean = scratch.appendingPathComponent("clean")
        var fresh = build
        fresh.cachePath = nil
        _ = try fresh.build(outputPath: clean.path, strict: false)
        #expect(Fixtures.differences(actual: try fileTree(output), expected: try fileTree(clean)).isEmpty)

        // A change to front matter renders again only the pages that show the post, too.
        let beforeTitle = try stamps(output)
        try rewrite(oldest) { $0.replacingOccurrences(of: "title: Post 1", with: "title: Post one") }
        #expect(try build.build(outputPath: output.path, strict: false).incremental)
        let retitled = try changedFiles(beforeTitle, stamps(output))
        #expect(retitled.contains("2009/05/post-1/index.html") && retitled.contains("2009/05/post-2/index.html"))
        #expect(!retitled.contains("index.html") && !retitled.contains("2009/05/post-6/index.html"))
        let cleanAgain = scratch.appendingPathComponent("clean-again")
        _ = try fresh.build(outputPath: cleanAgain.path, strict: false)
        #expect(Fixtures.differences(actual: try fileTree(output), expected: try fileTree(cleanAgain)).isEmpty)
        // A body with a broken link fails the build, which writes nothing.
        try rewrite(oldest) { $0 + "\nA [broken link](/nowhere/).\n" }
        let broken = try build.build(outputPath: output.path, strict: false)
        #expect(!broken.incremental && broken.diagnostics.hasErrors)
    }

    @Test("a page changed by hand beside an edit is put right by that build, which writes the site afresh")
    func handEditBesideIncrementalBuild() throws {
        let scratch = try makeTemporaryFolder()
        defer { removeFolder(scratch) }
        let content = scratch.appendingPathComponent("content")
        try writeFiles(["posts/2009/one.md": post("One", date: "2009-05-01 10:00", body: "One."),
                        "posts/2009/two.md": post("Two", date: "2009-05-02 10:00", body: "Two.")], under: content)
        try writeFiles(["site.yml": defaultSettings], under: content)
        let output = scratch.appendingPathComponent("site")
        let build = SiteBuild(contentPath: content.path, themePath: TestPaths.theme.path,
                              options: BuildOptions(now: now, themeRoot: "theme"),
                              cachePath: scratch.appendingPathComponent("cache").path)
        _ = try build.build(outputPath: output.path, strict: false)
        let tags = output.appendingPathComponent("tags/index.html")
        let original = try Data(contentsOf: tags)
        try Data("changed by hand".utf8).write(to: tags)
        try rewrite(content.appendingPathComponent("posts/2009/one.md")) { $0 + "\nMore.\n" }
        #expect(try build.build(outputPath: output.path, strict: false).incremental == false)
        #expect(try Data(contentsOf: tags) == original)
        #expect(try build.build(outputPath: output.path, strict: false).upToDate)
    }

    /// Size, modification time and inode of every output file.
    private func stamps(_ folder: URL) throws -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for path in try fileTree(folder).keys {
            var info = stat()
            #expect(lstat(folder.appendingPathComponent(path).path, &info) == 0)
            result[path] = [Int(info.st_size), info.st_mtim.tv_sec, info.st_mtim.tv_nsec, Int(info.st_ino)]
        }
        return result
    }

    private func changedFiles(_ before: [String: [Int]], _ after: [String: [Int]]) -> [String] {
        Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    // MARK: Edits

    private func posts(in content: URL) throws -> [URL] {
        let folder = content.appendingPathComponent("posts")
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
        var found: [URL] = []
        while let url = enumerator?.nextObject() as? URL {
            if url.pathExtension == "md" && !url.path.contains("/drafts/") { found.append(url) }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Replaces a file with new text: a new file renamed over the old, as editors save.
    private func rewrite(_ url: URL, _ transform: (String) -> String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let temporary = url.appendingPathExtension("new")
        try Data(transform(text).utf8).write(to: temporary)
        #expect(rename(temporary.path, url.path) == 0, "cannot replace \(url.path)")
    }

    /// Drops the front matter lines starting with `key` and puts `line` first in the front matter.
    private func replaceLine(startingWith key: String, with line: String, in url: URL) throws {
        try rewrite(url) { text in
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines.removeAll { $0.hasPrefix(key) }
            lines.insert(line, at: 1)
            return lines.joined(separator: "\n")
        }
    }

    private func apply(_ edit: Edit, step: Int, content: URL, theme: URL, random: inout SeededGenerator) throws {
        // Posts other content links to are changed but never deleted or renamed: that would
        // make the (correct) build fail on a broken link.
        let linked = ["joneses", "common-elements", "welcome-to-the-hub"]
        let all = try posts(in: content)
        let movable = all.filter { post in !linked.contains { post.lastPathComponent.contains($0) } }
        let candidates = [.deletePost, .renamePost, .redate].contains(edit) ? movable : all
        guard let target = candidates.randomElement(using: &random) else { return }
        switch edit {
        case .nothing:
            break
        case .addPost:
            let url = content.appendingPathComponent("posts/2009/2009-05-2\(step % 10)-added-\(step).md")
            try Data(post("Added \(step)", date: "2009-05-2\(step % 10) 10:00",
                          extra: "tags: [Added, NI7]\nareas: [essex]", body: "A new post, number \(step).").utf8).write(to: url)
        case .changeBody:
            try rewrite(target) { $0 + "\nOne more sentence for step \(step).\n" }
        case .changeOpening:
            // The first paragraph is the summary: lists, neighbours and feeds show it.
            try rewrite(target) { text in
                guard let fence = text.range(of: "\n---\n") else { return text }
                return text[..<fence.upperBound] + "Opening words of step \(step). " + text[fence.upperBound...]
            }
        case .changeBodyLinks:
            try rewrite(target) {
                $0 + "\n## Step \(step)\n\nSee [the welcome post](/2009/04/welcome-to-the-hub/) and [the tags](/tags/).\n"
            }
        case .deletePost:
            if candidates.count > 1 { try FileManager.default.removeItem(at: target) }
        case .renamePost:
            let renamed = target.deletingLastPathComponent().appendingPathComponent("renamed-\(step).md")
            try FileManager.default.moveItem(at: target, to: renamed)
        case .retag:
            try replaceLine(startingWith: "tags:", with: "tags: [Retagged \(step % 3), NI7]", in: target)
        case .moveArea:
            try replaceLine(startingWith: "areas:", with: step % 2 == 0 ? "areas: [norfolk]" : "areas: [essex, quiet-district]",
                            in: target)
        case .changeSettings:
            try rewrite(content.appendingPathComponent("site.yml")) { text in
                text.split(separator: "\n", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix("tagline:") ? "tagline: Tagline of step \(step)" : String($0) }
                    .joined(separator: "\n")
            }
        case .changeTemplate:
            try rewrite(theme.appendingPathComponent("templates/partials/byline.mustache")) { $0 + "<!-- step \(step) -->\n" }
        case .touchOnly:
            // Same bytes, new modification time: a rebuild that must change nothing.
            try rewrite(target) { $0 }
        case .retitle:
            try replaceLine(startingWith: "title:", with: "title: Retitled in step \(step)", in: target)
        case .redate:
            // Within its month, so that the post keeps its address and links to it still hold.
            try rewrite(target) { text in
                text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
                    guard line.hasPrefix("date: "), line.count >= 16 else { return String(line) }
                    return "date: " + line.dropFirst(6).prefix(8) + "1\(step % 10) 0\(step % 10):30"
                }.joined(separator: "\n")
            }
        case .addSnippet:
            let url = content.appendingPathComponent("areas/norfolk/added-\(step).md")
            try Data("---\ntitle: Added snippet \(step)\ndate: 2009-06-1\(step % 10) 09:00\n---\n\nA new snippet, number \(step).\n".utf8)
                .write(to: url)
        case .changeSnippet:
            try rewrite(content.appendingPathComponent("areas/essex/endowment-fund.md")) { $0 + "\nA line for step \(step).\n" }
        case .changeAreaProfile:
            try replaceLine(startingWith: "region:", with: "region: Region of step \(step)",
                            in: content.appendingPathComponent("areas/essex/index.md"))
        case .addComment:
            let url = content.appendingPathComponent("comments/keeping-up-with-the-joneses/c-added-\(step).md")
            try Data("---\nname: Reader \(step)\norganisation: Step \(step) Trust\ndate: 2009-05-2\(step % 10) 12:00\n---\n\nA comment, number \(step).\n".utf8)
                .write(to: url)
        case .changePage:
            try rewrite(content.appendingPathComponent("pages/contact-us.md")) { $0 + "\nA line for step \(step).\n" }
        }
    }
}
