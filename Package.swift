// swift-tools-version:6.0
import PackageDescription

// kgate is Linux-first: the workspace is watched with inotify, file times are read from
// `st_mtim`, and the terminal and process code use Glibc. No other platform is built or
// tested, so none is claimed here.
let package = Package(
    name: "kgate",
    products: [
        .executable(name: "kgate", targets: ["kgate"]),
        .executable(name: "kgate-bench", targets: ["kgate-bench"]),
        .library(name: "GatewayKit", targets: ["GatewayKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        // The Kubernetes backend's HTTP client, and the TLS and HTTP types it is built on.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // Self-signed certificates for the demo's TLS secrets (already built for the above).
        .package(url: "https://github.com/apple/swift-certificates", from: "1.21.1"),
        // The SSH endpoint (`kgate ssh-server`) and its keys; keys and certificates alike.
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
    ],
    targets: [
        // The shared model and config-rendering library: pure Swift, no I/O.
        .target(name: "GatewayKit", dependencies: [.product(name: "Yams", package: "Yams")]),
        // Where objects live: the embedded workspace and the Kubernetes API.
        .target(
            name: "GatewayStore",
            dependencies: [
                "GatewayKit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                "ChildProcess",
            ]
        ),
        // Child processes started safely: clean signal mask, no inherited descriptors,
        // process groups, timeouts. Used by exec plugins, nginx and every test.
        .target(name: "ChildProcess"),
        // The local gateway: nginx.conf rendered from the model, checked and run on loopback.
        .target(
            name: "GatewayRuntime",
            dependencies: [
                "GatewayKit", "ChildProcess",
                .product(name: "X509", package: "swift-certificates"), .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncurses-dev"])]
        ),
        // Cells, styles, screen diff, key decoding; the ncurses and in-memory backends.
        .target(name: "Terminal", dependencies: ["CNcursesw"]),
        // The app: state, messages, update, one view per screen. No ncurses import.
        .target(name: "Console", dependencies: ["GatewayKit", "Terminal"]),
        // The SSH endpoint: swift-nio-ssh, keys and roles, a console child per session.
        .target(
            name: "SSHServer",
            dependencies: [
                "ChildProcess", "Terminal",
                .product(name: "NIOSSH", package: "swift-nio-ssh"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "kgate",
            dependencies: [
                "GatewayKit", "GatewayStore", "GatewayRuntime", "Console", "Terminal", "ChildProcess", "SSHServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "kgate-bench",
            dependencies: [
                "GatewayKit", "GatewayStore", "GatewayRuntime", "Console", "Terminal", "ChildProcess",
                // The API stand-in for the cluster backend's figures.
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["GatewayKit", "Terminal", "ChildProcess"], path: "Tests/TestSupport"),
        .testTarget(name: "ChildProcessTests", dependencies: ["ChildProcess", "TestSupport"]),
        .testTarget(
            name: "GatewayKitTests",
            dependencies: ["GatewayKit", "TestSupport", "ChildProcess", .product(name: "Yams", package: "Yams")]
        ),
        .testTarget(
            name: "GatewayStoreTests",
            dependencies: [
                "GatewayStore", "GatewayKit", "TestSupport", "ChildProcess",
                // The test API server: SwiftNIO's HTTP/1 server on loopback.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "GatewayRuntimeTests", dependencies: ["GatewayRuntime", "GatewayKit", "TestSupport", "ChildProcess"]),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "TestSupport", "ChildProcess"]),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "GatewayKit", "Terminal", "TestSupport"],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "SSHServerTests",
            dependencies: ["SSHServer", "TestSupport", "ChildProcess", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["GatewayKit", "TestSupport", "ChildProcess"]),
    ],
    swiftLanguageModes: [.v6]
)
