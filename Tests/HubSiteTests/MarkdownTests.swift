import HubSite
import Testing

/// Bodies (docs/content.md): CommonMark with SMART punctuation, heading ids by the slug
/// rule, the first paragraph as summary, raw HTML only when allowed, unsafe links dropped and
/// links rewritten to where the site really puts things.
@Suite("Markdown bodies")
struct MarkdownTests {
    private func render(_ text: String, path: String = "posts/2009/a.md", firstLine: Int = 1,
                        context: BodyContext = BodyContext()) -> RenderedBody {
        let source = MarkdownSource(text: text, firstLine: firstLine, displayPath: "content/" + path, relativePath: path)
        return BodyRenderer.render(source, context: context)
    }

    private func html(_ text: String, context: BodyContext = BodyContext()) -> String {
        render(text, context: context).html()
    }

    // MARK: SMART punctuation

    @Test("SMART: curly quotes, dashes and ellipses", arguments: [
        ("\"Hello,\" she said.", "<p>“Hello,” she said.</p>\n"),
        ("it's the Joneses'", "<p>it’s the Joneses’</p>\n"),
        ("'single'", "<p>‘single’</p>\n"),
        ("2009--2010", "<p>2009–2010</p>\n"),
        ("wait---what", "<p>wait—what</p>\n"),
        ("and so...", "<p>and so…</p>\n"),
        ("`\"code\" -- stays`", "<p><code>&quot;code&quot; -- stays</code></p>\n"),
    ])
    func smart(input: String, expected: String) {
        #expect(html(input) == expected)
    }

    // MARK: Headings

    @Test("heading ids follow the slug rule, with -2, -3 for repeats")
    func headingIDs() {
        let output = html("## Around the country\n\n## Intro\n\n### Intro\n\n## Intro\n\n## Café & Bar\n")
        #expect(output == """
        <h2 id="around-the-country">Around the country</h2>
        <h2 id="intro">Intro</h2>
        <h3 id="intro-2">Intro</h3>
        <h2 id="intro-3">Intro</h2>
        <h2 id="cafe-bar">Café &amp; Bar</h2>

        """)
    }

    @Test("a heading whose own slug is a generated repeat id still gets a unique id")
    func headingRepeatCollision() {
        let ids = idsOfHeadings(html("## Intro\n\n## Intro\n\n## Intro 2\n"))
        #expect(ids == ["intro", "intro-2", "intro-2-2"])
        let reversed = idsOfHeadings(html("## Intro 2\n\n## Intro\n\n## Intro\n"))
        #expect(reversed == ["intro-2", "intro", "intro-3"])
        #expect(Set(reversed).count == reversed.count)
    }

    @Test("a heading with no letters gets an id all the same")
    func emptyHeadingID() {
        #expect(idsOfHeadings(html("## !!!\n\n## ???\n")) == ["section", "section-2"])
    }

    @Test("ids take a prefix where a page shows several bodies")
    func prefixedIDs() {
        let body = render("## Funding\n\n## Funding\n")
        #expect(body.html(idPrefix: "keeping-up-") == """
        <h2 id="keeping-up-funding">Funding</h2>
        <h2 id="keeping-up-funding-2">Funding</h2>

        """)
        #expect(idsOfHeadings(body.html()) == ["funding", "funding-2"])
        // Characters of several bytes beside the holes, in the text and in the prefix.
        let accented = render("## Été\u{301}\n\nÉ\u{301}\n")
        #expect(accented.html(idPrefix: "café-") == "<h2 id=\"café-ete\">Été\u{301}</h2>\n<p>É\u{301}</p>\n")
    }

    @Test("headings keep clear of the theme's own ids and anchors")
    func reservedIDs() {
        let context = BodyContext(reservedIDs: ["comments", "site-header"])
        let ids = idsOfHeadings(html("## Comments\n\n## Site header\n\n## Snippet one\n\n## Comment 1\n\n## Commentary\n",
                                  context: context))
        #expect(ids == ["h-comments", "h-site-header", "h-snippet-one", "h-comment-1", "commentary"])
    }

    @Test("markup inside a heading is kept, and only its text makes the id")
    func headingWithMarkup() {
        #expect(html("## The *Third* `Sector` guide\n")
                == "<h2 id=\"the-third-sector-guide\">The <em>Third</em> <code>Sector</code> guide</h2>\n")
    }

    // MARK: Summary

    @Test("the summary is the first paragraph as plain text")
    func summary() {
        let body = render("## Heading first\n\nThe **first** [paragraph](https://example.org/)\nwith a `code` bit.\n\nThe second.\n")
        #expect(body.summary == "The first paragraph with a code bit.")
        #expect(render("- a list\n").summary == "a list")
        #expect(render("## Only a heading\n").summary == "")
        #expect(render("").summary == "")
        #expect(render("\"Quoted\" -- text <b>raw</b>").summary == "“Quoted” – text raw")
    }

    // MARK: Raw HTML

    @Test("raw HTML is omitted unless allowed")
    func rawHTML() {
        let text = "<div class=\"box\">block</div>\n\nText with <span>inline</span> HTML.\n"
        #expect(html(text) == """
        <!-- raw HTML omitted -->
        <p>Text with <!-- raw HTML omitted -->inline<!-- raw HTML omitted --> HTML.</p>

        """)
        #expect(html(text, context: BodyContext(allowRawHTML: true)) == """
        <div class="box">block</div>
        <p>Text with <span>inline</span> HTML.</p>

        """)
    }

    @Test("a script tag never gets through in safe mode")
    func scriptTag() {
        let output = html("<script>alert(1)</script>\n\nx <script>alert(2)</script>\n")
        #expect(!output.contains("<script"))
    }

    // MARK: Unsafe links

    @Test("links that could run script are dropped; their words stay", arguments: [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "&#106;avascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "unknownscheme:x",
    ])
    func unsafeLinks(destination: String) {
        let output = html("Click [here](<\(destination)>) now.")
        #expect(output == "<p>Click here now.</p>\n")
    }

    @Test("safe schemes and plain links are kept")
    func safeLinks() {
        #expect(html("[a](https://example.org/x?y=1&z=2) [m](mailto:ann@example.org) [t](tel:+441234)")
                == "<p><a href=\"https://example.org/x?y=1&amp;z=2\">a</a> <a href=\"mailto:ann@example.org\">m</a> <a href=\"tel:+441234\">t</a></p>\n")
    }

    @Test("images: data:image is kept, any other data: is dropped to its alt text")
    func images() {
        #expect(html("![dot](data:image/png;base64,AAAA)") == "<p><img src=\"data:image/png;base64,AAAA\" alt=\"dot\"></p>\n")
        #expect(html("![evil](data:text/html,x)") == "<p>evil</p>\n")
        #expect(html("![evil](javascript:x)") == "<p>evil</p>\n")
    }

    @Test("attribute values are escaped: quotes in a URL or title cannot break out")
    func attributeEscaping() {
        #expect(html("[a](<https://example.org/\"onmouseover=x> \"t\\\"itle\")")
                == "<p><a href=\"https://example.org/%22onmouseover=x\" title=\"t&quot;itle\">a</a></p>\n")
    }

    // MARK: Link rewriting

    private var siteContext: BodyContext {
        BodyContext(pageURL: "/hub/2009/05/keeping-up/", basePath: "/hub/", contentURLs: [
            "posts/2009/2009-05-18-common.md": "/hub/2009/05/common/",
            "pages/about.md": "/hub/about/",
            "areas/essex/index.md": "/hub/areas/essex/",
        ])
    }

    @Test(".md links name content files relative to the linking file, and become their URLs")
    func mdLinks() {
        let body = render("""
        [same folder](2009-05-18-common.md) [up](../../pages/about.md) [frag](2009-05-18-common.md#plans) [area](../../areas/essex/index.md) [rooted](/pages/about.md)
        """, path: "posts/2009/2009-05-11-keeping-up.md", context: siteContext)
        #expect(body.html() == """
        <p><a href="/hub/2009/05/common/">same folder</a> <a href="/hub/about/">up</a> <a href="/hub/2009/05/common/#plans">frag</a> <a href="/hub/areas/essex/">area</a> <a href="/hub/about/">rooted</a></p>

        """)
        #expect(body.diagnostics.isEmpty)
        #expect(body.internalLinks.map(\.url) == ["/hub/2009/05/common/", "/hub/about/", "/hub/2009/05/common/#plans",
                                                  "/hub/areas/essex/", "/hub/about/"])
    }

    @Test("a .md link to nothing is an error at the link, with the file's own line numbers")
    func brokenMDLink() {
        let body = render("First paragraph.\n\nSee [x](missing.md) and [y](../../pages/abut.md).\n",
                          path: "posts/2009/a.md", firstLine: 7, context: siteContext)
        #expect(report(body.diagnostics) == [
            "content/posts/2009/a.md:9:5: error: broken link 'missing.md': no published content file 'posts/2009/missing.md'",
            "content/posts/2009/a.md:9:25: error: broken link '../../pages/abut.md': no published content file 'pages/abut.md' (did you mean '../../pages/about.md'?)",
        ])
    }

    @Test("links starting with / are taken under base_url's path")
    func rootedLinks() {
        #expect(html("[a](/areas/) [b](/feed.xml) [c](/tags/ni7/#top)", context: siteContext)
                == "<p><a href=\"/hub/areas/\">a</a> <a href=\"/hub/feed.xml\">b</a> <a href=\"/hub/tags/ni7/#top\">c</a></p>\n")
    }

    @Test("other relative links resolve against the page's own URL, as a browser does")
    func relativeLinks() {
        #expect(html("[a](../common/) [b](report.pdf) [c](#plans) [d](./x/../y/) [e](../../../../../escape/)", context: siteContext)
                == "<p><a href=\"/hub/2009/05/common/\">a</a> <a href=\"/hub/2009/05/keeping-up/report.pdf\">b</a> <a href=\"/hub/2009/05/keeping-up/#plans\">c</a> <a href=\"/hub/2009/05/keeping-up/y/\">d</a> <a href=\"/escape/\">e</a></p>\n")
    }

    @Test("internal links become absolute where the body is placed with an origin (feeds)")
    func originForFeeds() {
        let body = render("[a](/areas/) [b](https://other.example/) ![i](/assets/x.png)", context: siteContext)
        #expect(body.html(origin: "https://example.org")
                == "<p><a href=\"https://example.org/hub/areas/\">a</a> <a href=\"https://other.example/\">b</a> <img src=\"https://example.org/hub/assets/x.png\" alt=\"i\"></p>\n")
        #expect(body.html() == "<p><a href=\"/hub/areas/\">a</a> <a href=\"https://other.example/\">b</a> <img src=\"/hub/assets/x.png\" alt=\"i\"></p>\n")
    }

    @Test("without a page (the markdown command) links stay as written")
    func noPage() {
        #expect(html("[a](other.md) [b](/x/) [c](y/)") == "<p><a href=\"other.md\">a</a> <a href=\"/x/\">b</a> <a href=\"y/\">c</a></p>\n")
    }

    @Test("a body names a content file when '.md' stands anywhere in it, and only then")
    func namesContentFile() {
        func names(_ text: String) -> Bool {
            MarkdownSource(text: text, firstLine: 1, displayPath: "p.md", relativePath: "posts/p.md").linksToContent
        }
        #expect(names("[a](other.md)") && names("..md") && names("x.md") && names("a. b. c.md#part"))
        #expect(!names("") && !names(".m") && !names("x.m") && !names("a. md") && !names("mdd."))
    }

    @Test("a paragraph with more brackets than one may hold is an error at its first line; as many is not")
    func bracketLimit() {
        let limit = MarkdownLimits.bracketsPerParagraph
        func errors(_ text: String) -> [Diagnostic] {
            BodyRenderer.render(MarkdownSource(text: text, firstLine: 5, displayPath: "p.md", relativePath: "posts/p.md"),
                                context: BodyContext()).diagnostics
        }
        #expect(errors(String(repeating: "[", count: limit)).isEmpty)
        // Spread over two paragraphs, the brackets are within the limit of each.
        #expect(errors(String(repeating: "[", count: limit) + "\n\n" + String(repeating: "[", count: limit)).isEmpty)
        let over = errors("Intro.\n\n" + String(repeating: "[", count: limit + 1))
        #expect(over.map(\.location.line) == [7])
    }

    @Test("escaping for HTML replaces the five characters and keeps every other, whatever its bytes")
    func escaping() {
        #expect(HTMLEscaping.escape("plain café") == "plain café")
        #expect(HTMLEscaping.escape("<a href=\"x\">Tom & Jerry's</a>") == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
        #expect(HTMLEscaping.escape("&É\u{301}<") == "&amp;É\u{301}&lt;")
        #expect(HTMLEscaping.escape("") == "")
        #expect(HTMLEscaping.escapeURL("/a b?x=1&y='z'") == "/a%20b?x=1&amp;y=&#39;z&#39;")
    }

    @Test("rendering is a pure function: same input, same output")
    func pure() {
        let text = "## A\n\n\"B\" [c](../d/) <i>e</i>\n"
        #expect(render(text, context: siteContext) == render(text, context: siteContext))
    }
}

/// The ids of the headings in a piece of HTML, in order.
func idsOfHeadings(_ html: String) -> [String] {
    var ids: [String] = []
    var rest = Substring(html)
    while let range = rest.range(of: "<h") {
        rest = rest[range.upperBound...]
        guard let level = rest.first, level.isNumber else { continue }
        let tag = rest.prefix { $0 != ">" }
        if let idStart = tag.range(of: " id=\"") {
            ids.append(String(tag[idStart.upperBound...].prefix { $0 != "\"" }))
        }
    }
    return ids
}

/// Every `id="..."` in a piece of HTML, in order.
func allIDs(_ html: String) -> [String] {
    var ids: [String] = []
    var rest = Substring(html)
    while let range = rest.range(of: " id=\"") {
        rest = rest[range.upperBound...]
        ids.append(String(rest.prefix { $0 != "\"" }))
    }
    return ids
}
