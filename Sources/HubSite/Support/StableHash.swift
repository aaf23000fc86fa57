/// A 64-bit digest that is the same in every run (Swift's `Hasher` is seeded per process),
/// for the build cache's keys. Eight bytes at a time, mixed by multiplication; not for
/// anything an attacker could aim at, only for telling an edited input from the one before.
enum StableHash {
    static func of(_ text: String) -> UInt64 {
        var text = text
        return text.withUTF8 { of($0) }
    }

    static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { of($0) }
    }

    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
        var index = 0
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count {
            hash = mix(hash, raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        var tail: UInt64 = 0
        for offset in 0..<(bytes.count - index) { tail |= UInt64(bytes[index + offset]) << (8 * UInt64(offset)) }
        return finish(mix(hash, tail))
    }

    /// Combines digests in order: a list's digest from its items'.
    static func combine(_ digests: [UInt64]) -> UInt64 {
        finish(digests.reduce(0x2545_F491_4F6C_DD1D) { mix($0, $1) })
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let product = (hash ^ word).multipliedFullWidth(by: 0xA076_1D64_78BD_642F)
        return product.high ^ product.low
    }

    private static func finish(_ hash: UInt64) -> UInt64 {
        var hash = hash ^ (hash >> 33)
        hash = hash &* 0xFF51_AFD7_ED55_8CCD
        return hash ^ (hash >> 33)
    }
}
