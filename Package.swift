// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Summoner",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "summonerd", targets: ["summonerd"]),
        .executable(name: "summonerctl", targets: ["summonerctl"]),
        .executable(name: "summoner-image", targets: ["summoner-image"]),
        .executable(name: "dns-testserver", targets: ["dns-testserver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // The portable half of the unikernel: no Foundation, builds for the host and in Embedded mode.
        .target(name: "GuestStack"),
        .target(name: "CUDPBatch"),
        .systemLibrary(name: "CLibvirt", pkgConfig: "libvirt", providers: [.apt(["libvirt-dev"])]),
        .systemLibrary(name: "CLibcrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .target(name: "KernelImage", dependencies: ["GuestStack", "CLibcrypto"]),
        .target(
            name: "VMLauncher",
            dependencies: [
                "KernelImage", "GuestStack", "CLibvirt",
                .product(name: "Logging", package: "swift-log"),
            ]),
        .target(
            name: "DNSFrontend",
            dependencies: [
                "CUDPBatch",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .target(
            name: "Summoner",
            dependencies: [
                "DNSFrontend", "VMLauncher", "KernelImage", "GuestStack",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        // Fakes for tests: a hypervisor, a clock that tests move, readiness on demand.
        .target(name: "SummonerTestSupport", dependencies: ["Summoner", "VMLauncher", "GuestStack"]),
        .executableTarget(
            name: "summonerd",
            dependencies: [
                "Summoner",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .executableTarget(
            name: "summonerctl",
            dependencies: [
                "Summoner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "summoner-image",
            dependencies: [
                "KernelImage",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // The DNS frontend over a static zone, for the end-to-end DNS test and the benchmark.
        .executableTarget(
            name: "dns-testserver",
            dependencies: [
                "DNSFrontend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]),
        .testTarget(name: "GuestStackTests", dependencies: ["GuestStack"]),
        .testTarget(name: "KernelImageTests", dependencies: ["KernelImage"]),
        .testTarget(name: "VMLauncherTests", dependencies: ["VMLauncher"], exclude: ["Fixtures"]),
        .testTarget(
            name: "DNSFrontendTests",
            dependencies: [
                "DNSFrontend",
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ]),
        .testTarget(name: "SummonerTests", dependencies: ["Summoner", "SummonerTestSupport"]),
        .testTarget(name: "SummonerCtlTests", dependencies: ["summonerctl", "Summoner", "GuestStack"]),
    ]
)
