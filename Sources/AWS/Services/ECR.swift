import Foundation

/// Typed calls to Amazon ECR (JSON 1.1, target prefix `AmazonEC2ContainerRegistry_V20150921`;
/// member names from botocore's `ecr` 2015-09-21 model). Every call goes to the private registry
/// of the caller's account (no `registryId` is sent).
public struct ECR: Sendable {
    /// A repository as `CreateRepository` and `DescribeRepositories` return it.
    public struct Repository: Sendable, Equatable, Decodable {
        /// `arn:aws:ecr:<region>:<account>:repository/<name>`.
        public var repositoryArn: String
        /// The account id of the registry.
        public var registryId: String
        /// The repository's name.
        public var repositoryName: String
        /// `<account>.dkr.ecr.<region>.amazonaws.com/<name>`, for `docker push` and `pull`.
        public var repositoryUri: String
        /// When it was created: tells a repository from an earlier one of the same name.
        public var createdAt: Date?
        /// `MUTABLE`, `IMMUTABLE`, …
        public var imageTagMutability: String?
        /// Whether images are scanned when pushed.
        public var imageScanningConfiguration: ImageScanningConfiguration?
        /// How images are encrypted at rest.
        public var encryptionConfiguration: EncryptionConfiguration?
    }

    /// `imageScanningConfiguration`.
    public struct ImageScanningConfiguration: Sendable, Equatable, Codable {
        /// Scan each image after it is pushed.
        public var scanOnPush: Bool?

        /// Creates a configuration.
        public init(scanOnPush: Bool) { self.scanOnPush = scanOnPush }
    }

    /// `encryptionConfiguration`: fixed when the repository is created.
    public struct EncryptionConfiguration: Sendable, Equatable, Codable {
        /// `AES256`, `KMS` or `KMS_DSSE`.
        public var encryptionType: String
        /// The KMS key (id, alias or ARN) for `KMS`; nil for ECR's AWS managed key.
        public var kmsKey: String?

        /// Creates a configuration.
        public init(encryptionType: String, kmsKey: String? = nil) {
            self.encryptionType = encryptionType
            self.kmsKey = kmsKey
        }
    }

    /// A tag of a resource of this service.
    public typealias Tag = KeyValueTag

    /// An image as `ListImages` names it: by digest, and by tag when tagged.
    public struct ImageIdentifier: Sendable, Equatable, Codable {
        /// `sha256:…`.
        public var imageDigest: String?
        /// The tag, when the image has one.
        public var imageTag: String?
    }

    let client: AWSClient
    /// The region every call goes to; nil for the client's configured region.
    public let region: String?

    /// Creates the ECR calls of `client` in `region`.
    public init(client: AWSClient, region: String? = nil) {
        self.client = client
        self.region = region
    }

    private func call<I: Encodable, O: Decodable>(_ operation: String, _ input: I, as: O.Type = AWSEmpty.self) async throws -> O {
        try await client.json(.ecr, operation, input, as: O.self, region: region)
    }

    struct RepositoryNameInput: Encodable {
        var repositoryName: String
    }

    struct RepositoryOutput: Decodable {
        var repository: Repository
    }

    // MARK: - Repositories

    /// Creates a repository (`CreateRepository`).
    /// - Parameters:
    ///   - imageTagMutability: `MUTABLE` or `IMMUTABLE`.
    ///   - encryption: fixed for the repository's life.
    /// - Returns: the new repository.
    /// - Throws: `AWSError` (`RepositoryAlreadyExistsException`, `InvalidParameterException`, `KmsException`).
    public func createRepository(_ name: String, imageTagMutability: String, scanOnPush: Bool,
                                 encryption: EncryptionConfiguration, tags: [Tag]) async throws -> Repository {
        struct Input: Encodable {
            var repositoryName: String
            var imageTagMutability: String
            var imageScanningConfiguration: ImageScanningConfiguration
            var encryptionConfiguration: EncryptionConfiguration
            var tags: [Tag]?
        }
        let input = Input(repositoryName: name, imageTagMutability: imageTagMutability,
                          imageScanningConfiguration: ImageScanningConfiguration(scanOnPush: scanOnPush),
                          encryptionConfiguration: encryption, tags: tags.isEmpty ? nil : tags)
        return try await call("CreateRepository", input, as: RepositoryOutput.self).repository
    }

    /// One repository by name (`DescribeRepositories` with `repositoryNames`).
    /// - Throws: `AWSError` `RepositoryNotFoundException` when there is none.
    public func describeRepository(_ name: String) async throws -> Repository {
        struct Input: Encodable {
            var repositoryNames: [String]
        }
        struct Output: Decodable {
            var repositories: [Repository]?
        }
        let output = try await call("DescribeRepositories", Input(repositoryNames: [name]), as: Output.self)
        guard let repository = output.repositories?.first(where: { $0.repositoryName == name }) else {
            throw AWSClientError(.invalidResponse, "DescribeRepositories answered without the repository \(name)")
        }
        return repository
    }

    /// Sets `MUTABLE` or `IMMUTABLE` (`PutImageTagMutability`).
    public func putImageTagMutability(_ name: String, _ mutability: String) async throws {
        struct Input: Encodable {
            var repositoryName: String
            var imageTagMutability: String
        }
        _ = try await call("PutImageTagMutability", Input(repositoryName: name, imageTagMutability: mutability))
    }

    /// Turns scanning on push on or off (`PutImageScanningConfiguration`).
    public func putImageScanningConfiguration(_ name: String, scanOnPush: Bool) async throws {
        struct Input: Encodable {
            var repositoryName: String
            var imageScanningConfiguration: ImageScanningConfiguration
        }
        _ = try await call("PutImageScanningConfiguration",
                           Input(repositoryName: name, imageScanningConfiguration: ImageScanningConfiguration(scanOnPush: scanOnPush)))
    }

    /// Deletes a repository (`DeleteRepository`).
    /// - Parameter force: delete the images it holds too; without it ECR refuses a repository
    ///   that holds images.
    /// - Throws: `AWSError` (`RepositoryNotFoundException`, `RepositoryNotEmptyException`).
    public func deleteRepository(_ name: String, force: Bool) async throws {
        struct Input: Encodable {
            var repositoryName: String
            var force: Bool?
        }
        _ = try await call("DeleteRepository", Input(repositoryName: name, force: force ? true : nil))
    }

    // MARK: - Tags

    /// A repository's tags (`ListTagsForResource`).
    public func tags(_ arn: String) async throws -> [Tag] {
        struct Input: Encodable {
            var resourceArn: String
        }
        struct Output: Decodable {
            var tags: [Tag]?
        }
        return try await call("ListTagsForResource", Input(resourceArn: arn), as: Output.self).tags ?? []
    }

    /// Adds or overwrites tags (`TagResource`).
    public func tagResource(_ arn: String, tags: [Tag]) async throws {
        struct Input: Encodable {
            var resourceArn: String
            var tags: [Tag]
        }
        _ = try await call("TagResource", Input(resourceArn: arn, tags: tags))
    }

    /// Removes tags (`UntagResource`).
    public func untagResource(_ arn: String, keys: [String]) async throws {
        struct Input: Encodable {
            var resourceArn: String
            var tagKeys: [String]
        }
        _ = try await call("UntagResource", Input(resourceArn: arn, tagKeys: keys))
    }

    // MARK: - Images

    /// Every image of a repository (`ListImages`, every page, 1,000 a page).
    /// - Throws: `AWSError` `RepositoryNotFoundException`.
    public func listImages(_ name: String) async throws -> [ImageIdentifier] {
        struct Input: Encodable {
            var repositoryName: String
            var nextToken: String?
            var maxResults = 1000
        }
        struct Output: Decodable {
            var imageIds: [ImageIdentifier]?
            var nextToken: String?
        }
        return try await Paginator.collect({ token in
            try await call("ListImages", Input(repositoryName: name, nextToken: token), as: Output.self)
        }, items: { $0.imageIds ?? [] }, next: { $0.nextToken })
    }

    /// Stores an image manifest, optionally under a tag (`PutImage`): what `docker push` does
    /// last, after uploading the layers.
    /// - Returns: the image's identifier.
    public func putImage(_ name: String, manifest: String, tag: String?) async throws -> ImageIdentifier {
        struct Input: Encodable {
            var repositoryName: String
            var imageManifest: String
            var imageTag: String?
        }
        struct Image: Decodable {
            var imageId: ImageIdentifier?
        }
        struct Output: Decodable {
            var image: Image?
        }
        let output = try await call("PutImage", Input(repositoryName: name, imageManifest: manifest, imageTag: tag), as: Output.self)
        return output.image?.imageId ?? ImageIdentifier()
    }

    // MARK: - Lifecycle policies

    /// Sets a repository's lifecycle policy (`PutLifecyclePolicy`).
    /// - Parameter text: the policy JSON (100 to 30,720 characters).
    public func putLifecyclePolicy(_ name: String, text: String) async throws {
        struct Input: Encodable {
            var repositoryName: String
            var lifecyclePolicyText: String
        }
        _ = try await call("PutLifecyclePolicy", Input(repositoryName: name, lifecyclePolicyText: text))
    }

    /// A repository's lifecycle policy JSON (`GetLifecyclePolicy`).
    /// - Throws: `AWSError` (`LifecyclePolicyNotFoundException`, `RepositoryNotFoundException`).
    public func lifecyclePolicy(_ name: String) async throws -> String {
        struct Output: Decodable {
            var lifecyclePolicyText: String?
        }
        return try await call("GetLifecyclePolicy", RepositoryNameInput(repositoryName: name), as: Output.self).lifecyclePolicyText ?? ""
    }

    /// Removes a repository's lifecycle policy (`DeleteLifecyclePolicy`).
    /// - Throws: `AWSError` (`LifecyclePolicyNotFoundException`, `RepositoryNotFoundException`).
    public func deleteLifecyclePolicy(_ name: String) async throws {
        _ = try await call("DeleteLifecyclePolicy", RepositoryNameInput(repositoryName: name))
    }
}

extension AWSClient {
    /// The typed ECR calls of this client, in its configured region.
    public var ecr: ECR { ECR(client: self) }

    /// The typed ECR calls of this client in `region`.
    public func ecr(region: String) -> ECR { ECR(client: self, region: region) }
}

extension AWSErrorCode {
    /// ECR: no repository by that name in the registry.
    public static let repositoryNotFoundException: Self = "RepositoryNotFoundException"
    /// ECR: `DeleteRepository` without `force` on a repository that holds images.
    public static let repositoryNotEmptyException: Self = "RepositoryNotEmptyException"
    /// ECR: `CreateRepository` with a name the registry already has.
    public static let repositoryAlreadyExistsException: Self = "RepositoryAlreadyExistsException"
    /// ECR: the repository has no lifecycle policy.
    public static let lifecyclePolicyNotFoundException: Self = "LifecyclePolicyNotFoundException"
}
