import Foundation
@testable import AWS
import XCTest

/// Every ECR call imgstack makes, checked against botocore's `ecr` model: the `X-Amz-Target`
/// and JSON version, body members (names, required ones, enum values, limits), and the sample
/// answers the calls decode.
final class ECRRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("ecr", "2015-09-21")

    /// Sends one call through a scripted transport answering `answer`, checks the request
    /// against the model and the answer against the output shape; returns the request body.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", _ call: (AWS.ECR) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "us-east-1", endpointURL: nil).ecr(region: "eu-west-1"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = Self.model.metadata
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "?").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "?")", file: file, line: line)
        XCTAssertEqual(request.url.host, "api.ecr.eu-west-1.amazonaws.com", file: file, line: line)
        XCTAssertEqual(Self.model.jsonProblems(request.body, operation: operation), [], file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.bodyJSON
    }

    private static let repository = #"{"repositoryArn":"arn:aws:ecr:eu-west-1:111122223333:repository/team/app","registryId":"111122223333","repositoryName":"team/app","repositoryUri":"111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app","createdAt":1700000000,"imageTagMutability":"IMMUTABLE","imageScanningConfiguration":{"scanOnPush":true},"encryptionConfiguration":{"encryptionType":"KMS","kmsKey":"arn:aws:kms:eu-west-1:111122223333:key/k"}}"#

    func testServiceMetadataMatchesTheModel() {
        XCTAssertEqual(Self.model.metadata["signingName"] as? String, AWSService.ecr.signingName)
        XCTAssertEqual(Self.model.metadata["endpointPrefix"] as? String, AWSService.ecr.endpointPrefix)
        XCTAssertEqual(AWSService.environmentID(forServiceID: Self.model.metadata["serviceId"] as? String ?? ""), AWSService.ecr.endpointEnvironmentID)
        XCTAssertEqual(AWSService.ecr.wireProtocol, .json(version: "1.1", targetPrefix: "AmazonEC2ContainerRegistry_V20150921"))
    }

    func testRepositoryNameRulesAreTheOnesImgStackValidates() {
        // ECR.Repository's validation copies this shape (anchored); a botocore update shows here.
        let shape = Self.model.shapes["RepositoryName"] ?? [:]
        XCTAssertEqual(shape["min"] as? Int, 2)
        XCTAssertEqual(shape["max"] as? Int, 256)
        XCTAssertEqual(shape["pattern"] as? String, #"[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*"#)
    }

    func testCreateRepositorySendsEveryConfigurationByTheModel() async throws {
        var created: AWS.ECR.Repository?
        let body = try await check("CreateRepository", answer: #"{"repository":\#(Self.repository)}"#) {
            created = try await $0.createRepository("team/app", imageTagMutability: "IMMUTABLE", scanOnPush: true,
                                                    encryption: .init(encryptionType: "KMS", kmsKey: "arn:aws:kms:eu-west-1:111122223333:key/k"),
                                                    tags: [.init(key: "team", value: "web")])
        }
        XCTAssertEqual(body["repositoryName"] as? String, "team/app")
        XCTAssertEqual(body["imageTagMutability"] as? String, "IMMUTABLE")
        XCTAssertEqual(body["imageScanningConfiguration"] as? [String: Bool], ["scanOnPush": true])
        XCTAssertEqual(body["encryptionConfiguration"] as? [String: String],
                       ["encryptionType": "KMS", "kmsKey": "arn:aws:kms:eu-west-1:111122223333:key/k"])
        XCTAssertEqual(body["tags"] as? [[String: String]], [["Key": "team", "Value": "web"]])
        XCTAssertNil(body["registryId"], "the caller's own registry")
        XCTAssertEqual(created?.repositoryUri, "111122223333.dkr.ecr.eu-west-1.amazonaws.com/team/app")
        XCTAssertEqual(created?.encryptionConfiguration?.kmsKey, "arn:aws:kms:eu-west-1:111122223333:key/k")
    }

    func testCreateRepositoryWithoutTagsOrKeyLeavesThemOut() async throws {
        let body = try await check("CreateRepository", answer: #"{"repository":\#(Self.repository)}"#) {
            _ = try await $0.createRepository("app", imageTagMutability: "MUTABLE", scanOnPush: false,
                                              encryption: .init(encryptionType: "AES256"), tags: [])
        }
        XCTAssertNil(body["tags"])
        XCTAssertEqual(body["encryptionConfiguration"] as? [String: String], ["encryptionType": "AES256"])
    }

    func testRepositoryReadsAndSettingsMatchTheModel() async throws {
        var repository: AWS.ECR.Repository?
        let describe = try await check("DescribeRepositories", answer: #"{"repositories":[\#(Self.repository)]}"#) {
            repository = try await $0.describeRepository("team/app")
        }
        XCTAssertEqual(describe["repositoryNames"] as? [String], ["team/app"])
        XCTAssertEqual(repository?.imageScanningConfiguration?.scanOnPush, true)
        XCTAssertEqual(repository?.imageTagMutability, "IMMUTABLE")

        let mutability = try await check("PutImageTagMutability",
                                         answer: #"{"registryId":"111122223333","repositoryName":"app","imageTagMutability":"MUTABLE"}"#) {
            try await $0.putImageTagMutability("app", "MUTABLE")
        }
        XCTAssertEqual(mutability["imageTagMutability"] as? String, "MUTABLE")
        let scanning = try await check("PutImageScanningConfiguration") { try await $0.putImageScanningConfiguration("app", scanOnPush: false) }
        XCTAssertEqual(scanning["imageScanningConfiguration"] as? [String: Bool], ["scanOnPush": false])
    }

    func testTagCallsMatchTheModel() async throws {
        let arn = "arn:aws:ecr:eu-west-1:111122223333:repository/app"
        var tags: [AWS.ECR.Tag] = []
        try await check("ListTagsForResource", answer: #"{"tags":[{"Key":"team","Value":"web"}]}"#) { tags = try await $0.tags(arn) }
        XCTAssertEqual(tags, [.init(key: "team", value: "web")])
        let tag = try await check("TagResource") { try await $0.tagResource(arn, tags: [.init(key: "team", value: "web")]) }
        XCTAssertEqual(tag["resourceArn"] as? String, arn)
        let untag = try await check("UntagResource") { try await $0.untagResource(arn, keys: ["team", "stage"]) }
        XCTAssertEqual(untag["tagKeys"] as? [String], ["team", "stage"])
    }

    func testDeleteRepositorySendsForceOnlyWhenAsked() async throws {
        let plain = try await check("DeleteRepository", answer: #"{"repository":\#(Self.repository)}"#) { try await $0.deleteRepository("app", force: false) }
        XCTAssertNil(plain["force"])
        let forced = try await check("DeleteRepository") { try await $0.deleteRepository("app", force: true) }
        XCTAssertEqual(forced["force"] as? Bool, true)
    }

    func testListImagesFollowsNextTokenPages() async throws {
        let pages = [
            #"{"imageIds":[{"imageDigest":"sha256:a","imageTag":"v1"}],"nextToken":"t2"}"#,
            #"{"imageIds":[{"imageDigest":"sha256:b"}]}"#,
        ]
        let transport = ScriptedTransport(pages.map { HTTPResponse.xml(200, $0) })
        let images = try await scriptedClient(transport).ecr.listImages("app")
        XCTAssertEqual(images.map(\.imageDigest), ["sha256:a", "sha256:b"])
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(transport.requests.last?.bodyJSON["nextToken"] as? String, "t2")
        for request in transport.requests {
            XCTAssertEqual(Self.model.jsonProblems(request.body, operation: "ListImages"), [])
            XCTAssertEqual(request.bodyJSON["maxResults"] as? Int, 1000)
        }
        for page in pages { XCTAssertEqual(Self.model.jsonAnswerProblems(page, operation: "ListImages"), []) }
    }

    func testPutImageMatchesTheModel() async throws {
        var image: AWS.ECR.ImageIdentifier?
        let body = try await check("PutImage", answer: #"{"image":{"registryId":"111122223333","repositoryName":"app","imageId":{"imageDigest":"sha256:a","imageTag":"v1"},"imageManifest":"{}"}}"#) {
            image = try await $0.putImage("app", manifest: #"{"schemaVersion":2}"#, tag: "v1")
        }
        XCTAssertEqual(body["imageTag"] as? String, "v1")
        XCTAssertEqual(image?.imageDigest, "sha256:a")
    }

    func testLifecyclePolicyCallsMatchTheModel() async throws {
        let text = #"{"rules":[{"action":{"type":"expire"},"rulePriority":1,"selection":{"countNumber":5,"countType":"imageCountMoreThan","tagStatus":"any"}}]}"#
        let put = try await check("PutLifecyclePolicy") { try await $0.putLifecyclePolicy("app", text: text) }
        XCTAssertEqual(put["lifecyclePolicyText"] as? String, text)
        var read = ""
        let answer = String(decoding: try JSONSerialization.data(withJSONObject: [
            "registryId": "111122223333", "repositoryName": "app", "lifecyclePolicyText": text, "lastEvaluatedAt": 1_700_000_000,
        ]), as: UTF8.self)
        try await check("GetLifecyclePolicy", answer: answer) { read = try await $0.lifecyclePolicy("app") }
        XCTAssertEqual(read, text)
        try await check("DeleteLifecyclePolicy") { try await $0.deleteLifecyclePolicy("app") }
    }

    func testTheModelCheckCatchesAPolicyTooShortAndAnUnknownMutability() {
        // The checks above are only worth something if they can fail.
        let body = Data(#"{"repositoryName":"app","lifecyclePolicyText":"{}"}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(body, operation: "PutLifecyclePolicy"), ["PutLifecyclePolicy.lifecyclePolicyText: shorter than 100"])
        let mutability = Data(#"{"repositoryName":"app","imageTagMutability":"SOMETIMES"}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(mutability, operation: "PutImageTagMutability").count, 1)
    }
}
