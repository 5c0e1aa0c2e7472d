import Engine

/// How IAM settings land in the Terraform AWS provider.
enum IAMTerraform {
    /// A role's inline policies as one `aws_iam_role_policy` each (`role`, `name`, `policy` as a
    /// JSON string), keyed by the policy's name as `for_each` keys them: the provider's resource
    /// for them, which policy scanners check (provider docs, `aws_iam_role_policy`).
    static let inlinePolicies = TerraformAttribute.companions("aws_iam_role_policy", link: TerraformLink("role", to: "name")) { value in
        var instances: [String?: [String: Value]] = [:]
        for (name, document) in value.mapValue ?? [:] {
            instances[name] = ["name": .string(name), "policy": TerraformAttribute.Shape.json.apply(document)]
        }
        return instances
    }
}
