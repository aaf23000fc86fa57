import Foundation
import Testing
@testable import HubSite
@testable import HubSiteComments
@testable import HubSiteCommentService

@Suite("Comment queue")
struct CommentQueueTests {
    @Test("SHA-256 and HMAC-SHA256 match the standard test vectors")
    func digests() {
        #expect(SHA256.hex(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(SHA256.hash([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        // RFC 4231, test case 2.
        #expect(SHA256.hex(SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("a form token is taken only for its post, after the minimum time and before it expires")
    func tokens() {
        let tokens = FormToken(secret: Array(repeating: 7, count: 32))
        let token = tokens.issue(post: "joneses", at: 1_000)
        #expect(tokens.check(token, post: "joneses", now: 1_005, minimumSeconds: 3, maximumAge: 100) == .valid)
        #expect(tokens.check(token, post: "joneses", now: 1_001, minimumSeconds: 3, maximumAge: 100) == .tooQuick(secondsLeft: 2))
        #expect(tokens.check(token, post: "joneses", now: 1_200, minimumSeconds: 3, maximumAge: 100) == .expired)
        #expect(tokens.check(token, post: "other", now: 1_005, minimumSeconds: 3, maximumAge: 100) == .forged)
        #expect(tokens.check("", post: "joneses", now: 1_005, minimumSeconds: 3, maximumAge: 100) == .missing)
        #expect(tokens.check("2000." + token.split(separator: ".")[1], post: "joneses", now: 2_005, minimumSeconds: 3, maximumAge: 100) == .forged)
    }

    @Test("form bodies: percent-encoding and + decoded, CRLF made LF, invalid UTF-8 refused")
    func decoding() {
        let form = CommentForm.decode(Array("post=joneses&name=Ann+Bee&organisation=Herts%20%26%20Co&comment=a%0D%0Ab&website=".utf8))
        #expect(form == CommentForm(post: "joneses", name: "Ann Bee", organisation: "Herts & Co", comment: "a\nb"))
        #expect(CommentForm.decode([0x6E, 0x61, 0x6D, 0x65, 0x3D, 0xFF]) == nil)
        #expect(CommentForm.decode(Array("name=%E9".utf8)) == nil)
        #expect(CommentForm.decode(Array("name=%G1".utf8)) == nil)
    }

    @Test("checks: the honeypot, missing fields, lengths and unknown posts, in that order")
    func checks() {
        let catalog = PostCatalog(posts: ["joneses": .init(title: "Joneses", url: "https://example.org/2009/05/joneses/")],
                                  baseURL: "https://example.org/", title: "Hub")
        var form = CommentForm(post: "joneses", name: "  Ann ", organisation: "Herts", comment: "Hello")
        #expect(form.checked(posts: catalog).problem == nil)
        #expect(form.checked(posts: catalog).form.name == "Ann")
        form.website = "http://spam"
        #expect(form.checked(posts: catalog).problem == .honeypot)
        form.website = ""
        form.organisation = " "
        #expect(form.checked(posts: catalog).problem == .missing(["your organisation"]))
        form.organisation = "Herts"
        form.comment = String(repeating: "x", count: CommentLimits.comment + 1)
        #expect(form.checked(posts: catalog).problem == .tooLong(field: "comment", limit: CommentLimits.comment))
        form.comment = "Hello"
        form.post = "draft-post"
        #expect(form.checked(posts: catalog).problem == .unknownPost)
    }

    @Test("an approved comment's file: quoted front matter, HTML kept as text, a free file name")
    func approvalFile() throws {
        let submission = Submission(id: 1, post: "joneses", name: "Ann \"<b>\"", organisation: "Herts\\Co", comment: "<i>hi</i> & \\<b>",
                                    address: "127.0.0.1", received: 1_243_503_000, status: .pending)
        #expect(Approval.fileText(submission) == """
            ---
            name: "Ann \\"<b>\\""
            organisation: "Herts\\\\Co"
            date: 2009-05-28T09:30:00Z
            ---

            \\<i>hi\\</i> \\& \\\\\\<b>

            """)
        #expect(Approval.relativePath(submission) { $0.hasSuffix("ann-b.md") } == "comments/joneses/2009-05-28-ann-b-2.md")
        // The file reads back as the comment that was typed.
        let parsed = DocumentParser().parse(SourceTree(content: [
            SourceFile(relativePath: "site.yml", text: "title: Hub\nbase_url: https://example.org/\n"),
            SourceFile(relativePath: "comments/joneses/a.md", text: Approval.fileText(submission)),
        ], theme: []))
        let comment = try #require(parsed.comments.first)
        #expect(comment.name == submission.name)
        #expect(comment.organisation == submission.organisation)
        #expect(parsed.diagnostics.isEmpty)
    }

    @Test("the queue keeps submissions across openings, with their status and one signing secret")
    func store() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("queue-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let first = try CommentStore(path: path)
        let id = try first.add(post: "joneses", name: "Ann", organisation: "Herts", comment: "Hi", address: "127.0.0.1", received: 5)
        let secret = try first.signingSecret()
        try first.setStatus(.rejected, id: id)
        let second = try CommentStore(path: path)
        #expect(try second.submission(id: id)?.status == .rejected)
        #expect(try second.submissions(status: .pending).isEmpty)
        #expect(try second.signingSecret() == secret)
    }
}
