import FlyingFox
import FlyingSocks
import Foundation
import HubSite
import HubSiteComments

/// How the service behaves; the command line's options (docs/comments.md).
public struct ServiceSettings: Sendable {
    public var contentPath: String
    /// Fewest seconds between handing out a form token and taking the form back.
    public var minimumSeconds: Int64 = 3
    /// Oldest form token taken, in seconds.
    public var maximumTokenAge: Int64 = 2 * 86_400
    /// Submissions taken from one address in an hour.
    public var submissionsPerHour = 10
    /// How often the content folder is read again for new, removed or newly published posts.
    public var catalogSeconds: Int64 = 30
    /// Turns on the moderation page (`/comments/moderate`), for whoever gives this token.
    public var moderationToken: String?
    /// Serve the moderation page to requests that came through a web server too; by default
    /// it answers only requests made on this machine directly (docs/comments.md).
    public var moderationThroughProxy = false

    public init(contentPath: String) {
        self.contentPath = contentPath
    }
}

/// The comment service: takes the form at `POST /comments`, keeps each submission pending in
/// the queue, and answers 303 to a page that says it awaits moderation. `GET /comments/token`
/// hands out form tokens. Every refusal is a 4xx page that says why and keeps what was typed.
/// It never writes the site; moderation turns a submission into a content file.
public actor CommentService {
    let store: CommentStore
    let settings: ServiceSettings
    let tokens: FormToken
    private var limiter: RateLimiter
    private var catalog: PostCatalog?
    private var catalogTime: Int64 = .min
    private let clock: @Sendable () -> Int64

    public init(store: CommentStore, settings: ServiceSettings, clock: @escaping @Sendable () -> Int64) throws {
        self.store = store
        self.settings = settings
        self.clock = clock
        tokens = FormToken(secret: try store.signingSecret())
        limiter = RateLimiter(limit: settings.submissionsPerHour, window: 3_600)
    }

    /// The posts, read again when older than `catalogSeconds`.
    func posts(now: Int64) -> PostCatalog? {
        if catalog == nil || now - catalogTime >= settings.catalogSeconds {
            if let fresh = PostCatalog.load(content: settings.contentPath, now: now) { catalog = fresh }
            catalogTime = now
        }
        return catalog
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path.hasSuffix("/") && request.path.count > 1 ? String(request.path.dropLast()) : request.path
        let now = clock()
        switch (path.split(separator: "/").last.map(String.init) ?? "", request.method) {
        case ("comments", .POST):
            return await submit(request, action: path, now: now)
        case ("token", .GET), ("token", .HEAD):
            let post = request.query.first { $0.name == "post" }?.value ?? ""
            return HTTPResponse(statusCode: .ok,
                                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                                          HTTPHeader("Access-Control-Allow-Origin"): "*"],
                                body: Data(tokens.issue(post: String(post.prefix(200)), at: now).utf8))
        case ("received", .GET), ("received", .HEAD):
            let post = request.query.first { $0.name == "post" }?.value ?? ""
            guard let catalog = posts(now: now) else { return Self.html(.internalServerError, ServicePages.plain(title: "Comments are closed", message: "The hub's content cannot be read just now.")) }
            return Self.html(.ok, ServicePages.received(post: catalog.posts[post], catalog: catalog))
        case ("moderate", .GET), ("moderate", .POST):
            return await moderate(request, action: path, now: now)
        case ("comments", _), ("token", _), ("received", _):
            var response = Self.html(.methodNotAllowed, ServicePages.plain(
                title: "Not a way to send a comment", message: "Comments are sent with the form under each post."))
            response.headers[HTTPHeader("Allow")] = path.hasSuffix("comments") ? "POST" : "GET, HEAD"
            return response
        default:
            return Self.html(.notFound, ServicePages.plain(title: "Not found", message: "There is nothing here. Comments are sent with the form under each post."))
        }
    }

    private func submit(_ request: HTTPRequest, action: String, now: Int64) async -> HTTPResponse {
        let address = Self.address(of: request)
        guard limiter.allow(address, now: now) else {
            return Self.html(.tooManyRequests, ServicePages.plain(title: "Too many comments", message:
                "This address has sent more comments in the last hour than the hub takes. Please wait an hour and send yours again."))
        }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return Self.html(.unsupportedMediaType, ServicePages.plain(title: "Not a comment form", message:
                "Comments are sent with the form under each post."))
        }
        guard let body = await Self.readBody(request, limit: CommentLimits.body) else {
            return Self.html(.payloadTooLarge, ServicePages.plain(title: "Comment too long", message:
                "The form sent more than the hub takes (\(CommentLimits.body / 1024) KB). Please shorten your comment."))
        }
        guard let sent = CommentForm.decode(body) else {
            return Self.html(.badRequest, ServicePages.plain(title: "The form could not be read", message:
                "The form's text was not UTF-8. Please send it again from the form under the post."))
        }
        guard let catalog = posts(now: now) else {
            return Self.html(.serviceUnavailable, ServicePages.plain(title: "Comments are closed", message:
                "The hub's content cannot be read just now; please try again later."))
        }
        let (form, problem) = sent.checked(posts: catalog)
        let fresh = tokens.issue(post: form.post, at: now)
        func refuse(_ status: HTTPStatusCode, _ title: String, _ reason: String, token: String = fresh) -> HTTPResponse {
            Self.html(status, ServicePages.refusal(title: title, reason: reason, form: form, token: token,
                                                   action: action, catalog: catalog))
        }
        if let problem {
            let status: HTTPStatusCode = problem == .unknownPost ? .notFound : .unprocessableContent
            return refuse(status, "Your comment was not sent", problem.message)
        }
        switch tokens.check(form.token, post: form.post, now: now, minimumSeconds: settings.minimumSeconds,
                            maximumAge: settings.maximumTokenAge) {
        case .valid: break
        case .missing:
            // No token: the page was read without JavaScript. The token comes with this page.
            return refuse(.unprocessableContent, "Please check your comment and send it again",
                          "To keep out automated spam, the hub asks you to look over your comment and press Send comment once more.")
        case .tooQuick(let left):
            return refuse(.unprocessableContent, "Your comment was not sent", "The form came back faster than a person can fill it in. "
                          + "Please wait \(left) more second\(left == 1 ? "" : "s") and send it again.", token: form.token)
        case .expired, .forged:
            return refuse(.unprocessableContent, "Please send your comment again",
                          "The form was too old or not the hub's own. What you typed is kept below: please press Send comment once more.")
        }
        do {
            // Acknowledged only after SQLite has committed it.
            _ = try store.add(post: form.post, name: form.name, organisation: form.organisation,
                              comment: form.comment, address: address, received: now)
        } catch {
            return refuse(.serviceUnavailable, "Your comment was not sent",
                          "The hub could not store your comment just now. What you typed is kept below: please try again later.")
        }
        var query = URLComponents()
        query.queryItems = [URLQueryItem(name: "post", value: form.post)]
        return HTTPResponse(statusCode: .seeOther,
                            headers: [.location: action + "/received" + (query.percentEncodedQuery.map { "?" + $0 } ?? ""),
                                      .contentType: "text/plain; charset=utf-8"],
                            body: Data("Your comment awaits moderation.\n".utf8))
    }

    /// The moderation page: off without a token; only for requests made on this machine
    /// directly unless `moderationThroughProxy`; the token in the query (GET) or the form (POST).
    private func moderate(_ request: HTTPRequest, action: String, now: Int64) async -> HTTPResponse {
        let notFound = Self.html(.notFound, ServicePages.plain(title: "Not found", message: "There is nothing here."))
        guard let expected = settings.moderationToken, !expected.isEmpty else { return notFound }
        let peer: String? = switch request.remoteAddress {
        case .ip4(let ip, _), .ip6(let ip, _): ip
        default: nil
        }
        let isLocal = (peer == "127.0.0.1" || peer == "::1") && request.headers[HTTPHeader("X-Forwarded-For")] == nil
        guard isLocal || settings.moderationThroughProxy else { return notFound }
        var fields: [String: String] = [:]
        if request.method == .POST {
            guard let body = await Self.readBody(request, limit: 4096) else { return notFound }
            for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                if parts.count == 2 { fields[parts[0]] = parts[1] }
            }
        } else {
            for item in request.query { fields[item.name] = item.value }
        }
        let given = Array((fields["token"] ?? "").utf8), wanted = Array(expected.utf8)
        guard given.count == wanted.count, zip(given, wanted).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else {
            return Self.html(.forbidden, ServicePages.plain(title: "Not allowed", message: "The moderation page needs its token."))
        }
        var message: String?
        if request.method == .POST, let id = fields["id"].flatMap(Int64.init) {
            let moderation = Moderation(store: store, contentPath: settings.contentPath)
            do {
                switch fields["decision"] {
                case "approve": message = "Approved \(id): \(settings.contentPath)/\(try moderation.approve(id: id, commit: false)); the next build publishes it."
                case "reject": try moderation.reject(id: id); message = "Rejected \(id)."
                default: message = "Choose Approve or Reject."
                }
            } catch {
                message = "Comment \(id): \(error)"
            }
        }
        let pending = (try? store.submissions(status: .pending)) ?? []
        return Self.html(.ok, ServicePages.moderation(pending, token: expected, action: action, message: message,
                                                      catalog: posts(now: now)))
    }

    /// The reader's address: the peer's, or behind a web server on this machine, the one it forwards.
    static func address(of request: HTTPRequest) -> String {
        let peer: String? = switch request.remoteAddress {
        case .ip4(let ip, _), .ip6(let ip, _): ip
        default: nil
        }
        if let peer, peer == "127.0.0.1" || peer == "::1",
           let forwarded = request.headers[HTTPHeader("X-Forwarded-For")]?.split(separator: ",").last {
            return String(forwarded.trimmingCharacters(in: .whitespaces).prefix(64))
        }
        return peer ?? "unknown"
    }

    /// The body, or nil past `limit` bytes (read no further than that).
    static func readBody(_ request: HTTPRequest, limit: Int) async -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), length > limit {
            return nil
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in request.bodySequence {
                bytes += chunk
                if bytes.count > limit { return nil }
            }
        } catch {
            return nil
        }
        return bytes
    }

    static func html(_ status: HTTPStatusCode, _ page: String) -> HTTPResponse {
        HTTPResponse(statusCode: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: Data(page.utf8))
    }
}

/// FlyingFox's handler for the service.
public struct CommentHandler: HTTPHandler {
    let service: CommentService

    public init(service: CommentService) {
        self.service = service
    }

    public func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        await service.handle(request)
    }
}
