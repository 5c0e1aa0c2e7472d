import Engine
import ImgStack
import XCTest

/// API Gateway types with bad input: each rule reports the resource's address and the
/// property; and the deployment's record of what its API serves.
final class APIGatewayValidationTests: XCTestCase {
    private let api = APIGateway.RestAPI("upload", name: "upload-api")
    private let pool: Text = "arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_abcDEF123"
    private let invokeARN: Text = "arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-2:123456789012:function:upload/invocations"

    private var upload: APIGateway.Resource { APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: "upload") }

    // MARK: - RestAPI

    func testRestAPIRefusesAnEmptyNameAndMalformedMediaTypes() {
        assertOneIssue(APIGateway.RestAPI("upload", name: " "), property: "name", containing: "must not be empty")
        for bad in ["image", "image/", "/png", "image/png/x", "image png"] {
            assertOneIssue(APIGateway.RestAPI("upload", name: "a", binaryMediaTypes: [bad]), property: "binaryMediaTypes",
                           containing: "is not a media type")
        }
        XCTAssertEqual(validationIssues(APIGateway.RestAPI("upload", name: "a", binaryMediaTypes: ["image/png", "image/*", "*/*",
                                                                                                    "application/vnd.ms-excel"])), [])
        XCTAssertEqual(api.properties["endpointType"]?.literal, "REGIONAL")
    }

    func testBinaryMediaTypesCompareAsASet() {
        let type = APIGateway.RestAPI.makeType()
        XCTAssertEqual(type.normalize("binaryMediaTypes", ["image/png", "image/gif"]), type.normalize("binaryMediaTypes", ["image/gif", "image/png"]))
    }

    // MARK: - Resource

    func testPathPartIsOneSegmentOrAParameter() {
        for bad in ["a/b", "", "{id", "id}", "{}", "a b", "{proxy++}"] {
            assertOneIssue(APIGateway.Resource("r", api: api, parentID: api.rootResourceID, pathPart: Text(bad)), property: "pathPart",
                           containing: "must be one path segment")
        }
        for good in ["upload", "v1.2", "{id}", "{proxy+}", "a_b-c~d"] {
            XCTAssertEqual(validationIssues(APIGateway.Resource("r", api: api, parentID: api.rootResourceID, pathPart: Text(good))), [], good)
        }
        XCTAssertNotNil(APIGateway.Resource.makeType().validateImportID("abc"))
        XCTAssertNil(APIGateway.Resource.makeType().validateImportID("abc/def"))
    }

    // MARK: - Method

    func testMethodRefusesUnknownVerbsAndMalformedRequestParameters() {
        assertOneIssue(APIGateway.Method("m", resource: upload, httpMethod: "FETCH"), property: "httpMethod", containing: "is not one of GET, POST")
        assertOneIssue(APIGateway.Method("m", resource: upload, httpMethod: "POST", requestParameters: ["header.Content-Type": true]),
                       property: "requestParameters", containing: "must be method.request.header.<name>")
        assertOneIssue(APIGateway.Method("m", resource: upload, httpMethod: "POST", authorization: .cognitoUserPools(authorizerID: "")),
                       property: "authorizerID", containing: "needs the authorizer's id")
        XCTAssertEqual(validationIssues(APIGateway.Method("m", resource: upload, httpMethod: "ANY", authorization: .awsIAM, apiKeyRequired: true,
                                                          requestParameters: ["method.request.querystring.size": false,
                                                                              "method.request.path.id": true])), [])
        XCTAssertNotNil(APIGateway.Method.makeType().validateImportID("api/res/FETCH"))
        XCTAssertNil(APIGateway.Method.makeType().validateImportID("api/res/POST"))
    }

    func testAuthorizationIsDeclaredAsTypeAndAuthorizer() {
        let open = APIGateway.Method("m", resource: upload, httpMethod: "GET").properties
        XCTAssertEqual(open["authorization"]?.literal, "NONE")
        XCTAssertNil(open["authorizerID"], "none: compared as its default, no authorizer")
        let users = APIGateway.Authorizer("users", api: api, name: "users", userPoolARNs: [pool])
        let guarded = APIGateway.Method("m", resource: upload, httpMethod: "POST", authorization: .cognitoUserPools(authorizerID: users.id)).properties
        XCTAssertEqual(guarded["authorization"]?.literal, "COGNITO_USER_POOLS")
        XCTAssertEqual(guarded["authorizerID"]?.references.map(\.address.description), ["apigateway.authorizer.users"])
    }

    // MARK: - Integration

    func testLambdaProxyNeedsAnInvokeARNAndPOST() {
        let post = APIGateway.Method("m", resource: upload, httpMethod: "POST")
        assertOneIssue(APIGateway.Integration("i", method: post, target: .lambdaProxy(invokeARN: "arn:aws:lambda:eu-west-2:123456789012:function:upload")),
                       property: "uri", containing: "is not a Lambda invoke ARN")
        let proxy = APIGateway.Integration("i", method: post, target: .lambdaProxy(invokeARN: invokeARN))
        XCTAssertEqual(validationIssues(proxy), [])
        XCTAssertEqual(proxy.properties["integrationHTTPMethod"]?.literal, "POST", "Lambda is always called with POST")
        assertOneIssue(APIGateway.Integration("i", method: post, target: .mock(requestTemplates: ["json": "{}"])),
                       property: "requestTemplates", containing: "is not a content type")
    }

    // MARK: - Authorizer

    func testAuthorizerChecksPoolsHeaderAndTTL() {
        assertOneIssue(APIGateway.Authorizer("a", api: api, name: "users", userPoolARNs: []), property: "userPoolARNs", containing: "at least one")
        assertOneIssue(APIGateway.Authorizer("a", api: api, name: "users", userPoolARNs: ["eu-west-2_abcDEF123"]), property: "userPoolARNs",
                       containing: "is not a user pool ARN")
        assertOneIssue(APIGateway.Authorizer("a", api: api, name: "users", userPoolARNs: [pool], identitySource: "method.request.querystring.token"),
                       property: "identitySource", containing: "must be method.request.header.<name>")
        assertOneIssue(APIGateway.Authorizer("a", api: api, name: "users", userPoolARNs: [pool], resultTTLInSeconds: 3601),
                       property: "resultTTLInSeconds", containing: "0 to 3600")
        assertOneIssue(APIGateway.Authorizer("a", api: api, name: "", userPoolARNs: [pool]), property: "name", containing: "must not be empty")
        XCTAssertEqual(validationIssues(APIGateway.Authorizer("a", api: api, name: "users", userPoolARNs: [pool, "\(api.id)"])), [],
                       "a reference waits for apply")
    }

    // MARK: - Stage

    func testStageChecksNameVariablesAccessLogAndThrottling() {
        let deployment = APIGateway.Deployment("live", api: api)
        let logs: Text = "arn:aws:logs:eu-west-2:123456789012:log-group:/aws/apigateway/upload"
        func stage(_ name: Text = "prod", variables: [String: Text] = [:], accessLog: APIGateway.Stage.AccessLog? = nil,
                   throttling: APIGateway.Stage.Throttling? = nil) -> APIGateway.Stage {
            APIGateway.Stage("prod", deployment: deployment, stageName: name, variables: variables, accessLog: accessLog, throttling: throttling)
        }
        assertOneIssue(stage("prod stage"), property: "stageName", containing: "1 to 128 letters")
        assertOneIssue(stage(variables: ["bucket-name": "x"]), property: "variables", containing: "may contain only letters, digits and '_'")
        assertOneIssue(stage(variables: ["bucket": "a b"]), property: "variables", containing: "values are at most 512")
        assertOneIssue(stage(accessLog: .init(destinationARN: "\(logs.literal ?? ""):*", format: "$context.requestId")),
                       property: "accessLogDestinationARN", containing: "ends with ':*'")
        assertOneIssue(stage(accessLog: .init(destinationARN: "arn:aws:s3:::logs", format: "$context.requestId")),
                       property: "accessLogDestinationARN", containing: "is not a CloudWatch Logs log group ARN")
        assertOneIssue(stage(accessLog: .init(destinationARN: logs, format: "$context.status")), property: "accessLogFormat",
                       containing: "must include $context.requestId")
        assertOneIssue(stage(throttling: .init(burstLimit: -1, rateLimit: 1)), property: "throttlingBurstLimit", containing: "at least 0")
        assertOneIssue(stage(throttling: .init(burstLimit: 1, rateLimit: -0.5)), property: "throttlingRateLimit", containing: "at least 0")
        XCTAssertEqual(validationIssues(stage(variables: ["bucket": "images-v2", "url": "https://example.com/a?b=c"],
                                              accessLog: .init(destinationARN: logs, format: "$context.requestId $context.status"),
                                              throttling: .init(burstLimit: 50, rateLimit: 20.5))), [])
        XCTAssertEqual(APIGateway.Stage.makeType().normalize("throttlingRateLimit", 5), 5.0, "5 and 5.0 are the same rate")
    }

    // MARK: - Deployment

    func testDeploymentRecordsEverythingItsAPIServesAndDependsOnIt() throws {
        let definition = try Stack("served") { stack in
            let api = stack.add(APIGateway.RestAPI("upload", name: "upload-api", binaryMediaTypes: ["image/*"]))
            let other = stack.add(APIGateway.RestAPI("other", name: "other-api"))
            let upload = stack.add(APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: "upload"))
            let post = stack.add(APIGateway.Method("post", resource: upload, httpMethod: "POST"))
            stack.add(APIGateway.Integration("post", method: post, target: .mock(requestTemplates: ["application/json": "{}"])))
            stack.add(APIGateway.Method("elsewhere", restAPIID: other.id, resourceID: other.rootResourceID, httpMethod: "GET"))
            let deployment = stack.add(APIGateway.Deployment("live", api: api))
            stack.add(APIGateway.Stage("prod", deployment: deployment, stageName: "prod"))
        }.evaluate(variables: [:], region: "eu-west-2").definition
        let deployment = try XCTUnwrap(definition.resources.first { $0.address.description == "apigateway.deployment.live" })
        guard case .map(let served)? = deployment.properties["servedConfiguration"] else {
            return XCTFail("no servedConfiguration: \(deployment.properties)")
        }
        XCTAssertEqual(served.keys.sorted(), ["apigateway.integration.post", "apigateway.method.post", "apigateway.resource.upload",
                                              "apigateway.rest_api.upload"], "the other API's method and the stage are not served")
        XCTAssertEqual(served["apigateway.rest_api.upload"], .map(["binaryMediaTypes": .value(["image/*"])]))
        guard case .map(let method)? = served["apigateway.method.post"] else { return XCTFail("no method entry") }
        XCTAssertEqual(method["httpMethod"], .value("POST"))
        XCTAssertEqual(method["id"]?.references.map(\.address.description), ["apigateway.method.post"])
        XCTAssertEqual(Set(deployment.dependencies.map(\.description)),
                       ["apigateway.integration.post", "apigateway.method.post", "apigateway.resource.upload", "apigateway.rest_api.upload"],
                       "created after everything it serves")
        XCTAssertEqual(APIGateway.Deployment.makeType().schema.property("servedConfiguration")?.forcesReplacement, true)
    }

    func testServedEntriesAreComparedByDigest() {
        let type = APIGateway.Deployment.makeType()
        let served: Value = ["apigateway.method.a": ["httpMethod": "POST", "id": "x"], "apigateway.method.b": ["httpMethod": .unknown]]
        let normalized = type.normalize("servedConfiguration", served)
        let digest = normalized["apigateway.method.a"].stringValue ?? ""
        XCTAssertEqual(digest.count, 16)
        XCTAssertEqual(normalized["apigateway.method.b"], .unknown, "known only after apply")
        XCTAssertEqual(type.normalize("servedConfiguration", normalized), normalized, "a recorded digest stays as it is")
        let changed = type.normalize("servedConfiguration", ["apigateway.method.a": ["httpMethod": "GET", "id": "x"]])
        XCTAssertNotEqual(changed["apigateway.method.a"], normalized["apigateway.method.a"])
    }

    func testReplacementReasonNamesWhatTheAPIServesDifferently() {
        let type = APIGateway.Deployment.makeType()
        let before: [String: Value] = ["servedConfiguration": ["apigateway.method.a": ["x": 1], "apigateway.method.b": ["x": 1]]]
        let after: [String: Value] = ["servedConfiguration": ["apigateway.method.a": ["x": 2], "apigateway.method.c": ["x": 1]]]
        XCTAssertEqual(type.replacementReason(before: before, after: after),
                       "redeploys: apigateway.method.a changed, apigateway.method.b removed, apigateway.method.c added")
        XCTAssertNil(type.replacementReason(before: before, after: before))
    }
}
