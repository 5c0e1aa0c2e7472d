import Foundation
@testable import AWS
import XCTest

/// Every CloudWatch Logs call imgstack makes, checked against botocore's `logs` model: the
/// `X-Amz-Target` and JSON version, body members (names, required ones, limits), and the sample
/// answers the calls decode.
final class CloudWatchLogsRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("logs", "2014-03-28")

    /// Sends one call through a scripted transport answering `answer`, checks the request
    /// against the model and the answer against the output shape; returns the request body.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", _ call: (AWS.CloudWatchLogs) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "us-east-1", endpointURL: nil).cloudWatchLogs(region: "eu-west-2"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = Self.model.metadata
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "?").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "?")", file: file, line: line)
        XCTAssertEqual(request.url.host, "logs.eu-west-2.amazonaws.com", file: file, line: line)
        XCTAssertEqual(Self.model.jsonProblems(request.body, operation: operation), [], file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.bodyJSON
    }

    private static let arn = "arn:aws:logs:eu-west-2:111122223333:log-group:/aws/lambda/upload"
    private static let key = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    func testServiceMetadataMatchesTheModel() {
        XCTAssertEqual(Self.model.metadata["signingName"] as? String ?? Self.model.metadata["endpointPrefix"] as? String,
                       AWSService.cloudWatchLogs.signingName)
        XCTAssertEqual(Self.model.metadata["endpointPrefix"] as? String, AWSService.cloudWatchLogs.endpointPrefix)
    }

    func testRetentionListIsTheOneTheModelDocuments() {
        // CloudWatchLogs.allowedRetentionDays copies the `Days` shape's documentation; a botocore
        // update that adds a period shows here.
        let documentation = Self.model.shapes["Days"]?["documentation"] as? String ?? ""
        let listed = documentation.components(separatedBy: "Possible values are: ").last?.components(separatedBy: ".").first ?? ""
        let numbers = listed.replacingOccurrences(of: "and", with: "").split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        XCTAssertEqual(numbers, AWS.CloudWatchLogs.allowedRetentionDays)
    }

    func testCreateLogGroupSendsKeyAndTagsOnlyWhenGiven() async throws {
        let full = try await check("CreateLogGroup") {
            try await $0.createLogGroup("/aws/lambda/upload", kmsKeyID: Self.key, tags: ["app": "upload"])
        }
        XCTAssertEqual(full["logGroupName"] as? String, "/aws/lambda/upload")
        XCTAssertEqual(full["kmsKeyId"] as? String, Self.key)
        XCTAssertEqual(full["tags"] as? [String: String], ["app": "upload"])
        let plain = try await check("CreateLogGroup") { try await $0.createLogGroup("/aws/lambda/upload", kmsKeyID: nil, tags: [:]) }
        XCTAssertNil(plain["kmsKeyId"])
        XCTAssertNil(plain["tags"], "the model's Tags map has at least one entry (min 1)")
    }

    func testDescribeLogGroupsPagesAndPicksTheExactName() async throws {
        let pages = [
            #"{"logGroups":[{"logGroupName":"/aws/lambda/upload-old","arn":"\#(Self.arn)-old:*","creationTime":1700000000000}],"nextToken":"t2"}"#,
            #"{"logGroups":[{"logGroupName":"/aws/lambda/upload","arn":"\#(Self.arn):*","logGroupArn":"\#(Self.arn)","retentionInDays":30,"kmsKeyId":"\#(Self.key)","creationTime":1700000000000}]}"#,
        ]
        let transport = ScriptedTransport(pages.map { HTTPResponse.xml(200, $0) })
        let group = try await scriptedClient(transport).cloudWatchLogs(region: "eu-west-2").logGroup("/aws/lambda/upload")
        XCTAssertEqual(group?.logGroupArn, Self.arn)
        XCTAssertEqual(group?.retentionInDays, 30)
        XCTAssertEqual(group?.kmsKeyId, Self.key)
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(transport.requests.last?.bodyJSON["nextToken"] as? String, "t2")
        for request in transport.requests {
            XCTAssertEqual(Self.model.jsonProblems(request.body, operation: "DescribeLogGroups"), [])
            XCTAssertEqual(request.bodyJSON["logGroupNamePrefix"] as? String, "/aws/lambda/upload")
        }
        for page in pages { XCTAssertEqual(Self.model.jsonAnswerProblems(page, operation: "DescribeLogGroups"), []) }
    }

    func testRetentionAndKeyCallsMatchTheModel() async throws {
        let put = try await check("PutRetentionPolicy") { try await $0.putRetentionPolicy("/aws/lambda/upload", days: 14) }
        XCTAssertEqual(put["retentionInDays"] as? Int, 14)
        let delete = try await check("DeleteRetentionPolicy") { try await $0.deleteRetentionPolicy("/aws/lambda/upload") }
        XCTAssertEqual(delete["logGroupName"] as? String, "/aws/lambda/upload")
        let associate = try await check("AssociateKmsKey") { try await $0.associateKmsKey("/aws/lambda/upload", kmsKeyID: Self.key) }
        XCTAssertEqual(associate["kmsKeyId"] as? String, Self.key)
        XCTAssertEqual(associate["logGroupName"] as? String, "/aws/lambda/upload")
        let disassociate = try await check("DisassociateKmsKey") { try await $0.disassociateKmsKey("/aws/lambda/upload") }
        XCTAssertEqual(disassociate.keys.sorted(), ["logGroupName"])
        try await check("DeleteLogGroup") { try await $0.deleteLogGroup("/aws/lambda/upload") }
    }

    func testTagCallsMatchTheModel() async throws {
        var tags: [String: String] = [:]
        try await check("ListTagsForResource", answer: #"{"tags":{"app":"upload"}}"#) { tags = try await $0.tags(Self.arn) }
        XCTAssertEqual(tags, ["app": "upload"])
        let tag = try await check("TagResource") { try await $0.tagResource(Self.arn, tags: ["app": "upload"]) }
        XCTAssertEqual(tag["resourceArn"] as? String, Self.arn)
        let untag = try await check("UntagResource") { try await $0.untagResource(Self.arn, keys: ["app", "stage"]) }
        XCTAssertEqual(untag["tagKeys"] as? [String], ["app", "stage"])
    }

    func testTheModelCheckCatchesALongTagKeyAndALongName() {
        // The checks above are only worth something if they can fail.
        let longKey = Data(#"{"logGroupName":"/x","tags":{"\#(String(repeating: "k", count: 129))":"v"}}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(longKey, operation: "CreateLogGroup").count, 1)
        let long = Data(#"{"logGroupName":"\#(String(repeating: "a", count: 513))"}"#.utf8)
        XCTAssertEqual(Self.model.jsonProblems(long, operation: "DeleteLogGroup").count, 1)
    }
}
