import AWS
import Engine
import Synchronization

/// Type names derived so far, by resource type.
private let derivedTypeNames = Mutex<[ObjectIdentifier: String]>([:])

/// A resource a stack declares: typed properties, and the type that creates it in AWS.
///
/// Each conforming type lives in one file under `Sources/ImgStack/<Service>/`, with its
/// properties, computed attributes, and its implementation of `ResourceType`.
public protocol Resource: Sendable {
    /// The type name, the first part of the address: `s3.bucket`. Derived from the Swift type
    /// (`S3.BucketPolicy` → `s3.bucket_policy`); a type overrides it only where state already
    /// holds another name.
    static var typeName: String { get }

    /// The Terraform AWS provider's resource type for the same thing (`aws_s3_bucket`), used in
    /// Terraform-format plans.
    static var terraformType: String { get }

    /// The implementation that talks to AWS. It holds no client: each operation gets the run's
    /// client from its `OperationContext`.
    static func makeType() -> any ResourceType


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

    public static var typeName: String { derivedTypeName }

    /// `service.type_name` from the Swift type's name: `ImgStack.S3.BucketPolicy` →
    /// `s3.bucket_policy`. Worked out once per type: every address and reference asks for it.
    static var derivedTypeName: String {
        let key = ObjectIdentifier(Self.self)
        if let known = derivedTypeNames.withLock({ $0[key] }) { return known }
        let parts = String(reflecting: Self.self).split(separator: ".").suffix(2).map(String.init)
        let name = (parts.dropLast().map { $0.lowercased() } + parts.suffix(1).map(\.snakeCased)).joined(separator: ".")
        derivedTypeNames.withLock { $0[key] = name }
        return name
    }

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
