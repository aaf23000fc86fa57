import CGzip
import Foundation

/// Pagefind 1.5 writes its filter index (`filter/*.pf_filter`) in hash-map order, which changes
/// from run to run, and names that file, and the `pf_meta` file that lists it, by a hash of its
/// bytes. This puts each filter's values in order and names the files from their new bytes, so
/// that the same site gives the same index, byte for byte (docs/content.md, "What the build produces").
///
/// The files are gzip around `pagefind_dcd` and one CBOR value (RFC 8949).
enum SearchIndexOrder {
    static let signature = Array("pagefind_dcd".utf8)

    /// Reorders the index in `folder` (the output's `pagefind/`).
    static func apply(in folder: String) throws(SearchIndex.Failure) {
        let manager = FileManager.default
        let filterFolder = folder + "/filter"
        var renamed: [String: String] = [:] // old hash -> new hash
        let filters = ((try? manager.contentsOfDirectory(atPath: filterFolder)) ?? []).filter { $0.hasSuffix(".pf_filter") }.sorted()
        for name in filters {
            let old = String(name.dropLast(".pf_filter".count))
            guard case .array(let parts)? = try read(filterFolder + "/" + name), parts.count == 2,
                  case .array(let values) = parts[1] else { throw failure("filter file \(name) is not as expected") }
            let sorted = CBOR.array([parts[0], .array(values.sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) })])
            let new = language(of: old) + "_" + hex(hash(sorted.encoded), digits: 7)
            try write(sorted, to: filterFolder + "/" + new + ".pf_filter")
            if new != old { try remove(filterFolder + "/" + name) }
            renamed[old] = new
        }
        guard !renamed.isEmpty else { return }

        let entryPath = folder + "/pagefind-entry.json"
        guard var entry = manager.contents(atPath: entryPath).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw failure("pagefind-entry.json is missing")
        }
        let metas = ((try? manager.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".pf_meta") }.sorted()
        for name in metas {
            let old = String(name.dropFirst("pagefind.".count).dropLast(".pf_meta".count))
            guard let meta = try read(folder + "/" + name) else { throw failure("meta file \(name) is not as expected") }
            let ordered = meta.renamingFilters(renamed)
            let new = language(of: old) + "_" + hex(hash(ordered.encoded), digits: 13)
            try write(ordered, to: folder + "/pagefind." + new + ".pf_meta")
            if new != old { try remove(folder + "/" + name) }
            entry = entry.replacingOccurrences(of: "\"\(old)\"", with: "\"\(new)\"")
        }
        guard manager.createFile(atPath: entryPath, contents: Data(entry.utf8)) else { throw failure("cannot write \(entryPath)") }
    }

    private static func failure(_ text: String) -> SearchIndex.Failure {
        SearchIndex.Failure(description: "cannot put Pagefind's index in order: \(text)")
    }

    private static func language(of hash: String) -> String {
        hash.split(separator: "_").dropLast().joined(separator: "_")
    }

    private static func read(_ path: String) throws(SearchIndex.Failure) -> CBOR? {
        guard let zipped = FileManager.default.contents(atPath: path) else { throw failure("cannot read \(path)") }
        let input = [UInt8](zipped)
        var capacity = max(4096, input.count * 16)
        while capacity <= 1 << 30 {
            var output = [UInt8](repeating: 0, count: capacity)
            let length = hubsite_gunzip(input, input.count, &output, capacity)
            if length >= 0 {
                let bytes = output[..<length]
                guard bytes.starts(with: signature) else { return nil }
                var reader = CBOR.Reader(bytes: Array(bytes.dropFirst(signature.count)))
                return reader.value()
            }
            capacity *= 4
        }
        return nil
    }

    private static func write(_ value: CBOR, to path: String) throws(SearchIndex.Failure) {
        let plain = signature + value.encoded
        var output = [UInt8](repeating: 0, count: plain.count + plain.count / 100 + 64)
        let length = hubsite_gzip(plain, plain.count, &output, output.count)
        guard length >= 0, FileManager.default.createFile(atPath: path, contents: Data(output[..<length])) else {
            throw failure("cannot write \(path)")
        }
    }

    private static func remove(_ path: String) throws(SearchIndex.Failure) {
        do { try FileManager.default.removeItem(atPath: path) } catch { throw failure("cannot remove \(path)") }
    }

    /// FNV-1a, 64 bits: only names files, so it need not be cryptographic.
    private static func hash(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0xcbf29ce484222325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x100000001b3 }
        return value
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String((String(repeating: "0", count: max(0, 16 - text.count)) + text).prefix(digits))
    }
}

/// The part of CBOR that Pagefind writes: integers, strings, arrays, maps and simple values.
indirect enum CBOR: Equatable {
    case unsigned(UInt64)
    case negative(UInt64)
    case bytes([UInt8])
    case text([UInt8])
    case array([CBOR])
    case map([(CBOR, CBOR)])
    /// Major type 7, kept as its bytes (head included).
    case simple([UInt8])

    static func == (a: CBOR, b: CBOR) -> Bool { a.encoded == b.encoded }

    /// Orders a filter's entries (`[value, pages]`) by their value's bytes.
    var sortKey: [UInt8] {
        if case .array(let parts) = self, let first = parts.first { return first.encoded }
        return encoded
    }

    /// Filter hashes replaced by their new names; lists of `[name, hash]` pairs put in name order.
    func renamingFilters(_ renamed: [String: String]) -> CBOR {
        switch self {
        case .text(let bytes):
            return renamed[String(decoding: bytes, as: UTF8.self)].map { .text(Array($0.utf8)) } ?? self
        case .array(let items):
            let mapped = items.map { $0.renamingFilters(renamed) }
            let isFilterList = !mapped.isEmpty && mapped.allSatisfy { item in
                guard case .array(let pair) = item, pair.count == 2, case .text(let hash) = pair[1] else { return false }
                return renamed.values.contains(String(decoding: hash, as: UTF8.self))
            }
            return .array(isFilterList ? mapped.sorted { $0.sortKey.lexicographicallyPrecedes($1.sortKey) } : mapped)
        case .map(let entries):
            return .map(entries.map { ($0.0.renamingFilters(renamed), $0.1.renamingFilters(renamed)) })
        default:
            return self
        }
    }

    var encoded: [UInt8] {
        var out: [UInt8] = []
        write(to: &out)
        return out
    }

    private func write(to out: inout [UInt8]) {
        switch self {
        case .unsigned(let value): Self.head(0, value, &out)
        case .negative(let value): Self.head(1, value, &out)
        case .bytes(let bytes): Self.head(2, UInt64(bytes.count), &out); out += bytes
        case .text(let bytes): Self.head(3, UInt64(bytes.count), &out); out += bytes
        case .array(let items):
            Self.head(4, UInt64(items.count), &out)
            for item in items { item.write(to: &out) }
        case .map(let entries):
            Self.head(5, UInt64(entries.count), &out)
            for (key, value) in entries {
                key.write(to: &out)
                value.write(to: &out)
            }
        case .simple(let bytes): out += bytes
        }
    }

    private static func head(_ major: UInt8, _ value: UInt64, _ out: inout [UInt8]) {
        let type = major << 5
        switch value {
        case 0..<24: out.append(type | UInt8(value))
        case 24..<0x100: out += [type | 24, UInt8(value)]
        case 0x100..<0x10000: out += [type | 25] + (0..<2).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        case 0x10000..<0x1_0000_0000: out += [type | 26] + (0..<4).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        default: out += [type | 27] + (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
        }
    }

    /// Reads definite-length items only (what Pagefind writes); nil on anything else.
    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var depth = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func value() -> CBOR? {
            guard index < bytes.count, depth < 64 else { return nil }
            let start = index
            let initial = bytes[index]
            index += 1
            let major = initial >> 5, info = initial & 0x1f
            if major == 7 {
                let extra = info < 24 ? 0 : info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : -1
                guard extra >= 0, index + extra <= bytes.count else { return nil }
                index += extra
                return .simple(Array(bytes[start..<index]))
            }
            guard let argument = argument(info) else { return nil }
            switch major {
            case 0: return .unsigned(argument)
            case 1: return .negative(argument)
            case 2, 3:
                guard argument <= UInt64(bytes.count - index) else { return nil }
                let end = index + Int(argument)
                defer { index = end }
                let slice = Array(bytes[index..<end])
                return major == 2 ? .bytes(slice) : .text(slice)
            case 4:
                guard argument <= UInt64(bytes.count - index) else { return nil }
                depth += 1
                defer { depth -= 1 }
                var items: [CBOR] = []
                for _ in 0..<argument {
                    guard let item = value() else { return nil }
                    items.append(item)
                }
                return .array(items)
            case 5:
                guard argument <= UInt64(bytes.count - index) else { return nil }
                depth += 1
                defer { depth -= 1 }
                var entries: [(CBOR, CBOR)] = []
                for _ in 0..<argument {
                    guard let key = value(), let item = value() else { return nil }
                    entries.append((key, item))
                }
                return .map(entries)
            default:
                return nil // tags are not written by Pagefind
            }
        }

        private mutating func argument(_ info: UInt8) -> UInt64? {
            if info < 24 { return UInt64(info) }
            let count = info == 24 ? 1 : info == 25 ? 2 : info == 26 ? 4 : info == 27 ? 8 : 0
            guard count > 0, index + count <= bytes.count else { return nil }
            var value: UInt64 = 0
            for _ in 0..<count {
                value = value << 8 | UInt64(bytes[index])
                index += 1
            }
            return value
        }
    }
}
