import Benchmark
import Foundation
import HubSite

/// Each stage of a build over one generated corpus (`HUBSITE_BENCH_CONTENT`, made by
/// `scripts/bench-vs-hugo`), with the bench theme beside this package.
let benchmarks: @Sendable () -> Void = {
    let environment = ProcessInfo.processInfo.environment
    let content = environment["HUBSITE_BENCH_CONTENT"] ?? "/tmp/hubsite-bench/n1000/content"
    let theme = environment["HUBSITE_BENCH_THEME"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("theme").path
    let options = BuildOptions(now: "2030-01-01T00:00Z", themeRoot: theme)
    let tree = FolderReader().read(content: content, theme: theme)

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .cpuTotal, .peakMemoryResident, .mallocCountTotal],
                                           maxDuration: .seconds(10), maxIterations: 20)

    Benchmark("load: read the content and theme folders") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(FolderReader().read(content: content, theme: theme))
        }
    }

    Benchmark("parse: front matter and documents") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DocumentParser().parse(tree))
        }
    }

    Benchmark("plan: parse, model, bodies, link check (= hubsite check)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Pipeline.plan(tree, options: options))
        }
    }

    Benchmark("render: every page and feed, in memory") { benchmark in
        guard let plan = Pipeline.plan(tree, options: options).plan else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            try plan.renderer.render(plan.outputs) { blackHole($0) }
        }
    }

    Benchmark("markdown: one post body") { benchmark in
        let text = String(repeating: "A *paragraph* with a [link](https://example.org/) and \"quotes\".\n\n## A heading\n\n", count: 40)
        let source = MarkdownSource(text: text, firstLine: 1, displayPath: "post.md", relativePath: "posts/post.md")
        for _ in benchmark.scaledIterations {
            blackHole(BodyRenderer.render(source, context: BodyContext(pageURL: "/2009/05/post/")))
        }
    }
}
