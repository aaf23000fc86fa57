/// The build cache's file format, derived from the types' own `Codable` conformances: a value
/// is written as its fields in declaration order (keys are not written), integers as
/// variable-length numbers, text as length-prefixed UTF-8, an optional behind a presence
/// byte, a list behind its count. A few small types met thousands of times (locations,
/// moments, file stamps, the state's records) are leaves, `CacheScalar`s that write their
/// own fields. Only the same program reads it back (the cache records the
/// program that wrote it), so a change to a type needs no version number.
///
/// Keyed containers are read in the order they were written, so `allKeys` is empty: a type
/// the cache keeps may not be an enum with associated values or a dictionary (such types
/// encode themselves as lists).
enum CacheCoding {
    struct Damaged: Error {}

    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let sink = CacheSink()
        try CacheEncoder(sink: sink).encodeValue(value)
        return sink.bytes
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: [UInt8]) throws -> Value {
        let source = CacheSource(bytes)
        let value = try CacheDecoder(source: source).decodeValue(type)
        guard source.isAtEnd else { throw Damaged() }
        return value
    }

    /// A digest of a value's encoding: what the build cache compares to tell whether an
    /// output's inputs changed.
    static func digest<Value: Encodable>(_ value: Value) -> UInt64 {
        (try? encode(value)).map { StableHash.of($0) } ?? 0
    }

    /// `digest` of each value, spread over the cores in runs that share one sink, so that
    /// each run finds how to write a type once (`CacheForm`).
    static func digests<Value: Encodable & Sendable>(_ values: [Value]) -> [UInt64] {
        let runLength = 256
        let runs = stride(from: 0, to: values.count, by: runLength).map { values[$0..<min(values.count, $0 + runLength)] }
        return runs.parallelMap { run in
            let sink = CacheSink()
            return run.map { value in
                sink.bytes.removeAll(keepingCapacity: true)
                return (try? CacheEncoder(sink: sink).encodeValue(value)).map { StableHash.of(sink.bytes) } ?? 0
            }
        }.flatMap { $0 }
    }
}

// MARK: - Scalars

protocol CacheScalar {
    func write(to sink: CacheSink)
    static func read(from source: CacheSource) throws -> Self
}

extension CacheScalar where Self: FixedWidthInteger {
    func write(to sink: CacheSink) {
        if Self.isSigned { sink.signed(Int64(truncatingIfNeeded: self)) } else { sink.unsigned(UInt64(truncatingIfNeeded: self)) }
    }

    static func read(from source: CacheSource) throws -> Self {
        let value = Self.isSigned ? Self(exactly: try source.signed()) : Self(exactly: try source.unsigned())
        guard let value else { throw CacheCoding.Damaged() }
        return value
    }
}

extension Int: CacheScalar {}
extension Int8: CacheScalar {}
extension Int16: CacheScalar {}
extension Int32: CacheScalar {}
extension Int64: CacheScalar {}
extension UInt: CacheScalar {}
extension UInt8: CacheScalar {}
extension UInt16: CacheScalar {}
extension UInt32: CacheScalar {}
extension UInt64: CacheScalar {}

extension Bool: CacheScalar {
    func write(to sink: CacheSink) { sink.bytes.append(self ? 1 : 0) }
    static func read(from source: CacheSource) throws -> Bool { try source.byte() != 0 }
}

extension String: CacheScalar {
    func write(to sink: CacheSink) { sink.text(self) }
    static func read(from source: CacheSource) throws -> String { try source.text() }
}

extension Double: CacheScalar {
    func write(to sink: CacheSink) { sink.unsigned(bitPattern) }
    static func read(from source: CacheSource) throws -> Double { Double(bitPattern: try source.unsigned()) }
}

extension Float: CacheScalar {
    func write(to sink: CacheSink) { sink.unsigned(UInt64(bitPattern)) }
    static func read(from source: CacheSource) throws -> Float {
        guard let bits = UInt32(exactly: try source.unsigned()) else { throw CacheCoding.Damaged() }
        return Float(bitPattern: bits)
    }
}

/// Small values met many times (a post has a dozen locations, the state a stamp for every
/// file), written as their fields one after the other: through `Codable`, each would be a
/// keyed container of its own, and reading those back was most of the cost of a rebuild's memos.
extension SourceLocation: CacheScalar {
    func write(to sink: CacheSink) {
        path.write(to: sink)
        line.write(to: sink)
        column.write(to: sink)
    }

    static func read(from source: CacheSource) throws -> SourceLocation {
        SourceLocation(path: try String.read(from: source), line: try Int.read(from: source), column: try Int.read(from: source))
    }
}

/// The reading in the site's zone follows from the instant and the offset.
extension Moment: CacheScalar {
    func write(to sink: CacheSink) {
        epochSeconds.write(to: sink)
        offsetSeconds.write(to: sink)
    }

    /// Years 0 to 9999 and offsets within a day: out of those, the bytes are damaged (and the
    /// calendar arithmetic would overflow).
    static func read(from source: CacheSource) throws -> Moment {
        let (epochSeconds, offsetSeconds) = (try Int64.read(from: source), try Int.read(from: source))
        guard (-62_167_219_200...253_402_300_799).contains(epochSeconds), (-86_400...86_400).contains(offsetSeconds) else {
            throw CacheCoding.Damaged()
        }
        return Moment(epochSeconds: epochSeconds, offsetSeconds: offsetSeconds)
    }
}

/// The state holds one for every input and every output.
extension FileStamp: CacheScalar {
    func write(to sink: CacheSink) {
        size.write(to: sink)
        modified.write(to: sink)
        inode.write(to: sink)
    }

    static func read(from source: CacheSource) throws -> FileStamp {
        FileStamp(size: try Int64.read(from: source), modified: try Int64.read(from: source), inode: try UInt64.read(from: source))
    }
}

/// The state's records: one for every input file and one for every output.
extension BuildCache.Input: CacheScalar {
    func write(to sink: CacheSink) {
        path.write(to: sink)
        stamp.write(to: sink)
    }

    static func read(from source: CacheSource) throws -> BuildCache.Input {
        BuildCache.Input(path: try String.read(from: source), stamp: try FileStamp.read(from: source))
    }
}

extension BuildCache.Output: CacheScalar {
    func write(to sink: CacheSink) {
        path.write(to: sink)
        key.write(to: sink)
        stamp.write(to: sink)
    }

    static func read(from source: CacheSource) throws -> BuildCache.Output {
        BuildCache.Output(path: try String.read(from: source), key: try UInt64.read(from: source), stamp: try FileStamp.read(from: source))
    }
}

extension Located: CacheScalar where Value: CacheScalar {
    func write(to sink: CacheSink) {
        value.write(to: sink)
        location.write(to: sink)
    }

    static func read(from source: CacheSource) throws -> Located {
        Located(try Value.read(from: source), at: try SourceLocation.read(from: source))
    }
}

/// An optional met where there is no field to hang a presence byte on (inside a list).
private protocol CacheOptional {
    static func encodeWrapped<Value>(_ value: Value, with encoder: CacheEncoder) throws
    static func decodeWrapped(from decoder: CacheDecoder) throws -> Self
}

extension Optional: CacheOptional where Wrapped: Codable {
    static func encodeWrapped<Value>(_ value: Value, with encoder: CacheEncoder) throws {
        guard let optional = value as? Self else { throw CacheCoding.Damaged() }
        guard let wrapped = optional else { return encoder.sink.bytes.append(0) }
        encoder.sink.bytes.append(1)
        try encoder.encodeValue(wrapped)
    }

    static func decodeWrapped(from decoder: CacheDecoder) throws -> Self {
        try decoder.source.byte() == 0 ? nil : try decoder.decodeValue(Wrapped.self)
    }
}

extension CacheScalar {
    fileprivate static func write<Value>(_ value: Value, to sink: CacheSink) throws {
        guard let scalar = value as? Self else { throw CacheCoding.Damaged() }
        scalar.write(to: sink)
    }
}

/// How the format writes a type: as a scalar, as an optional, or field by field. Found once
/// per type by the sink or source that meets it: each cast to a protocol is a conformance
/// lookup, and a memo file meets the same few dozen types a hundred thousand times.
private enum CacheForm {
    case scalar(any CacheScalar.Type)
    case optional(any CacheOptional.Type)
    case fields

    static func of(_ type: Any.Type, known: inout [ObjectIdentifier: CacheForm]) -> CacheForm {
        if let form = known[ObjectIdentifier(type)] { return form }
        // Optionals first: a cast to `CacheScalar` would look through `.some`.
        let form: CacheForm = if let optional = type as? any CacheOptional.Type { .optional(optional) }
            else if let scalar = type as? any CacheScalar.Type { .scalar(scalar) } else { .fields }
        known[ObjectIdentifier(type)] = form
        return form
    }
}

// MARK: - Bytes

final class CacheSink {
    var bytes: [UInt8] = []
    fileprivate var forms: [ObjectIdentifier: CacheForm] = [:]

    func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    func text(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }
}

final class CacheSource {
    private let bytes: [UInt8]
    private var position = 0
    fileprivate var forms: [ObjectIdentifier: CacheForm] = [:]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { position == bytes.count }

    func byte() throws -> UInt8 {
        guard position < bytes.count else { throw CacheCoding.Damaged() }
        defer { position += 1 }
        return bytes[position]
    }

    func unsigned() throws -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw CacheCoding.Damaged() }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    func signed() throws -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    /// A list's count, as written before its values.
    func count() throws -> Int {
        var stored = 0
        for shift in 0..<4 { stored |= Int(try byte()) << (8 * shift) }
        guard stored <= bytes.count - position else { throw CacheCoding.Damaged() }
        return stored
    }

    func text() throws -> String {
        guard let length = Int(exactly: try unsigned()), length <= bytes.count - position else { throw CacheCoding.Damaged() }
        defer { position += length }
        return bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[position..<position + length]), as: UTF8.self)
        }
    }
}

// MARK: - Encoding

struct CacheEncoder: Encoder {
    let sink: CacheSink
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func encodeValue<Value: Encodable>(_ value: Value) throws {
        switch CacheForm.of(Value.self, known: &sink.forms) {
        case .optional(let optional): try optional.encodeWrapped(value, with: self)
        case .scalar(let scalar): try scalar.write(value, to: sink)
        case .fields: try value.encode(to: self)
        }
    }

    /// An optional field: its presence byte, then the value.
    func present<Value: Encodable>(_ value: Value?) {
        guard let value else { return sink.bytes.append(0) }
        sink.bytes.append(1)
        try? encodeValue(value)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(encoder: self) }
    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

    /// Writes values one after the other; the count before them is updated as each arrives.
    struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: CacheEncoder
        private let countSlot: Int
        private(set) var count = 0
        var codingPath: [any CodingKey] { [] }

        init(encoder: CacheEncoder) {
            self.encoder = encoder
            countSlot = encoder.sink.bytes.count
            encoder.sink.bytes.append(contentsOf: [0, 0, 0, 0])
        }

        private mutating func counted() {
            count += 1
            for shift in 0..<4 { encoder.sink.bytes[countSlot + shift] = UInt8(truncatingIfNeeded: count >> (8 * shift)) }
        }

        mutating func encodeNil() throws { encoder.sink.bytes.append(0); counted() }
        mutating func encode<Value: Encodable>(_ value: Value) throws { try encoder.encodeValue(value); counted() }
        mutating func encode(_ value: Bool) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: String) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Double) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Float) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Int) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Int8) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Int16) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Int32) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: Int64) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: UInt) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: UInt8) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: UInt16) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: UInt32) throws { value.write(to: encoder.sink); counted() }
        mutating func encode(_ value: UInt64) throws { value.write(to: encoder.sink); counted() }

        mutating func nestedContainer<Nested: CodingKey>(keyedBy keyType: Nested.Type) -> KeyedEncodingContainer<Nested> {
            counted()
            return encoder.container(keyedBy: keyType)
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            counted()
            return Unkeyed(encoder: encoder)
        }

        mutating func superEncoder() -> any Encoder {
            counted()
            return encoder
        }
    }

    struct Single: SingleValueEncodingContainer {
        let encoder: CacheEncoder
        var codingPath: [any CodingKey] { [] }
        func encodeNil() throws { encoder.sink.bytes.append(0) }
        func encode<Value: Encodable>(_ value: Value) throws { try encoder.encodeValue(value) }
        func encode(_ value: Bool) throws { value.write(to: encoder.sink) }
        func encode(_ value: String) throws { value.write(to: encoder.sink) }
        func encode(_ value: Double) throws { value.write(to: encoder.sink) }
        func encode(_ value: Float) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int8) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int16) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int32) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int64) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt8) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt16) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt32) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt64) throws { value.write(to: encoder.sink) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: CacheEncoder
        var codingPath: [any CodingKey] { [] }

        func encodeNil(forKey key: Key) throws { encoder.sink.bytes.append(0) }
        func encode<Value: Encodable>(_ value: Value, forKey key: Key) throws { try encoder.encodeValue(value) }
        func encode(_ value: Bool, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: String, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Double, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Float, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int8, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int16, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int32, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: Int64, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt8, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt16, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt32, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encode(_ value: UInt64, forKey key: Key) throws { value.write(to: encoder.sink) }
        func encodeIfPresent<Value: Encodable>(_ value: Value?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: String?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Double?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Float?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Int?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { encoder.present(value) }
        func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { encoder.present(value) }

        func nestedContainer<Nested: CodingKey>(keyedBy keyType: Nested.Type, forKey key: Key) -> KeyedEncodingContainer<Nested> {
            encoder.container(keyedBy: keyType)
        }
        func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { encoder.unkeyedContainer() }
        func superEncoder() -> any Encoder { encoder }
        func superEncoder(forKey key: Key) -> any Encoder { encoder }
    }
}

// MARK: - Decoding

struct CacheDecoder: Decoder {
    let source: CacheSource
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func decodeValue<Value: Decodable>(_ type: Value.Type) throws -> Value {
        let read: Any
        switch CacheForm.of(type, known: &source.forms) {
        case .optional(let optional): read = try optional.decodeWrapped(from: self)
        case .scalar(let scalar): read = try scalar.read(from: source)
        case .fields: return try Value(from: self)
        }
        guard let value = read as? Value else { throw CacheCoding.Damaged() }
        return value
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(decoder: self))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try Unkeyed(decoder: self) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: CacheDecoder
        let count: Int?
        var currentIndex = 0
        var codingPath: [any CodingKey] { [] }
        var isAtEnd: Bool { currentIndex >= (count ?? 0) }

        init(decoder: CacheDecoder) throws {
            self.decoder = decoder
            count = try decoder.source.count()
        }

        private mutating func next() throws {
            guard !isAtEnd else { throw CacheCoding.Damaged() }
            currentIndex += 1
        }

        mutating func decodeNil() throws -> Bool { false }

        mutating func decode<Value: Decodable>(_ type: Value.Type) throws -> Value {
            try next()
            return try decoder.decodeValue(type)
        }
        mutating func decode(_ type: Bool.Type) throws -> Bool { try next(); return try Bool.read(from: decoder.source) }
        mutating func decode(_ type: String.Type) throws -> String { try next(); return try String.read(from: decoder.source) }
        mutating func decode(_ type: Double.Type) throws -> Double { try next(); return try Double.read(from: decoder.source) }
        mutating func decode(_ type: Float.Type) throws -> Float { try next(); return try Float.read(from: decoder.source) }
        mutating func decode(_ type: Int.Type) throws -> Int { try next(); return try Int.read(from: decoder.source) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(); return try Int8.read(from: decoder.source) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(); return try Int16.read(from: decoder.source) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(); return try Int32.read(from: decoder.source) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(); return try Int64.read(from: decoder.source) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try next(); return try UInt.read(from: decoder.source) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(); return try UInt8.read(from: decoder.source) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(); return try UInt16.read(from: decoder.source) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(); return try UInt32.read(from: decoder.source) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(); return try UInt64.read(from: decoder.source) }

        mutating func nestedContainer<Nested: CodingKey>(keyedBy type: Nested.Type) throws -> KeyedDecodingContainer<Nested> {
            try next()
            return try decoder.container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            try next()
            return try Unkeyed(decoder: decoder)
        }

        mutating func superDecoder() throws -> any Decoder {
            try next()
            return decoder
        }
    }

    struct Single: SingleValueDecodingContainer {
        let decoder: CacheDecoder
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<Value: Decodable>(_ type: Value.Type) throws -> Value { try decoder.decodeValue(type) }
        func decode(_ type: Bool.Type) throws -> Bool { try Bool.read(from: decoder.source) }
        func decode(_ type: String.Type) throws -> String { try String.read(from: decoder.source) }
        func decode(_ type: Double.Type) throws -> Double { try Double.read(from: decoder.source) }
        func decode(_ type: Float.Type) throws -> Float { try Float.read(from: decoder.source) }
        func decode(_ type: Int.Type) throws -> Int { try Int.read(from: decoder.source) }
        func decode(_ type: Int8.Type) throws -> Int8 { try Int8.read(from: decoder.source) }
        func decode(_ type: Int16.Type) throws -> Int16 { try Int16.read(from: decoder.source) }
        func decode(_ type: Int32.Type) throws -> Int32 { try Int32.read(from: decoder.source) }
        func decode(_ type: Int64.Type) throws -> Int64 { try Int64.read(from: decoder.source) }
        func decode(_ type: UInt.Type) throws -> UInt { try UInt.read(from: decoder.source) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try UInt8.read(from: decoder.source) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try UInt16.read(from: decoder.source) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try UInt32.read(from: decoder.source) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try UInt64.read(from: decoder.source) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: CacheDecoder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        var source: CacheSource { decoder.source }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { try source.byte() == 0 }
        func decode<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value { try decoder.decodeValue(type) }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Bool.read(from: source) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try String.read(from: source) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Double.read(from: source) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Float.read(from: source) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Int.read(from: source) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Int8.read(from: source) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Int16.read(from: source) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Int32.read(from: source) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Int64.read(from: source) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try UInt.read(from: source) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try UInt8.read(from: source) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try UInt16.read(from: source) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try UInt32.read(from: source) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try UInt64.read(from: source) }
        func decodeIfPresent<Value: Decodable>(_ type: Value.Type, forKey key: Key) throws -> Value? {
            try source.byte() == 0 ? nil : try decoder.decodeValue(type)
        }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try source.byte() == 0 ? nil : try Bool.read(from: source) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try source.byte() == 0 ? nil : try String.read(from: source) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try source.byte() == 0 ? nil : try Double.read(from: source) }
        func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try source.byte() == 0 ? nil : try Float.read(from: source) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try source.byte() == 0 ? nil : try Int.read(from: source) }
        func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try source.byte() == 0 ? nil : try Int8.read(from: source) }
        func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try source.byte() == 0 ? nil : try Int16.read(from: source) }
        func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try source.byte() == 0 ? nil : try Int32.read(from: source) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try source.byte() == 0 ? nil : try Int64.read(from: source) }
        func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try source.byte() == 0 ? nil : try UInt.read(from: source) }
        func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try source.byte() == 0 ? nil : try UInt8.read(from: source) }
        func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try source.byte() == 0 ? nil : try UInt16.read(from: source) }
        func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try source.byte() == 0 ? nil : try UInt32.read(from: source) }
        func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try source.byte() == 0 ? nil : try UInt64.read(from: source) }

        func nestedContainer<Nested: CodingKey>(keyedBy type: Nested.Type, forKey key: Key) throws -> KeyedDecodingContainer<Nested> {
            try decoder.container(keyedBy: type)
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer { try Unkeyed(decoder: decoder) }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
    }
}
