import CLibXML2
import Foundation
import HubSite

/// One element of the export, with what the importer needs of it: its name, attributes, the
/// text directly inside it and where it starts (for `EXPORT:line:col` messages).
struct XMLElement: Sendable {
    var namespace: String
    var name: String
    var attributes: [String: String]
    var text: String
    var children: [XMLElement]
    var line: Int
    var column: Int

    /// The first child with this name (and namespace, when given).
    func child(_ name: String, in namespace: String? = nil) -> XMLElement? {
        children.first { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }

    func children(_ name: String, in namespace: String? = nil) -> [XMLElement] {
        children.filter { $0.name == name && (namespace == nil || $0.namespace == namespace) }
    }
}

/// Reads an XML document with libxml2's streaming reader into `XMLElement`s, iteratively (an
/// explicit stack, so the document's depth never grows the call stack), without touching the
/// network or expanding external entities. A malformed or truncated document is one located
/// error.
enum XMLTree {
    static let atomNamespace = "http://www.w3.org/2005/Atom"

    /// `progress` is told the bytes read so far and the total.
    static func read(_ bytes: [UInt8], path: String,
                     progress: (Int, Int) -> Void = { _, _ in }) -> Result<XMLElement, Diagnostic> {
        silenceLibxml2()
        guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else {
            return .failure(.error(SourceLocation(path: path), "the export is empty: give the .xml or feed.atom file Blogger made"))
        }
        let options = Int32(XML_PARSE_NONET.rawValue) | Int32(XML_PARSE_NOCDATA.rawValue) | Int32(XML_PARSE_BIG_LINES.rawValue)
        var locator = ElementLocator(bytes)
        let reader: xmlTextReaderPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReaderForMemory($0, Int32(clamping: buffer.count), nil, "UTF-8", options)
                }
            } ?? nil
        }
        guard let reader else {
            return .failure(.error(SourceLocation(path: path), "the export is empty: give the .xml or feed.atom file Blogger made"))
        }
        defer { xmlFreeTextReader(reader) }
        xmlResetLastError()

        var stack: [XMLElement] = []
        var root: XMLElement?
        var lastReported = 0
        while true {
            let status = xmlTextReaderRead(reader)
            if status == 0 { break }
            if status < 0 { return .failure(lastError(path: path, reader: reader)) }
            switch xmlTextReaderNodeType(reader) {
            case 1: // element
                // The reader parses ahead of the node it returns: the node's own line, and the
                // element's start found in the bytes from there, give its true place.
                let line = xmlTextReaderCurrentNode(reader).map { Int(xmlGetLineNo($0)) } ?? 1
                let (elementLine, column) = locator.locate(string(xmlTextReaderConstName(reader)), nearLine: line)
                var element = XMLElement(
                    namespace: string(xmlTextReaderConstNamespaceUri(reader)),
                    name: string(xmlTextReaderConstLocalName(reader)),
                    attributes: [:], text: "", children: [],
                    line: elementLine, column: column)
                let isEmpty = xmlTextReaderIsEmptyElement(reader) == 1
                while xmlTextReaderMoveToNextAttribute(reader) == 1 {
                    if xmlTextReaderIsNamespaceDecl(reader) == 1 { continue }
                    element.attributes[string(xmlTextReaderConstLocalName(reader))] = string(xmlTextReaderConstValue(reader))
                }
                xmlTextReaderMoveToElement(reader)
                if isEmpty {
                    close(element, stack: &stack, root: &root)
                } else {
                    stack.append(element)
                }
            case 3, 4, 13, 14: // text, CDATA, whitespace
                if !stack.isEmpty { stack[stack.count - 1].text += string(xmlTextReaderConstValue(reader)) }
            case 15: // end of element
                if let element = stack.popLast() { close(element, stack: &stack, root: &root) }
            default:
                break
            }
            let consumed = Int(xmlTextReaderByteConsumed(reader))
            if consumed - lastReported > 1 << 16 {
                lastReported = consumed
                progress(consumed, bytes.count)
            }
        }
        if !stack.isEmpty {
            return .failure(lastError(path: path, reader: reader))
        }
        progress(bytes.count, bytes.count)
        guard let root else {
            return .failure(.error(SourceLocation(path: path), "the export holds no XML element: is it the file Blogger made?"))
        }
        return .success(root)
    }

    /// Finds where each element starts in the bytes, in document order: the first `<name`
    /// after the previous element's start and on or after the line libxml2 gives.
    struct ElementLocator {
        let bytes: [UInt8]
        var lineStarts: [Int] = [0]
        var cursor = 0

        init(_ bytes: [UInt8]) {
            self.bytes = bytes
            var starts = [0]
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count, let found = memchr(base + offset, 0x0A, buffer.count - offset) {
                    let index = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                    starts.append(index + 1)
                    offset = index + 1
                }
            }
            lineStarts = starts
        }

        mutating func locate(_ qualifiedName: String, nearLine line: Int) -> (line: Int, column: Int) {
            let lineIndex = min(max(line - 1, 0), lineStarts.count - 1)
            let from = max(cursor, lineStarts[lineIndex])
            let needle = [UInt8(ascii: "<")] + Array(qualifiedName.utf8)
            let found: Int? = bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return nil }
                var start = from
                while start + needle.count <= buffer.count,
                      let hit = memchr(base + start, 0x3C, buffer.count - start) {
                    let index = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    guard index + needle.count <= buffer.count else { return nil }
                    if memcmp(base + index, needle, needle.count) == 0 {
                        let after = index + needle.count < buffer.count ? buffer[index + needle.count] : 0x3E
                        if after == 0x3E || after == 0x2F || after == 0x20 || after == 0x0A || after == 0x0D || after == 0x09 {
                            return index
                        }
                    }
                    start = index + 1
                }
                return nil
            }
            guard let found else { return (line, 1) }
            cursor = found + 1
            return position(of: found)
        }

        private func position(of offset: Int) -> (line: Int, column: Int) {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            // Columns count characters, as editors do: skip UTF-8 continuation bytes.
            var column = 1
            for index in lineStarts[low]..<offset where bytes[index] & 0xC0 != 0x80 { column += 1 }
            return (low + 1, column)
        }
    }

    private static func close(_ element: XMLElement, stack: inout [XMLElement], root: inout XMLElement?) {
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    private static func lastError(path: String, reader: xmlTextReaderPtr) -> Diagnostic {
        if let error = xmlGetLastError() {
            let message = string(error.pointee.message).trimmingCharacters(in: .whitespacesAndNewlines)
            let line = Int(error.pointee.line)
            let column = Int(error.pointee.int2)
            return .error(SourceLocation(path: path, line: max(line, 1), column: max(column, 1)),
                          "the export is not well-formed XML (\(message)); it may be cut short:"
                              + " download it from Blogger again. Nothing was written")
        }
        return .error(SourceLocation(path: path, line: max(Int(xmlTextReaderGetParserLineNumber(reader)), 1)),
                      "the export ends before its last element closes; it may be cut short:"
                          + " download it from Blogger again. Nothing was written")
    }

    static func string(_ pointer: UnsafePointer<xmlChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    static func string(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        guard let pointer else { return "" }
        return String(cString: pointer)
    }

    /// libxml2 prints its messages on standard error by default; the importer reports them itself.
    static func silenceLibxml2() {
        xmlSetStructuredErrorFunc(nil) { _, _ in }
    }
}
