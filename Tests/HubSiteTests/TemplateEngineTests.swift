import Testing
@testable import HubSite
@testable import MustacheEngine

/// The site's Mustache engine, from strings.
struct TemplateEngineTests {
    private func render(_ text: String, _ context: TemplateValue, partials: [String: String] = [:]) throws -> String {
        var sources = [TemplateSource(name: "main", text: text, displayPath: "main.mustache")]
        for (name, body) in partials.sorted(by: { $0.key < $1.key }) {
            sources.append(TemplateSource(name: name, text: body, displayPath: "\(name).mustache"))
        }
        var templates: [String: Template] = [:]
        for source in sources { templates[source.name] = try Template.parse(source.text, name: source.name) }
        return Theme(templates: templates).render(context, template: "main")
    }

    @Test func escapesVariablesButNotTripleMustaches() throws {
        let context: TemplateValue = ["x": "<a href=\"x\">Tom & 'Jerry'</a>"]
        #expect(try render("{{x}}", context) == "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;")
        #expect(try render("{{{x}}}|{{& x}}", context) == "<a href=\"x\">Tom & 'Jerry'</a>|<a href=\"x\">Tom & 'Jerry'</a>")
    }

    @Test func sectionsIterateListsAndTestTruth() throws {
        let context: TemplateValue = ["items": [["n": "a"], ["n": "b"]], "yes": true, "no": false, "empty": [], "blank": ""]
        #expect(try render("{{#items}}[{{n}}]{{/items}}", context) == "[a][b]")
        #expect(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}!N{{/no}}{{^empty}}E{{/empty}}{{^blank}}B{{/blank}}", context) == "Y!NEB")
        #expect(try render("{{^missing}}absent{{/missing}}", context) == "absent")
    }

    @Test func namesResolveOutwardAndDottedNamesInside() throws {
        let context: TemplateValue = ["site": ["title": "Hub"], "title": "outer", "posts": [["title": "inner"], ["other": 1]]]
        #expect(try render("{{site.title}}", context) == "Hub")
        #expect(try render("{{#posts}}{{title}};{{/posts}}", context) == "inner;outer;")
        #expect(try render("{{#site}}{{title}}{{/site}}", context) == "Hub")
        #expect(try render("{{#posts}}{{.}}{{/posts}}{{missing.deep}}", context) == "")
    }

    @Test func standaloneTagLinesLeaveNoBlankLines() throws {
        let text = "<ul>\n{{#items}}\n<li>{{.}}</li>\n{{/items}}\n</ul>\n"
        #expect(try render(text, ["items": ["a", "b"]]) == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
    }

    @Test func partialsAndInheritance() throws {
        let partials = [
            "layout": "<title>{{$title}}Default{{/title}}</title>\n<main>{{$main}}{{/main}}</main>",
            "item": "<i>{{name}}</i>",
        ]
        let text = "{{<layout}}{{$title}}Posts{{/title}}{{$main}}{{#items}}{{>item}}{{/items}}{{/main}}{{/layout}}"
        let context: TemplateValue = ["items": [["name": "a"], ["name": "b"]]]
        #expect(try render(text, context, partials: partials) == "<title>Posts</title>\n<main><i>a</i><i>b</i></main>")
        #expect(try render("{{<layout}}{{/layout}}", [:], partials: partials) == "<title>Default</title>\n<main></main>")
    }

    @Test func numbersAndBooleansPrint() throws {
        #expect(try render("{{n}} {{b}}", ["n": 3, "b": true]) == "3 true")
    }

    @Test func syntaxErrorsCarryLineAndColumn() {
        #expect(throws: TemplateError(line: 2, column: 3, message: "'{{/b}}' closes nothing that is open (expected {{/a}})")) {
            try Template.parse("{{#a}}\n  {{/b}}", name: "t")
        }
        #expect(throws: TemplateError(line: 1, column: 5, message: "'{{open}}' is never closed")) {
            try Template.parse("abc {{#open}} text", name: "t")
        }
        #expect(throws: TemplateError(line: 1, column: 1, message: "a tag is never closed with '}}'")) {
            try Template.parse("{{name", name: "t")
        }
    }

    @Test func themeReportsUnknownPartialsWithSuggestionAndMissingTemplates() {
        let sources = Theme.requiredTemplates.map { TemplateSource(name: $0, text: "x", displayPath: "theme/templates/\($0).mustache") }
            + [TemplateSource(name: "partials/header", text: "h", displayPath: "theme/templates/partials/header.mustache"),
               TemplateSource(name: "broken", text: "line\n{{> partials/heder}}", displayPath: "theme/templates/broken.mustache")]
        let (theme, diagnostics) = Theme.load(sources, themeRoot: "theme")
        #expect(theme == nil)
        #expect(diagnostics.map(\.description) == [
            "theme/templates/broken.mustache:2:1: error: unknown template 'partials/heder' (did you mean 'partials/header'?)",
        ])
        let (_, missing) = Theme.load(Array(sources.dropFirst()), themeRoot: "theme")
        #expect(missing.map(\.description).contains("theme/templates/index.mustache:1:1: error: the theme has no template 'index'"))
    }
}
