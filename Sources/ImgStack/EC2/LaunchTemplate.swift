import AWS
import Engine
import Foundation

extension EC2 {
    /// An EC2 launch template (`aws_launch_template`): what an Auto Scaling group's instances
    /// are launched with. Every change to the instance settings makes a new version
    /// (`CreateLaunchTemplateVersion`) and makes it the default (`ModifyLaunchTemplate`), so
    /// `latestVersion` and `defaultVersion` move together; earlier versions stay for rollback.
    ///
    /// The instance metadata service requires IMDSv2 session tokens unless the stack says
    /// otherwise (`httpTokens: .required` by default).
    ///
    /// ```swift
    /// let template = stack.add(EC2.LaunchTemplate("app", name: "file-upload-app", imageID: ami.imageID, instanceType: "t3.micro",
    ///                                             userData: "#!/bin/sh\ndocker run -p 8080:8080 \(image)\n",
    ///                                             instanceProfile: .arn(profile.arn), securityGroupIDs: [app.id]))
    /// ```
    public struct LaunchTemplate: Resource {
        public static let terraformType = "aws_launch_template"

        /// How instances get their IAM role.
        public enum InstanceProfile: Sendable {
            /// By the instance profile's ARN, e.g. `profile.arn`.
            case arn(Text)
            /// By the instance profile's name.
            case name(Text)
        }

        /// IMDSv2 session tokens (`MetadataOptions.HttpTokens`).
        public enum HTTPTokens: String, Sendable {
            /// Only IMDSv2 (session tokens); the default here.
            case required
            /// IMDSv1 answers too.
            case optional
        }

        /// The resource's name in the stack.
        public var name: String
        /// The template's name: 3–128 letters, digits and `()./_-`, unique in the region.
        /// Changing it replaces the template.
        public var templateName: Text
        /// The AMI (`ami-…`), e.g. a lookup of the latest Amazon Linux 2023 image.
        public var imageID: Text
        /// The instance type, e.g. `t3.micro`.
        public var instanceType: Text
        /// The user data as text (a shell script or cloud-init document), references allowed;
        /// imgstack base64-encodes it as AWS wants. At most 16 KB before encoding.
        public var userData: Text
        /// The instance profile, or nil for none.
        public var instanceProfile: InstanceProfile?
        /// The instances' security groups (`sg-…`).
        public var securityGroupIDs: [Text]
        /// IMDSv2 only (`.required`, default) or IMDSv1 too.
        public var httpTokens: HTTPTokens
        /// Whether the instance metadata service answers at all (default true).
        public var metadataEndpointEnabled: Bool
        /// Network hops a metadata response may travel, 1–64; 2 (the default) lets a container on
        /// the instance reach IMDSv2 through the container bridge.
        public var metadataHopLimit: Int
        /// Tags of the template: at most 50; keys 1–127 characters.
        public var tags: [String: Text]
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a launch template.
        public init(_ name: String, name templateName: Text, imageID: Text, instanceType: Text, userData: Text = "",
                    instanceProfile: InstanceProfile? = nil, securityGroupIDs: [Text] = [], httpTokens: HTTPTokens = .required,
                    metadataEndpointEnabled: Bool = true, metadataHopLimit: Int = 2, tags: [String: Text] = [:]) {
            self.name = name
            self.templateName = templateName
            self.imageID = imageID
            self.instanceType = instanceType
            self.userData = userData
            self.instanceProfile = instanceProfile
            self.securityGroupIDs = securityGroupIDs
            self.httpTokens = httpTokens
            self.metadataEndpointEnabled = metadataEndpointEnabled
            self.metadataHopLimit = metadataHopLimit
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.templateName, templateName)
            list.set(property.imageID, imageID)
            list.set(property.instanceType, instanceType)
            list.set(property.userData, userData)
            switch instanceProfile {
            case .arn(let arn)?: list.set(property.instanceProfileARN, arn)
            case .name(let name)?: list.set(property.instanceProfileName, name)
            case nil: break
            }
            list.set(property.securityGroupIDs, securityGroupIDs)
            list.set(property.httpTokens, httpTokens.rawValue)
            list.set(property.httpEndpoint, metadataEndpointEnabled ? "enabled" : "disabled")
            list.set(property.hopLimit, metadataHopLimit)
            list.set(property.tags, tags)
            return list.values
        }

        /// The newest version's number as text, e.g. `"3"` (a change adds one): what an Auto
        /// Scaling group names so that a new version rolls out.
        public var latestVersion: Text { attribute("latestVersion") }
        /// The version instances get when none is named; the latest, as imgstack sets it.
        public var defaultVersion: Text { attribute("defaultVersion") }

        public static func makeType() -> any ResourceType { LaunchTemplateType() }
    }
}

extension EC2.LaunchTemplate {
    /// A launch template's properties, each declared once.
    struct Properties: PropertySet {
        let templateName = Property<String>("name", forcesReplacement: true)
        let imageID = Property<String>("imageID", terraform: "image_id")
        let instanceType = Property<String>("instanceType", terraform: "instance_type")
        let userData = Property<String>("userData", terraform: "user_data", default: "")
        let instanceProfileARN = Property<String>("instanceProfileARN", terraform: LaunchTemplateTerraform.instanceProfile)
        let instanceProfileName = Property<String>("instanceProfileName", terraform: .none("written in iam_instance_profile with the ARN"))
        let securityGroupIDs = Property<[String]>("securityGroupIDs", terraform: "vpc_security_group_ids", default: [])
        let httpTokens = Property<String>("httpTokens", terraform: LaunchTemplateTerraform.metadataOptions, default: "required")
        let httpEndpoint = Property<String>("httpEndpoint", terraform: .none("written in metadata_options"), default: "enabled")
        let hopLimit = Property<Int>("metadataHopLimit", terraform: .none("written in metadata_options"), default: 2)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates launch templates, adds a version for each change, and deletes them. The id is the
/// template id (`lt-…`).
struct LaunchTemplateType: ResourceType {
    static let schema = ResourceSchema(EC2.LaunchTemplate.self, EC2.LaunchTemplate.Properties.self,
                                       attributes: [AttributeSchema("latestVersion", changesOnUpdate: true),
                                                    AttributeSchema("defaultVersion", changesOnUpdate: true)],
                                       uniqueName: [EC2.LaunchTemplate.property.templateName])

    var schema: ResourceSchema { Self.schema }
    private var property: EC2.LaunchTemplate.Properties { EC2.LaunchTemplate.property }
    /// The properties a version holds: a change to any makes a new version.
    private var versioned: [String] {
        [property.imageID.name, property.instanceType.name, property.userData.name, property.instanceProfileARN.name,
         property.instanceProfileName.name, property.securityGroupIDs.name, property.httpTokens.name, property.httpEndpoint.name,
         property.hopLimit.name]
    }

    // MARK: - Validation

    /// `LaunchTemplateName` in botocore's ec2 model: 3–128 characters of this set.
    private static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789()./_-")
    /// User data may be 16 KB before base64 (EC2 User Guide, "Run commands when you launch an instance").
    static let userDataLimit = 16 * 1024

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.templateName), let problem = Self.nameProblem(name) {
            issues.append(ValidationIssue(address, property.templateName, problem))
        }
        if let image = properties.literal(property.imageID), !image.hasPrefix("ami-") {
            issues.append(ValidationIssue(address, property.imageID, "\"\(image)\" is not an AMI id (ami-…)"))
        }
        if let type = properties.literal(property.instanceType), type.split(separator: ".").count != 2 {
            issues.append(ValidationIssue(address, property.instanceType, "\"\(type)\" is not an instance type (family.size, e.g. t3.micro)"))
        }
        if let data = properties.literal(property.userData), data.utf8.count > Self.userDataLimit {
            issues.append(ValidationIssue(address, property.userData, "is \(data.utf8.count) bytes; EC2 takes at most 16 KB before base64"))
        }
        if let arn = properties.literal(property.instanceProfileARN), !(arn.hasPrefix("arn:") && arn.contains(":instance-profile/")) {
            issues.append(ValidationIssue(address, property.instanceProfileARN, "\"\(arn)\" is not an instance profile ARN (arn:aws:iam::<account>:instance-profile/<name>)"))
        }
        if let name = properties.literal(property.instanceProfileName), !(1...128).contains(name.count) || name.contains(where: { !($0.isLetter || $0.isNumber || "+=,.@_-".contains($0)) }) {
            issues.append(ValidationIssue(address, property.instanceProfileName, "\"\(name)\" is not an instance profile name (1–128 letters, digits and +=,.@_-)"))
        }
        if case .list(let ids)? = properties[property.securityGroupIDs]?.literal {
            for id in ids.compactMap(\.stringValue) where !id.hasPrefix("sg-") {
                issues.append(ValidationIssue(address, property.securityGroupIDs, "\"\(id)\" is not a security group id (sg-…)"))
            }
        }
        if let hops = properties.literal(property.hopLimit), !(1...64).contains(hops) {
            issues.append(ValidationIssue(address, property.hopLimit, "must be 1 to 64 hops, not \(hops)"))
        }
        for problem in EC2Rules.tagProblems(properties[property.tags]?.literal) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    private static func nameProblem(_ name: String) -> String? {
        if !(3...128).contains(name.count) { return "must be 3 to 128 characters, not \(name.count)" }
        if let bad = name.first(where: { !nameCharacters.contains($0) }) { return "\"\(name)\": '\(bad)' is not allowed (letters, digits and ()./_- only)" }
        return nil
    }

    /// A template is imported by its id.
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: "lt-([0-9a-f]{8}|[0-9a-f]{17})",
                             expected: "a launch template is imported by its id (lt- and 8 or 17 hex digits, such as lt-0123456789abcdef0)")
    }

    /// Security groups compare as a set: AWS keeps their order, but it means nothing.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.securityGroupIDs.name, case .list(let ids) = value, !value.containsUnknown else { return value }
        return .list(ids.sorted { ($0.stringValue ?? "") < ($1.stringValue ?? "") })
    }

    // MARK: - Create, read

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        var tags = properties[property.tags] ?? [:]
        if let intent = context.intentID { tags[TagRules.intentKey] = intent }
        let name = properties[property.templateName] ?? ""
        let made = try await ec2.createLaunchTemplate(name: name, data: data(properties), tags: tags)
        guard let made else { throw LaunchTemplateMissingError(address: context.address, name: name) }
        return try await read(made.id, ec2: ec2) ?? ResourceSnapshot(id: made.id, properties: properties)
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, ec2: try context.ec2)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await context.ec2.launchTemplate(id: recorded.id) }
    }

    /// The template and its default version's settings (what instances launched without a
    /// version get): two calls at once, the settings read as `$Default`.
    private func read(_ id: String, ec2: AWS.EC2) async throws -> ResourceSnapshot? {
        guard let (template, defaultData) = try await ConcurrentReads.alongside({ try await ec2.launchTemplate(id: id) }, {
            try await ec2.launchTemplateData(templateID: id, version: "$Default")
        }), let data = defaultData else { return nil }
        var properties: [String: Value] = [:]
        properties[property.templateName] = template.name
        properties[property.imageID] = data.imageID ?? ""
        properties[property.instanceType] = data.instanceType ?? ""
        properties[property.userData.name] = Self.decodedUserData(data.userDataBase64)
        properties[property.instanceProfileARN] = data.iamInstanceProfileARN
        properties[property.instanceProfileName] = data.iamInstanceProfileName
        properties[property.securityGroupIDs] = data.securityGroupIDs
        properties[property.httpTokens] = data.httpTokens ?? "optional"
        properties[property.httpEndpoint] = data.httpEndpoint ?? "enabled"
        properties[property.hopLimit] = data.httpPutResponseHopLimit ?? 1
        properties[property.tags.name] = TagRules.visible(template.tags)
        return ResourceSnapshot(id: template.id, properties: properties,
                                attributes: ["latestVersion": .string(String(template.latestVersion)),
                                             "defaultVersion": .string(String(template.defaultVersion))])
    }

    /// The version's settings from the properties, user data base64-encoded.
    private func data(_ properties: [String: Value]) -> AWS.EC2.LaunchTemplateData {
        let userData = properties.value(property.userData) ?? ""
        return AWS.EC2.LaunchTemplateData(
            imageID: properties[property.imageID], instanceType: properties[property.instanceType],
            userDataBase64: userData.isEmpty ? nil : Data(userData.utf8).base64EncodedString(),
            iamInstanceProfileARN: properties[property.instanceProfileARN], iamInstanceProfileName: properties[property.instanceProfileName],
            securityGroupIDs: properties.value(property.securityGroupIDs) ?? [], httpTokens: properties.value(property.httpTokens),
            httpEndpoint: properties.value(property.httpEndpoint), httpPutResponseHopLimit: properties.value(property.hopLimit))
    }

    /// User data as text; data that is not UTF-8 text stays in base64.
    static func decodedUserData(_ base64: String?) -> Value {
        guard let base64, !base64.isEmpty else { return "" }
        guard let bytes = Data(base64Encoded: base64), let text = String(data: bytes, encoding: .utf8) else { return .string(base64) }
        return .string(text)
    }

    // MARK: - Update

    /// A change to the instance settings adds a version with all of them and makes it the
    /// default; tags are changed on the template.
    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let ec2 = try context.ec2
        if !changed.isDisjoint(with: versioned) {
            let version = try await ec2.createLaunchTemplateVersion(templateID: current.id, data: data(desired))
            try await ec2.setDefaultLaunchTemplateVersion(templateID: current.id, version: version)
        }
        if changed.contains(property.tags) {
            try await ec2.replaceTags(of: current.id, had: current.properties[property.tags] ?? [:], wanted: desired[property.tags] ?? [:])
        }
        return try await read(current.id, ec2: ec2) ?? current
    }

    // MARK: - Delete, import, recovery

    /// Deletes the template with all its versions; already gone is success.
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ec2 = try context.ec2
        _ = try await nilWhenMissing(.invalidLaunchTemplateIDNotFound, .invalidLaunchTemplateNameNotFound) {
            try await ec2.deleteLaunchTemplate(id: current.id)
        }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, ec2: try context.ec2)
    }

    /// Names are unique in the region: the template by that name carrying this intent's tag is
    /// the one the crashed apply made.
    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        guard let name = properties[property.templateName], let intent = context.intentID else { return nil }
        let ec2 = try context.ec2
        guard let template = try await ec2.launchTemplate(name: name), template.tags[TagRules.intentKey] == intent else { return nil }
        return try await read(template.id, ec2: ec2)
    }
}

/// AWS created the template but answered no `launchTemplate` for it.
struct LaunchTemplateMissingError: Error, CustomStringConvertible {
    var address: Address
    var name: String
    var description: String { "\(address): AWS created launch template \(name) but did not answer its id" }
}

extension LaunchTemplateType: AccessDeclaring {
    /// EC2 actions per the Service Authorization Reference (Amazon EC2): `Describe*` takes no
    /// resource. A template naming an instance profile passes no role when it is written: the
    /// role is handed over when instances launch from it, so `iam:PassRole` is the auto-scaling
    /// group's (`AutoScaling/Group.swift`).
    static let access: ResourceAccess = {
        let template = ARNPattern.arn("arn:{partition}:ec2:{region}:{account}:launch-template/*")
        return ResourceAccess([
            IAMCall(.ec2, "CreateLaunchTemplate", in: [.create], needs: ["ec2:CreateLaunchTemplate", "ec2:CreateTags"], on: [template]),
            IAMCall(.ec2, "DescribeLaunchTemplates", in: .readingBack,
                    on: [.anyResource(reason: "ec2:DescribeLaunchTemplates takes no resource")]),
            IAMCall(.ec2, "DescribeLaunchTemplateVersions", in: .readingBack,
                    on: [.anyResource(reason: "ec2:DescribeLaunchTemplateVersions takes no resource")]),
            IAMCall(.ec2, "CreateLaunchTemplateVersion", in: [.update], on: [template]),
            IAMCall(.ec2, "ModifyLaunchTemplate", in: [.update], on: [template]),
            IAMCall(.ec2, "CreateTags", in: [.update], on: [template]),
            IAMCall(.ec2, "DeleteTags", in: [.update], on: [template]),
            IAMCall(.ec2, "DeleteLaunchTemplate", in: [.delete], on: [template]),
        ])
    }()
}
