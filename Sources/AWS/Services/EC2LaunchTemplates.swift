import Foundation

extension EC2 {
    /// The instance settings of one launch template version (`RequestLaunchTemplateData` /
    /// `ResponseLaunchTemplateData`), the part imgstack manages.
    public struct LaunchTemplateData: Sendable, Equatable {
        /// The AMI (`ami-…`).
        public var imageID: String?
        /// The instance type, e.g. `t3.micro`.
        public var instanceType: String?
        /// The user data, base64-encoded as AWS takes and returns it.
        public var userDataBase64: String?
        /// The instance profile's ARN (`arn:aws:iam::…:instance-profile/…`).
        public var iamInstanceProfileARN: String?
        /// The instance profile's name (when not given by ARN).
        public var iamInstanceProfileName: String?
        /// Security group ids (`sg-…`).
        public var securityGroupIDs: [String]
        /// `required` (IMDSv2 only) or `optional`.
        public var httpTokens: String?
        /// `enabled` or `disabled`: the instance metadata service.
        public var httpEndpoint: String?
        /// Hops a metadata response may travel, 1–64.
        public var httpPutResponseHopLimit: Int?

        /// Creates launch template data.
        public init(imageID: String? = nil, instanceType: String? = nil, userDataBase64: String? = nil, iamInstanceProfileARN: String? = nil,
                    iamInstanceProfileName: String? = nil, securityGroupIDs: [String] = [], httpTokens: String? = nil,
                    httpEndpoint: String? = nil, httpPutResponseHopLimit: Int? = nil) {
            self.imageID = imageID
            self.instanceType = instanceType
            self.userDataBase64 = userDataBase64
            self.iamInstanceProfileARN = iamInstanceProfileARN
            self.iamInstanceProfileName = iamInstanceProfileName
            self.securityGroupIDs = securityGroupIDs
            self.httpTokens = httpTokens
            self.httpEndpoint = httpEndpoint
            self.httpPutResponseHopLimit = httpPutResponseHopLimit
        }
    }

    /// A launch template as `DescribeLaunchTemplates` answers it.
    public struct LaunchTemplate: Sendable, Equatable {
        /// `lt-…`.
        public var id: String
        /// Its name, unique in the region.
        public var name: String
        /// The version instances get when none is named.
        public var defaultVersion: Int
        /// The newest version.
        public var latestVersion: Int
        /// Its tags.
        public var tags: [String: String]
    }

    // MARK: - Calls

    /// Creates a launch template with its first version (`CreateLaunchTemplate`).
    /// - Parameters:
    ///   - name: 3–128 letters, digits, `()./_-`, unique in the region.
    ///   - data: version 1's settings.
    ///   - tags: the template's tags (`TagSpecification`, resource type `launch-template`).
    /// - Returns: the template (version 1, default and latest).
    /// - Throws: `AWSError` (`InvalidLaunchTemplateName.AlreadyExistsException`), `AWSClientError`.
    public func createLaunchTemplate(name: String, data: LaunchTemplateData, tags: [String: String]) async throws -> LaunchTemplate? {
        var parameters: QueryParameters = ["LaunchTemplateName": name]
        Self.add(data, prefix: "LaunchTemplateData", to: &parameters)
        Self.add(tags: tags, resourceType: "launch-template", to: &parameters)
        return try await call("CreateLaunchTemplate", parameters)["launchTemplate"].map(Self.launchTemplate)
    }

    /// Adds a version (`CreateLaunchTemplateVersion`); it does not become the default.
    /// - Returns: the new version's number.
    /// - Throws: `AWSError` (`InvalidLaunchTemplateId.NotFound`), `AWSClientError`.
    public func createLaunchTemplateVersion(templateID: String, data: LaunchTemplateData) async throws -> Int {
        var parameters: QueryParameters = ["LaunchTemplateId": templateID]
        Self.add(data, prefix: "LaunchTemplateData", to: &parameters)
        let result = try await call("CreateLaunchTemplateVersion", parameters)
        return Int(result.string("launchTemplateVersion/versionNumber") ?? "") ?? 0
    }

    /// Makes `version` the default (`ModifyLaunchTemplate` with `SetDefaultVersion`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func setDefaultLaunchTemplateVersion(templateID: String, version: Int) async throws {
        _ = try await call("ModifyLaunchTemplate", ["LaunchTemplateId": templateID, "SetDefaultVersion": String(version)])
    }

    /// Launch templates by id or name (`DescribeLaunchTemplates`, all pages).
    /// - Throws: `AWSError` (`InvalidLaunchTemplateId.NotFound`, `InvalidLaunchTemplateName.NotFoundException`), `AWSClientError`.
    public func describeLaunchTemplates(ids: [String] = [], names: [String] = []) async throws -> [LaunchTemplate] {
        var extra = QueryParameters()
        extra.addIndexedList("LaunchTemplateName", names)
        return try await describe("DescribeLaunchTemplates", filters: [], ids: ("LaunchTemplateId", ids), set: "launchTemplates", extra: extra)
            .map(Self.launchTemplate)
    }

    /// One launch template by id; nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func launchTemplate(id: String) async throws -> LaunchTemplate? {
        do {
            return try await describeLaunchTemplates(ids: [id]).first { $0.id == id }
        } catch let error as AWSError where error.code == .invalidLaunchTemplateIDNotFound || error.code == .invalidLaunchTemplateIDMalformed {
            return nil
        }
    }

    /// One launch template by name; nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func launchTemplate(name: String) async throws -> LaunchTemplate? {
        do {
            return try await describeLaunchTemplates(names: [name]).first { $0.name == name }
        } catch let error as AWSError where error.code == .invalidLaunchTemplateNameNotFound {
            return nil
        }
    }

    /// The settings of one version of a template (`DescribeLaunchTemplateVersions` with `LaunchTemplateVersion.1`).
    /// - Throws: `AWSError`, `AWSClientError`.
    public func launchTemplateData(templateID: String, version: Int) async throws -> LaunchTemplateData? {
        try await launchTemplateData(templateID: templateID, version: String(version))
    }

    /// The settings of one version of a template (`DescribeLaunchTemplateVersions` with
    /// `LaunchTemplateVersion.1`): `version` is a version number, `$Default` or `$Latest`, as
    /// the operation's `Versions` takes them; `$Default` needs no earlier read of which number is
    /// the default.
    /// - Throws: `AWSError` (`InvalidLaunchTemplateId.NotFound`), `AWSClientError`.
    public func launchTemplateData(templateID: String, version: String) async throws -> LaunchTemplateData? {
        var parameters: QueryParameters = ["LaunchTemplateId": templateID]
        parameters.addIndexedList("LaunchTemplateVersion", [version])
        let result = try await call("DescribeLaunchTemplateVersions", parameters)
        return result.list("launchTemplateVersionSet").first?["launchTemplateData"].map(Self.launchTemplateData)
    }

    /// Deletes a template and all its versions (`DeleteLaunchTemplate`).
    /// - Throws: `AWSError` (`InvalidLaunchTemplateId.NotFound`), `AWSClientError`.
    public func deleteLaunchTemplate(id: String) async throws {
        _ = try await call("DeleteLaunchTemplate", ["LaunchTemplateId": id])
    }

    // MARK: - Encoding and decoding

    static func add(_ data: LaunchTemplateData, prefix: String, to parameters: inout QueryParameters) {
        parameters["\(prefix).ImageId"] = data.imageID
        parameters["\(prefix).InstanceType"] = data.instanceType
        parameters["\(prefix).UserData"] = data.userDataBase64
        parameters["\(prefix).IamInstanceProfile.Arn"] = data.iamInstanceProfileARN
        parameters["\(prefix).IamInstanceProfile.Name"] = data.iamInstanceProfileName
        parameters.addIndexedList("\(prefix).SecurityGroupId", data.securityGroupIDs)
        parameters["\(prefix).MetadataOptions.HttpTokens"] = data.httpTokens
        parameters["\(prefix).MetadataOptions.HttpEndpoint"] = data.httpEndpoint
        parameters["\(prefix).MetadataOptions.HttpPutResponseHopLimit"] = data.httpPutResponseHopLimit.map(String.init)
    }

    static func launchTemplateData(_ node: XMLNode) -> LaunchTemplateData {
        LaunchTemplateData(imageID: node.string("imageId"), instanceType: node.string("instanceType"), userDataBase64: node.string("userData"),
                           iamInstanceProfileARN: node.string("iamInstanceProfile/arn"), iamInstanceProfileName: node.string("iamInstanceProfile/name"),
                           securityGroupIDs: node.list("securityGroupIdSet").map(\.text), httpTokens: node.string("metadataOptions/httpTokens"),
                           httpEndpoint: node.string("metadataOptions/httpEndpoint"),
                           httpPutResponseHopLimit: node.string("metadataOptions/httpPutResponseHopLimit").flatMap { Int($0) })
    }

    static func launchTemplate(_ node: XMLNode) -> LaunchTemplate {
        LaunchTemplate(id: node.string("launchTemplateId") ?? "", name: node.string("launchTemplateName") ?? "",
                       defaultVersion: Int(node.string("defaultVersionNumber") ?? "") ?? 0,
                       latestVersion: Int(node.string("latestVersionNumber") ?? "") ?? 0, tags: tags(node))
    }
}

extension AWSErrorCode {
    /// EC2: no launch template by that id.
    public static let invalidLaunchTemplateIDNotFound: Self = "InvalidLaunchTemplateId.NotFound"
    /// EC2: a launch template id of the wrong form.
    public static let invalidLaunchTemplateIDMalformed: Self = "InvalidLaunchTemplateId.Malformed"
    /// EC2: no launch template by that name.
    public static let invalidLaunchTemplateNameNotFound: Self = "InvalidLaunchTemplateName.NotFoundException"
}
