import AWS
import Engine

/// A resource a stack declares: typed properties, and the type that creates it in AWS.
///
/// Each conforming type lives in one file under `Sources/ImgStack/<Service>/`, with its
/// properties, computed attributes, and its implementation of `ResourceType`.
public protocol Resource: Sendable {
    /// The type name, the first part of the address: `s3.bucket`.
    static var typeName: String { get }

    /// The implementation that talks to AWS.
    static func makeType(_ aws: AWSClient) -> any ResourceType

    /// The resource's name in the stack, the last part of its address.
    var name: String { get }

    /// The declared properties as expressions.
    var properties: [String: Expression] { get }

    /// Dependencies beside those that references imply.
    var dependsOn: [Address] { get set }

    /// A region other than the stack's (Lambda@Edge: `us-east-1`); nil for the stack's.
    var region: String? { get }
}

// MARK: - Default implementations

extension Resource {
    public var region: String? { nil }

    /// The resource's address, `type.name`.
    public var address: Address { Address(type: Self.typeName, name: name) }

    /// A reference to one of the resource's attributes or properties, known after apply when
    /// the resource is new.
    public func attribute(_ attributeName: String) -> Text {
        Text(.reference(Reference(address: address, attribute: attributeName)))
    }

    /// The resource's id in AWS.
    public var id: Text { attribute("id") }

    /// The same resource, depending also on `others` (for orderings no reference expresses).
    public func dependsOn(_ others: any Resource...) -> Self {
        var copy = self
        copy.dependsOn += others.map(\.address)
        return copy
    }
}
