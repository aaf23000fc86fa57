/// "Did you mean" suggestions: the closest known name by edit distance, if it is close enough
/// to be a plausible typo.
public enum NearestName {
    public static func suggestion(for name: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(name.lowercased().unicodeScalars)
        let limit = max(1, min(3, target.count / 3))
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased().unicodeScalars))
            guard distance <= limit else { continue }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// The known key that `key` misspells, by the rule for front matter keys in docs/content.md: the same key in
    /// other letter case, or one edit away (two for keys of six letters or more).
    public static func nearMiss(of key: String, among known: some Sequence<String>) -> String? {
        let typed = Array(key.unicodeScalars)
        var best: (name: String, distance: Int)?
        for candidate in known {
            let distance = candidate.lowercased() == key.lowercased()
                ? 1 : editDistance(typed, Array(candidate.unicodeScalars))
            guard distance <= (candidate.count >= 6 ? 2 : 1) else { continue }
            if let current = best, (current.distance, current.name) <= (distance, candidate) { continue }
            best = (candidate, distance)
        }
        return best?.name
    }

    /// Appends ` (did you mean 'x'?)` when there is a near name.
    public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
        guard let near = suggestion(for: name, among: candidates) else { return "" }
        return " (did you mean '\(near)'?)"
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
