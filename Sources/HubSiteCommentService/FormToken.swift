/// The comment form's token: when the service handed the form out and for which post, signed
/// with the queue's secret. It lets the service refuse a form sent back too quickly (by a
/// program, not a reader) without the built site holding a time: the page asks for a token as
/// it opens, or, without JavaScript, the service hands one out with a page that asks the
/// reader to check the comment and send it again (docs/comments.md).
struct FormToken: Sendable {
    let secret: [UInt8]

    /// `<seconds since 1970>.<HMAC-SHA256 of "<seconds>:<post slug>">`.
    func issue(post: String, at now: Int64) -> String {
        "\(now)." + signature(post: post, time: now)
    }

    enum Verdict: Equatable {
        case valid
        case missing
        case tooQuick(secondsLeft: Int64)
        case expired
        case forged
    }

    func check(_ token: String, post: String, now: Int64, minimumSeconds: Int64, maximumAge: Int64) -> Verdict {
        guard !token.isEmpty else { return .missing }
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count <= 12, let time = Int64(parts[0]),
              constantTimeEqual(Array(parts[1].utf8), Array(signature(post: post, time: time).utf8)) else { return .forged }
        if now - time > maximumAge || time > now + 60 { return .expired }
        if now - time < minimumSeconds { return .tooQuick(secondsLeft: minimumSeconds - (now - time)) }
        return .valid
    }

    private func signature(post: String, time: Int64) -> String {
        SHA256.hex(SHA256.hmac(key: secret, message: Array("\(time):\(post)".utf8)))
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
