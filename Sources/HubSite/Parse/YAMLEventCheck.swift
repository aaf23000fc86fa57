// libyaml as Yams builds it: Yams composes its nodes from this event stream.
import CYaml

/// Problems found in YAML's event stream before Yams composes it (docs/security.md, "YAML").
///
/// Yams groups each mapping's keys by hashing them, and the hash of a key expands every alias
/// inside it: ten levels of ten-item lists behind one alias key took 18 s at 452 bytes. Nor does
/// Yams see `name` and `!foo name` as the same key, as its hash takes in the tag. So the events
/// are read once first, with a budget: an alias anywhere inside a key is refused, aliases may
/// repeat at most `expansionBudget` values in all, and a key written twice is an error
/// whatever its tag.
enum YAMLEventCheck {
    static let expansionBudget = 10_000

    struct Problem: Equatable {
        /// 1-based, relative to the YAML.
        var line: Int
        var column: Int
        var message: String
    }

    private struct Collection {
        var isMapping: Bool
        /// Inside a mapping: whether the next node is a key.
        var expectsKey = true
        /// Whether this collection is itself (part of) a key.
        var isInKey: Bool
        /// Values it holds, aliases counted as what they repeat.
        var size = 1
        var anchor: String?
        var keys: Set<String> = []
    }

    /// What one reading of the events found.
    enum Outcome {
        case problem(Problem)
        /// No problem, and the values, built from the same events (nil for empty front matter).
        case values(YAMLValue?)
        /// No problem found, but the values are for Yams to compose: a syntax error (which Yams
        /// reports) or YAML that `YAMLValueBuilder` leaves to Yams.
        case leftToYams
    }

    /// The first problem; without one, the values when they could be built on the way.
    static func read(_ yaml: String) -> Outcome {
        var yaml = yaml
        return yaml.withUTF8 { bytes -> Outcome in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else { return .leftToYams }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

            var builder = YAMLValueBuilder()
            var stack: [Collection] = []
            var anchorSizes: [String: Int] = [:]
            var expanded = 0

            /// A node of `size` values ended: count it in its parent and move the parent on.
            func finish(size: Int, anchor: String?) {
                if let anchor { anchorSizes[anchor] = size }
                guard !stack.isEmpty else { return }
                stack[stack.count - 1].size += size
                if stack[stack.count - 1].isMapping { stack[stack.count - 1].expectsKey.toggle() }
            }
            var isInKey: Bool {
                guard let top = stack.last else { return false }
                return top.isInKey || (top.isMapping && top.expectsKey)
            }

            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .leftToYams }
                defer { yaml_event_delete(&event) }
                let mark = event.start_mark
                func problem(_ message: String) -> Outcome {
                    .problem(Problem(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message))
                }
                builder.add(event)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return builder.gaveUp ? .leftToYams : .values(builder.root)
                case YAML_ALIAS_EVENT:
                    let name = text(event.data.alias.anchor)
                    if isInKey { return problem("an alias (*\(name)) cannot be a key; write the key out") }
                    let size = anchorSizes[name] ?? 1
                    expanded += size
                    if expanded > expansionBudget {
                        return problem("aliases here repeat more than 10,000 values; write the values out instead")
                    }
                    finish(size: size, anchor: nil)
                case YAML_SCALAR_EVENT:
                    if let top = stack.last, top.isMapping, top.expectsKey, !top.isInKey {
                        let key = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value,
                                                                       count: Int(event.data.scalar.length)), as: UTF8.self)
                        if stack[stack.count - 1].keys.insert(key).inserted == false {
                            return problem("duplicate key '\(key)' in front matter")
                        }
                    }
                    finish(size: 1, anchor: optionalText(event.data.scalar.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    stack.append(Collection(isMapping: false, isInKey: isInKey, anchor: optionalText(event.data.sequence_start.anchor)))
                case YAML_MAPPING_START_EVENT:
                    stack.append(Collection(isMapping: true, isInKey: isInKey, anchor: optionalText(event.data.mapping_start.anchor)))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = stack.popLast() else { return .leftToYams }
                    finish(size: done.size, anchor: done.anchor)
                default:
                    break
                }
            }
        }
    }

    private static func optionalText(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
        optionalText(pointer) ?? ""
    }
}
