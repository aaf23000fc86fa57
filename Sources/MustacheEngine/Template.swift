/// A Mustache template, parsed once: text, variables, sections, inverted sections, comments,
/// partials (`{{> name}}`) and inheritance (`{{< parent}}` with `{{$ block}}`s).
///
/// The site uses its own small engine rather than a general library: it renders from
/// Sendable `TemplateValue`s on every core, escapes on UTF-8 bytes, and reports every problem
/// with its line and column. On the bench theme's pages, from the same view data, it was 20 to
/// 27 times as fast as swift-mustache 2.1.1 (fastest runs; a post page 7 µs against 143 µs, a
/// list of 100 posts 75 µs against 2 ms) with 11 to 136 times fewer allocations:
/// `swift package --package-path Benchmarks benchmark --target MustacheEngines`
/// (Benchmarks/Benchmarks/MustacheEngines/).
public struct Template: Sendable {
    public let name: String
    let nodes: [TemplateNode]
    /// Partials and parents this template names, with where.
    public let references: [TemplateReference]

    /// Parses Mustache text; a syntax error carries its line and column.
    public static func parse(_ text: String, name: String) throws(TemplateError) -> Template {
        try TemplateParser.parse(text, name: name)
    }

    /// Renders the template named `name` from `templates` (which also holds its partials and
    /// parents) to UTF-8 bytes; a name that is missing renders as nothing.
    public static func render(_ name: String, in templates: [String: Template], context: TemplateValue,
                              capacity: Int = 16384) -> [UInt8] {
        guard let template = templates[name] else { return [] }
        var renderer = TemplateRenderer(templates: templates, capacity: capacity)
        var stack = [context]
        renderer.render(template.nodes, stack: &stack, blocks: [:], depth: 0)
        return renderer.output
    }
}

public struct TemplateReference: Sendable, Equatable {
    public var name: String
    public var line: Int
    public var column: Int
}

indirect enum TemplateNode: Sendable {
    case text([UInt8])
    case variable(path: [String], escaped: Bool)
    case section(path: [String], inverted: Bool, body: [TemplateNode])
    case partial(name: String)
    /// `{{< parent}}` with the blocks it overrides.
    case parent(name: String, blocks: [String: [TemplateNode]])
    /// `{{$ block}}default{{/ block}}`
    case block(name: String, defaultBody: [TemplateNode])
}

public struct TemplateError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}
