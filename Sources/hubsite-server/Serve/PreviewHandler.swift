import FlyingFox
import Foundation

/// Answers the preview's HTTP requests from the last good build: files as they are, folders
/// by their `index.html`, HTML with the live-reload script put in, and the long-poll endpoint.
struct PreviewHandler: HTTPHandler {
    /// The folder the builds write to.
    let siteRoot: String
    /// The path part of the base URL, `/` or e.g. `/hub/`: the site lives under it.
    let basePath: String
    let reload: LiveReload
    /// The port the server listens on: requests must name it in their `Host`.
    let port: UInt16
    /// How long a long poll waits for a build before answering with the same token.
    var pollTimeout: Duration = .seconds(20)

    /// The names a browser uses for 127.0.0.1. A page on another host name that points at it
    /// (DNS rebinding) is refused, so no web page can read the preview (docs/security.md).
    var allowedHosts: Set<String> {
        ["127.0.0.1:\(port)", "localhost:\(port)", "[::1]:\(port)"]
    }

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let host = request.headers[.host], allowedHosts.contains(host.lowercased()) else {
            return text(.misdirectedRequest, "This preview answers only to 127.0.0.1:\(port) and localhost:\(port).\n")
        }
        let rawPath = request.target.path(percentEncoded: true)
        if rawPath == LiveReload.eventsPath {
            return await events(request)
        }
        guard request.method == .GET || request.method == .HEAD else {
            return text(.methodNotAllowed, "Only GET and HEAD are served.\n")
        }
        let snapshot = reload.snapshot
        guard snapshot.hasSite else {
            return html(.serviceUnavailable, Array(LiveReload.errorPage(for: snapshot).utf8))
        }
        guard let decoded = rawPath.removingPercentEncoding, decoded.hasPrefix("/") else {
            return text(.badRequest, "Bad path.\n")
        }
        guard decoded.hasPrefix(basePath) else {
            if basePath.hasPrefix(decoded) { // `/` or `/hub` when the site lives under `/hub/`
                return redirect(to: basePath)
            }
            return notFound(snapshot)
        }
        let relative = String(decoded.dropFirst(basePath.count))
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") || $0.contains("\0") }) else {
            return notFound(snapshot)
        }
        let path = ([siteRoot] + parts.map(String.init)).joined(separator: "/")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            return notFound(snapshot)
        }
        if isFolder.boolValue {
            guard relative.isEmpty || relative.hasSuffix("/") else {
                return redirect(to: Self.folderLocation(rawPath: rawPath, query: request.target.query(percentEncoded: true)))
            }
            return file(path + "/index.html", status: .ok, snapshot: snapshot) ?? notFound(snapshot)
        }
        return file(path, status: .ok, snapshot: snapshot) ?? notFound(snapshot)
    }

    /// Where `/x` of a folder goes: `/x/`, written so that it always stays on this host. The path
    /// is rebuilt from its non-empty segments (`//tags` would be another host, `http://tags/`), and
    /// backslashes, which browsers read as slashes, are escaped.
    static func folderLocation(rawPath: String, query: String) -> String {
        let segments = rawPath.split(separator: "/", omittingEmptySubsequences: true)
            .map { $0.replacingOccurrences(of: "\\", with: "%5C") }
        return "/" + segments.map { $0 + "/" }.joined() + (query.isEmpty ? "" : "?" + query)
    }

    // MARK: - Responses

    private func events(_ request: HTTPRequest) async -> HTTPResponse {
        let since = request.query.first { $0.name == "since" }?.value ?? ""
        let snapshot = await reload.wait(since: since, timeout: pollTimeout)
        let body = "{\"token\":\"\(snapshot.token)\",\"ok\":\(snapshot.errors.isEmpty)}\n"
        return HTTPResponse(statusCode: .ok,
                            headers: [.contentType: "application/json", .cacheControl: "no-store"],
                            body: Data(body.utf8))
    }

    private func file(_ path: String, status: HTTPStatusCode, snapshot: LiveReload.Snapshot) -> HTTPResponse? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let type = Self.contentType(for: path)
        if type.hasPrefix("text/html") {
            return html(status, LiveReload.inject(LiveReload.injection(for: snapshot), into: Array(data)))
        }
        return HTTPResponse(statusCode: status, headers: [.contentType: type, .cacheControl: "no-store"], body: data)
    }

    private func notFound(_ snapshot: LiveReload.Snapshot) -> HTTPResponse {
        file(siteRoot + "/404.html", status: .notFound, snapshot: snapshot)
            ?? text(.notFound, "Not found.\n")
    }

    private func html(_ status: HTTPStatusCode, _ bytes: [UInt8]) -> HTTPResponse {
        HTTPResponse(statusCode: status,
                     headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                     body: Data(bytes))
    }

    private func text(_ status: HTTPStatusCode, _ message: String) -> HTTPResponse {
        HTTPResponse(statusCode: status,
                     headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                     body: Data(message.utf8))
    }

    private func redirect(to location: String) -> HTTPResponse {
        HTTPResponse(statusCode: .movedPermanently,
                     headers: [.location: location, .cacheControl: "no-store",
                               .contentType: "text/plain; charset=utf-8"],
                     body: Data("Moved to \(location)\n".utf8))
    }

    static func contentType(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "xml": return "application/xml; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "pdf": return "application/pdf"
        case "woff": return "font/woff"
        case "woff2": return "font/woff2"
        case "mp3": return "audio/mpeg"
        case "mp4": return "video/mp4"
        default: return "application/octet-stream"
        }
    }
}
