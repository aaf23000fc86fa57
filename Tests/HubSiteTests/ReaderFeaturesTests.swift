import Foundation
@testable import HubSite
import Testing

/// What readers meet: link previews, the comment form or mail link, the search page and the
/// settings that turn them on (docs/search.md, docs/comments.md, docs/content.md).
@Suite("Reader features")
struct ReaderFeaturesTests {
    static let posts = [
        "posts/2009-05-11-joneses.md": post("Keeping up with the <Joneses>", date: "2009-05-11 09:30",
                                            extra: "author: Ethel Bangwayo\ntags: [NI7]\nimage: /img/j.png"),
        "static/img/j.png": "png",
    ]

    func page(_ result: BuildResult, _ path: String) -> String {
        result.files?.first { $0.path == path }.map { String(decoding: $0.bytes, as: UTF8.self) } ?? ""
    }

    @Test("JSON text escapes what could end a script element or a string")
    func jsonEscaping() {
        let text = JSONText.object([("a", .string("</script><!-- & \"q\" \\ \n \u{2028} \u{01}")), ("n", .number(3))]).encoded
        #expect(text == #"{"a":"\u003c/script\u003e\u003c!-- \u0026 \"q\" \\ \n \u2028 \u0001","n":3}"#)
        #expect(!text.contains("<"))
    }

    @Test("a post carries Open Graph, a Twitter card and JSON-LD with its own image")
    func postPreviews() throws {
        let result = generate(Self.posts, settings: defaultSettings + "\nimage: https://cdn.example.org/hub.png\n")
        #expect(result.diagnostics.isEmpty, "\(report(result.diagnostics))")
        let html = page(result, "2009/05/joneses/index.html")
        #expect(html.contains(#"<meta property="og:title" content="Keeping up with the &lt;Joneses&gt;">"#))
        #expect(html.contains(#"<meta property="og:type" content="article">"#))
        #expect(html.contains(#"<meta property="og:url" content="https://example.org/2009/05/joneses/">"#))
        #expect(html.contains(#"<meta property="og:image" content="https://example.org/img/j.png">"#))
        #expect(html.contains(#"<meta name="twitter:card" content="summary_large_image">"#))
        let json = try #require(html.components(separatedBy: #"<script type="application/ld+json">"#).last?
            .components(separatedBy: "</script>").first)
        let items = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        #expect(items.map { $0["@type"] as? String } == ["BlogPosting", "BreadcrumbList"])
        #expect(items[0]["headline"] as? String == "Keeping up with the <Joneses>")
        #expect((items[0]["author"] as? [String: Any])?["name"] as? String == "Ethel Bangwayo")
        #expect(items[0]["datePublished"] as? String == "2009-05-11T09:30:00+01:00")
        // Another page falls back to the site's image.
        #expect(page(result, "areas/index.html").contains(#"<meta property="og:image" content="https://cdn.example.org/hub.png">"#))
    }

    @Test("a local image that is not a file of the site is a broken link; a bad one an error")
    func imageChecks() {
        let missing = generate(["posts/a.md": post("A", date: "2009-05-11", extra: "image: /img/none.png")])
        #expect(report(missing.diagnostics).contains { $0.contains("error: broken link '/img/none.png'") })
        let bad = generate(["posts/a.md": post("A", date: "2009-05-11", extra: "image: javascript:alert(1)")])
        #expect(report(bad.diagnostics).contains { $0.contains("'image' must be an http(s) URL or a path from the site's root") })
    }

    @Test("comments: an endpoint gives the form, an e-mail address a mailto link, neither nothing")
    func commentChannels() {
        let form = page(generate(Self.posts, settings: defaultSettings + "\ncomments:\n  endpoint: /comments\n"),
                        "2009/05/joneses/index.html")
        #expect(form.contains(#"<form id="comment-form" class="comment-form" action="/comments" method="post""#))
        #expect(form.contains(#"<input type="hidden" name="post" value="joneses">"#))
        #expect(form.contains(#"name="website""#) && form.contains(#"name="token""#))
        let mail = page(generate(Self.posts, settings: defaultSettings + "\ncomments:\n  email: hub@example.org\n"),
                        "2009/05/joneses/index.html")
        #expect(mail.contains(#"href="mailto:hub@example.org?subject=Comment%20on%20%E2%80%9CKeeping%20up%20with%20the%20%3CJoneses%3E%E2%80%9D""#))
        #expect(!mail.contains("<form id=\"comment-form\""))
        let none = page(generate(Self.posts), "2009/05/joneses/index.html")
        #expect(!none.contains("comment-form") && !none.contains("mailto:"))
    }

    @Test("bad comment settings are located errors; unknown keys of comments are warnings")
    func commentSettings() {
        let result = generate([:], settings: defaultSettings + "\ncomments:\n  endpoint: ftp://x\n  email: not an address\n  emai: a@b.org\n")
        #expect(report(result.diagnostics) == [
            "content/site.yml:4:13: error: 'comments.endpoint' must be an http(s) URL or a path from the site's root, e.g. https://www.example.org/comments or /comments",
            "content/site.yml:5:10: error: 'comments.email' must be an e-mail address, e.g. hub@example.org",
            "content/site.yml:6:3: warning: unknown key 'comments.emai' (did you mean 'email'?)",
        ])
    }

    @Test("search: true adds the search page and marks what is indexed; list pages are not")
    func searchPage() {
        let result = generate(Self.posts.merging(["areas/essex/index.md": "---\nname: Essex\n---\nEssex.\n",
                                                  "areas/essex/fund.md": "---\ntitle: Fund\ndate: 2009-05-01\n---\nA fund.\n"]) { a, _ in a },
                              settings: defaultSettings + "\nsearch: true\n")
        let search = page(result, "search/index.html")
        #expect(search.contains(#"<label for="search--query">Words to find</label>"#))
        #expect(search.contains(#"role="status" aria-live="polite""#))
        #expect(search.contains("<noscript>"))
        #expect(search.contains(#"<option value="Essex">Essex</option>"#))
        #expect(page(result, "2009/05/joneses/index.html").contains("data-pagefind-body"))
        #expect(page(result, "2009/05/joneses/index.html").contains(#"<span data-pagefind-filter="tag">NI7</span>"#))
        let area = page(result, "areas/essex/index.html")
        #expect(area.contains(#"<span data-pagefind-filter="area">Essex</span>"#))
        #expect(area.contains(#"<h3 id="snippet-fund" class="snippet-title">"#))
        #expect(!page(result, "index.html").contains("data-pagefind-body"))
        #expect(page(result, "index.html").contains(#"<input id="site--search" type="search" name="q""#))
        let off = generate(Self.posts)
        #expect(off.files?.contains { $0.path == "search/index.html" } == false)
        #expect(!page(off, "index.html").contains("site--search"))
    }
}
