import Mustache

/// The theme's templates, parsed once and checked: every template the site needs is there,
/// every partial and parent a template names exists, and syntax errors carry file:line:col.
public struct Theme: Sendable {
    /// Templates every theme provides, one per kind of page.
    public static let requiredTemplates = ["index", "post", "tag", "tags", "area", "areas", "archive",
                                           "period", "page", "404", "sidebar"]

    public let library: MustacheLibrary

    public static func load(_ sources: [TemplateSource], themeRoot: String) -> (theme: Theme?, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        var library = MustacheLibrary()
        let names = sources.map(\.name)
        for source in sources {
            do {
                library.register(try MustacheTemplate(string: source.text), named: source.name)
            } catch let error as MustacheTemplate.ParserError {
                let location = SourceLocation(path: source.displayPath, line: error.context.lineNumber,
                                              column: error.context.columnNumber)
                diagnostics.append(.error(location, "template syntax: \(describe(error.error))"))
            } catch {
                diagnostics.append(.error(SourceLocation(path: source.displayPath), "template syntax: \(error)"))
            }
            for reference in TemplateReferences.scan(source.text) where !names.contains(reference.name) {
                let location = SourceLocation(path: source.displayPath, line: reference.line, column: reference.column)
                diagnostics.append(.error(location, "unknown template '\(reference.name)'"
                                          + NearestName.hint(for: reference.name, among: names)))
            }
        }
        for required in requiredTemplates where !names.contains(required) {
            let path = SourceFile.join(themeRoot, "templates/\(required).mustache")
            diagnostics.append(.error(SourceLocation(path: path), "the theme has no template '\(required)'"
                                      + NearestName.hint(for: required, among: names)))
        }
        return (diagnostics.hasErrors ? nil : Theme(library: library), diagnostics)
    }

    /// Renders a template; its presence was checked at load.
    func render(_ context: [String: Any], template: String) -> String {
        library.render(context, withTemplate: template) ?? ""
    }

    private static func describe(_ error: Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "a section is closed with another name than it was opened with"
        case .unfinishedName: "a tag is not finished"
        case .expectedSectionEnd: "a section is never closed"
        case .invalidSetDelimiter: "bad set-delimiter tag"
        case .transformAppliedToInheritanceSection: "a transform cannot apply to an inherited section"
        case .illegalTokenInsideInheritSection, .textInsideInheritSection: "only blocks may stand inside a parent tag"
        case .invalidConfigVariableSyntax, .unrecognisedConfigVariable: "bad configuration tag"
        case nil: "\(error)"
        }
    }
}

/// The partials (`{{> name}}`) and parents (`{{< name}}`) a template names, with positions.
enum TemplateReferences {
    struct Reference: Equatable {
        var name: String
        var line: Int
        var column: Int
    }

    static func scan(_ text: String) -> [Reference] {
        var references: [Reference] = []
        let scalars = Array(text.unicodeScalars)
        var line = 1
        var column = 1
        var index = 0
        while index < scalars.count {
            if scalars[index] == "{", index + 2 < scalars.count, scalars[index + 1] == "{" {
                var cursor = index + 2
                while cursor < scalars.count, scalars[cursor] == " " { cursor += 1 }
                if cursor < scalars.count, scalars[cursor] == ">" || scalars[cursor] == "<" {
                    cursor += 1
                    var name = ""
                    while cursor < scalars.count, scalars[cursor] != "}" {
                        name.unicodeScalars.append(scalars[cursor])
                        cursor += 1
                    }
                    let trimmed = name.trimmingWhitespace()
                    if !trimmed.isEmpty { references.append(Reference(name: trimmed, line: line, column: column)) }
                }
            }
            if scalars[index] == "\n" {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return references
    }
}
