import Foundation

/// Typed calls to Amazon CloudFront (REST-XML, API version 2020-05-31, global).
public struct CloudFront: Sendable {
    /// A distribution as `ListDistributions` shows it.
    public struct DistributionSummary: Sendable, Equatable {
        /// The distribution id, e.g. `E2QWRUHEXAMPLE`.
        public var id: String
        /// The distribution ARN.
        public var arn: String
        /// `Deployed` or `InProgress`.
        public var status: String
        /// The `*.cloudfront.net` host name.
        public var domainName: String
        /// Whether it serves requests.
        public var enabled: Bool
    }

    let client: AWSClient

    /// Creates the CloudFront calls of `client`.
    public init(client: AWSClient) {
        self.client = client
    }

    /// Lists every distribution, following `NextMarker` pages.
    /// - Returns: the distributions.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listDistributions() async throws -> [DistributionSummary] {
        var distributions: [DistributionSummary] = []
        var marker: String?
        repeat {
            let query = marker.map { [("Marker", $0)] } ?? []
            let response = try await client.rest(.cloudFront, "ListDistributions", method: "GET", path: "/2020-05-31/distribution", query: query)
            let list = try XMLNode.parse(response.body)
            distributions += list.list("Items").map {
                DistributionSummary(id: $0.string("Id") ?? "", arn: $0.string("ARN") ?? "", status: $0.string("Status") ?? "",
                                    domainName: $0.string("DomainName") ?? "", enabled: $0.string("Enabled") == "true")
            }
            marker = list.string("IsTruncated") == "true" ? list.string("NextMarker") : nil
        } while marker != nil
        return distributions
    }
}

extension AWSClient {
    /// The typed CloudFront calls of this client.
    public var cloudFront: CloudFront { CloudFront(client: self) }
}
