import MustacheEngine

/// The theme's templates, parsed once and checked: every template the site needs is there,
/// every partial and parent a template names exists, and syntax errors carry file:line:col.
public struct Theme: Sendable {
    /// Templates every theme provides, one per kind of page.
    public static let requiredTemplates = ["index", "post", "tag", "tags", "area", "areas", "archive",
                                           "period", "page", "404", "sidebar"]

    let templates: [String: Template]
    /// Each template's text, by name.
    var texts: [String: String] = [:]

    /// Whether a template other than `name` has `word` in its text (the build cache asks
    /// whether any page shows the sidebar).
    func mentions(_ word: String, outside name: String) -> Bool {
        texts.contains { $0.key != name && $0.value.contains(word) }
    }

    public static func load(_ sources: [TemplateSource], themeRoot: String) -> (theme: Theme?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var templates: [String: Template] = [:]
        let names = sources.map(\.name)
        for source in sources {
            do {
                let template = try Template.parse(source.text, name: source.name)
                templates[source.name] = template
                for reference in template.references where !names.contains(reference.name) {
                    let location = SourceLocation(path: source.displayPath, line: reference.line, column: reference.column)
                    diagnostics.append(.error(location, "unknown template '\(reference.name)'"
                                              + NearestName.hint(for: reference.name, among: names)))
                }
            } catch {
                let location = SourceLocation(path: source.displayPath, line: error.line, column: error.column)
                diagnostics.append(.error(location, "template syntax: \(error.message)"))
            }
        }
        for required in requiredTemplates where !names.contains(required) {
            let path = SourceFile.join(themeRoot, "templates/\(required).mustache")
            diagnostics.append(.error(SourceLocation(path: path), "the theme has no template '\(required)'"
                                      + NearestName.hint(for: required, among: names)))
        }
        let texts = Dictionary(sources.map { ($0.name, $0.text) }, uniquingKeysWith: { first, _ in first })
        return (diagnostics.hasErrors ? nil : Theme(templates: templates, texts: texts), diagnostics)
    }

    /// Renders a template (whose presence was checked at load) to UTF-8 bytes.
    func renderBytes(_ context: TemplateValue, template name: String, capacity: Int = 16384) -> [UInt8] {
        Template.render(name, in: templates, context: context, capacity: capacity)
    }

    func render(_ context: TemplateValue, template name: String) -> String {
        String(decoding: renderBytes(context, template: name), as: UTF8.self)
    }
}
