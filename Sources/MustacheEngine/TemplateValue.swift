/// What a template sees: text, booleans, numbers, lists and objects. View models are built
/// from these, so they are Sendable and carry no domain types. `{{x}}` escapes text;
/// `{{{x}}}` writes it as it is (for HTML the site rendered itself).
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case bool(Bool)
    case number(Int)
    case list([TemplateValue])
    case object([String: TemplateValue])
    case null

    /// Whether a section `{{#x}}` shows (and `{{^x}}` hides).
    public var isTruthy: Bool {
        switch self {
        case .text(let text): !text.isEmpty
        case .bool(let value): value
        case .number: true
        case .list(let items): !items.isEmpty
        case .object: true
        case .null: false
        }
    }

    public subscript(key: String) -> TemplateValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(integerLiteral value: Int) { self = .number(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { first, _ in first }))
    }
    public init(nilLiteral: ()) { self = .null }

    /// Text, or null when absent.
    public static func optional(_ text: String?) -> TemplateValue { text.map(TemplateValue.text) ?? .null }
}
