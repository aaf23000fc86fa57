import Foundation
import HubSite

/// What the preview shows now: which build (a token that changes with every build, good or
/// bad), and the errors of the last build when it failed. Open pages ask for the token over
/// long polling (`/__hubsite/events?since=TOKEN`) and reload when it changes.
final class LiveReload: @unchecked Sendable {
    struct Snapshot: Sendable, Equatable {
        /// Changes with every finished build; never repeats across runs of the server.
        var token: String
        /// Whether a site has been built at least once (otherwise there is nothing to serve).
        var hasSite: Bool
        /// The diagnostics of the last build, when it failed; empty after a good build.
        var errors: [String]
    }

    private let lock = NSLock()
    private let instance: String
    private var build = 0
    private var current: Snapshot
    private var waiters: [UUID: CheckedContinuation<Snapshot, Never>] = [:]

    init() {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        instance = String(now.tv_sec, radix: 36) + String(now.tv_nsec / 1000, radix: 36)
        current = Snapshot(token: instance + "-0", hasSite: false, errors: [])
    }

    var snapshot: Snapshot {
        lock.withLock { current }
    }

    /// Records a finished build and wakes every waiting page.
    func finished(ok: Bool, errors: [String]) {
        let waiting: [CheckedContinuation<Snapshot, Never>]
        let snapshot: Snapshot
        lock.lock()
        build += 1
        current = Snapshot(token: "\(instance)-\(build)", hasSite: current.hasSite || ok, errors: ok ? [] : errors)
        snapshot = current
        waiting = Array(waiters.values)
        waiters = [:]
        lock.unlock()
        for continuation in waiting { continuation.resume(returning: snapshot) }
    }

    /// Returns as soon as the token differs from `since`, or after `timeout` with the same one.
    func wait(since: String, timeout: Duration) async -> Snapshot {
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Snapshot, Never>) in
                lock.lock()
                if current.token != since {
                    let snapshot = current
                    lock.unlock()
                    continuation.resume(returning: snapshot)
                    return
                }
                waiters[id] = continuation
                lock.unlock()
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    self?.release(id)
                }
            }
        } onCancel: {
            release(id)
        }
    }

    /// Lets one waiter go with the current snapshot, if it is still waiting.
    private func release(_ id: UUID) {
        lock.lock()
        let continuation = waiters.removeValue(forKey: id)
        let snapshot = current
        lock.unlock()
        continuation?.resume(returning: snapshot)
    }

    // MARK: - What is injected into served pages

    /// The script (and, after a failed build, the error panel) put before `</body>` of every
    /// HTML page the preview serves. Never part of a build's output.
    static func injection(for snapshot: Snapshot) -> String {
        var html = ""
        if !snapshot.errors.isEmpty || !snapshot.hasSite {
            html += errorPanel(snapshot.errors, hasSite: snapshot.hasSite)
        }
        html += """
            <script id="hubsite-live-reload">
            (function () {
              var token = "\(snapshot.token)";
              function poll(delay) {
                setTimeout(function () {
                  fetch("\(eventsPath)?since=" + encodeURIComponent(token), { cache: "no-store" })
                    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
                    .then(function (state) { if (state.token !== token) { location.reload(); } else { poll(0); } })
                    .catch(function () { poll(1000); });
                }, delay);
              }
              poll(0);
            })();
            </script>

            """
        return html
    }

    static let eventsPath = "/__hubsite/events"

    private static func errorPanel(_ errors: [String], hasSite: Bool) -> String {
        let heading = hasSite
            ? "The last change did not build. This is the last good version of the site; it reloads when the errors are fixed."
            : errors.isEmpty ? "The site is being built; this page reloads when it is ready."
            : "The site did not build. This page reloads when the errors are fixed."
        let lines = errors.map(escape).joined(separator: "\n")
        return """
            <div id="hubsite-build-errors" role="alert" style="position:fixed;left:0;right:0;top:0;z-index:2147483647;\
            max-height:60vh;overflow:auto;margin:0;padding:12px 16px;background:#fff4f4;color:#5c0000;\
            border-bottom:4px solid #c00;box-shadow:0 2px 8px rgba(0,0,0,.3);font:14px/1.45 system-ui,sans-serif">
            <p style="margin:0 0 8px;font-weight:bold">hubsite serve: \(escape(heading))</p>
            <pre style="margin:0;white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace">\(lines)</pre>
            </div>

            """
    }

    /// A whole page for when no build has ever succeeded.
    static func errorPage(for snapshot: Snapshot) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><title>Build failed - hubsite serve</title></head>
        <body>
        \(injection(for: snapshot))</body>
        </html>

        """
    }

    /// The library's own HTML escaping (which also escapes `'`), one rule for every page served.
    static func escape(_ text: String) -> String { HTMLEscaping.escape(text) }

    /// `html` with `injection` put before its last `</body>` (any case), or at its end.
    static func inject(_ injection: String, into html: [UInt8]) -> [UInt8] {
        let marker = Array("</body".utf8)
        var index = html.count - marker.count
        while index >= 0 {
            var matches = true
            for offset in 0..<marker.count {
                var byte = html[index + offset]
                if (0x41...0x5A).contains(byte) { byte += 0x20 }
                if byte != marker[offset] {
                    matches = false
                    break
                }
            }
            if matches {
                return Array(html[..<index]) + Array(injection.utf8) + Array(html[index...])
            }
            index -= 1
        }
        return html + Array(injection.utf8)
    }
}
