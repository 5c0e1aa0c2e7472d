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

    /// Creates the Lambda calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Lists every function in the region, following `NextMarker` pages.
    /// - Parameter region: overrides the client's region (Lambda@Edge functions live in `us-east-1`).
    /// - Returns: the functions.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listFunctions(region: String? = nil) async throws -> [FunctionSummary] {
        var functions: [FunctionSummary] = []
        var marker: String?
        repeat {
            let query = marker.map { [("Marker", $0)] } ?? []
            let page = try await client.restJSON(.lambda, "ListFunctions", method: "GET", path: "/2015-03-31/functions",
                                                 query: query, as: ListFunctionsOutput.self, region: region)
            functions += page.functions ?? []
            marker = page.nextMarker.flatMap { $0.isEmpty ? nil : $0 }
        } while marker != nil
        return functions
    }
}

extension AWSClient {
    /// The typed Lambda calls of this client.
    public var lambda: Lambda { Lambda(client: self) }
}
