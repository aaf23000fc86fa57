/// At most `limit` submissions from one address in `window` seconds. Bounded: past
/// `maximumAddresses` addresses, the oldest are forgotten.
struct RateLimiter: Sendable {
    let limit: Int
    let window: Int64
    var maximumAddresses = 100_000
    private var seen: [String: [Int64]] = [:]

    init(limit: Int, window: Int64) {
        self.limit = limit
        self.window = window
    }

    /// Records an attempt at `now`; false when the address has used up its allowance.
    mutating func allow(_ address: String, now: Int64) -> Bool {
        if seen.count >= maximumAddresses { prune(now: now) }
        var times = (seen[address] ?? []).filter { now - $0 < window }
        guard times.count < limit else {
            seen[address] = times
            return false
        }
        times.append(now)
        seen[address] = times
        return true
    }

    private mutating func prune(now: Int64) {
        seen = seen.filter { _, times in times.contains { now - $0 < window } }
        if seen.count >= maximumAddresses { seen = [:] }
    }
}
