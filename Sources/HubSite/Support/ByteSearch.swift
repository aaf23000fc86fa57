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

extension String {
    /// The text between two byte offsets on scalar boundaries (such as beside an ASCII byte),
    /// cut by scalars: the text is valid, so nothing is checked again, and cutting by
    /// characters could move a cut beside a CR that a text not yet normalised may hold.
    func slice(bytes range: Range<Int>) -> Substring {
        let utf8 = self.utf8
        func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        return Substring(unicodeScalars[index(range.lowerBound)..<index(range.upperBound)])
    }

    /// The text with the ASCII byte at each of `offsets` (in order) replaced by what
    /// `replacement` gives for it, put together from slices of the text: a String made from
    /// bytes would be checked for valid UTF-8 all over again.
    func replacingBytes(at offsets: [Int], extraCapacity: Int, with replacement: (UInt8) -> String) -> String {
        var output = ""
        output.reserveCapacity(utf8.count + extraCapacity)
        var start = 0
        for offset in offsets {
            output += slice(bytes: start..<offset)
            output += replacement(utf8[utf8.index(utf8.startIndex, offsetBy: offset)])
            start = offset + 1
        }
        output += slice(bytes: start..<utf8.count)
        return output
    }
}
