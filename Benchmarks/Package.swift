// swift-tools-version:6.1
// Benchmarks of hubsite's stages, in a package of their own so that the main `swift build`
// and `swift test` never build the benchmark library.
//
//   scripts/bench-vs-hugo 1000          # makes the corpus, times hubsite and Hugo side by side
//   HUBSITE_BENCH_CONTENT=/tmp/hubsite-bench/n1000/content \
//     swift package --package-path Benchmarks benchmark    # stage by stage
//   swift package --package-path Benchmarks benchmark --target MustacheEngines
//     # the site's Mustache engine against swift-mustache on the bench theme's pages
import PackageDescription
import class Foundation.ProcessInfo
import struct Foundation.URL

// A path dependency is named after its folder: the folder this repository was cloned into.
let rootFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let rootPackage = rootFolder.lastPathComponent.lowercased()

let package = Package(
    name: "HubSiteBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        .executableTarget(
            name: "Stages",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "HubSite", package: rootPackage),
            ],
            path: "Benchmarks/Stages",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The site's Mustache engine against swift-mustache, on the bench theme's pages.
        .executableTarget(
            name: "MustacheEngines",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MustacheEngine", package: rootPackage),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            path: "Benchmarks/MustacheEngines",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
