// swift-tools-version:6.1
// The fuzz target of hubsite: libFuzzer over the whole parse stage and the rest of the pipeline.
// Build and run it with `scripts/fuzz` (see Fuzz/README.md); the main package never builds it.
import PackageDescription

/// A path dependency is known by its folder's name, whatever the clone is called.
let rootFolder = String(#filePath.split(separator: "/").dropLast(2).last ?? "hubsite")

let package = Package(
    name: "HubSiteFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(path: ".."),
    ],
    targets: [
        // Declares libFuzzer's driver for Swift.
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "HubSiteFuzz",
            dependencies: ["CFuzzerDriver", .product(name: "HubSite", package: rootFolder)],
            swiftSettings: [
                // libFuzzer brings its own main(); the target only defines LLVMFuzzerTestOneInput.
                .unsafeFlags(["-parse-as-library"]),
            ]
        ),
    ]
)
