import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// A Python function packaged from a directory, invoked by API Gateway through a Lambda proxy
/// integration, with a `Lambda.Permission` whose source ARN is the API's execute-api ARN scoped to
/// one method: create, read back through the AWS API, empty re-plan, destroy.
final class APIGatewayPermissionTests: XCTestCase {
    private static let trust = PolicyDocument([
        Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("lambda.amazonaws.com")),
    ])

    /// A directory with `upload.py`.
    private func pythonSource() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-py-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: directory) }
        try Data("def handler(event, context):\n    return {\"statusCode\": 200, \"body\": \"ok\"}\n".utf8)
            .write(to: directory.appendingPathComponent("upload.py"))
        return directory
    }

    func testPythonFunctionInvokedByOneMethodOfAnAPI() async throws {
        let harness = try StackHarness(region: "eu-west-2")
        let tag = UUID().uuidString.prefix(8).lowercased()
        let source = try pythonSource()
        let declared = Stack("lambda-apigw") { stack in
            let role = stack.add(IAM.Role("fn", name: Text("upload-\(tag)"), assumeRolePolicy: Self.trust))
            let function = stack.add(ImgStack.Lambda.Function("upload", functionName: Text("upload-\(tag)"), source: source, runtime: "python3.12",
                                                     handler: "upload.handler", role: role.arn))
            let api = stack.add(ImgStack.APIGateway.RestAPI("api", name: "upload-\(tag)"))
            let upload = stack.add(ImgStack.APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: "upload"))
            let post = stack.add(ImgStack.APIGateway.Method("upload_post", resource: upload, httpMethod: "POST"))
            stack.add(ImgStack.APIGateway.Integration("upload_post", method: post, target: .lambdaProxy(invokeARN: function.invokeARN)))
            stack.add(ImgStack.Lambda.Permission("apigw", functionName: function.arn, statementID: "AllowAPIGatewayInvoke",
                                        principal: "apigateway.amazonaws.com",
                                        sourceARN: api.executionARN(method: "POST", path: "upload")))
        }
        try await harness.apply(declared)

        let lambda = harness.aws.lambda(region: "eu-west-2")
        let found = try await lambda.function("upload-\(tag)")
        let (configuration, _) = try XCTUnwrap(found)
        XCTAssertEqual(configuration.runtime, "python3.12")
        XCTAssertEqual(configuration.handler, "upload.handler")
        XCTAssertEqual(configuration.codeSHA256, try DeploymentPackage.zipping(directory: source.path).sha256)

        let apiSnapshot = try await harness.snapshot("apigateway.rest_api.api")
        let apiID = try XCTUnwrap(apiSnapshot?.id)
        let executionARN = "arn:aws:execute-api:eu-west-2:123456789012:\(apiID)"
        XCTAssertEqual(apiSnapshot?.attributes["executionARN"], .string(executionARN))
        let policyText = try await lambda.policy(function: "upload-\(tag)", qualifier: nil)
        let policy = try Engine.Value(jsonText: try XCTUnwrap(policyText))
        let statement = try XCTUnwrap(policy["Statement"].listValue?.first { $0["Sid"] == "AllowAPIGatewayInvoke" })
        XCTAssertEqual(statement["Principal"]["Service"], "apigateway.amazonaws.com")
        XCTAssertEqual(statement["Condition"]["ArnLike"]["AWS:SourceArn"], .string("\(executionARN)/*/POST/upload"))

        let again = try await harness.plan(declared)
        XCTAssertFalse(again.hasChanges, HumanPlanRenderer().render(again))

        try await harness.destroy(declared)
        let gone = try await lambda.function("upload-\(tag)")
        XCTAssertNil(gone)
    }
}
