import Benchmark
import Foundation
import Mustache
import MustacheEngine

/// The site's Mustache engine against swift-mustache 2.1.1, rendering the bench theme's post
/// page and two list pages (a tag's page and the home page) from the same view data: the figure
/// behind keeping an engine of our own (Sources/MustacheEngine/Template.swift).
let benchmarks: @Sendable () -> Void = {
    let templatesFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("theme/templates")
    let sources = BenchTheme.sources(in: templatesFolder)

    var parsed: [String: MustacheEngine.Template] = [:]
    var library = MustacheLibrary()
    for (name, text) in sources {
        do {
            parsed[name] = try MustacheEngine.Template.parse(text, name: name)
            library.register(try MustacheTemplate(string: text), named: name)
        } catch {
            print("cannot parse \(name): \(error)")
            return
        }
    }
    let (ours, theirs) = (parsed, library)

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
                                           maxDuration: .seconds(5), maxIterations: 10_000)

    for (page, view) in [("post", BenchViews.post), ("tag", BenchViews.tag), ("index", BenchViews.home)] {
        let dictionary = BenchViews.dictionary(view)
        // Both must write the same page, or the comparison means nothing.
        let oursText = String(decoding: MustacheEngine.Template.render(page, in: ours, context: view), as: UTF8.self)
        let theirsText = theirs.render(dictionary, withTemplate: page) ?? ""
        guard oursText == theirsText, !oursText.isEmpty else {
            print("\(page): the two engines write different pages; not comparing them")
            continue
        }
        Benchmark("\(page) page (\(oursText.utf8.count) bytes): MustacheEngine") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(MustacheEngine.Template.render(page, in: ours, context: view))
            }
        }
        Benchmark("\(page) page (\(oursText.utf8.count) bytes): swift-mustache 2.1.1") { benchmark in
            let dictionary = BenchViews.dictionary(view)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(theirs.render(dictionary, withTemplate: page))
            }
        }
    }
}

enum BenchTheme {
    /// Every template under `folder`, named as the theme names them (`post`, `partials/meta`).
    static func sources(in folder: URL) -> [(String, String)] {
        let prefix = folder.standardizedFileURL.path + "/"
        guard let walker = FileManager.default.enumerator(atPath: prefix) else { return [] }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".mustache") }.sorted().compactMap { relative in
            guard let text = try? String(contentsOfFile: prefix + relative, encoding: .utf8) else { return nil }
            return (String(relative.dropLast(".mustache".count)), text)
        }
    }
}

/// View data shaped as the site's page views are (Sources/HubSite/Render/Pages/), sized as a
/// typical post and list page of the bench corpus.
enum BenchViews {
    static let site: TemplateValue = [
        "language": "en-GB", "title": "Hertfordshire LAA Hub", "assetsURL": "/assets/",
        "homeURL": "/", "feedURL": "/feed.xml",
    ]

    static func reference(_ name: String, _ url: String) -> TemplateValue { ["name": .text(name), "url": .text(url)] }

    static let tags: TemplateValue = .list((1...4).map { reference("Tag \($0) & more", "/tags/tag-\($0)/") })
    static let areas: TemplateValue = .list((1...2).map { reference("Area \($0)", "/areas/area-\($0)/") })

    static func summaryPost(_ number: Int) -> TemplateValue {
        [
            "title": .text("Post number \(number): \"quotes\" <and> ampersands & co"),
            "url": .text("/2009/05/post-number-\(number)/"),
            "dateISO": "2009-05-11T09:30:00+01:00", "dateMedium": "11 May 2009", "dateDay": "2009-05-11",
            "dateShort": "11 May", "author": "Jo Bloggs",
            "hasTags": true, "tags": tags, "hasAreas": true, "areas": areas,
            "summary": .text(String(repeating: "A summary sentence of the post, as the index shows it. ", count: 4)),
        ]
    }

    static let body = String(repeating: "<p>A paragraph of the post’s body, rendered by cmark, with <a href=\"https://example.org/\">a link</a> and <em>emphasis</em>.</p>\n<h2 id=\"a-heading\">A heading</h2>\n", count: 20)

    static let post: TemplateValue = [
        "site": site,
        "page": ["title": "Post number 1 — Hertfordshire LAA Hub", "canonicalURL": "https://example.org/2009/05/post-number-1/"],
        "post": {
            guard case .object(var fields) = summaryPost(1) else { return .null }
            fields["body"] = .text(body)
            return .object(fields)
        }(),
        "older": ["title": "Post number 0", "url": "/2009/05/post-number-0/"],
        "newer": ["title": "Post number 2", "url": "/2009/05/post-number-2/"],
    ]

    static let tag: TemplateValue = [
        "site": site,
        "page": ["title": "Tag 1 — Hertfordshire LAA Hub", "canonicalURL": "https://example.org/tags/tag-1/",
                 "ownFeed": ["url": "/tags/tag-1/feed.xml"]],
        "tag": ["name": "Tag 1 & more", "feedURL": "/tags/tag-1/feed.xml", "count": 100],
        "posts": .list((1...100).map(summaryPost)),
    ]

    static let home: TemplateValue = [
        "site": site,
        "page": ["title": "Hertfordshire LAA Hub", "canonicalURL": "https://example.org/", "isHome": true,
                 "ownFeed": ["url": "/feed.xml"]],
        "days": .list(stride(from: 1, through: 20, by: 2).map { day in ["posts": .list([summaryPost(day), summaryPost(day + 1)])] }),
        "pagination": ["page": 1, "pageCount": 50, "olderURL": "/page/2/", "newerURL": nil],
    ]

    /// The same view as swift-mustache reads it: dictionaries, arrays, strings, booleans and
    /// numbers; a null is left out, as a missing key.
    static func dictionary(_ value: TemplateValue) -> Any {
        switch value {
        case .text(let text): text
        case .bool(let flag): flag
        case .number(let number): number
        case .list(let items): items.map(dictionary)
        case .object(let fields): fields.filter { $0.value != .null }.mapValues(dictionary)
        case .null: false
        }
    }
}
