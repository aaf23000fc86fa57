/// The text of a content file, decoded and normalised: UTF-8 checked, a byte-order mark
/// dropped, CRLF and CR turned into LF, and characters that HTML and XML cannot carry
/// (C0/C1 controls but tab and newline, U+FFFE, U+FFFF) replaced by U+FFFD. The generator
/// also relies on U+0001 and U+0002 never reaching the Markdown renderer (see `BodyRenderer`).
public struct SourceText: Sendable {
    public var text: String

    public static func decode(_ file: SourceFile) -> Result<SourceText, Diagnostic> {
        var bytes = file.bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        // UTF-16 with a byte-order mark (Windows Notepad's "Unicode") says what it is: read it.
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return decodeUTF16(bytes.dropFirst(2), bigEndian: bytes.first == 0xFE, path: file.displayPath)
        }
        if looksLikeUTF16(bytes) {
            return .failure(.error(SourceLocation(path: file.displayPath),
                                   "file is not UTF-8 (it looks like UTF-16 without a byte-order mark): \(saveAsUTF8)"))
        }
        guard let raw = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8(bytes) ?? 0
            let location = Self.location(ofByte: bad, in: bytes, path: file.displayPath)
            return .failure(.error(location, notUTF8Message(bytes, badOffset: bad)))
        }
        return .success(SourceText(text: normalise(raw)))
    }

    private static func decodeUTF16(_ bytes: ArraySlice<UInt8>, bigEndian: Bool, path: String) -> Result<SourceText, Diagnostic> {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var index = bytes.startIndex
        while index + 1 < bytes.endIndex {
            let (first, second) = (UInt16(bytes[index]), UInt16(bytes[index + 1]))
            units.append(bigEndian ? first << 8 | second : second << 8 | first)
            index += 2
        }
        guard bytes.count % 2 == 0, let raw = String(validating: units, as: UTF16.self) else {
            return .failure(.error(SourceLocation(path: path),
                                   "file starts with a UTF-16 byte-order mark but is not valid UTF-16: save it as UTF-8"))
        }
        return .success(SourceText(text: normalise(raw)))
    }

    static let saveAsUTF8 = "save it as UTF-8 (in your editor's Save As or Encoding menu)"

    /// Text in UTF-16 has a zero byte beside every ASCII character; text in UTF-8 has none.
    static func looksLikeUTF16(_ bytes: ArraySlice<UInt8>) -> Bool {
        let start = bytes.prefix(200)
        return start.count >= 4 && start.filter { $0 == 0 }.count * 4 >= start.count
    }

    /// What to do about a file that is not UTF-8, with a guess at what it is.
    static func notUTF8Message(_ bytes: ArraySlice<UInt8>, badOffset: Int) -> String {
        let advice = saveAsUTF8
        let byte = bytes[bytes.startIndex + badOffset]
        if byte >= 0xA0 || byte == 0x80 || (0x91...0x97).contains(byte) {
            // Latin-1 and Windows-1252 agree from 0xA0 up; 0x80 and 0x91...0x97 are 1252's € ‘ ’ “ ” • – —.
            let windows1252: [UInt8: Unicode.Scalar] = [0x80: "\u{20AC}", 0x91: "\u{2018}", 0x92: "\u{2019}", 0x93: "\u{201C}",
                                                        0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}"]
            let character = windows1252[byte] ?? Unicode.Scalar(byte)
            return "file is not UTF-8: byte 0x\(String(byte, radix: 16, uppercase: true)) here looks like "
                + "'\(Character(character))' in Latin-1 or Windows-1252: \(advice)"
        }
        return "file is not UTF-8: \(advice)"
    }

    /// Normalises text that is already a String (standard input, tests).
    public static func normalise(_ raw: String) -> String {
        var raw = raw
        guard raw.withUTF8(needsWork) else { return raw }
        var output = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in raw.unicodeScalars {
            if scalar == "\r" {
                output.append("\n")
                previousWasCR = true
                continue
            }
            if scalar == "\n" && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            output.append(mustReplace(scalar) ? "\u{FFFD}" : scalar)
        }
        return String(output)
    }

    /// Whether the text holds anything to replace or a CR: a control character (tab and
    /// newline aside), DEL, a C1 control (0xC2 0x80...0x9F) or U+FFFE/U+FFFF (0xEF 0xBF 0xBE/BF).
    /// Runs over every byte of every file, so it looks at bytes, eight at a time where they
    /// are all printable ASCII.
    static func needsWork(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return false }
        return needsWork(base, count: bytes.count)
    }

    static func needsWork(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        var index = 0
        while index + 8 <= count {
            if !isPrintableASCII(UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)) {
                for offset in index..<index + 8 where needsWork(at: offset, in: bytes, count: count) { return true }
            }
            index += 8
        }
        while index < count {
            if needsWork(at: index, in: bytes, count: count) { return true }
            index += 1
        }
        return false
    }

    /// Whether all eight bytes are 0x20...0x7E: no byte below 0x20 (subtracting 0x20 from it
    /// borrows into its high bit), none equal to 0x7F (XOR makes it zero, found the same way),
    /// none with the high bit set. May say no for a plain word, never yes for one that is not:
    /// the bytes are then looked at one by one.
    @inline(__always)
    private static func isPrintableASCII(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        let delete = word ^ (ones &* 0x7F)
        let isDelete = (delete &- ones) & ~delete & highBits
        return (word & highBits) | belowSpace | isDelete == 0
    }

    @inline(__always)
    private static func needsWork(at index: Int, in bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        let byte = bytes[index]
        if byte < 0x20 { return byte != 0x09 && byte != 0x0A }
        if byte == 0x7F { return true }
        if byte == 0xC2 { return index + 1 < count && (0x80...0x9F).contains(bytes[index + 1]) }
        if byte == 0xEF { return index + 2 < count && bytes[index + 1] == 0xBF && bytes[index + 2] >= 0xBE }
        return false
    }

    static func mustReplace(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 { return value != 0x09 && value != 0x0A && value != 0x0D }
        if value >= 0x7F && value <= 0x9F { return true }
        return value == 0xFFFE || value == 0xFFFF
    }

    /// The offset of the first byte that does not belong to valid UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    static func location(ofByte offset: Int, in bytes: ArraySlice<UInt8>, path: String) -> SourceLocation {
        var line = 1
        var lineStart = bytes.startIndex
        let target = bytes.startIndex + offset
        var index = bytes.startIndex
        while index < target {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        let prefix = bytes[lineStart..<target]
        let column = String(decoding: prefix, as: UTF8.self).unicodeScalars.count + 1
        return SourceLocation(path: path, line: line, column: column)
    }
}
