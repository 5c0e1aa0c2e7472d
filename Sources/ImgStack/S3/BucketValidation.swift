import Engine

/// The checks a bucket's declared properties get before any AWS call, per S3's documented limits.
enum BucketValidation {
    static let corsMethods: Set<String> = ["GET", "PUT", "POST", "DELETE", "HEAD"]

    /// Every problem in the literal parts of `properties`; references are not checked.
    static func issues(_ properties: [String: Expression], address: Address) -> [ValidationIssue] {
        let property = S3.Bucket.property
        var issues: [ValidationIssue] = []
        func add(_ property: some PropertyDeclaration, _ message: String) {
            issues.append(ValidationIssue(address, property, message))
        }
        let known = properties.mapValues { $0.resolve { _ in .unknown } }
        if let name = known[property.bucket], let problem = BucketName.problem(name) { add(property.bucket, problem) }
        for problem in TagRules.problems(known[property.tags.name], limit: 49) { add(property.tags, problem) }
        if case .list(let rules)? = known[property.cors] {
            if rules.count > 100 { add(property.cors, "S3 takes at most 100 CORS rules; there are \(rules.count)") }
            for (index, rule) in rules.enumerated() {
                let methods = rule["allowedMethods"].listValue ?? []
                if methods.isEmpty { add(property.cors, "rule \(index + 1) allows no method; give at least one of GET, PUT, POST, DELETE, HEAD") }
                for case .string(let method) in methods where !corsMethods.contains(method) {
                    add(property.cors, "rule \(index + 1): \"\(method)\" is not a CORS method; use GET, PUT, POST, DELETE or HEAD")
                }
                if (rule["allowedOrigins"].listValue ?? []).isEmpty { add(property.cors, "rule \(index + 1) allows no origin") }
                if let maxAge = rule["maxAgeSeconds"].intValue, maxAge < 0 { add(property.cors, "rule \(index + 1): maxAgeSeconds must not be negative") }
            }
        }
        if case .string(let index)? = known[property.website]?["indexDocument"], index.isEmpty || index.contains("/") {
            add(property.website, "indexDocument must be a non-empty name without '/' (S3 appends it to requests for a folder)")
        }
        if case .list(let rules)? = known[property.lifecycle] {
            issues += lifecycleIssues(rules).map { ValidationIssue(address, property.lifecycle, $0) }
        }
        return issues
    }

    private static func lifecycleIssues(_ rules: [Value]) -> [String] {
        var problems: [String] = []
        if rules.count > 1000 { problems.append("S3 takes at most 1000 lifecycle rules; there are \(rules.count)") }
        var seen: Set<String> = []
        for rule in rules {
            guard case .string(let id) = rule["id"] else { continue }
            if id.isEmpty || id.count > 255 { problems.append("rule id \"\(id)\" must be 1 to 255 characters") }
            if !seen.insert(id).inserted { problems.append("rule id \"\(id)\" is used twice; ids must be unique") }
            let actions = ["expirationDays", "noncurrentVersionExpirationDays", "abortIncompleteMultipartUploadDays"]
            if actions.allSatisfy({ rule[$0].isNull }) {
                problems.append("rule \"\(id)\" has no action; set expirationDays, noncurrentVersionExpirationDays or abortIncompleteMultipartUploadDays")
            }
            for action in actions {
                if let days = rule[action].intValue, days < 1 { problems.append("rule \"\(id)\": \(action) must be at least 1, not \(days)") }
            }
        }
        return problems
    }
}
