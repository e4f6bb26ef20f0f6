// swift-tools-version: 6.0
// Selfology: an event-driven coaching bot. The module graph below is the architecture map:
// a pure domain core, the eight services over small ports, adapters for each runtime, and one composition root.
import PackageDescription

let package = Package(
    name: "Selfology",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "selfology", targets: ["selfology"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit", from: "3.36.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-kit", from: "2.17.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
    ],
    targets: [
        // Pure domain: no I/O, time and randomness come in as arguments.
        .target(name: "SelfologyCore"),
        // Content written by this project (question bank, lexicons) shipped as bundled resources.
        .target(
            name: "SelfologyContent",
            dependencies: ["SelfologyCore"],
            resources: [
                .copy("Resources/questions"), .copy("Resources/lexicons"), .copy("Resources/safety"),
                .copy("Resources/schemas"),
            ]
        ),
        // The eight services, the ports they need, and the consumer runtime that drives them.
        .target(
            name: "SelfologyServices",
            dependencies: [
                "SelfologyCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Embedded runtime adapters: SQLite store, in-process bus, in-memory FSM cache.
        .target(
            name: "SelfologyEmbedded",
            dependencies: [
                "SelfologyServices",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // Distributed runtime store: PostgreSQL through a connection pool, schema `selfology`.
        .target(
            name: "SelfologyPostgres",
            dependencies: [
                "SelfologyServices",
                .product(name: "PostgresKit", package: "postgres-kit"),
            ]
        ),
        // A small RESP client on SwiftNIO (no Swift Redis package is installable here): the commands we need.
        .target(
            name: "SelfologyRedis",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A Telegram Bot API client (no Swift Telegram package is installable here): the methods, the send pacing.
        .target(
            name: "SelfologyTelegram",
            dependencies: [
                "SelfologyResilience",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // Files are uploaded as multipart/form-data.
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        // Distributed runtime adapters on Redis: the Streams event bus and its trimmer.
        .target(
            name: "SelfologyDistributed",
            dependencies: [
                "SelfologyServices", "SelfologyRedis",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // A circuit breaker shared by everything that calls a server on the internet (models, Qdrant, Telegram).
        .target(name: "SelfologyResilience"),
        // Language models and vectors on the internet: OpenAI, Anthropic, OpenAI-compatible servers and Qdrant
        // adapters, and the router that tiers, retries, breaks circuits, falls back to the local tier and counts cost.
        .target(
            name: "SelfologyAI",
            dependencies: [
                "SelfologyCore", "SelfologyServices", "SelfologyResilience",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        // Composition root: picks adapters from configuration; the terminal front end.
        .target(
            name: "SelfologyApp",
            dependencies: [
                "SelfologyCore", "SelfologyContent", "SelfologyServices", "SelfologyEmbedded", "SelfologyPostgres",
                "SelfologyDistributed", "SelfologyRedis", "SelfologyTelegram", "SelfologyAI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "selfology",
            dependencies: [
                "SelfologyApp", "SelfologyContent", "SelfologyCore", "SelfologyEmbedded", "SelfologyServices",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SelfologyCoreTests",
            dependencies: ["SelfologyCore", "SelfologyContent"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "SelfologyRedisTests", dependencies: ["SelfologyRedis"]),
        .testTarget(
            name: "SelfologyTelegramTests",
            dependencies: [
                "SelfologyTelegram", "SelfologyApp", "SelfologyContent", "SelfologyCore", "SelfologyServices",
                "SelfologyResilience", "SelfologyTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Helpers the test targets share: a JSON value their fake servers speak, captured log lines.
        .target(
            name: "SelfologyTestSupport", dependencies: [.product(name: "Logging", package: "swift-log")],
            path: "Tests/SelfologyTestSupport"),
        .testTarget(
            name: "SelfologyAITests",
            dependencies: [
                "SelfologyAI", "SelfologyApp", "SelfologyContent", "SelfologyCore", "SelfologyServices",
                "SelfologyResilience", "SelfologyTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SelfologyServicesTests",
            dependencies: [
                "SelfologyApp", "SelfologyContent", "SelfologyCore", "SelfologyServices", "SelfologyEmbedded",
                "SelfologyPostgres", "SelfologyDistributed", "SelfologyRedis",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
