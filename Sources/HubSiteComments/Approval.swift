import Foundation
import HubSite

/// Turns an approved submission into a comment file of the content
/// (`comments/<post-slug>/<date>-<name>.md`, see docs/content.md, "Comments"), which the next build
/// publishes. The reader's text stays Markdown, but HTML in it is kept as text: `<` and `&`
/// are escaped, so that the page shows what was typed.
public enum Approval {
    /// The file's text: front matter with name, organisation and date, then the comment.
    public static func fileText(_ submission: Submission) -> String {
        """
        ---
        name: \(YAMLText.quoted(submission.name))
        organisation: \(YAMLText.quoted(submission.organisation))
        date: \(isoDate(submission.received))
        ---

        \(markdownKeepingHTMLAsText(submission.comment))

        """
    }

    /// `comments/<post>/<yyyy-mm-dd>-<name slug>.md`, with `-2`, `-3` ... if taken.
    public static func relativePath(_ submission: Submission, exists: (String) -> Bool) -> String {
        let day = String(isoDate(submission.received).prefix(10))
        let nameSlug = Slug.make(submission.name)
        let stem = "comments/\(submission.post)/\(day)-\(nameSlug.isEmpty ? "reader" : String(nameSlug.prefix(60)))"
        var path = stem + ".md"
        var number = 2
        while exists(path) {
            path = "\(stem)-\(number).md"
            number += 1
        }
        return path
    }

    /// Backslash-escapes `<`, `&` and `\\` (CommonMark's escapes), so tags and entities show as typed.
    static func markdownKeepingHTMLAsText(_ text: String) -> String {
        var out = ""
        for character in text {
            if character == "<" || character == "&" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// `2026-11-29T19:30:05Z`: the moment it arrived, in UTC (docs/content.md, "Dates and time zones").
    public static func isoDate(_ seconds: Int64) -> String {
        let days = Int64((Double(seconds) / 86_400).rounded(.down))
        let rest = seconds - days * 86_400
        // Civil date from days since 1970 (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", Int(year), Int(month), Int(day),
                      Int(rest / 3_600), Int(rest % 3_600 / 60), Int(rest % 60))
    }
}
