// swift-tools-version:6.0
import PackageDescription

// A package of your own: your stacks, run by the same CLI as `imgstack`.
let package = Package(
    name: "MyStacks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // In your project: .package(url: "<imgstack's git URL>", from: "<version>")
        .package(name: "imgstack", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "my-stacks",
            dependencies: [
                .product(name: "ImgStack", package: "imgstack"),
                .product(name: "ImgStackCLI", package: "imgstack"),
            ]
        ),
    ]
)
