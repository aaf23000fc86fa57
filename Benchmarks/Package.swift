// swift-tools-version:6.1
// Benchmarks of hubsite's stages, in a package of their own so that the main `swift build`
// and `swift test` never build the benchmark library.
//
//   scripts/bench-vs-hugo 1000          # makes the corpus, times hubsite and Hugo side by side
//   HUBSITE_BENCH_CONTENT=/tmp/hubsite-bench/n1000/content \
//     swift package --package-path Benchmarks benchmark    # stage by stage
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
    ]
)
