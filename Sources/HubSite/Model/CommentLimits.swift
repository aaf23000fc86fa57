/// How much a reader may send in one comment: the form's `maxlength`s and the comment
/// service's checks both read these (docs/comments.md).
public enum CommentLimits {
    /// Characters of the name.
    public static let name = 100
    /// Characters of the organisation.
    public static let organisation = 200
    /// Characters of the comment itself.
    public static let comment = 5_000
    /// Bytes of a whole form submission, fields and their encoding included.
    public static let body = 64 * 1024
}
