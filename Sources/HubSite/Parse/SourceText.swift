/// The text of a content file, decoded and normalised: UTF-8 checked, a byte-order mark
/// dropped, CRLF and CR turned into LF, and characters that HTML and XML cannot carry
/// (C0/C1 controls but tab and newline, U+FFFE, U+FFFF) replaced by U+FFFD. The generator
/// also relies on U+0001 and U+0002 never reaching the Markdown renderer (see `BodyRenderer`).
public struct SourceText: Sendable {
    public var text: String

    public static func decode(_ file: SourceFile) -> Result<SourceText, Diagnostic> {
        var bytes = file.bytes[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        if let bad = firstInvalidUTF8(bytes) {
            let location = Self.location(ofByte: bad, in: bytes, path: file.displayPath)
            return .failure(.error(location, "file is not valid UTF-8"))
        }
        let raw = String(decoding: bytes, as: UTF8.self)
        return .success(SourceText(text: normalise(raw)))
    }

    /// Normalises text that is already a String (standard input, tests).
    public static func normalise(_ raw: String) -> String {
        var needsWork = false
        for scalar in raw.unicodeScalars where Self.mustReplace(scalar) || scalar == "\r" {
            needsWork = true
            break
        }
        guard needsWork else { return raw }
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
