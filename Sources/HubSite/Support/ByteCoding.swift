/// A compact binary form for the build cache: variable-length integers and length-prefixed
/// UTF-8, written and read in the same order. Nothing outside the cache reads it.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    mutating func int(_ value: Int) { unsigned(UInt64(bitPattern: Int64(value))) }
    mutating func int64(_ value: Int64) { unsigned(UInt64(bitPattern: value)) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optional(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    mutating func list<Element>(_ values: [Element], _ write: (inout ByteWriter, Element) -> Void) {
        int(values.count)
        for value in values { write(&self, value) }
    }
}

/// Reads what `ByteWriter` wrote; any damage (a short or corrupt file) throws, never traps.
struct ByteReader {
    struct Damaged: Error {}

    private let bytes: [UInt8]
    private(set) var offset: Int
    private let end: Int

    init(_ bytes: [UInt8]) {
        self.init(bytes, range: 0..<bytes.count)
    }

    /// Reads only `range` of `bytes`.
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    var isAtEnd: Bool { offset == end }

    mutating func unsigned() throws(Damaged) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while offset < end, shift < 64 {
            let byte = bytes[offset]
            offset += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
        throw Damaged()
    }

    mutating func int64() throws(Damaged) -> Int64 { Int64(bitPattern: try unsigned()) }
    mutating func int() throws(Damaged) -> Int { Int(try int64()) }

    /// A size or an offset in a file: never negative, and small enough that adding two of them
    /// cannot overflow, whatever a damaged file says.
    mutating func size() throws(Damaged) -> Int {
        let value = try int()
        guard (0...Self.largestSize).contains(value) else { throw Damaged() }
        return value
    }

    static let largestSize = 1 << 48

    /// `start..<start + length`, both read as sizes.
    mutating func range() throws(Damaged) -> Range<Int> {
        let start = try size()
        return start..<start + (try size())
    }

    /// A count of things still to read, each at least one byte long.
    mutating func count() throws(Damaged) -> Int {
        let value = try int()
        guard value >= 0, value <= end - offset else { throw Damaged() }
        return value
    }

    mutating func bool() throws(Damaged) -> Bool {
        guard offset < end, bytes[offset] <= 1 else { throw Damaged() }
        offset += 1
        return bytes[offset - 1] == 1
    }

    mutating func string() throws(Damaged) -> String {
        let length = try count()
        defer { offset += length }
        return String(decoding: bytes[offset..<offset + length], as: UTF8.self)
    }

    mutating func optional() throws(Damaged) -> String? {
        try bool() ? try string() : nil
    }

    mutating func list<Element>(_ read: (inout ByteReader) throws(Damaged) -> Element) throws(Damaged) -> [Element] {
        let count = try count()
        var values: [Element] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try read(&self)) }
        return values
    }
}

/// FNV-1a, 64 bits: a digest that is the same in every run (Swift's `Hasher` is seeded per
/// process), for telling whether a file's front matter changed between builds.
enum StableHash {
    static func of(_ text: String, seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return hash
    }
}
