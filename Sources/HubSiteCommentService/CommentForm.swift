import Foundation
import HubSite

/// A submitted comment form, read and checked. Everything in it is a reader's text: bounded,
/// never trusted, never a reason to crash (docs/comments.md).
public struct CommentForm: Sendable, Equatable {
    public var post = ""
    public var name = ""
    public var organisation = ""
    public var comment = ""
    /// The honeypot: hidden from readers, so anything in it was typed by a program.
    public var website = ""
    public var token = ""

    /// Reads `application/x-www-form-urlencoded` bytes; nil when they are not UTF-8 text.
    public static func decode(_ body: [UInt8]) -> CommentForm? {
        var form = CommentForm()
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = percentDecoded(parts[0]), let value = percentDecoded(parts.count > 1 ? parts[1] : []) else { return nil }
            let text = value.replacingOccurrences(of: "\r\n", with: "\n")
            switch key {
            case "post": form.post = text
            case "name": form.name = text
            case "organisation": form.organisation = text
            case "comment": form.comment = text
            case "website": form.website = text
            case "token": form.token = text
            default: continue
            }
        }
        return form
    }

    private static func percentDecoded(_ bytes: some Collection<UInt8>) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): out.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                out.append(high << 4 | low)
            default: out.append(byte)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Why a form cannot be taken as it is.
    public enum Problem: Equatable, Sendable {
        case missing([String])
        case tooLong(field: String, limit: Int)
        case honeypot
        case unknownPost

        public var message: String {
            switch self {
            case .missing(let fields):
                "Please fill in " + Self.list(fields) + ": the hub shows every comment with its writer's name and organisation."
            case .tooLong(let field, let limit):
                "Your \(field) is longer than the \(limit.grouped) characters the hub takes; please shorten it."
            case .honeypot:
                "The form came back with its hidden field filled in, which only programs do. If you are a person, please send it again with that field empty."
            case .unknownPost:
                "This comment is for a post the hub does not have (or has not published yet)."
            }
        }

        static func list(_ fields: [String]) -> String {
            fields.count < 2 ? fields.joined() : fields.dropLast().joined(separator: ", ") + " and " + (fields.last ?? "")
        }
    }

    /// The form's fields trimmed, then checked against the hub's rules and `CommentLimits`.
    public func checked(posts: PostCatalog) -> (form: CommentForm, problem: Problem?) {
        var form = self
        form.name = Self.trimmed(name)
        form.organisation = Self.trimmed(organisation)
        form.comment = Self.trimmed(comment)
        form.post = Self.trimmed(post)
        if !form.website.isEmpty { return (form, .honeypot) }
        let missing = [("your name", form.name), ("your organisation", form.organisation), ("your comment", form.comment)]
            .filter { $0.1.isEmpty }.map(\.0)
        if !missing.isEmpty { return (form, .missing(missing)) }
        for (field, text, limit) in [("name", form.name, CommentLimits.name),
                                     ("organisation", form.organisation, CommentLimits.organisation),
                                     ("comment", form.comment, CommentLimits.comment)] where text.count > limit {
            return (form, .tooLong(field: field, limit: limit))
        }
        if posts.posts[form.post] == nil { return (form, .unknownPost) }
        return (form, nil)
    }

    /// Spaces at either end go; so do control characters other than line breaks and tabs.
    static func trimmed(_ text: String) -> String {
        let kept = text.unicodeScalars.filter { scalar in
            scalar == "\n" || scalar == "\t" || scalar.properties.generalCategory != .control
        }
        var result = String(String.UnicodeScalarView(kept))
        while let first = result.first, first.isWhitespace { result.removeFirst() }
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }
}

extension Int {
    var grouped: String {
        let digits = String(self)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return out
    }
}
