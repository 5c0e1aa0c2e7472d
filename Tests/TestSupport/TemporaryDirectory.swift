import Foundation

/// A fresh directory under the system temporary directory, removed with everything in it when
/// the value is deinitialised.
public final class TemporaryDirectory: Sendable {
    /// The directory's location.
    public let url: URL

    /// Creates a new, empty directory.
    /// - Parameter prefix: The start of the directory's name, to tell test leftovers apart.
    /// - Throws: The file system's error when the directory cannot be created.
    public init(prefix: String = "imgstack-test") throws {
        let name = "\(prefix)-\(UUID().uuidString)"
        url = FileManager.default.temporaryDirectory.appendingPathComponent(name, isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Returns the location of `relativePath` inside the directory (nothing is created).
    /// - Parameter relativePath: A path such as `state/prod.json`.
    public func appending(_ relativePath: String) -> URL {
        url.appendingPathComponent(relativePath)
    }

    deinit {
        // Best effort: a test that left a file open must not crash the run over cleanup.
        try? FileManager.default.removeItem(at: url)
    }
}
