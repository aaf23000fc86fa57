import HubSite
import HubSiteComments

/// The few pages the comment service answers with: plain HTML5 in the site's own stylesheet,
/// every reader's value escaped.
enum ServicePages {
    /// The library's own HTML escaping, so the service's pages escape exactly as the built site does.
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    static func page(title: String, siteTitle: String, baseURL: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en-GB">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex">
        <title>\(escape(title)) | \(escape(siteTitle))</title>
        <link rel="stylesheet" href="\(escape(baseURL))assets/style.css">
        </head>
        <body>
        <header class="site-header"><div class="wrap"><p class="site-title"><a href="\(escape(baseURL))">\(escape(siteTitle))</a></p></div></header>
        <div class="wrap layout">
        <main id="site--main" class="site-main">
        <h1 class="page-heading">\(escape(title))</h1>
        \(body)
        </main>
        </div>
        </body>
        </html>

        """
    }

    /// After a submission is stored: it waits for a moderator.
    static func received(post: PostCatalog.Entry?, catalog: PostCatalog) -> String {
        let back = post.map { "<p><a href=\"\(escape($0.url))\">Back to \u{201C}\(escape($0.title))\u{201D}</a></p>" }
            ?? "<p><a href=\"\(escape(catalog.baseURL))\">Back to the hub</a></p>"
        return page(title: "Thank you: your comment awaits moderation", siteTitle: catalog.title, baseURL: catalog.baseURL, body: """
            <p class="comment-received">Your comment has been received. A moderator reads every comment before it appears on the hub, usually within a few days.</p>
            \(back)
            """)
    }

    /// A form sent back: the reason, and the form again with what was typed.
    static func refusal(title: String, reason: String, form: CommentForm, token: String, action: String,
                        catalog: PostCatalog?) -> String {
        let siteTitle = catalog?.title ?? "Comments"
        let baseURL = catalog?.baseURL ?? "/"
        let post = catalog?.posts[form.post]
        let back = post.map { "<p><a href=\"\(escape($0.url))\">Back to \u{201C}\(escape($0.title))\u{201D}</a> (what you typed is kept below)</p>" } ?? ""
        return page(title: title, siteTitle: siteTitle, baseURL: baseURL, body: """
            <p class="comment-refusal" role="alert">\(escape(reason))</p>
            \(back)
            \(formHTML(form, token: token, action: action))
            """)
    }

    static func formHTML(_ form: CommentForm, token: String, action: String) -> String {
        """
        <form id="comment-form" class="comment-form" action="\(escape(action))" method="post" accept-charset="utf-8">
        <input type="hidden" name="post" value="\(escape(form.post))">
        <input type="hidden" name="token" value="\(escape(token))">
        <p class="field"><label for="comment-form--name">Your name</label>
        <input id="comment-form--name" name="name" type="text" required maxlength="\(CommentLimits.name)" autocomplete="name" value="\(escape(form.name))"></p>
        <p class="field"><label for="comment-form--organisation">Your organisation</label>
        <input id="comment-form--organisation" name="organisation" type="text" required maxlength="\(CommentLimits.organisation)" autocomplete="organization" value="\(escape(form.organisation))"></p>
        <p class="field"><label for="comment-form--comment">Your comment</label>
        <textarea id="comment-form--comment" name="comment" rows="7" required maxlength="\(CommentLimits.comment)">\(escape(form.comment))</textarea></p>
        <p class="field comment-form-trap"><label for="comment-form--website">Leave this field empty</label>
        <input id="comment-form--website" name="website" type="text" tabindex="-1" autocomplete="off" value=""></p>
        <p><button type="submit">Send comment</button></p>
        </form>
        """
    }

    static func plain(title: String, message: String) -> String {
        page(title: title, siteTitle: "Comments", baseURL: "/", body: "<p>\(escape(message))</p>")
    }
}

extension ServicePages {
    /// The moderation page: pending comments, each whole, with Approve and Reject buttons.
    static func moderation(_ pending: [Submission], token: String, action: String, message: String?,
                           catalog: PostCatalog?) -> String {
        let items = pending.map { item in
            let post = catalog?.posts[item.post]
            let postLink = post.map { "<a href=\"\(escape($0.url))\">\(escape($0.title))</a>" } ?? escape(item.post)
            return """
                <li class="comment">
                <p><strong>\(escape(item.name))</strong>, \(escape(item.organisation)), on \(postLink) \
                (\(escape(Approval.isoDate(item.received))), number \(item.id))</p>
                <pre class="comment-text">\(escape(item.comment))</pre>
                <form method="post" action="\(escape(action))">
                <input type="hidden" name="token" value="\(escape(token))">
                <input type="hidden" name="id" value="\(item.id)">
                <button type="submit" name="decision" value="approve">Approve</button>
                <button type="submit" name="decision" value="reject">Reject</button>
                </form>
                </li>
                """
        }
        let list = items.isEmpty ? "<p>No comments are waiting.</p>" : "<ol class=\"comment-list\">\n" + items.joined(separator: "\n") + "\n</ol>"
        return page(title: "Comments waiting for moderation", siteTitle: catalog?.title ?? "Comments", baseURL: catalog?.baseURL ?? "/",
                    body: (message.map { "<p role=\"status\">\(escape($0))</p>\n" } ?? "") + list)
    }
}
