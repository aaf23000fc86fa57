#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Searches in UTF-8 bytes for a byte that is rare in text, with `memchr`: checks that run over
/// every body of every build jump from one occurrence to the next instead of testing each byte.
enum ByteSearch {
    /// The offsets of `byte` in `bytes`, in order; `body` returns false to stop.
    static func forEach(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, _ body: (Int) -> Bool) {
        guard let base = bytes.baseAddress else { return }
        var index = 0
        while index < bytes.count, let found = memchr(base + index, Int32(byte), bytes.count - index) {
            let offset = UnsafeRawPointer(found) - UnsafeRawPointer(base)
            guard body(offset) else { return }
            index = offset + 1
        }
    }

    /// How many times `byte` occurs, counting no further than `limit`.
    static func count(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, upTo limit: Int) -> Int {
        var count = 0
        forEach(byte, in: bytes) { _ in
            count += 1
            return count < limit
        }
        return count
    }
}
