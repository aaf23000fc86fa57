/// A Mustache template, parsed once: text, variables, sections, inverted sections, comments,
/// partials (`{{> name}}`) and inheritance (`{{< parent}}` with `{{$ block}}`s).
///
/// The site uses its own small engine rather than a general library: it renders from
/// Sendable `TemplateValue`s on every core, escapes on UTF-8 bytes, and reports every problem
/// with its line and column (see the performance notes in the README).
public struct Template: Sendable {
    public let name: String
    let nodes: [TemplateNode]
    /// Partials and parents this template names, with where.
    let references: [TemplateReference]
}

struct TemplateReference: Sendable, Equatable {
    var name: String
    var line: Int
    var column: Int
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
}
