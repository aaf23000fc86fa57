// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "hubsite",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "hubsite", targets: ["hubsite"]),
        .executable(name: "hubsite-server", targets: ["hubsite-server"]),
        .library(name: "HubSite", targets: ["HubSite"]),
        // For Benchmarks/, which compares it with swift-mustache.
        .library(name: "MustacheEngine", targets: ["MustacheEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CCmark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // libxml2: its HTML parser reads Blogger's post bodies, its XML reader the export.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Linux calls Swift cannot make directly (renameat2 is reached through syscall()).
        .target(name: "CHubSiteSystem"),
        // zlib's gzip, to put Pagefind's filter index in a fixed order (Write/SearchIndexOrder.swift).
        .target(name: "CGzip", linkerSettings: [.linkedLibrary("z")]),
        // The version, and the commit that scripts/package embeds (hubsite --version).
        .target(name: "CHubSiteVersion"),
        // The site's own Mustache engine (see its Template.swift for why not a general library).
        .target(name: "MustacheEngine"),
        .target(
            name: "HubSite",
            dependencies: [
                "MustacheEngine",
                "CCmark",
                "CHubSiteSystem",
                "CGzip",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // The moderation queue: readers' comments in SQLite, and approved ones out as content
        // files. Only the command line uses it; the library never does.
        .target(
            name: "HubSiteComments",
            dependencies: [
                "HubSite",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // The comment service: takes the form over HTTP into the queue. Only hubsite-server
        // links it, so that no other command loads the HTTP server's libraries.
        .target(
            name: "HubSiteCommentService",
            dependencies: [
                "HubSite",
                "HubSiteComments",
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        // Beside the pipeline: a Blogger export -> content files an author can edit.
        .target(
            name: "BloggerImport",
            dependencies: ["HubSite", "CLibXML2"]
        ),
        // The options, exit statuses and console output that both programs share.
        .target(
            name: "HubSiteCommandLine",
            dependencies: [
                "HubSite",
                "HubSiteComments",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Every command; `serve` and `comments serve` are checked here and run by hubsite-server.
        .executableTarget(
            name: "hubsite",
            dependencies: [
                "HubSite",
                "HubSiteComments",
                "HubSiteCommandLine",
                "BloggerImport",
                "CHubSiteVersion",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The preview server and the comment service, with FlyingFox (and so Foundation's
        // networking and libcurl): what `hubsite serve` and `hubsite comments serve` become.
        .executableTarget(
            name: "hubsite-server",
            dependencies: [
                "HubSite",
                "HubSiteCommandLine",
                "HubSiteComments",
                "HubSiteCommentService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "FlyingFox", package: "FlyingFox"),
                .product(name: "FlyingSocks", package: "FlyingFox"),
            ]
        ),
        .testTarget(
            name: "MustacheEngineTests",
            dependencies: ["MustacheEngine"]
        ),
        .testTarget(
            name: "HubSiteTests",
            dependencies: ["HubSite", "MustacheEngine", "HubSiteComments", "HubSiteCommentService", "BloggerImport"],
            exclude: ["Fixtures"]
        ),
    ]
)
