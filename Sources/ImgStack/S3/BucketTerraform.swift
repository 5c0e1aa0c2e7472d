import Engine

/// How a bucket's settings land in the Terraform AWS provider, which splits them off
/// `aws_s3_bucket` into resources of their own, each naming the bucket in its `bucket`
/// (provider docs, `aws_s3_bucket_versioning`, `…_server_side_encryption_configuration`,
/// `…_public_access_block`, `…_ownership_controls`, `…_cors_configuration`,
/// `…_website_configuration`, `…_lifecycle_configuration`: "Argument Reference"). A setting the
/// stack leaves to S3 (nil) or at a fresh bucket's state (no versioning, no rules) has no
/// resource, as a Terraform configuration of the same bucket would have none.
enum BucketTerraform {
    /// Each companion's `bucket` is the bucket's `id` (its name).
    private static let link = TerraformLink("bucket", to: "id")

    /// `versioning_configuration { status = "Enabled" }` while versioning is on.
    static let versioning = TerraformAttribute.companion("aws_s3_bucket_versioning", link: link) { value in
        guard value != false else { return nil }
        let status: Value = value == .unknown ? .unknown : "Enabled"
        return ["versioning_configuration": [["status": status]]]
    }

    /// `rule { apply_server_side_encryption_by_default { sse_algorithm, kms_master_key_id }, bucket_key_enabled }`.
    static let encryption = TerraformAttribute.companion("aws_s3_bucket_server_side_encryption_configuration", link: link) { value in
        guard !value.isNull else { return nil }
        let byDefault: Value = .map(["sse_algorithm": value["algorithm"], "kms_master_key_id": value["kmsKeyID"]])
        return ["rule": [["apply_server_side_encryption_by_default": [byDefault], "bucket_key_enabled": value["bucketKey"]]]]
    }

    /// The four Block Public Access flags as attributes of their own.
    static let publicAccessBlock = TerraformAttribute.companion("aws_s3_bucket_public_access_block", link: link) { value in
        guard !value.isNull else { return nil }
        return ["block_public_acls": value["blockPublicAcls"], "block_public_policy": value["blockPublicPolicy"],
                "ignore_public_acls": value["ignorePublicAcls"], "restrict_public_buckets": value["restrictPublicBuckets"]]
    }

    /// `rule { object_ownership }`.
    static let ownership = TerraformAttribute.companion("aws_s3_bucket_ownership_controls", link: link) { value in
        value.isNull ? nil : ["rule": [["object_ownership": value]]]
    }

    /// One `cors_rule` block per rule.
    static let cors = TerraformAttribute.companion("aws_s3_bucket_cors_configuration", link: link) { value in
        guard let rules = value.listValue, !rules.isEmpty else { return value == .unknown ? ["cors_rule": .unknown] : nil }
        return ["cors_rule": .list(rules.map { rule in
            .map(["allowed_headers": rule["allowedHeaders"], "allowed_methods": rule["allowedMethods"],
                  "allowed_origins": rule["allowedOrigins"], "expose_headers": rule["exposeHeaders"],
                  "id": rule["id"], "max_age_seconds": rule["maxAgeSeconds"]])
        })]
    }

    /// `index_document { suffix }` and `error_document { key }`.
    static let website = TerraformAttribute.companion("aws_s3_bucket_website_configuration", link: link) { value in
        guard !value.isNull else { return nil }
        let error = value["errorDocument"]
        return ["index_document": [["suffix": value["indexDocument"]]],
                "error_document": error.isNull ? [] : [["key": error]]]
    }

    /// One `rule` block per rule, with its `filter`, `expiration`, `noncurrent_version_expiration`
    /// and `abort_incomplete_multipart_upload`.
    static let lifecycle = TerraformAttribute.companion("aws_s3_bucket_lifecycle_configuration", link: link) { value in
        guard let rules = value.listValue, !rules.isEmpty else { return value == .unknown ? ["rule": .unknown] : nil }
        return ["rule": .list(rules.map { rule in
            let block = { (name: String, days: Value) -> Value in days.isNull ? [] : [.map([name: days])] }
            return .map([
                "id": rule["id"], "status": rule["enabled"] == false ? "Disabled" : "Enabled",
                "filter": [["prefix": rule["prefix"]]],
                "expiration": block("days", rule["expirationDays"]),
                "noncurrent_version_expiration": block("noncurrent_days", rule["noncurrentVersionExpirationDays"]),
                "abort_incomplete_multipart_upload": block("days_after_initiation", rule["abortIncompleteMultipartUploadDays"]),
            ])
        })]
    }
}
