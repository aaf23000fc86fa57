import Foundation
import HubSite
import Testing

extension Authoring {
    /// `hubsite new` against real folders: what it reads, the one write, and the exit statuses.
    @Suite("hubsite new in a content folder")
    struct NewCommandTests {
        @Test("reads the site's time zone, the areas with a profile and the posts' slugs")
        func facts() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try Authoring.write(Authoring.smallSite, under: root)
            let facts = NewContent.readFacts(contentPath: root.appendingPathComponent("content").path + "/")
            #expect(facts.timeZone.identifier == "Asia/Tokyo")
            #expect(facts.areaSlugs == ["essex", "west-sussex"])
            #expect(facts.postSlugs == ["keeping-up-with-the-joneses": "posts/2009/2009-05-11-keeping-up-with-the-joneses.md"])
            #expect(facts.contentRoot == root.appendingPathComponent("content").path)
        }

        @Test("without site.yml the zone is Europe/London")
        func defaultZone() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            let facts = NewContent.readFacts(contentPath: root.path)
            #expect(facts.timeZone.identifier == "Europe/London")
            #expect(facts.areaSlugs.isEmpty)
        }

        @Test("creates the file and its folders, and never replaces one")
        func create() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            let file = NewContent.File(relativePath: "posts/2031/2031-01-01-x.md", text: "---\ntitle: x\n---\n")
            let path = try NewContent.create(file, contentPath: root.path)
            #expect(path == root.path + "/posts/2031/2031-01-01-x.md")
            #expect(try Authoring.read(URL(fileURLWithPath: path)) == file.text)

            let other = NewContent.File(relativePath: file.relativePath, text: "something else")
            #expect(throws: NewContent.Problem.fileExists(path)) {
                try NewContent.create(other, contentPath: root.path)
            }
            #expect(try Authoring.read(URL(fileURLWithPath: path)) == file.text)
        }

        // MARK: - The command

        @Test("new post writes a draft that `check --drafts` accepts, in the hub's own content")
        func newPostThenCheck() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try FileManager.default.copyItem(at: Authoring.content, to: root.appendingPathComponent("content"))
            try FileManager.default.copyItem(at: Authoring.theme, to: root.appendingPathComponent("theme"))

            let run = try Authoring.run(["new", "post", "Compact refresh: what's next?", "--area", "essex",
                                         "--area", "hertfordshire", "--tag", "Compact", "--tag", "VCS"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            let path = run.stdout.trimmingCharacters(in: .newlines)
            #expect(path.hasPrefix("content/posts/"))
            #expect(path.hasSuffix("-compact-refresh-what-s-next.md"))
            let text = try Authoring.read(root.appendingPathComponent(path))
            #expect(text.contains("title: \"Compact refresh: what's next?\"\n"))
            #expect(text.contains("tags: [Compact, VCS]\nareas: [essex, hertfordshire]\ndraft: true\n"))

            let check = try Authoring.run(["check", "--drafts"], in: root)
            #expect(check.status == 0, "\(check.stderr)")
            let plain = try Authoring.run(["check"], in: root)
            #expect(plain.status == 0, "\(plain.stderr)")
            #expect(plain.stderr.contains("\(path):"), "the draft is noted as not published")

            // The same title again, the same minute or not: the slug is taken (or the file exists).
            let again = try Authoring.run(["new", "post", "Compact refresh: what's next?"], in: root)
            #expect(again.status == 3 || again.status == 1, "\(again.stderr)")
            #expect(again.stderr.contains("file already exists") || again.stderr.contains("already has the slug"))
        }

        @Test("new post refuses an existing file with status 3")
        func existingFile() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try Authoring.write(Authoring.smallSite, under: root)
            let first = try Authoring.run(["new", "post", "Same title"], in: root)
            #expect(first.status == 0, "\(first.stderr)")
            let path = root.appendingPathComponent(first.stdout.trimmingCharacters(in: .newlines))
            try Data("edited by hand\n".utf8).write(to: path)
            let second = try Authoring.run(["new", "post", "Same title"], in: root)
            if second.status == 3 { // the same minute: the same file name
                #expect(second.stderr.contains("file already exists"))
            } else { // a minute later, a day later: another file, but the slug is taken
                #expect(second.status == 1)
                #expect(second.stderr.contains("already has the slug 'same-title'"))
            }
            #expect(try Authoring.read(path) == "edited by hand\n")
        }

        @Test("new post refuses unknown areas with status 1 and a suggestion; writes nothing")
        func unknownArea() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try Authoring.write(Authoring.smallSite, under: root)
            let run = try Authoring.run(["new", "post", "About Essex", "--area", "esex", "--area", "no-profile"], in: root)
            #expect(run.status == 1)
            #expect(run.stderr.contains("hubsite: error: unknown area 'esex' (did you mean 'essex'?)"))
            #expect(run.stderr.contains("unknown area 'no-profile'"))
            #expect(run.stdout.isEmpty)
            let posts = try FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("content/posts").path)
            #expect(posts.sorted() == ["2009", "2009/2009-05-11-keeping-up-with-the-joneses.md"])
        }

        @Test("new takes --content, and a missing folder or an empty title is a usage error (2)")
        func usage() throws {
            let root = try Authoring.folder()
            defer { Authoring.remove(root) }
            try Authoring.write(Authoring.smallSite, under: root)
            #expect(try Authoring.run(["new", "post", "X", "--content", "nowhere"], in: root).status == 2)
            #expect(try Authoring.run(["new", "post", "!!!"], in: root).status == 2)
            #expect(try Authoring.run(["new", "area", "?"], in: root).status == 2)
            #expect(try Authoring.run(["new", "post"], in: root).status == 2)

            let moved = root.appendingPathComponent("elsewhere")
            try FileManager.default.moveItem(at: root.appendingPathComponent("content"), to: moved)
            let run = try Authoring.run(["new", "area", "Milton Keynes", "--content", "elsewhere"], in: root)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "elsewhere/areas/milton-keynes/index.md\n")
            #expect(try Authoring.read(moved.appendingPathComponent("areas/milton-keynes/index.md"))
                == "---\nname: Milton Keynes\nregion:\nwebsite:\n---\n\n")
            let again = try Authoring.run(["new", "area", "Milton Keynes", "--content", "elsewhere"], in: root)
            #expect(again.status == 3)
            #expect(again.stderr.contains("file already exists: elsewhere/areas/milton-keynes/index.md"))
        }
    }
}
