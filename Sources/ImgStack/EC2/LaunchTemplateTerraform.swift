import Engine

/// How a launch template's settings land in the Terraform AWS provider's `aws_launch_template`
/// (provider docs, "Argument Reference"): the instance profile and the metadata options are
/// nested blocks there, each holding several of imgstack's properties.
enum LaunchTemplateTerraform {
    private static var property: EC2.LaunchTemplate.Properties { EC2.LaunchTemplate.property }

    /// `iam_instance_profile { arn, name }`, none without a profile.
    static let instanceProfile: TerraformAttribute = .block("iam_instance_profile", presentWith: ["arn", "name"]) {
        ["arn": property.instanceProfileARN, "name": property.instanceProfileName]
    }

    /// `metadata_options { http_tokens, http_endpoint, http_put_response_hop_limit }`.
    static let metadataOptions: TerraformAttribute = .block("metadata_options") {
        ["http_tokens": property.httpTokens, "http_endpoint": property.httpEndpoint, "http_put_response_hop_limit": property.hopLimit]
    }
}
