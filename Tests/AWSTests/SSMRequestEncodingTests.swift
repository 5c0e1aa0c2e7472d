import Foundation
@testable import AWS
import XCTest

/// Every SSM call imgstack makes, checked against botocore's `ssm` model: the `X-Amz-Target`
/// and JSON version, body members (names, required ones, enum values, limits), and the sample
/// answers the calls decode.
final class SSMRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("ssm", "2014-11-06")

    /// Sends one call through a scripted transport answering `answer`, checks the request
    /// against the model and the answer against the output shape; returns the request body.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", _ call: (AWS.SSM) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "us-east-1", endpointURL: nil).ssm(region: "eu-west-1"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = Self.model.metadata
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "?").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "?")", file: file, line: line)
        XCTAssertEqual(request.url.host, "ssm.eu-west-1.amazonaws.com", file: file, line: line)
        XCTAssertEqual(Self.model.jsonProblems(request.body, operation: operation), [], file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.bodyJSON
    }

    private static let parameter = #"{"Name":"/app/db","Type":"SecureString","Value":"s3cret","Version":3,"ARN":"arn:aws:ssm:eu-west-1:111122223333:parameter/app/db","DataType":"text"}"#

    func testServiceMetadataMatchesTheModel() {
        XCTAssertEqual(Self.model.metadata["signingName"] as? String ?? Self.model.metadata["endpointPrefix"] as? String, AWSService.ssm.signingName)
        XCTAssertEqual(Self.model.metadata["endpointPrefix"] as? String, AWSService.ssm.endpointPrefix)
        XCTAssertEqual(AWSService.environmentID(forServiceID: Self.model.metadata["serviceId"] as? String ?? ""), AWSService.ssm.endpointEnvironmentID)
        XCTAssertEqual(AWSService.ssm.wireProtocol, .json(version: "1.1", targetPrefix: "AmazonSSM"))
    }

    func testGetParameterAsksForDecryptionOnlyWhenTold() async throws {
        var read: AWS.SSM.Parameter?
        let plain = try await check("GetParameter", answer: #"{"Parameter":\#(Self.parameter)}"#) { read = try await $0.getParameter("/app/db") }
        XCTAssertEqual(plain["Name"] as? String, "/app/db")
        XCTAssertEqual(plain["WithDecryption"] as? Bool, false)
        XCTAssertEqual(read?.version, 3)
        XCTAssertEqual(read?.arn, "arn:aws:ssm:eu-west-1:111122223333:parameter/app/db")
        let decrypted = try await check("GetParameter", answer: #"{"Parameter":\#(Self.parameter)}"#) {
            _ = try await $0.getParameter("/app/db", withDecryption: true)
        }
        XCTAssertEqual(decrypted["WithDecryption"] as? Bool, true)
    }

    func testPutParameterSendsEverySettingByTheModel() async throws {
        let created = try await check("PutParameter", answer: #"{"Version":1,"Tier":"Advanced"}"#) {
            try await $0.putParameter(.init(name: "/app/db", value: "s3cret", type: "SecureString", description: "db", keyID: "alias/k",
                                            tier: "Advanced", overwrite: false, tags: [.init(key: "team", value: "web")]))
        }
        XCTAssertEqual(created["Type"] as? String, "SecureString")
        XCTAssertEqual(created["KeyId"] as? String, "alias/k")
        XCTAssertEqual(created["Tier"] as? String, "Advanced")
        XCTAssertEqual(created["Overwrite"] as? Bool, false)
        XCTAssertEqual(created["Tags"] as? [[String: String]], [["Key": "team", "Value": "web"]])
        let overwritten = try await check("PutParameter", answer: #"{"Version":2}"#) {
            try await $0.putParameter(.init(name: "/app/db", value: "v", type: "String", description: nil, keyID: nil, tier: nil,
                                            overwrite: true, tags: nil))
        }
        XCTAssertNil(overwritten["Tags"], "AWS refuses tags with Overwrite")
        XCTAssertNil(overwritten["KeyId"])
    }

    func testDescribeTagAndDeleteCallsMatchTheModel() async throws {
        var metadata: AWS.SSM.ParameterMetadata?
        let describe = try await check("DescribeParameters",
                                       answer: #"{"Parameters":[{"Name":"/app/db","Type":"SecureString","KeyId":"alias/aws/ssm","Tier":"Standard","Version":3,"Description":"db"}]}"#) {
            metadata = try await $0.describeParameter("/app/db")
        }
        let filter = (describe["ParameterFilters"] as? [[String: Any]])?.first
        XCTAssertEqual(filter?["Key"] as? String, "Name")
        XCTAssertEqual(filter?["Option"] as? String, "Equals")
        XCTAssertEqual(filter?["Values"] as? [String], ["/app/db"])
        XCTAssertEqual(metadata?.keyID, "alias/aws/ssm")
        var tags: [AWS.SSM.Tag] = []
        let list = try await check("ListTagsForResource", answer: #"{"TagList":[{"Key":"team","Value":"web"}]}"#) {
            tags = try await $0.tags(ofParameter: "/app/db")
        }
        XCTAssertEqual(list["ResourceType"] as? String, "Parameter")
        XCTAssertEqual(tags, [.init(key: "team", value: "web")])
        let add = try await check("AddTagsToResource") { try await $0.tagParameter("/app/db", tags: [.init(key: "team", value: "web")]) }
        XCTAssertEqual(add["ResourceId"] as? String, "/app/db")
        let remove = try await check("RemoveTagsFromResource") { try await $0.untagParameter("/app/db", keys: ["team"]) }
        XCTAssertEqual(remove["TagKeys"] as? [String], ["team"])
        let delete = try await check("DeleteParameter") { try await $0.deleteParameter("/app/db") }
        XCTAssertEqual(delete["Name"] as? String, "/app/db")
    }
}
