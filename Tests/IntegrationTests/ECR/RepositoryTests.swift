import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// ECR repositories and lifecycle policies against the emulator: create, read back through the
/// AWS API, empty plan, update in place, drift repaired, replacement, import, refusal to delete
/// images without `forceDelete`, destroy.
final class ECRRepositoryTests: XCTestCase {
    private func stack(_ build: @escaping @Sendable (StackBuilder) -> Void) -> Stack { Stack("ecr-test", body: build) }

    private func unique(_ prefix: String) -> String { "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())" }

    private struct Settings: Sendable {
        var mutability: ImgStack.ECR.Repository.TagMutability = .mutable
        var scanOnPush = false
        var kms = false
        var tags: [String: Text] = ["team": "images"]
        var rules: [ImgStack.ECR.LifecycleRule] = [.expireUntagged(afterDays: 14), .keepLast(30)]
    }

    private func declare(_ name: String, _ settings: Settings) -> Stack {
        stack { stack in
            let encryption: ImgStack.ECR.Repository.Encryption
            if settings.kms {
                let key = stack.add(KMS.Key("images", deletionWindowInDays: 7))
                encryption = .kms(key: key.arn)
            } else {
                encryption = .aes256
            }
            let repository = stack.add(ECR.Repository("app", name: Text(name), imageTagMutability: settings.mutability,
                                                      scanOnPush: settings.scanOnPush, encryption: encryption, tags: settings.tags))
            stack.add(ECR.LifecyclePolicy("app", repository: repository, rules: settings.rules))
        }
    }

    private func rules(_ ecr: AWS.ECR, _ name: String) async throws -> [Engine.Value] {
        try Engine.Value(jsonText: try await ecr.lifecyclePolicy(name))["rules"].listValue ?? []
    }

    private func tags(_ ecr: AWS.ECR, _ arn: String) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await ecr.tags(arn).map { ($0.key, $0.value) })
    }

    func testRepositoryAndLifecyclePolicyLifecycle() async throws {
        let harness = try StackHarness()
        let ecr = harness.aws.ecr(region: harness.region)
        let name = unique("team/app")
        var settings = Settings()
        try await harness.apply(declare(name, settings))

        // Read back through the API, not imgstack's state.
        var live = try await ecr.describeRepository(name)
        XCTAssertEqual(live.imageTagMutability, "MUTABLE")
        XCTAssertEqual(live.imageScanningConfiguration?.scanOnPush, false)
        XCTAssertEqual(live.encryptionConfiguration?.encryptionType, "AES256")
        var liveTags = try await tags(ecr, live.repositoryArn)
        XCTAssertEqual(declaredTags(liveTags), ["team": "images"])
        XCTAssertNotNil(liveTags["imgstack:intent"], "created with imgstack's intent tag")
        var liveRules = try await rules(ecr, name)
        XCTAssertEqual(liveRules.map { $0["selection"]["tagStatus"] }, ["untagged", "any"])
        XCTAssertEqual(liveRules.map { $0["rulePriority"] }, [1, 2])
        let snapshot = try await harness.snapshot("ecr.repository.app")
        XCTAssertEqual(snapshot?.id, name)
        XCTAssertEqual(snapshot?.attributes["repositoryURL"], .string(live.repositoryUri))
        XCTAssertEqual(snapshot?.attributes["arn"], .string(live.repositoryArn))
        XCTAssertEqual(snapshot?.attributes["registryID"], "123456789012")

        var plan = try await harness.plan(declare(name, settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // In place: tag mutability, scan on push, tags, rules.
        settings.mutability = .immutable
        settings.scanOnPush = true
        settings.tags = ["team": "web", "stage": "prod"]
        settings.rules = [.keepLast(10, tagStatus: .tagged(prefixes: ["v"])), .expireUntagged(afterDays: 3)]
        plan = try await harness.apply(declare(name, settings))
        XCTAssertEqual(StackHarness.action(plan, "ecr.repository.app"), .update)
        XCTAssertEqual(StackHarness.action(plan, "ecr.lifecycle_policy.app"), .update)
        live = try await ecr.describeRepository(name)
        XCTAssertEqual(live.imageTagMutability, "IMMUTABLE")
        XCTAssertEqual(live.imageScanningConfiguration?.scanOnPush, true)
        liveTags = try await tags(ecr, live.repositoryArn)
        XCTAssertEqual(declaredTags(liveTags), ["team": "web", "stage": "prod"])
        liveRules = try await rules(ecr, name)
        XCTAssertEqual(liveRules.first?["selection"]["tagPrefixList"], ["v"])
        XCTAssertEqual(liveRules.last?["selection"]["countNumber"], 3)
        plan = try await harness.plan(declare(name, settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Drift made outside imgstack is shown and repaired.
        try await ecr.putImageTagMutability(name, "MUTABLE")
        try await ecr.putImageScanningConfiguration(name, scanOnPush: false)
        try await ecr.untagResource(live.repositoryArn, keys: ["stage"])
        try await ecr.deleteLifecyclePolicy(name)
        plan = try await harness.plan(declare(name, settings))
        XCTAssertEqual(StackHarness.action(plan, "ecr.repository.app"), .update)
        XCTAssertEqual(StackHarness.action(plan, "ecr.lifecycle_policy.app"), .create)
        try await harness.apply(declare(name, settings))
        live = try await ecr.describeRepository(name)
        XCTAssertEqual(live.imageTagMutability, "IMMUTABLE")
        XCTAssertEqual(live.imageScanningConfiguration?.scanOnPush, true)
        liveTags = try await tags(ecr, live.repositoryArn)
        XCTAssertEqual(declaredTags(liveTags), ["team": "web", "stage": "prod"])
        liveRules = try await rules(ecr, name)
        XCTAssertEqual(liveRules.count, 2)
        plan = try await harness.plan(declare(name, settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        // Encryption is fixed at creation: KMS replaces the repository, and its policy is put again.
        settings.kms = true
        let replacement = try await harness.plan(declare(name, settings))
        XCTAssertEqual(StackHarness.action(replacement, "ecr.repository.app"), .replace)
        XCTAssertEqual(replacement.changes.first { $0.address.description == "ecr.repository.app" }?.replacePaths.sorted(),
                       ["encryptionType", "kmsKey"])
        try await harness.apply(declare(name, settings))
        live = try await ecr.describeRepository(name)
        XCTAssertEqual(live.encryptionConfiguration?.encryptionType, "KMS")
        let key = try await harness.snapshot("kms.key.images")
        XCTAssertEqual(live.encryptionConfiguration?.kmsKey, key?.attributes["arn"]?.stringValue)
        XCTAssertEqual(live.imageTagMutability, "IMMUTABLE")
        liveRules = try await rules(ecr, name)
        XCTAssertEqual(liveRules.count, 2, "the new repository has the policy too")
        // The repository goes first (same name), so the old policy goes before it: nothing is left
        // as a deposed object whose later deletion would take the new repository's policy.
        let replaced = try await harness.state
        XCTAssertEqual(replaced.deposed, [])
        plan = try await harness.plan(declare(name, settings))
        XCTAssertFalse(plan.hasChanges, HumanPlanRenderer().render(plan))

        try await harness.destroy(declare(name, settings))
        do {
            _ = try await ecr.describeRepository(name)
            XCTFail("the repository survived destroy")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .repositoryNotFoundException)
        }
        let state = try await harness.state
        XCTAssertTrue(state.resources.isEmpty)
    }

    func testRepositoryHoldingAnImageIsRefusedWithoutForceDelete() async throws {
        let harness = try StackHarness()
        let ecr = harness.aws.ecr(region: harness.region)
        let name = unique("full")
        func declare(forceDelete: Bool) -> Stack {
            stack { $0.add(ECR.Repository("full", name: Text(name), forceDelete: forceDelete)) }
        }
        try await harness.apply(declare(forceDelete: false))
        // What `docker push` ends with: the manifest (layers are not needed for this).
        let manifest = #"{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}"#
        _ = try await ecr.putImage(name, manifest: manifest, tag: "v1")

        let summary = try await harness.deploy(stack { _ in }, options: PlanOptions(destroy: true)).summary ?? .nothingToDo
        let message = summary.failures.map { String(describing: $0) }.joined()
        XCTAssertTrue(message.contains(name) && message.contains("holds 1 image") && message.contains("forceDelete: true"), message)
        let still = try await ecr.describeRepository(name)
        XCTAssertEqual(still.repositoryName, name, "nothing was deleted")
        let images = try await ecr.listImages(name)
        XCTAssertEqual(images.map(\.imageTag), ["v1"])

        let update = try await harness.apply(declare(forceDelete: true))
        XCTAssertEqual(StackHarness.action(update, "ecr.repository.full"), .update)
        try await harness.destroy(declare(forceDelete: true))
        do {
            _ = try await ecr.describeRepository(name)
            XCTFail("the repository survived forceDelete")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, .repositoryNotFoundException)
        }
    }

    func testImportAndRecoveryFindTheRepositoryByName() async throws {
        let harness = try StackHarness()
        let ecr = harness.aws.ecr(region: harness.region)
        let name = unique("imported")
        _ = try await ecr.createRepository(name, imageTagMutability: "IMMUTABLE", scanOnPush: true,
                                           encryption: .init(encryptionType: "AES256"), tags: [.init(key: "team", value: "ops")])
        let policy = #"{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":7},"action":{"type":"expire"}}]}"#
        try await ecr.putLifecyclePolicy(name, text: policy)

        let context = OperationContext(address: Address(type: "ecr.repository", name: "app"), region: harness.region, client: harness.aws)
        let type = ImgStack.ECR.Repository.makeType()
        let imported = try await type.checkedImport(id: name, context: context)
        XCTAssertEqual(imported?.id, name)
        XCTAssertEqual(imported?.properties["name"], .string(name))
        XCTAssertEqual(imported?.properties["imageTagMutability"], "IMMUTABLE")
        XCTAssertEqual(imported?.properties["scanOnPush"], true)
        XCTAssertEqual(imported?.properties["encryptionType"], "AES256")
        XCTAssertEqual(imported?.properties["tags"], ["team": "ops"])
        XCTAssertEqual(imported?.properties["forceDelete"], false)
        let missing = try await type.checkedImport(id: unique("missing"), context: context)
        XCTAssertNil(missing)

        // Made by the apply, not by the create a crash interrupted: never adopted (OwnershipRecoveryTests has both sides).
        let someoneElses = OperationContext(address: context.address, region: context.region, intentID: UUID().uuidString, client: harness.aws)
        let found = try await type.findCreated(from: ["name": .string(name), "imageTagMutability": "IMMUTABLE"], context: someoneElses)
        XCTAssertNil(found, "a same-named repository without the intent's tag is not adopted")
        let notFound = try await type.findCreated(from: ["name": .string(unique("never"))], context: context)
        XCTAssertNil(notFound, "a create that never happened finds nothing")

        let policyType = ImgStack.ECR.LifecyclePolicy.makeType()
        let policyContext = OperationContext(address: Address(type: policyType.schema.typeName, name: "app"), region: harness.region, client: harness.aws)
        let importedPolicy = try await policyType.checkedImport(id: name, context: policyContext)
        let declared = ImgStack.ECR.LifecyclePolicy("app", repositoryName: Text(name), rules: [.expireUntagged(afterDays: 7)])
        let declaredPolicy = try XCTUnwrap(declared.properties["policy"]?.literal)
        XCTAssertEqual(importedPolicy?.properties["policy"], policyType.normalize("policy", declaredPolicy))
        XCTAssertEqual(importedPolicy?.properties["repository"], .string(name))

        try await ecr.deleteRepository(name, force: true)
        let gone = try await policyType.read(try XCTUnwrap(importedPolicy), context: policyContext)
        XCTAssertNil(gone, "a policy gone with its repository reads as gone")
        try await policyType.delete(try XCTUnwrap(importedPolicy), context: policyContext)
        try await type.delete(try XCTUnwrap(imported), context: context)
    }
}
