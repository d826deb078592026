// swift-tools-version:6.1
// A package that depends on lna's library products the way a user's package would (by path here; by URL and
// version elsewhere). LNACLITests/ConsumerPackageTests builds it in a temporary copy and runs it on the
// shipped NJUNLP counts, so CI fails if the products stop building as a dependency (e.g. through an unsafe flag).
import PackageDescription

let package = Package(
    name: "LNAConsumer",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "lna", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "LNAConsumer",
            dependencies: [
                .product(name: "LNAAnalysis", package: "lna"),
                .product(name: "LNAData", package: "lna"),
                .product(name: "LNAModels", package: "lna"),
                .product(name: "LNARecording", package: "lna"),
                .product(name: "LNATensor", package: "lna"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
