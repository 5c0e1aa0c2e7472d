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

    /// Creates the KMS calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Lists every key in the region, following `NextMarker` pages.
    /// - Parameter region: overrides the client's region.
    /// - Returns: the keys.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listKeys(region: String? = nil) async throws -> [KeyListEntry] {
        var keys: [KeyListEntry] = []
        var marker: String?
        repeat {
            let page = try await client.json(.kms, "ListKeys", ListKeysInput(marker: marker), as: ListKeysOutput.self, region: region)
            keys += page.keys ?? []
            marker = page.truncated == true ? page.nextMarker : nil
        } while marker != nil
        return keys
    }
}

extension AWSClient {
    /// The typed KMS calls of this client.
    public var kms: KMS { KMS(client: self) }
}
