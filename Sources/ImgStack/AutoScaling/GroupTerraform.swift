import Engine

/// How an Auto Scaling group's settings land in the Terraform AWS provider's
/// `aws_autoscaling_group` (provider docs, "Argument Reference"): the launch template is a
/// `launch_template { id, version }` block and each tag a `tag { key, value, propagate_at_launch }` block.
enum GroupTerraform {
    private static var property: AutoScaling.Group.Properties { AutoScaling.Group.property }

    /// `launch_template { id, version }`.
    static let launchTemplate: TerraformAttribute = .block("launch_template") {
        ["id": property.launchTemplateID, "version": property.launchTemplateVersion]
    }

    /// One `tag` block per tag, in key order.
    static let tags: TerraformAttribute = TerraformAttribute("tag", .assembled { values in
        guard case .map(let tags) = values[property.tags.name] ?? .map([:]) else { return values[property.tags.name] ?? .null }
        return .list(tags.sorted { $0.key < $1.key }.map { key, tag in
            .map(["key": .string(key), "value": tag.mapValue?["value"] ?? .null,
                  "propagate_at_launch": tag.mapValue?["propagateAtLaunch"] ?? false])
        })
    })
}
