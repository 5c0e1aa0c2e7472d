import AWS
import Engine
import Foundation

extension ECR {
    /// A private container image repository (`aws_ecr_repository`).
    ///
    /// ```swift
    /// let app = stack.add(ECR.Repository("app", name: "team/app", imageTagMutability: .immutable, scanOnPush: true))
    /// ```
    ///
    /// Destroying a repository that holds images fails and deletes nothing unless `forceDelete`
    /// is set (then the images go with it). Its `id` is the repository's name.
    public struct Repository: Resource {
        public static let terraformType = "aws_ecr_repository"

        /// Whether a pushed tag may be pushed again over another image (`imageTagMutability`).
        public enum TagMutability: String, Sendable, ExpressionConvertible {
            /// Tags may be moved to another image (ECR's default).
            case mutable = "MUTABLE"
            /// A tag, once pushed, always names the same image.
            case immutable = "IMMUTABLE"

            public var expression: Engine.Expression { .value(.string(rawValue)) }
        }

        /// How the repository's images are encrypted at rest. ECR fixes it at creation: changing
        /// it replaces the repository.
        public enum Encryption: Sendable {
            /// SSE with keys S3 manages (`AES256`, ECR's default).
            case aes256
            /// SSE-KMS (`KMS`) with a key (its ARN, e.g. `key.arn`), or ECR's AWS managed key
            /// `aws/ecr` when nil. The key must be in the repository's region.
            case kms(key: Text? = nil)
        }

        /// The resource's name in the stack.
        public var name: String
        /// The repository's name: 2–256 lowercase letters and digits, in parts separated by `.`,
        /// `_`, `__` or runs of `-`, optionally in namespaces separated by `/` (`team/app`).
        /// Unique in the account's registry; changing it replaces the repository.
        public var repositoryName: Text
        /// `MUTABLE` (default) or `IMMUTABLE` tags.
        public var imageTagMutability: TagMutability
        /// Scan each image for vulnerabilities after it is pushed (basic scanning).
        public var scanOnPush: Bool
        /// Encryption at rest (default AES256); changing it replaces the repository.
        public var encryption: Encryption
        /// Tags: at most 49 (AWS takes 50; one is imgstack's intent tag); keys 1–128 characters, values at most 256; `aws:` and `imgstack:` prefixes are reserved.
        public var tags: [String: Text]
        /// imgstack's own: delete the images with the repository. Without it, destroying a
        /// repository that holds images fails and deletes nothing.
        public var forceDelete: Bool
        /// Dependencies beside those that references imply.
        public var dependsOn: [Address] = []

        /// Declares a repository.
        /// - Parameters:
        ///   - name: the resource's name in the stack.
        ///   - repositoryName: the repository's name in ECR.
        public init(_ name: String, name repositoryName: Text, imageTagMutability: TagMutability = .mutable, scanOnPush: Bool = false,
                    encryption: Encryption = .aes256, tags: [String: Text] = [:], forceDelete: Bool = false) {
            self.name = name
            self.repositoryName = repositoryName
            self.imageTagMutability = imageTagMutability
            self.scanOnPush = scanOnPush
            self.encryption = encryption
            self.tags = tags
            self.forceDelete = forceDelete
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.repositoryName, repositoryName)
            list.set(property.imageTagMutability, imageTagMutability)
            list.set(property.scanOnPush, scanOnPush)
            switch encryption {
            case .aes256:
                list.set(property.encryptionType, "AES256")
            case .kms(let key):
                list.set(property.encryptionType, "KMS")
                list.set(property.kmsKey, key)
            }
            // No tags: left undeclared, so refresh does not list them.
            list.set(property.tags, tags.isEmpty ? nil : tags)
            list.set(property.forceDelete, forceDelete)
            return list.values
        }

        /// `arn:aws:ecr:<region>:<account>:repository/<name>`.
        public var arn: Text { attribute("arn") }
        /// The account id of the registry holding it.
        public var registryID: Text { attribute("registryID") }
        /// `<account>.dkr.ecr.<region>.amazonaws.com/<name>`: what `docker push` and `pull` name.
        public var repositoryURL: Text { attribute("repositoryURL") }

        public static func makeType() -> any ResourceType { RepositoryType() }
    }
}

extension ECR.Repository {
    /// A repository's properties, each declared once.
    struct Properties: PropertySet {
        let repositoryName = Property<String>("name", forcesReplacement: true)
        let imageTagMutability = Property<String>("imageTagMutability", default: "MUTABLE")
        let scanOnPush = Property<Bool>("scanOnPush", default: false)
        let encryptionType = Property<String>("encryptionType", forcesReplacement: true, default: "AES256")
        /// Unset: ECR's AWS managed key, whose ARN is not compared.
        let kmsKey = Property<String>("kmsKey", forcesReplacement: true)
        let tags = Property<[String: String]>("tags", default: [:])
        /// imgstack's own: whether destroy deletes the images too.
        let forceDelete = Property<Bool>("forceDelete", default: false, appliesAtDeletion: true)
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes ECR repositories.
struct RepositoryType: ResourceType {
    static let schema = ResourceSchema(
        ECR.Repository.self, ECR.Repository.Properties.self,
        attributes: [AttributeSchema("arn"), AttributeSchema("registryID"), AttributeSchema("repositoryURL")],
        uniqueName: [ECR.Repository.property.repositoryName])

    var schema: ResourceSchema { Self.schema }
    private var property: ECR.Repository.Properties { ECR.Repository.property }

    /// `RepositoryName` in botocore's ecr model (2–256 characters), anchored.
    static let namePattern = #"^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$"#

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name = properties.literal(property.repositoryName) {
            if !(2...256).contains(name.count) {
                issues.append(ValidationIssue(address, property.repositoryName, "\"\(name)\" must be 2 to 256 characters, not \(name.count)"))
            } else if name.range(of: Self.namePattern, options: .regularExpression) == nil {
                issues.append(ValidationIssue(address, property.repositoryName,
                                              "\"\(name)\" must be lowercase letters and digits, separated by '.', '_', '__' or '-' "
                                                  + "within a part and by '/' between parts (for example \"team/app-api\")"))
            }
        }
        if let mutability = properties.literal(property.imageTagMutability), !["MUTABLE", "IMMUTABLE"].contains(mutability) {
            issues.append(ValidationIssue(address, property.imageTagMutability, "\"\(mutability)\" is not MUTABLE or IMMUTABLE"))
        }
        if let key = properties.literal(property.kmsKey), !(1...2048).contains(key.count) {
            issues.append(ValidationIssue(address, property.kmsKey, "must be 1 to 2048 characters, not \(key.count)"))
        }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) {
            issues.append(ValidationIssue(address, property.tags, problem))
        }
        return issues
    }

    /// ECR answers with the key's ARN; a stack may name the key by id. Compare key ids.
    func normalize(_ name: String, _ value: Value) -> Value {
        guard name == property.kmsKey.name, case .string(let text) = value else { return value }
        return .string(KeyPolicyType.keyID(text))
    }

    // MARK: - Create

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let ecr = try context.ecr
        let name = properties[property.repositoryName] ?? ""
        let repository = try await ecr.createRepository(
            name, imageTagMutability: properties.value(property.imageTagMutability) ?? "MUTABLE",
            scanOnPush: properties.value(property.scanOnPush) ?? false,
            encryption: AWS.ECR.EncryptionConfiguration(encryptionType: properties.value(property.encryptionType) ?? "AES256",
                                                        kmsKey: properties[property.kmsKey]),
            tags: AWS.KeyValueTag.list(TagRules.withIntent(properties[property.tags], context)))
        return try await snapshot(repository, declared: Set(properties.keys), recorded: properties, ecr: ecr)
    }

    // MARK: - Read

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), recorded: recorded.properties, ecr: try context.ecr,
                       recordedARN: recorded.attributes["arn"]?.stringValue)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        let ecr = try context.ecr
        return try await recordedIfExists(recorded) {
            try await nilWhenMissing(.repositoryNotFoundException, call: { try await ecr.describeRepository(recorded.id) })
        }
    }

    /// Reads the repository and, when declared or when `owner` asks whose it is, its tags: by the
    /// `recordedARN` alongside the repository when there is one, else by the ARN it gives.
    private func read(_ name: String, declared: Set<String>, recorded: [String: Value], ecr: AWS.ECR,
                      recordedARN: String? = nil, owner: OperationContext? = nil) async throws -> ResourceSnapshot? {
        guard let (repository, tags) = try await ConcurrentReads.withTags(
            { try await nilWhenMissing(.repositoryNotFoundException, call: { try await ecr.describeRepository(name) }) },
            arn: \.repositoryArn, recordedARN: recordedARN, readsTags: declared.contains(property.tags) || owner != nil,
            tags: { try await Self.tags($0, ecr: ecr) }) else { return nil }
        // With `owner` (recovery): nil unless the repository carries the intent tag of its create.
        if let owner {
            guard TagRules.carryIntent(tags ?? [:], of: owner) else { return nil }
        }
        return try await snapshot(repository, declared: declared, recorded: recorded, ecr: ecr, tags: tags)
    }

    /// The repository as ECR describes it; its tags, unless given, are read only when declared (one more call).
    private func snapshot(_ repository: AWS.ECR.Repository, declared: Set<String>, recorded: [String: Value],
                          ecr: AWS.ECR, tags: [String: String]? = nil) async throws -> ResourceSnapshot {
        var properties: [String: Value] = [:]
        properties[property.repositoryName] = repository.repositoryName
        properties[property.imageTagMutability] = repository.imageTagMutability ?? "MUTABLE"
        properties[property.scanOnPush] = repository.imageScanningConfiguration?.scanOnPush ?? false
        properties[property.encryptionType] = repository.encryptionConfiguration?.encryptionType ?? "AES256"
        if declared.contains(property.kmsKey), let key = repository.encryptionConfiguration?.kmsKey {
            properties[property.kmsKey] = key
        }
        if declared.contains(property.tags) {
            let found: [String: String]
            if let tags { found = tags } else { found = try await Self.tags(repository.repositoryArn, ecr: ecr) }
            properties[property.tags.name] = TagRules.visible(found)
        }
        properties[property.forceDelete] = recorded[property.forceDelete] ?? false
        return ResourceSnapshot(id: repository.repositoryName, properties: properties, attributes: [
            "arn": .string(repository.repositoryArn), "registryID": .string(repository.registryId),
            "repositoryURL": .string(repository.repositoryUri),
        ])
    }

    /// The tags of the repository with this ARN (`ListTagsForResource`).
    private static func tags(_ arn: String, ecr: AWS.ECR) async throws -> [String: String] {
        Dictionary(try await ecr.tags(arn).map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    // MARK: - Update

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let ecr = try context.ecr
        let name = current.id
        if changed.contains(property.imageTagMutability) {
            try await ecr.putImageTagMutability(name, desired.value(property.imageTagMutability) ?? "MUTABLE")
        }
        if changed.contains(property.scanOnPush) {
            try await ecr.putImageScanningConfiguration(name, scanOnPush: desired.value(property.scanOnPush) ?? false)
        }
        if changed.contains(property.tags), let arn = current.attributes["arn"]?.stringValue {
            let wanted = AWS.KeyValueTag.list(desired[property.tags])
            let removed = Set((current.properties[property.tags] ?? [:]).keys).subtracting(wanted.map(\.key))
            if !removed.isEmpty { try await ecr.untagResource(arn, keys: removed.sorted()) }
            if !wanted.isEmpty { try await ecr.tagResource(arn, tags: wanted) }
        }
        // forceDelete is imgstack's own: used at destroy.
        return ResourceSnapshot(id: name, properties: desired, attributes: current.attributes)
    }

    // MARK: - Delete, import, recovery

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let ecr = try context.ecr
        let name = current.id
        if current.properties[property.forceDelete] == true {
            _ = try await nilWhenMissing(.repositoryNotFoundException) { try await ecr.deleteRepository(name, force: true) }
            return
        }
        // Count first, so the refusal can say what would be lost.
        guard let images = try await nilWhenMissing(.repositoryNotFoundException, call: { try await ecr.listImages(name) }) else { return }
        if !images.isEmpty {
            throw RepositoryNotEmptyError(repository: name, images: images.count, address: context.address)
        }
        do {
            try await ecr.deleteRepository(name, force: false)
        } catch let error as AWSError where error.code == .repositoryNotFoundException {
            return
        } catch let error as AWSError where error.code == .repositoryNotEmptyException {
            // An image was pushed between the count and the delete.
            let count = try await ecr.listImages(name).count
            throw RepositoryNotEmptyError(repository: name, images: max(count, 1), address: context.address)
        }
    }

    /// A repository is imported by its name (`RepositoryName`).
    func validateImportID(_ id: String) -> String? {
        ImportIDForm.problem(id, matching: #"(?=.{2,256}$)"# + Self.namePattern.dropFirst().dropLast(),
                             expected: "an ECR repository is imported by its name (2 to 256 lower-case letters, digits and ._-/, such as team/images)")
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ECR.Repository.Properties.names, recorded: [:], ecr: try context.ecr)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // Names are unique in the registry; the repository is the crashed apply's only when it
        // carries that create's intent tag (a same-named one of someone else's is not adopted).
        guard let name = properties[property.repositoryName] else { return nil }
        return try await read(name, declared: Set(properties.keys), recorded: properties, ecr: try context.ecr, owner: context)
    }
}

extension RepositoryType: AccessDeclaring {
    /// ECR actions per the Service Authorization Reference (Amazon ECR). A repository encrypted
    /// with a KMS key makes ECR describe the key and create grants on it at create and retire
    /// them at delete, with the caller's permissions (Amazon ECR User Guide, "Encryption at rest").
    static let access: ResourceAccess = {
        let repository = ARNPattern.arn("arn:{partition}:ecr:{region}:{account}:repository/{name}")
        let keyGrants = IAMGrant(["kms:CreateGrant", "kms:DescribeKey", "kms:RetireGrant"],
                                 on: [.heldIn("kmsKey", ofReferenced: "arn:{partition}:kms:{region}:{account}:key/*")], when: .equals("encryptionType", "KMS"))
        return ResourceAccess([
            IAMCall(.ecr, "CreateRepository", in: [.create], needs: ["ecr:CreateRepository", "ecr:TagResource"], on: [repository], alsoNeeds: [keyGrants]),
            IAMCall(.ecr, "DescribeRepositories", in: .readingBack, on: [repository]),
            IAMCall(.ecr, "PutImageTagMutability", in: .writing, on: [repository]),
            IAMCall(.ecr, "PutImageScanningConfiguration", in: .writing, on: [repository]),
            IAMCall(.ecr, "ListTagsForResource", in: .readingBack, on: [repository]),
            IAMCall(.ecr, "TagResource", in: .writing, on: [repository]),
            IAMCall(.ecr, "UntagResource", in: .writing, on: [repository]),
            IAMCall(.ecr, "ListImages", in: [.delete], on: [repository]),
            IAMCall(.ecr, "DeleteRepository", in: [.delete], on: [repository], alsoNeeds: [keyGrants]),
        ])
    }()
}
