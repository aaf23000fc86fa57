/// The message for a `.md` link that names no published file: why, and the exact text to write
/// from the linking file's folder (docs/content.md, "Links").
enum LinkAdvice {
    /// `target` is the path below the content folder the link resolved to (nil when it climbs out);
    /// `folder` the linking file's folder below the content folder.
    static func brokenContentLink(_ destination: String, target: String?, suffix: String, from folder: String,
                                  context: BodyContext) -> String {
        if let target, let reason = context.unpublishedContent[target] {
            return "link to '\(destination)', which \(reason) and so is not published: the link would lead nowhere"
        }
        let shown = target ?? destination
        var message = "broken link '\(destination)': no published content file '\(shown)'"
        if let near = nearest(to: shown, among: Array(context.contentURLs.keys) + Array(context.unpublishedContent.keys)) {
            message += " (did you mean '\(relative(near, from: folder) + suffix)'?)"
        }
        return message
    }

    /// The content file meant: the same file name elsewhere, else the nearest path by spelling.
    static func nearest(to path: String, among candidates: [String]) -> String? {
        let name = fileName(path)
        let sameName = candidates.filter { fileName($0) == name }.sorted()
        if let first = sameName.first { return first }
        if let byName = NearestName.suggestion(for: name, among: candidates.map(fileName)) {
            return candidates.filter { fileName($0) == byName }.sorted().first
        }
        return NearestName.suggestion(for: path, among: candidates)
    }

    /// `posts/2009/a.md` as written from `posts/2026`: `../2009/a.md`.
    static func relative(_ path: String, from folder: String) -> String {
        let target = path.split(separator: "/")
        let base = folder.split(separator: "/")
        var common = 0
        while common < base.count, common < target.count - 1, base[common] == target[common] { common += 1 }
        let ups = Array(repeating: "..", count: base.count - common)
        return (ups + target[common...].map(String.init)).joined(separator: "/")
    }

    private static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }
}
