/// Threads of comments on one post, as Blogger showed them: each comment that starts a
/// thread, with every reply in that thread beneath it, oldest first, one level deep
/// (see docs/content.md, Comments).
///
/// A `reply_to` may only name a comment shown before it (older, or as old and earlier by file
/// name), so following answers always ends: a cycle cannot be written. Anything else is a
/// warning and the comment starts a thread of its own.
enum CommentThreads {
    struct Placed {
        var document: CommentDocument
        var anchor: String
        /// Anchor of the comment it answers.
        var replyTo: String?
        /// Anchor of the comment that starts its thread.
        var threadAnchor: String?
    }

    /// `comments` must already be in display order (oldest first).
    static func arrange(_ comments: [CommentDocument], diagnostics: inout [Diagnostic]) -> [Placed] {
        var placed: [Placed] = []
        placed.reserveCapacity(comments.count)
        var indexByStem: [String: Int] = [:]
        let allStems = Set(comments.map(\.fileStem))
        for (index, comment) in comments.enumerated() {
            var entry = Placed(document: comment, anchor: "comment-\(index + 1)")
            if let replyTo = comment.replyTo {
                if let target = indexByStem[replyTo.value] {
                    entry.replyTo = placed[target].anchor
                    entry.threadAnchor = placed[target].threadAnchor ?? placed[target].anchor
                } else if allStems.contains(replyTo.value) {
                    diagnostics.append(.warning(replyTo.location,
                        "'reply_to' names '\(replyTo.value)', which is not older than this comment;"
                            + " a comment can only answer an earlier one, so it is shown on its own"))
                } else {
                    diagnostics.append(.warning(replyTo.location,
                        "'reply_to' names no comment on this post: '\(replyTo.value)'"
                            + NearestName.hint(for: replyTo.value, among: allStems.sorted())
                            + "; write the file name of the answered comment without '.md'. Shown on its own"))
                }
            }
            if indexByStem[comment.fileStem] == nil { indexByStem[comment.fileStem] = index }
            placed.append(entry)
        }
        return placed
    }
}
