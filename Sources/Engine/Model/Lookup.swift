/// A kind of read-only lookup of something that exists already (Terraform's data sources):
/// the caller's account, a KMS key by alias, a public SSM parameter, a VPC by tag.
///
/// A lookup is never created, changed or deleted. The ``Deployment`` reads it on every plan
/// (`--refresh=false` included, as Terraform reads data sources then too) once its arguments are
/// known, and during apply when they are known only then. Implementations live in the ImgStack
/// target, one file per kind, and hold no client: ``read(_:context:)`` gets the run's client in
/// its ``OperationContext``.
public protocol LookupType: Sendable {
    /// The planner's view of the kind.
    var schema: LookupSchema { get }

    /// Checks argument values known before any call (an alias must start with `alias/`).
    func validate(_ arguments: [String: Expression], address: Address) -> [ValidationIssue]

    /// Reads what the arguments select.
    /// - Parameter arguments: every declared argument, fully known.
    /// - Returns: the attributes, keyed by attribute name (each of ``LookupSchema/attributes``).
    /// - Throws: ``LookupError`` when nothing or more than one thing matches; the provider's
    ///   error when a call fails.
    func read(_ arguments: [String: Value], context: OperationContext) async throws -> [String: Value]
}

extension LookupType {
    public func validate(_ arguments: [String: Expression], address: Address) -> [ValidationIssue] { [] }
}

/// What the engine knows of a kind of lookup.
public struct LookupSchema: Sendable {
    /// imgstack's name of the kind, the middle of its addresses: `kms.key` in `lookup.kms.key.data`.
    public var typeName: String
    /// The Terraform AWS provider's data source (`aws_kms_key`), used in JSON plans.
    public var terraformType: String
    /// The arguments a stack may set; the others are refused by validation.
    public var arguments: [String]
    /// The attributes a read answers, which references may name.
    public var attributes: [String]

    /// Creates a schema.
    public init(typeName: String, terraformType: String, arguments: [String], attributes: [String]) {
        self.typeName = typeName
        self.terraformType = terraformType
        self.arguments = arguments
        self.attributes = attributes
    }
}

/// One lookup as a stack declares it.
public struct LookupDeclaration: Sendable {
    /// `lookup.<kind>.<name>`.
    public var address: Address
    /// The implementation of its kind.
    public var type: any LookupType
    /// The declared arguments; they may refer to resources and to other lookups.
    public var arguments: [String: Expression]
    /// A region other than the stack's; nil for the stack's.
    public var region: String?

    /// Creates a declaration.
    public init(address: Address, type: any LookupType, arguments: [String: Expression], region: String? = nil) {
        self.address = address
        self.type = type
        self.arguments = arguments
        self.region = region
    }

    /// The resources and lookups the arguments refer to, sorted.
    public var dependencies: [Address] {
        Array(Set(arguments.values.flatMap(\.references).map(\.address)).subtracting([address])).sorted()
    }
}

extension Address {
    /// The first part of every lookup's type: `lookup.kms.key.data`.
    public static let lookupPrefix = "lookup."

    /// The address of the lookup `name` of the kind `typeName`: `lookup.kms.key.NAME`.
    public static func lookup(_ typeName: String, _ name: String) -> Address {
        Address(type: lookupPrefix + typeName, name: name)
    }

    /// True for `lookup.<kind>.<name>`.
    public var isLookup: Bool { type.hasPrefix(Address.lookupPrefix) }
}

/// A lookup that selects nothing, or more than one thing; raised before any write.
public struct LookupError: Error, Sendable, CustomStringConvertible {
    /// The lookup's address.
    public var address: Address
    /// What was looked for and what was found.
    public var message: String

    /// Creates the error.
    public init(_ address: Address, _ message: String) {
        self.address = address
        self.message = message
    }

    /// Nothing matched `what` ("no KMS key has the alias alias/data").
    public static func noMatch(_ address: Address, _ what: String) -> LookupError {
        LookupError(address, "found nothing: \(what)")
    }

    /// `count` things matched where one was expected; `matches` names a few of them.
    public static func manyMatches(_ address: Address, _ what: String, count: Int, matches: [String]) -> LookupError {
        LookupError(address, "found \(count) where one is expected: \(what) (\(matches.prefix(5).joined(separator: ", ")))")
    }

    public var description: String { "\(address): \(message)" }
}
