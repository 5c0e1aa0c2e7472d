import Foundation

/// An empty JSON input or output (`{}`), for operations with no members or whose answer the
/// caller does not need.
public struct AWSEmpty: Codable, Sendable, Equatable {
    /// Creates the empty value.
    public init() {}
}
