/// The regions imgstack knows, to refuse a mistyped region before any call instead of planning
/// a whole stack as moved to a region that does not exist (Terraform's AWS provider does the
/// same unless `skip_region_validation` is set).
public enum AWSRegions {
    /// The regions of the commercial (`aws`), China (`aws-cn`) and GovCloud (`aws-us-gov`)
    /// partitions, by partition: `partitions[].regions` of botocore's `data/endpoints.json`
    /// (botocore 1.43.11). A region AWS opens later needs `--skip-region-validation` until
    /// this list has it.
    public static let known: [String: Set<String>] = [
        "aws": [
            "af-south-1", "ap-east-1", "ap-east-2", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1",
            "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
            "ap-southeast-6", "ap-southeast-7", "ca-central-1", "ca-west-1", "eu-central-1", "eu-central-2", "eu-north-1",
            "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-2", "eu-west-3", "il-central-1", "me-central-1", "me-south-1",
            "mx-central-1", "sa-east-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        ],
        "aws-cn": ["cn-north-1", "cn-northwest-1"],
        "aws-us-gov": ["us-gov-east-1", "us-gov-west-1"],
    ]

    /// The partition `region` belongs to, nil when it is in none of ``known``.
    public static func partition(of region: String) -> String? {
        known.first { $0.value.contains(region) }?.key
    }

    /// True when `region` has a region name's shape: lower-case words and a number joined by
    /// hyphens (`eu-west-1`, `us-gov-west-1`). A region is part of every host name and
    /// signature, so anything else cannot work with any endpoint.
    public static func isWellFormed(_ region: String) -> Bool {
        let parts = region.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3, let number = parts.last, !number.isEmpty, number.allSatisfy({ ("0"..."9").contains($0) }) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { ("a"..."z").contains($0) } }
    }

    /// Checks `region` before any call.
    /// - Parameter allowUnknown: accept a well-formed region outside ``known`` (a custom
    ///   endpoint is set, or the user opted out).
    /// - Throws: `AWSClientError(.invalidConfiguration)` naming the region.
    public static func validate(_ region: String, allowUnknown: Bool) throws {
        guard isWellFormed(region) else {
            throw AWSClientError(.invalidConfiguration, "region \"\(region)\" is not a region name (such as eu-west-1)")
        }
        guard allowUnknown || partition(of: region) != nil else {
            throw AWSClientError(
                .invalidConfiguration,
                "region \(region) is not a known region of the aws, aws-cn or aws-us-gov partitions; check its spelling, or pass --skip-region-validation for a region newer than this imgstack")
        }
    }
}
