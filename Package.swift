// swift-tools-version:6.0
import PackageDescription

// Layers (see README "Design"): AWS <- Engine-free; Engine <- AWS-free;
// ImgStack joins them; Stacks uses ImgStack; ImgStackCLI sits on top.
let package = Package(
    name: "imgstack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "imgstack", targets: ["imgstack"]),
        .library(name: "ImgStack", targets: ["ImgStack"]),
        .library(name: "ImgStackCLI", targets: ["ImgStackCLI"]),
        // ImgStack and ImgStackCLI as one shared library, for a package of one's own
        // (Examples/MyStacks): after an edit only that package's code is linked, not imgstack and
        // SwiftNIO again (the edit -> plan loop, Benchmarks/README.md).
        .library(name: "ImgStackShared", type: .dynamic, targets: ["ImgStack", "ImgStackCLI"]),
        .library(name: "AWS", targets: ["AWS"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        // The HTTP transport (Sources/AWS/Transport/HTTPClientTransport.swift).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .target(
            name: "AWS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "AsyncHTTPClient", package: "async-http-client"),
                           .product(name: "NIOCore", package: "swift-nio"),
                           .product(name: "NIOHTTP1", package: "swift-nio"),
                           .product(name: "NIOPosix", package: "swift-nio"),
                           .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        .target(name: "Engine"),
        // The version and the git commit a binary was built from (`imgstack --version`).
        .plugin(name: "BuildCommitStamp", capability: .buildTool()),
        .target(name: "BuildInfo", plugins: ["BuildCommitStamp"]),
        .target(
            name: "ImgStack",
            // _CryptoExtras: scrypt, which turns an IMGSTACK_STATE_KEY passphrase into the state's key.
            dependencies: ["AWS", "Engine", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "_CryptoExtras", package: "swift-crypto")]
        ),
        .target(
            name: "Stacks",
            dependencies: ["ImgStack", "AWS"],
            path: "Stacks",
            // The image server's site and edge function ship in the resource bundle; their
            // JavaScript tests run under node (ImageServerJavaScriptTests). The upload API's
            // function ships the same way; its pytest tests run from .ci/run. The file upload
            // app's mover has only its code and pytest tests so far (its stack will ship it).
            exclude: ["ImageServer/README.md", "ImageServer/edge-auth/test", "ImageServer/edge-auth/README.md", "ImageServer/site-test",
                      "UploadAPI/upload-test", "UploadAPI/README.md",
                      "FileUploadApp/mover-test", "FileUploadApp/README.md"],
            resources: [.copy("ImageServer/site"), .copy("ImageServer/edge-auth"), .copy("S3Proxy/content"), .copy("UploadAPI/upload"), .copy("FileUploadApp/mover")]
        ),
        .target(
            name: "ImgStackCLI",
            dependencies: [
                "ImgStack", "Engine", "AWS", "BuildInfo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "imgstack", dependencies: ["ImgStackCLI", "Stacks"]),
        .executableTarget(
            name: "imgstack-benchmarks",
            dependencies: ["AWS", "Engine", "ImgStack", "ImgStackCLI", "Stacks", "TestSupport"],
            path: "Benchmarks/Sources"
        ),
        .target(name: "TestSupport", dependencies: ["AWS", "Engine"], path: "Tests/TestSupport",
                exclude: ["README.md"], resources: [.copy("emulator")]),
        .testTarget(name: "AWSTests", dependencies: ["AWS", "TestSupport"]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImgStackTests", dependencies: ["ImgStack", "Engine", "AWS"]),
        .testTarget(name: "CLITests", dependencies: ["AWS", "Engine", "ImgStack", "ImgStackCLI", "Stacks", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["AWS", "Engine", "ImgStack", "ImgStackCLI", "Stacks", "TestSupport"]
        ),
    ]
)
