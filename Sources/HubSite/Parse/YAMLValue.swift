import CYaml
import Yams

/// A front matter value as `FrontMatter` reads it: text (and whether it was written plain,
/// unquoted), a list or a mapping, each with where it starts (1-based, in the YAML).
indirect enum YAMLValue {
    case scalar(String, isPlain: Bool, at: YAMLPosition?)
    case sequence([YAMLValue], at: YAMLPosition?)
    case mapping([(key: YAMLValue, value: YAMLValue)], at: YAMLPosition?)
    /// Yams's name for a repeated value it did not expand; front matter never needs one.
    case alias(at: YAMLPosition?)

    var text: String? {
        if case .scalar(let text, _, _) = self { return text }
        return nil
    }

    var position: YAMLPosition? {
        switch self {
        case .scalar(_, _, let position), .sequence(_, let position), .mapping(_, let position), .alias(let position):
            position
        }
    }

    /// The same value from Yams's tree (front matter that `YAMLValueBuilder` leaves to Yams).
    init(_ node: Node) {
        let position = node.mark.map { YAMLPosition(line: $0.line, column: $0.column) }
        switch node {
        case .scalar(let scalar): self = .scalar(scalar.string, isPlain: scalar.style == .plain, at: position)
        case .sequence(let sequence): self = .sequence(sequence.map(YAMLValue.init), at: position)
        case .mapping(let mapping): self = .mapping(mapping.map { (YAMLValue($0.key), YAMLValue($0.value)) }, at: position)
        case .alias: self = .alias(at: position)
        }
    }
}

struct YAMLPosition {
    var line: Int
    var column: Int
}

/// Builds the values from the libyaml events that `YAMLEventCheck` reads anyway, so that
/// plain front matter is parsed once, not twice (once more by Yams).
///
/// It builds only what Yams would compose the same way: scalars, lists and mappings with
/// text keys, in one document. On anything else (an anchor or alias, a key that is a list
/// or mapping, a second document, text that is not UTF-8) it gives up, and the caller
/// composes with Yams, which also reports what is wrong with text that is not valid YAML.
struct YAMLValueBuilder {
    private enum Frame {
        case sequence([YAMLValue], at: YAMLPosition)
        case mapping([(key: YAMLValue, value: YAMLValue)], pendingKey: YAMLValue?, at: YAMLPosition)
    }

    private var stack: [Frame] = []
    private var documents = 0
    /// The document's root, once complete.
    private(set) var root: YAMLValue?
    /// True when the value must come from Yams instead.
    private(set) var gaveUp = false

    mutating func add(_ event: yaml_event_t) {
        guard !gaveUp else { return }
        let position = YAMLPosition(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 { gaveUp = true }
        case YAML_ALIAS_EVENT:
            gaveUp = true
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            guard scalar.anchor == nil,
                  let text = String(validating: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            else { return gaveUp = true }
            place(.scalar(text, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, at: position))
        case YAML_SEQUENCE_START_EVENT:
            guard event.data.sequence_start.anchor == nil else { return gaveUp = true }
            stack.append(.sequence([], at: position))
        case YAML_MAPPING_START_EVENT:
            guard event.data.mapping_start.anchor == nil else { return gaveUp = true }
            stack.append(.mapping([], pendingKey: nil, at: position))
        case YAML_SEQUENCE_END_EVENT:
            guard case .sequence(let items, let start)? = stack.popLast() else { return gaveUp = true }
            place(.sequence(items, at: start))
        case YAML_MAPPING_END_EVENT:
            guard case .mapping(let pairs, nil, let start)? = stack.popLast() else { return gaveUp = true }
            place(.mapping(pairs, at: start))
        default:
            break
        }
    }

    /// Puts a finished value in its parent, or makes it the root.
    private mutating func place(_ value: YAMLValue) {
        switch stack.popLast() {
        case nil:
            root = value
        case .sequence(var items, let start)?:
            items.append(value)
            stack.append(.sequence(items, at: start))
        case .mapping(var pairs, let key?, let start)?:
            pairs.append((key, value))
            stack.append(.mapping(pairs, pendingKey: nil, at: start))
        case .mapping(let pairs, nil, let start)?:
            // A key that is a list or mapping: Yams compares such keys by value.
            guard case .scalar = value else { return gaveUp = true }
            stack.append(.mapping(pairs, pendingKey: value, at: start))
        }
    }
}
