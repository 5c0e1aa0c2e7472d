import Engine

/// How a launch template's settings land in the Terraform AWS provider's `aws_launch_template`
/// (provider docs, "Argument Reference"): the instance profile and the metadata options are
/// nested blocks there, each holding several of imgstack's properties.
enum LaunchTemplateTerraform {
    private static var property: EC2.LaunchTemplate.Properties { EC2.LaunchTemplate.property }

    /// `iam_instance_profile { arn, name }`, none without a profile.
    static let instanceProfile: TerraformAttribute = TerraformAttribute("iam_instance_profile", .assembled { values in
        let arn = values[property.instanceProfileARN.name] ?? .null, name = values[property.instanceProfileName.name] ?? .null
        guard !arn.isNull || !name.isNull else { return .list([]) }
        return .list([.map(["arn": arn, "name": name])])
    })

    /// `metadata_options { http_tokens, http_endpoint, http_put_response_hop_limit }`.
    static let metadataOptions: TerraformAttribute = TerraformAttribute("metadata_options", .assembled { values in
        .list([.map([
            "http_tokens": values[property.httpTokens.name] ?? "required",
            "http_endpoint": values[property.httpEndpoint.name] ?? "enabled",
            "http_put_response_hop_limit": values[property.hopLimit.name] ?? 2,
        ])])
    })
}
