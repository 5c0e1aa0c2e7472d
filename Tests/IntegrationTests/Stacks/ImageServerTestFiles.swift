import Foundation

/// The image server's files in the source tree, for tests that check what was deployed.
enum ImageServerTestFiles {
    /// `Stacks/ImageServer/`.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Stacks/ImageServer")

    /// The edge function's code, as zipped.
    static var edgeAuthSource: URL { root.appendingPathComponent("edge-auth/src") }
}
