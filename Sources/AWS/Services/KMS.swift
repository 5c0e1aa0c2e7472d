import Foundation

/// Typed calls to AWS KMS (JSON 1.1, target prefix `TrentService`).
public struct KMS: Sendable {
    /// A key as `ListKeys` shows it.
    public struct KeyListEntry: Sendable, Equatable, Decodable {
        /// The key id (a UUID).
        public var keyID: String
        /// The key ARN.
        public var keyARN: String

        enum CodingKeys: String, CodingKey {
            case keyID = "KeyId"
            case keyARN = "KeyArn"
        }
    }

    struct ListKeysInput: Encodable {
        var marker: String?
        enum CodingKeys: String, CodingKey { case marker = "Marker" }
    }

    struct ListKeysOutput: Decodable {
        var keys: [KeyListEntry]?
        var nextMarker: String?
        var truncated: Bool?
        enum CodingKeys: String, CodingKey {
            case keys = "Keys"
            case nextMarker = "NextMarker"
            case truncated = "Truncated"
        }
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the KMS calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// Lists every key in the region, following `NextMarker` pages.
    /// - Returns: the keys.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listKeys() async throws -> [KeyListEntry] {
        try await Paginator.collect({ marker in
            try await client.json(.kms, "ListKeys", ListKeysInput(marker: marker), as: ListKeysOutput.self, region: region)
        }, items: { $0.keys ?? [] }, next: { $0.truncated == true ? $0.nextMarker : nil })
    }
}

extension AWSClient {
    /// The typed KMS calls of this client, in its configured region.
    public var kms: KMS { KMS(client: self) }

    /// The typed KMS calls of this client in `region`.
    public func kms(region: String) -> KMS { KMS(client: self, region: region) }
}

extension AWSErrorCode {
    /// KMS: no key, alias or grant by that id (`DescribeKey`, `DeleteAlias`, …).
    public static let notFoundException: Self = "NotFoundException"
    /// KMS: the key is pending deletion or disabled for the operation.
    public static let kmsInvalidStateException: Self = "KMSInvalidStateException"
    /// KMS: a key policy KMS refuses, among them a principal IAM has not propagated yet.
    public static let malformedPolicyDocumentException: Self = "MalformedPolicyDocumentException"
    /// KMS: the alias already exists.
    public static let alreadyExistsException: Self = "AlreadyExistsException"
}
