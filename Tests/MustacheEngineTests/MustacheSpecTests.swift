import Testing
import MustacheEngine

/// The engine against the cases of the Mustache specification (interpolation, sections,
/// inverted sections, partials, comments and the inheritance extension), one case per row:
/// name, template, data, partials, expected output. Only the features the theme uses are
/// covered; the few places where the engine departs from the specification are tested as such
/// at the end.
struct MustacheSpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var template: String
        var data: TemplateValue = [:]
        var partials: [String: String] = [:]
        var expected: String
        var testDescription: String { name }
    }

    static func render(_ text: String, _ data: TemplateValue, partials: [String: String] = [:]) throws -> String {
        var templates = ["main": try Template.parse(text, name: "main")]
        for (name, body) in partials { templates[name] = try Template.parse(body, name: name) }
        return String(decoding: Template.render("main", in: templates, context: data), as: UTF8.self)
    }

    static let interpolationCases: [Case] = [
        Case(name: "No Interpolation", template: "Hello from {Mustache}!\n", expected: "Hello from {Mustache}!\n"),
        Case(name: "Basic Interpolation", template: "Hello, {{subject}}!\n", data: ["subject": "world"], expected: "Hello, world!\n"),
        Case(name: "HTML Escaping", template: "These characters should be HTML escaped: {{forbidden}}\n",
             data: ["forbidden": "& \" < >"], expected: "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n"),
        Case(name: "Triple Mustache", template: "These characters should not be HTML escaped: {{{forbidden}}}\n",
             data: ["forbidden": "& \" < >"], expected: "These characters should not be HTML escaped: & \" < >\n"),
        Case(name: "Ampersand", template: "These characters should not be HTML escaped: {{&forbidden}}\n",
             data: ["forbidden": "& \" < >"], expected: "These characters should not be HTML escaped: & \" < >\n"),
        Case(name: "Basic Integer Interpolation", template: "\"{{mph}} miles an hour!\"", data: ["mph": 85],
             expected: "\"85 miles an hour!\""),
        Case(name: "Basic Null Interpolation", template: "I ({{cannot}}) be seen!", data: ["cannot": nil], expected: "I () be seen!"),
        Case(name: "Context Miss Interpolation", template: "I ({{cannot}}) be seen!", expected: "I () be seen!"),
        Case(name: "Dotted Names - Basic Interpolation", template: "\"{{person.name}}\" == \"{{#person}}{{name}}{{/person}}\"",
             data: ["person": ["name": "Joe"]], expected: "\"Joe\" == \"Joe\""),
        Case(name: "Dotted Names - Arbitrary Depth", template: "\"{{a.b.c.d.e.name}}\" == \"Phil\"",
             data: ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]]], expected: "\"Phil\" == \"Phil\""),
        Case(name: "Dotted Names - Broken Chains", template: "\"{{a.b.c}}\" == \"\"", data: ["a": [:]], expected: "\"\" == \"\""),
        Case(name: "Dotted Names - Broken Chain Resolution", template: "\"{{a.b.c.name}}\" == \"\"",
             data: ["a": ["b": [:]], "c": ["name": "Jim"]], expected: "\"\" == \"\""),
        Case(name: "Dotted Names - Initial Resolution", template: "\"{{#a}}{{b.c.d.e.name}}{{/a}}\" == \"Phil\"",
             data: ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]], "b": ["c": ["d": ["e": ["name": "Wrong"]]]]],
             expected: "\"Phil\" == \"Phil\""),
        Case(name: "Implicit Iterators - Basic Interpolation", template: "Hello, {{.}}!\n", data: "world", expected: "Hello, world!\n"),
        Case(name: "Implicit Iterators - HTML Escaping", template: "These characters should be HTML escaped: {{.}}\n",
             data: "& \" < >", expected: "These characters should be HTML escaped: &amp; &quot; &lt; &gt;\n"),
        Case(name: "Interpolation - Surrounding Whitespace", template: "| {{string}} |", data: ["string": "---"], expected: "| --- |"),
        Case(name: "Interpolation - Standalone", template: "  {{string}}\n", data: ["string": "---"], expected: "  ---\n"),
        Case(name: "Interpolation With Padding", template: "|{{ string }}|", data: ["string": "---"], expected: "|---|"),
        Case(name: "Triple Mustache With Padding", template: "|{{{ string }}}|", data: ["string": "---"], expected: "|---|"),
        Case(name: "Ampersand With Padding", template: "|{{& string }}|", data: ["string": "---"], expected: "|---|"),
    ]

    static let sectionsCases: [Case] = [
        Case(name: "Truthy", template: "\"{{#boolean}}This should be rendered.{{/boolean}}\"", data: ["boolean": true],
             expected: "\"This should be rendered.\""),
        Case(name: "Falsey", template: "\"{{#boolean}}This should not be rendered.{{/boolean}}\"", data: ["boolean": false],
             expected: "\"\""),
        Case(name: "Null is falsey", template: "\"{{#null}}This should not be rendered.{{/null}}\"", data: ["null": nil],
             expected: "\"\""),
        Case(name: "Context", template: "\"{{#context}}Hi {{name}}.{{/context}}\"", data: ["context": ["name": "Joe"]],
             expected: "\"Hi Joe.\""),
        Case(name: "Parent contexts", template: "\"{{#sec}}{{a}}, {{b}}, {{c.d}}{{/sec}}\"",
             data: ["a": "foo", "b": "wrong", "sec": ["b": "bar"], "c": ["d": "baz"]], expected: "\"foo, bar, baz\""),
        Case(name: "Variable test", template: "\"{{#foo}}{{.}} is {{foo}}{{/foo}}\"", data: ["foo": "bar"], expected: "\"bar is bar\""),
        Case(name: "List", template: "\"{{#list}}{{item}}{{/list}}\"", data: ["list": [["item": 1], ["item": 2], ["item": 3]]],
             expected: "\"123\""),
        Case(name: "Empty List", template: "\"{{#list}}Yay lists!{{/list}}\"", data: ["list": []], expected: "\"\""),
        Case(name: "Doubled", template: "{{#bool}}\n* first\n{{/bool}}\n* {{two}}\n{{#bool}}\n* third\n{{/bool}}\n",
             data: ["bool": true, "two": "second"], expected: "* first\n* second\n* third\n"),
        Case(name: "Nested (Truthy)", template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": true],
             expected: "| A B C D E |"),
        Case(name: "Nested (Falsey)", template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": false],
             expected: "| A  E |"),
        Case(name: "Context Misses", template: "[{{#missing}}Found key 'missing'!{{/missing}}]", expected: "[]"),
        Case(name: "Implicit Iterator - String", template: "\"{{#list}}({{.}}){{/list}}\"", data: ["list": ["a", "b", "c", "d", "e"]],
             expected: "\"(a)(b)(c)(d)(e)\""),
        Case(name: "Implicit Iterator - Integer", template: "\"{{#list}}({{.}}){{/list}}\"", data: ["list": [1, 2, 3, 4, 5]],
             expected: "\"(1)(2)(3)(4)(5)\""),
        Case(name: "Dotted Names - Truthy", template: "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"Here\"",
             data: ["a": ["b": ["c": true]]], expected: "\"Here\" == \"Here\""),
        Case(name: "Dotted Names - Falsey", template: "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"",
             data: ["a": ["b": ["c": false]]], expected: "\"\" == \"\""),
        Case(name: "Dotted Names - Broken Chains", template: "\"{{#a.b.c}}Here{{/a.b.c}}\" == \"\"", data: ["a": [:]],
             expected: "\"\" == \"\""),
        Case(name: "Surrounding Whitespace", template: " | {{#boolean}}\t|\t{{/boolean}} | \n", data: ["boolean": true],
             expected: " | \t|\t | \n"),
        Case(name: "Internal Whitespace", template: " | {{#boolean}} {{! Important Whitespace }}\n {{/boolean}} | \n",
             data: ["boolean": true], expected: " |  \n  | \n"),
        Case(name: "Indented Inline Sections", template: " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
             data: ["boolean": true], expected: " YES\n GOOD\n"),
        Case(name: "Standalone Lines", template: "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n", data: ["boolean": true],
             expected: "| This Is\n|\n| A Line\n"),
        Case(name: "Indented Standalone Lines", template: "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n",
             data: ["boolean": true], expected: "| This Is\n|\n| A Line\n"),
        Case(name: "Standalone Line Endings", template: "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", data: ["boolean": true],
             expected: "|\r\n|"),
        Case(name: "Standalone Without Previous Line", template: "  {{#boolean}}\n#{{/boolean}}\n/", data: ["boolean": true],
             expected: "#\n/"),
        Case(name: "Standalone Without Newline", template: "#{{#boolean}}\n/\n  {{/boolean}}", data: ["boolean": true],
             expected: "#\n/\n"),
        Case(name: "Padding", template: "|{{# boolean }}={{/ boolean }}|", data: ["boolean": true], expected: "|=|"),
    ]

    static let invertedCases: [Case] = [
        Case(name: "Falsey", template: "\"{{^boolean}}This should be rendered.{{/boolean}}\"", data: ["boolean": false],
             expected: "\"This should be rendered.\""),
        Case(name: "Truthy", template: "\"{{^boolean}}This should not be rendered.{{/boolean}}\"", data: ["boolean": true],
             expected: "\"\""),
        Case(name: "Null is falsey", template: "\"{{^null}}This should be rendered.{{/null}}\"", data: ["null": nil],
             expected: "\"This should be rendered.\""),
        Case(name: "Context", template: "\"{{^context}}Hi {{name}}.{{/context}}\"", data: ["context": ["name": "Joe"]],
             expected: "\"\""),
        Case(name: "List", template: "\"{{^list}}{{n}}{{/list}}\"", data: ["list": [["n": 1], ["n": 2], ["n": 3]]], expected: "\"\""),
        Case(name: "Empty List", template: "\"{{^list}}Yay lists!{{/list}}\"", data: ["list": []], expected: "\"Yay lists!\""),
        Case(name: "Doubled", template: "{{^bool}}\n* first\n{{/bool}}\n* {{two}}\n{{^bool}}\n* third\n{{/bool}}\n",
             data: ["bool": false, "two": "second"], expected: "* first\n* second\n* third\n"),
        Case(name: "Nested (Falsey)", template: "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": false],
             expected: "| A B C D E |"),
        Case(name: "Nested (Truthy)", template: "| A {{^bool}}B {{^bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": true],
             expected: "| A  E |"),
        Case(name: "Context Misses", template: "[{{^missing}}Found key 'missing'!{{/missing}}]", expected: "[Found key 'missing'!]"),
        Case(name: "Dotted Names - Truthy", template: "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"\"",
             data: ["a": ["b": ["c": true]]], expected: "\"\" == \"\""),
        Case(name: "Dotted Names - Falsey", template: "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
             data: ["a": ["b": ["c": false]]], expected: "\"Not Here\" == \"Not Here\""),
        Case(name: "Dotted Names - Broken Chains", template: "\"{{^a.b.c}}Not Here{{/a.b.c}}\" == \"Not Here\"",
             data: ["a": [:]], expected: "\"Not Here\" == \"Not Here\""),
        Case(name: "Surrounding Whitespace", template: " | {{^boolean}}\t|\t{{/boolean}} | \n", data: ["boolean": false],
             expected: " | \t|\t | \n"),
        Case(name: "Standalone Lines", template: "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n", data: ["boolean": false],
             expected: "| This Is\n|\n| A Line\n"),
        Case(name: "Standalone Indented Lines", template: "| This Is\n  {{^boolean}}\n|\n  {{/boolean}}\n| A Line\n",
             data: ["boolean": false], expected: "| This Is\n|\n| A Line\n"),
        Case(name: "Standalone Line Endings", template: "|\r\n{{^boolean}}\r\n{{/boolean}}\r\n|", data: ["boolean": false],
             expected: "|\r\n|"),
        Case(name: "Padding", template: "|{{^ boolean }}={{/ boolean }}|", data: ["boolean": false], expected: "|=|"),
    ]

    static let partialsCases: [Case] = [
        Case(name: "Basic Behavior", template: "\"{{>text}}\"", partials: ["text": "from partial"], expected: "\"from partial\""),
        Case(name: "Context", template: "\"{{>partial}}\"", data: ["text": "content"], partials: ["partial": "*{{text}}*"],
             expected: "\"*content*\""),
        Case(name: "Recursion", template: "{{>node}}",
             data: ["content": "X", "nodes": [["content": "Y", "nodes": []]]],
             partials: ["node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"], expected: "X<Y<>>"),
        Case(name: "Nested", template: "{{>outer}}", data: ["a": "hello", "b": "world"],
             partials: ["outer": "*{{a}} {{>inner}}*", "inner": "{{b}}!"], expected: "*hello world!*"),
        Case(name: "Surrounding Whitespace", template: "| {{>partial}} |", partials: ["partial": "\t|\t"], expected: "| \t|\t |"),
        Case(name: "Inline Indentation", template: "  {{data}}  {{> partial}}\n", data: ["data": "|"],
             partials: ["partial": ">\n>"], expected: "  |  >\n>\n"),
        Case(name: "Standalone Line Endings", template: "|\r\n{{>partial}}\r\n|", partials: ["partial": ">"], expected: "|\r\n>|"),
        Case(name: "Padding Whitespace", template: "|{{> partial }}|", data: ["boolean": true], partials: ["partial": "[]"],
             expected: "|[]|"),
    ]

    static let commentsCases: [Case] = [
        Case(name: "Inline", template: "12345{{! Comment Block! }}67890", expected: "1234567890"),
        Case(name: "Multiline", template: "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", expected: "1234567890\n"),
        Case(name: "Standalone", template: "Begin.\n{{! Comment Block! }}\nEnd.\n", expected: "Begin.\nEnd.\n"),
        Case(name: "Indented Standalone", template: "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", expected: "Begin.\nEnd.\n"),
        Case(name: "Standalone Line Endings", template: "|\r\n{{! Standalone Comment }}\r\n|", expected: "|\r\n|"),
        Case(name: "Standalone Without Previous Line", template: "  {{! I'm Still Standalone }}\n!", expected: "!"),
        Case(name: "Standalone Without Newline", template: "!\n  {{! I'm Still Standalone }}", expected: "!\n"),
        Case(name: "Multiline Standalone", template: "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", expected: "Begin.\nEnd.\n"),
        Case(name: "Indented Multiline Standalone", template: "Begin.\n  {{!\n    Something's going on here...\n  }}\nEnd.\n",
             expected: "Begin.\nEnd.\n"),
        Case(name: "Indented Inline", template: "  12 {{! 34 }}\n", expected: "  12 \n"),
        Case(name: "Surrounding Whitespace", template: "12345 {{! Comment Block! }} 67890", expected: "12345  67890"),
    ]

    static let inheritanceCases: [Case] = [
        Case(name: "Default", template: "{{$title}}Default title{{/title}}\n", expected: "Default title\n"),
        Case(name: "Variable", template: "{{$foo}}default {{bar}} content{{/foo}}\n", data: ["bar": "baz"],
             expected: "default baz content\n"),
        Case(name: "Triple Mustache", template: "{{$foo}}default {{{bar}}} content{{/foo}}\n", data: ["bar": "<baz>"],
             expected: "default <baz> content\n"),
        Case(name: "Sections", template: "{{$foo}}default {{#bar}}{{baz}}{{/bar}} content{{/foo}}\n",
             data: ["bar": ["baz": "qux"]], expected: "default qux content\n"),
        Case(name: "Negative Sections", template: "{{$foo}}default {{^bar}}{{baz}}{{/bar}} content{{/foo}}\n",
             data: ["baz": "three"], expected: "default three content\n"),
        Case(name: "Mustache Injection", template: "{{$foo}}default {{#bar}}{{baz}}{{/bar}} content{{/foo}}\n",
             data: ["bar": ["baz": "{{qux}}"]], expected: "default {{qux}} content\n"),
        Case(name: "Inherit", template: "{{<include}}{{/include}}", partials: ["include": "{{$foo}}default content{{/foo}}"],
             expected: "default content"),
        Case(name: "Overridden content", template: "{{<super}}{{$title}}sub template title{{/title}}{{/super}}",
             partials: ["super": "...{{$title}}Default title{{/title}}..."], expected: "...sub template title..."),
        Case(name: "Data does not override block", template: "{{<include}}{{$var}}var in template{{/var}}{{/include}}",
             data: ["var": "var in data"], partials: ["include": "{{$var}}var in include{{/var}}"], expected: "var in template"),
        Case(name: "Data does not override block default", template: "{{<include}}{{/include}}",
             data: ["var": "var in data"], partials: ["include": "{{$var}}var in include{{/var}}"], expected: "var in include"),
        Case(name: "Overridden parent", template: "test {{<parent}}{{$stuff}}override{{/stuff}}{{/parent}}",
             partials: ["parent": "{{$stuff}}...{{/stuff}}"], expected: "test override"),
        Case(name: "Two overridden parents",
             template: "test {{<parent}}{{$stuff}}override1{{/stuff}}{{/parent}} {{<parent}}{{$stuff}}override2{{/stuff}}{{/parent}}\n",
             partials: ["parent": "|{{$stuff}}...{{/stuff}}{{$default}} default{{/default}}|"],
             expected: "test |override1 default| |override2 default|\n"),
        Case(name: "Only one override", template: "{{<parent}}{{$stuff2}}override two{{/stuff2}}{{/parent}}",
             partials: ["parent": "{{$stuff}}new default one{{/stuff}}, {{$stuff2}}new default two{{/stuff2}}"],
             expected: "new default one, override two"),
        Case(name: "Parent template", template: "{{>parent}}|{{<parent}}{{/parent}}",
             partials: ["parent": "{{$foo}}default content{{/foo}}"], expected: "default content|default content"),
        Case(name: "Multi-level inheritance", template: "{{<parent}}{{$a}}c{{/a}}{{/parent}}",
             partials: ["parent": "{{<older}}{{$a}}p{{/a}}{{/older}}", "older": "{{<grandParent}}{{$a}}o{{/a}}{{/grandParent}}",
                        "grandParent": "{{$a}}g{{/a}}"], expected: "c"),
        Case(name: "Multi-level inheritance, no sub child", template: "{{<parent}}{{/parent}}",
             partials: ["parent": "{{<older}}{{$a}}p{{/a}}{{/older}}", "older": "{{<grandParent}}{{$a}}o{{/a}}{{/grandParent}}",
                        "grandParent": "{{$a}}g{{/a}}"], expected: "p"),
        Case(name: "Text inside parent", template: "{{<parent}} asdfasd {{$foo}}hmm{{/foo}} asdfasdfasdf {{/parent}}",
             partials: ["parent": "{{$foo}}default content{{/foo}}"], expected: "hmm"),
        Case(name: "Text inside parent, no block", template: "{{<parent}} asdfasd asdfasdfasdf {{/parent}}",
             partials: ["parent": "{{$foo}}default content{{/foo}}"], expected: "default content"),
        Case(name: "Block scope", template: "{{<parent}}{{$block}}I say {{fruit}}.{{/block}}{{/parent}}",
             data: ["fruit": "apples", "nested": ["fruit": "bananas"]],
             partials: ["parent": "{{#nested}}{{$block}}You say {{fruit}}.{{/block}}{{/nested}}"], expected: "I say bananas."),
    ]

    @Test(arguments: interpolationCases) func interpolation(_ test: Case) throws { try check(test) }
    @Test(arguments: sectionsCases) func sections(_ test: Case) throws { try check(test) }
    @Test(arguments: invertedCases) func invertedSections(_ test: Case) throws { try check(test) }
    @Test(arguments: partialsCases) func partials(_ test: Case) throws { try check(test) }
    @Test(arguments: commentsCases) func comments(_ test: Case) throws { try check(test) }
    @Test(arguments: inheritanceCases) func inheritance(_ test: Case) throws { try check(test) }

    private func check(_ test: Case) throws {
        #expect(try Self.render(test.template, test.data, partials: test.partials) == test.expected)
    }

    // MARK: Where the engine departs from the specification, on purpose

    /// The specification re-indents every line of a standalone partial by the tag's
    /// indentation; the engine drops the tag's line whole, as it does for sections, so a
    /// template's own layout never adds whitespace to the HTML.
    @Test func standalonePartialsAreNotReindented() throws {
        #expect(try Self.render("\\\n {{>partial}}\n/\n", [:], partials: ["partial": "|\n{{{content}}}\n|\n"]) == "\\\n|\n\n|\n/\n")
    }

    /// The specification counts a line holding a parent tag and a block tag together as
    /// standalone ("Override parent with newlines" expects `peaked\n\n:(\n`); the engine
    /// judges each tag on its own, so the line break after `{{$ballmer}}` stays. The theme
    /// puts each tag of that kind on a line of its own.
    @Test func adjacentParentAndBlockTagsAreNotStandalone() throws {
        #expect(try Self.render("{{<parent}}{{$ballmer}}\npeaked\n\n:(\n{{/ballmer}}{{/parent}}", [:],
                                partials: ["parent": "{{$ballmer}}peaking{{/ballmer}}"]) == "\npeaked\n\n:(\n")
    }

    /// A missing partial renders as nothing, as the specification says; the theme checks at
    /// load that every partial and parent it names exists (see the theme tests).
    @Test func failedPartialLookupRendersNothing() throws {
        #expect(try Self.render("\"{{>text}}\"", [:]) == "\"\"")
    }

    /// Lambdas and changing delimiters are not supported: the theme needs neither, and a
    /// template that tries gets an error with its line and column rather than odd output.
    @Test func setDelimiterIsAnError() {
        #expect(throws: TemplateError(line: 2, column: 1, message: "changing delimiters is not supported")) {
            try Template.parse("x\n{{=<% %>=}}", name: "t")
        }
    }
}
