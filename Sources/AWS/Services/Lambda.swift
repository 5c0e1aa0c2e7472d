import Foundation

/// Typed calls to AWS Lambda (REST-JSON, API version 2015-03-31).
public struct Lambda: Sendable {
    /// A function as `ListFunctions` shows it.
    public struct FunctionSummary: Sendable, Equatable, Decodable {
        /// The function name.
        public var name: String
        /// The function ARN (unqualified).
        public var arn: String
        /// The runtime, e.g. `nodejs20.x`; nil for container images.
        public var runtime: String?
        /// The execution role ARN.
        public var role: String?

        enum CodingKeys: String, CodingKey {
            case name = "FunctionName"
            case arn = "FunctionArn"
            case runtime = "Runtime"
            case role = "Role"
        }
    }

    struct ListFunctionsOutput: Decodable {
        var functions: [FunctionSummary]?
        var nextMarker: String?
        enum CodingKeys: String, CodingKey {
            case functions = "Functions"
            case nextMarker = "NextMarker"
        }
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the Lambda calls of `client` in `region` (Lambda@Edge functions live in `us-east-1`).
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    /// Lists every function in the region, following `NextMarker` pages.
    /// - Returns: the functions.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listFunctions() async throws -> [FunctionSummary] {
        try await Paginator.collect({ marker in
            try await client.restJSON(.lambda, "ListFunctions", method: "GET", path: "/2015-03-31/functions",
                                      query: marker.map { [("Marker", $0)] } ?? [], as: ListFunctionsOutput.self, region: region)
        }, items: { $0.functions ?? [] }, next: \.nextMarker)
    }
}

extension AWSClient {
    /// The typed Lambda calls of this client, in its configured region.
    public var lambda: Lambda { Lambda(client: self) }

    /// The typed Lambda calls of this client in `region`.
    public func lambda(region: String) -> Lambda { Lambda(client: self, region: region) }
}

extension AWSErrorCode {
    /// A parameter AWS refuses (Lambda, and other JSON services); Lambda also answers it for a
    /// role it cannot assume yet and for a Lambda@Edge function with replicas left.
    public static let invalidParameterValueException: Self = "InvalidParameterValueException"
}
