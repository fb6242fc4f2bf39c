// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "faultline",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .library(name: "FaultlineKit", targets: ["FaultlineKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        .target(
            name: "FaultlineKit",
            dependencies: ["CZlib"]
        ),
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // swift-crypto is the reference the tests hold FaultlineKit's own SHA-256 to; the tool does not link it,
        // because it brings Foundation and ICU, 10-12 MB resident in every run.
        .testTarget(
            name: "FaultlineKitTests",
            dependencies: ["FaultlineKit", .product(name: "Crypto", package: "swift-crypto")],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "faultlineTests", dependencies: ["FaultlineKit", "faultline"], exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
