import Foundation

/// WAF web ACL calls (botocore's `wafv2` 2019-07-29 model).
extension WAFV2 {
    private struct Key: Encodable {
        var name: String
        var scope: String
        var id: String

        enum CodingKeys: String, CodingKey { case name = "Name", scope = "Scope", id = "Id" }
    }

    private struct Body: Encodable {
        var name: String
        var scope: String
        var id: String?
        var defaultAction: Action
        var description: String?
        var rules: [Rule]
        var visibilityConfig: VisibilityConfig
        var lockToken: String?
        var tags: [Tag]?

        init(name: String, scope: String, id: String? = nil, settings: WebACLSettings, lockToken: String? = nil, tags: [Tag]? = nil) {
            self.name = name
            self.scope = scope
            self.id = id
            self.defaultAction = Action(settings.defaultAction)
            self.description = settings.description
            self.rules = settings.rules
            self.visibilityConfig = settings.visibilityConfig
            self.lockToken = lockToken
            self.tags = tags
        }

        enum CodingKeys: String, CodingKey {
            case name = "Name", scope = "Scope", id = "Id", defaultAction = "DefaultAction", description = "Description", rules = "Rules"
            case visibilityConfig = "VisibilityConfig", lockToken = "LockToken", tags = "Tags"
        }
    }

    /// Creates a web ACL (`CreateWebACL`).
    /// - Parameter scope: `CLOUDFRONT` (only in `us-east-1`) or `REGIONAL`.
    /// - Returns: its summary: id, ARN and lock token.
    /// - Throws: `AWSError` (`WAFDuplicateItemException`, `WAFInvalidParameterException`, `WAFLimitsExceededException`).
    public func createWebACL(name: String, scope: String, _ settings: WebACLSettings, tags: [Tag]) async throws -> Summary {
        struct Output: Decodable {
            var summary: Summary
            enum CodingKeys: String, CodingKey { case summary = "Summary" }
        }
        return try await call("CreateWebACL", Body(name: name, scope: scope, settings: settings, tags: tags.isEmpty ? nil : tags), as: Output.self).summary
    }

    /// A web ACL with its lock token (`GetWebACL`), and what it holds that imgstack cannot
    /// write in the `unmodeled` of the web ACL and of each rule (``Unmodeled``).
    /// - Throws: `AWSError` `WAFNonexistentItemException` when it is gone.
    public func webACL(name: String, scope: String, id: String) async throws -> Versioned {
        struct Output: Decodable {
            var webACL: WebACL
            var lockToken: String
            enum CodingKeys: String, CodingKey { case webACL = "WebACL", lockToken = "LockToken" }

            init(from decoder: Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                webACL = try container.decode(WebACL.self, forKey: .webACL)
                lockToken = try container.decode(String.self, forKey: .lockToken)
                let unmodeled = Unmodeled.settings(of: try container.decode(JSONValue.self, forKey: .webACL))
                webACL.unmodeled = unmodeled.webACL
                webACL.rules = webACL.rules?.map { rule in
                    var rule = rule
                    rule.unmodeled = unmodeled.rules[rule.name] ?? []
                    return rule
                }
            }
        }
        let output = try await call("GetWebACL", Key(name: name, scope: scope, id: id), as: Output.self)
        return Versioned(webACL: output.webACL, lockToken: output.lockToken)
    }

    /// Replaces a web ACL's settings (`UpdateWebACL`).
    /// - Parameter lockToken: the token of the version the change was made from.
    /// - Returns: the next lock token.
    /// - Throws: `AWSError` (`WAFOptimisticLockException` when another change came first,
    ///   `WAFNonexistentItemException`, `WAFInvalidParameterException`).
    @discardableResult
    public func updateWebACL(name: String, scope: String, id: String, _ settings: WebACLSettings, lockToken: String) async throws -> String {
        struct Output: Decodable {
            var nextLockToken: String?
            enum CodingKeys: String, CodingKey { case nextLockToken = "NextLockToken" }
        }
        return try await call("UpdateWebACL", Body(name: name, scope: scope, id: id, settings: settings, lockToken: lockToken),
                              as: Output.self).nextLockToken ?? ""
    }

    /// Deletes a web ACL (`DeleteWebACL`).
    /// - Throws: `AWSError` (`WAFOptimisticLockException`, `WAFNonexistentItemException`,
    ///   `WAFAssociatedItemException` while a resource uses it).
    public func deleteWebACL(name: String, scope: String, id: String, lockToken: String) async throws {
        struct Input: Encodable {
            var name: String, scope: String, id: String, lockToken: String
            enum CodingKeys: String, CodingKey { case name = "Name", scope = "Scope", id = "Id", lockToken = "LockToken" }
        }
        _ = try await call("DeleteWebACL", Input(name: name, scope: scope, id: id, lockToken: lockToken))
    }

    /// Every web ACL of the scope in the region (`ListWebACLs`, every page, 100 a page).
    public func webACLs(scope: String) async throws -> [Summary] {
        struct Input: Encodable {
            var scope: String
            var nextMarker: String?
            var limit = 100
            enum CodingKeys: String, CodingKey { case scope = "Scope", nextMarker = "NextMarker", limit = "Limit" }
        }
        struct Output: Decodable {
            var webACLs: [Summary]?
            var nextMarker: String?
            enum CodingKeys: String, CodingKey { case webACLs = "WebACLs", nextMarker = "NextMarker" }
        }
        return try await Paginator.collect({ marker in
            try await call("ListWebACLs", Input(scope: scope, nextMarker: marker), as: Output.self)
        }, items: { $0.webACLs ?? [] }, next: { $0.nextMarker })
    }

    // MARK: - Tags

    /// A web ACL's tags (`ListTagsForResource`, every page).
    public func tags(_ arn: String) async throws -> [Tag] {
        struct Input: Encodable {
            var resourceARN: String
            var nextMarker: String?
            enum CodingKeys: String, CodingKey { case resourceARN = "ResourceARN", nextMarker = "NextMarker" }
        }
        struct TagInfo: Decodable {
            var tagList: [Tag]?
            enum CodingKeys: String, CodingKey { case tagList = "TagList" }
        }
        struct Output: Decodable {
            var tagInfoForResource: TagInfo?
            var nextMarker: String?
            enum CodingKeys: String, CodingKey { case tagInfoForResource = "TagInfoForResource", nextMarker = "NextMarker" }
        }
        return try await Paginator.collect({ marker in
            try await call("ListTagsForResource", Input(resourceARN: arn, nextMarker: marker), as: Output.self)
        }, items: { $0.tagInfoForResource?.tagList ?? [] }, next: { $0.nextMarker })
    }

    /// Adds or overwrites tags (`TagResource`).
    public func tagResource(_ arn: String, tags: [Tag]) async throws {
        struct Input: Encodable {
            var resourceARN: String
            var tags: [Tag]
            enum CodingKeys: String, CodingKey { case resourceARN = "ResourceARN", tags = "Tags" }
        }
        _ = try await call("TagResource", Input(resourceARN: arn, tags: tags))
    }

    /// Removes tags (`UntagResource`).
    public func untagResource(_ arn: String, keys: [String]) async throws {
        struct Input: Encodable {
            var resourceARN: String
            var tagKeys: [String]
            enum CodingKeys: String, CodingKey { case resourceARN = "ResourceARN", tagKeys = "TagKeys" }
        }
        _ = try await call("UntagResource", Input(resourceARN: arn, tagKeys: keys))
    }
}
