/// Renders parsed templates into UTF-8 bytes.
struct TemplateRenderer {
    let templates: [String: Template]
    private(set) var output: [UInt8] = []

    init(templates: [String: Template], capacity: Int) {
        self.templates = templates
        output.reserveCapacity(capacity)
    }

    mutating func render(_ nodes: [TemplateNode], stack: inout [TemplateValue], blocks: [String: [TemplateNode]], depth: Int) {
        guard depth < 64 else { return } // a partial that includes itself
        for node in nodes {
            switch node {
            case .text(let bytes):
                output.append(contentsOf: bytes)
            case .variable(let path, let escaped):
                guard let value = lookup(path, in: stack) else { continue }
                switch value {
                case .text(let text): escaped ? appendEscaped(text) : output.append(contentsOf: text.utf8)
                case .number(let number): output.append(contentsOf: String(number).utf8)
                case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
                case .list, .object, .null: break
                }
            case .section(let path, let inverted, let body):
                let value = lookup(path, in: stack) ?? .null
                if inverted {
                    if !value.isTruthy { render(body, stack: &stack, blocks: blocks, depth: depth) }
                    continue
                }
                guard value.isTruthy else { continue }
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(body, stack: &stack, blocks: blocks, depth: depth)
                        stack.removeLast()
                    }
                case .bool:
                    render(body, stack: &stack, blocks: blocks, depth: depth)
                default:
                    stack.append(value)
                    render(body, stack: &stack, blocks: blocks, depth: depth)
                    stack.removeLast()
                }
            case .partial(let name):
                if let template = templates[name] {
                    render(template.nodes, stack: &stack, blocks: blocks, depth: depth + 1)
                }
            case .parent(let name, let overrides):
                // Blocks of the most derived template win over those of its parents. A page's
                // own template has none above it: its blocks are taken as they are, unhashed.
                let merged = blocks.isEmpty ? overrides : blocks.merging(overrides) { derived, _ in derived }
                if let template = templates[name] {
                    render(template.nodes, stack: &stack, blocks: merged, depth: depth + 1)
                }
            case .block(let name, let defaultBody):
                render(blocks[name] ?? defaultBody, stack: &stack, blocks: blocks, depth: depth)
            }
        }
    }

    /// Mustache name resolution: the first name is looked up from the innermost context out;
    /// the rest of a dotted name only inside what that found.
    private func lookup(_ path: [String], in stack: [TemplateValue]) -> TemplateValue? {
        guard let first = path.first else { return stack.last }
        var found: TemplateValue?
        for context in stack.reversed() {
            if let value = context[first] {
                found = value
                break
            }
        }
        for key in path.dropFirst() {
            found = found?[key]
        }
        return found
    }

    private mutating func appendEscaped(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() {
                let replacement: StaticString
                switch byte {
                case 0x26: replacement = "&amp;"
                case 0x3C: replacement = "&lt;"
                case 0x3E: replacement = "&gt;"
                case 0x22: replacement = "&quot;"
                case 0x27: replacement = "&#39;"
                default: continue
                }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                output.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
                start = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
    }
}
