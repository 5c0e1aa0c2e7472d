import Foundation
@testable import AWS
import XCTest

/// Every API Gateway call imgstack makes, checked against botocore's `apigateway` model
/// (REST-JSON): method and `requestUri` with labels filled, query members, body members by their
/// wire names (names, required ones, enum values), and the sample answers the calls decode.
final class APIGatewayRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("apigateway", "2015-07-09")

    /// Sends one call through a scripted transport answering `answer`, checks the request and
    /// the answer against the model; returns the request.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", status: Int = 200, _ call: (AWS.APIGateway) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        let transport = ScriptedTransport(status: status, body: answer)
        try await call(scriptedClient(transport, region: "us-east-1", endpointURL: nil).apiGateway(region: "eu-west-2"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        XCTAssertEqual(Self.model.restJSONProblems(request, operation: operation), [], file: file, line: line)
        XCTAssertEqual(request.url.host, "apigateway.eu-west-2.amazonaws.com", file: file, line: line)
        XCTAssertTrue(request.headers["Authorization"]?.contains("/eu-west-2/apigateway/aws4_request") ?? false, file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request
    }

    private func body(_ request: HTTPRequest) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: request.body) as? [String: Any]) ?? [:]
    }

    private func path(_ request: HTTPRequest) -> String {
        URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
    }

    private static let api = #"{"id":"a1b2c3d4e5","name":"upload-api","description":"d","binaryMediaTypes":["image/png"],"endpointConfiguration":{"types":["REGIONAL"]},"rootResourceId":"r00t","tags":{"imgstack:intent":"i-1"}}"#

    func testServiceMetadataMatchesTheModel() {
        XCTAssertEqual(Self.model.metadata["endpointPrefix"] as? String, AWSService.apiGateway.endpointPrefix)
        XCTAssertEqual(Self.model.metadata["signingName"] as? String ?? Self.model.metadata["endpointPrefix"] as? String, AWSService.apiGateway.signingName)
        XCTAssertEqual(Self.model.metadata["protocol"] as? String, "rest-json")
        XCTAssertEqual(AWSService.environmentID(forServiceID: Self.model.metadata["serviceId"] as? String ?? ""), AWSService.apiGateway.endpointEnvironmentID)
    }

    func testRestAPICallsMatchTheModel() async throws {
        var created: AWS.APIGateway.RestAPI?
        let create = try await check("CreateRestApi", answer: Self.api, status: 201) {
            created = try await $0.createRestAPI(name: "upload-api", description: "d", endpointType: "REGIONAL", binaryMediaTypes: ["image/png"],
                                                 tags: ["imgstack:intent": "i-1"])
        }
        XCTAssertEqual(body(create)["endpointConfiguration"] as? [String: [String]], ["types": ["REGIONAL"]])
        XCTAssertEqual(body(create)["binaryMediaTypes"] as? [String], ["image/png"])
        XCTAssertEqual(created?.rootResourceId, "r00t")
        let plain = try await check("CreateRestApi", answer: Self.api, status: 201) {
            _ = try await $0.createRestAPI(name: "a", description: nil, endpointType: "EDGE", binaryMediaTypes: [], tags: [:])
        }
        XCTAssertNil(body(plain)["binaryMediaTypes"])
        XCTAssertNil(body(plain)["tags"])
        try await check("GetRestApi", answer: Self.api) { _ = try await $0.restAPI("a1b2c3d4e5") }
        let update = try await check("UpdateRestApi", answer: Self.api) {
            try await $0.updateRestAPI("a1b2c3d4e5", [.add("/binaryMediaTypes/" + AWS.APIGateway.PatchOperation.escaped("image/*")), .replace("/name", "b")])
        }
        XCTAssertEqual(body(update)["patchOperations"] as? [[String: String]],
                       [["op": "add", "path": "/binaryMediaTypes/image~1*"], ["op": "replace", "path": "/name", "value": "b"]])
        let delete = try await check("DeleteRestApi", status: 202) { try await $0.deleteRestAPI("a1b2c3d4e5") }
        XCTAssertEqual(path(delete), "/restapis/a1b2c3d4e5")
    }

    func testListsReadTheItemWireNameAndFollowPositions() async throws {
        let pages = [#"{"item":[\#(Self.api)],"position":"p2"}"#, #"{"item":[]}"#]
        let transport = ScriptedTransport(pages.map { HTTPResponse.xml(200, $0) })
        let apis = try await scriptedClient(transport).apiGateway(region: "eu-west-2").restAPIs()
        XCTAssertEqual(apis.map(\.id), ["a1b2c3d4e5"])
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertEqual(URLComponents(url: try XCTUnwrap(transport.requests.last?.url), resolvingAgainstBaseURL: false)?.queryItems?
            .first { $0.name == "position" }?.value, "p2")
        for request in transport.requests { XCTAssertEqual(Self.model.restJSONProblems(request, operation: "GetRestApis"), []) }
        for page in pages { XCTAssertEqual(Self.model.jsonAnswerProblems(page, operation: "GetRestApis"), []) }
        let resources = #"{"item":[{"id":"r00t","path":"/"},{"id":"u1","parentId":"r00t","pathPart":"upload","path":"/upload"}]}"#
        var found: [AWS.APIGateway.PathResource] = []
        try await check("GetResources", answer: resources) { found = try await $0.resources(api: "a1b2c3d4e5") }
        XCTAssertEqual(found.map(\.path), ["/", "/upload"])
        try await check("GetAuthorizers", answer: #"{"item":[{"id":"au1","name":"users","type":"COGNITO_USER_POOLS"}]}"#) {
            _ = try await $0.authorizers(api: "a1b2c3d4e5")
        }
    }

    func testResourceAndMethodCallsMatchTheModel() async throws {
        let resource = #"{"id":"u1","parentId":"r00t","pathPart":"upload","path":"/upload"}"#
        let create = try await check("CreateResource", answer: resource, status: 201) {
            _ = try await $0.createResource(api: "a1b2c3d4e5", parentID: "r00t", pathPart: "upload")
        }
        XCTAssertEqual(path(create), "/restapis/a1b2c3d4e5/resources/r00t")
        try await check("GetResource", answer: resource) { _ = try await $0.resource(api: "a1b2c3d4e5", id: "u1") }
        try await check("DeleteResource", status: 202) { try await $0.deleteResource(api: "a1b2c3d4e5", id: "u1") }

        let method = #"{"httpMethod":"POST","authorizationType":"COGNITO_USER_POOLS","authorizerId":"au1","apiKeyRequired":true,"requestParameters":{"method.request.header.Content-Type":true}}"#
        let put = try await check("PutMethod", answer: method, status: 201) {
            try await $0.putMethod(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST",
                                   .init(authorizationType: "COGNITO_USER_POOLS", authorizerId: "au1", apiKeyRequired: true,
                                         requestParameters: ["method.request.header.Content-Type": true]))
        }
        XCTAssertEqual(path(put), "/restapis/a1b2c3d4e5/resources/u1/methods/POST")
        XCTAssertEqual(body(put)["authorizerId"] as? String, "au1")
        var read: AWS.APIGateway.Method?
        try await check("GetMethod", answer: method) { read = try await $0.method(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST") }
        XCTAssertEqual(read?.requestParameters, ["method.request.header.Content-Type": true])
        try await check("UpdateMethod", answer: method) {
            try await $0.updateMethod(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST", [.replace("/apiKeyRequired", "false"), .remove("/authorizerId")])
        }
        try await check("DeleteMethod", status: 204) { try await $0.deleteMethod(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST") }
    }

    func testIntegrationSendsItsHTTPMethodAsTheModelsWireName() async throws {
        let uri = "arn:aws:apigateway:eu-west-2:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-2:123456789012:function:upload/invocations"
        let answer = #"{"type":"AWS_PROXY","httpMethod":"POST","uri":"\#(uri)"}"#
        let put = try await check("PutIntegration", answer: answer, status: 201) {
            try await $0.putIntegration(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST",
                                        .init(type: "AWS_PROXY", integrationHttpMethod: "POST", uri: uri, requestTemplates: [:], passthroughBehavior: nil))
        }
        XCTAssertEqual(body(put)["httpMethod"] as? String, "POST", "integrationHttpMethod's locationName")
        XCTAssertNil(body(put)["integrationHttpMethod"])
        XCTAssertNil(body(put)["requestTemplates"])
        let mock = try await check("PutIntegration", answer: #"{"type":"MOCK"}"#, status: 201) {
            try await $0.putIntegration(api: "a1b2c3d4e5", resource: "u1", httpMethod: "GET",
                                        .init(type: "MOCK", integrationHttpMethod: nil, uri: nil, requestTemplates: ["application/json": "{}"],
                                              passthroughBehavior: nil))
        }
        XCTAssertEqual(body(mock)["requestTemplates"] as? [String: String], ["application/json": "{}"])
        try await check("GetIntegration", answer: answer) { _ = try await $0.integration(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST") }
        try await check("UpdateIntegration", answer: answer) {
            try await $0.updateIntegration(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST", [.replace("/uri", uri)])
        }
        try await check("DeleteIntegration", status: 204) { try await $0.deleteIntegration(api: "a1b2c3d4e5", resource: "u1", httpMethod: "POST") }
    }

    func testAuthorizerDeploymentAndStageCallsMatchTheModel() async throws {
        let authorizer = #"{"id":"au1","name":"users","type":"COGNITO_USER_POOLS","providerARNs":["arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_abc"],"identitySource":"method.request.header.Authorization","authorizerResultTtlInSeconds":300}"#
        let create = try await check("CreateAuthorizer", answer: authorizer, status: 201) {
            _ = try await $0.createCognitoAuthorizer(api: "a1b2c3d4e5", name: "users", providerARNs: ["arn:aws:cognito-idp:eu-west-2:123456789012:userpool/eu-west-2_abc"],
                                                     identitySource: "method.request.header.Authorization", resultTTL: 300)
        }
        XCTAssertEqual(body(create)["type"] as? String, "COGNITO_USER_POOLS")
        try await check("GetAuthorizer", answer: authorizer) { _ = try await $0.authorizer(api: "a1b2c3d4e5", id: "au1") }
        try await check("UpdateAuthorizer", answer: authorizer) { try await $0.updateAuthorizer(api: "a1b2c3d4e5", id: "au1", [.replace("/name", "u")]) }
        try await check("DeleteAuthorizer", status: 202) { try await $0.deleteAuthorizer(api: "a1b2c3d4e5", id: "au1") }

        let deployment = #"{"id":"d1","description":"v1"}"#
        let deploy = try await check("CreateDeployment", answer: deployment, status: 201) { _ = try await $0.createDeployment(api: "a1b2c3d4e5", description: "v1") }
        XCTAssertNil(body(deploy)["stageName"], "the stage is its own resource")
        try await check("GetDeployment", answer: deployment) { _ = try await $0.deployment(api: "a1b2c3d4e5", id: "d1") }
        let summary = #"{"id":"d1","apiSummary":{"/upload":{"POST":{"authorizationType":"COGNITO_USER_POOLS","apiKeyRequired":false}}}}"#
        var served: [String: [String: AWS.APIGateway.MethodSnapshot]] = [:]
        let embed = try await check("GetDeployment", answer: summary) { served = try await $0.deployedMethods(api: "a1b2c3d4e5", id: "d1") }
        XCTAssertEqual(embed.url.query, "embed=apisummary")
        XCTAssertEqual(served["/upload"]?["POST"], AWS.APIGateway.MethodSnapshot(authorizationType: "COGNITO_USER_POOLS", apiKeyRequired: false))
        try await check("DeleteDeployment", status: 202) { try await $0.deleteDeployment(api: "a1b2c3d4e5", id: "d1") }

        let stage = #"{"stageName":"prod","deploymentId":"d1","variables":{"bucket":"images"},"tracingEnabled":true,"accessLogSettings":{"format":"$context.requestId","destinationArn":"arn:aws:logs:eu-west-2:123456789012:log-group:/a"},"methodSettings":{"*/*":{"throttlingBurstLimit":20,"throttlingRateLimit":10.0}}}"#
        let createStage = try await check("CreateStage", answer: stage, status: 201) {
            _ = try await $0.createStage(api: "a1b2c3d4e5", name: "prod", deploymentID: "d1", description: nil, variables: ["bucket": "images"], tracingEnabled: true)
        }
        XCTAssertEqual(body(createStage)["tracingEnabled"] as? Bool, true)
        var read: AWS.APIGateway.Stage?
        try await check("GetStage", answer: stage) { read = try await $0.stage(api: "a1b2c3d4e5", name: "prod") }
        XCTAssertEqual(read?.methodSettings?["*/*"]?.throttlingRateLimit, 10)
        try await check("UpdateStage", answer: stage) {
            try await $0.updateStage(api: "a1b2c3d4e5", name: "prod", [.replace("/deploymentId", "d2"), .replace("/*/*/throttling/burstLimit", "5")])
        }
        try await check("DeleteStage", status: 202) { try await $0.deleteStage(api: "a1b2c3d4e5", name: "prod") }
    }

    func testMapChangesRemoveThenAddOrReplaceUnderEscapedKeys() {
        let operations = AWS.APIGateway.PatchOperation.mapChanges(
            "requestTemplates", from: ["application/json": "a", "text/plain": "b", "text/xml": "same"],
            to: ["application/json": "c", "application/xml": "d", "text/xml": "same"]) { $0 }
        XCTAssertEqual(operations, [.remove("/requestTemplates/text~1plain"), .replace("/requestTemplates/application~1json", "c"),
                                    .add("/requestTemplates/application~1xml", "d")])
    }

    func testTheModelCheckCatchesABodyMemberUnderItsSwiftName() {
        // The checks above are only worth something if they can fail: `integrationHttpMethod`
        // in a body is not the wire name.
        var request = HTTPRequest(method: "PUT", url: URL(string: "https://apigateway.eu-west-2.amazonaws.com/restapis/a/resources/r/methods/POST/integration")!,
                                  headers: HTTPHeaders(), body: Data(#"{"type":"AWS_PROXY","integrationHttpMethod":"POST"}"#.utf8))
        XCTAssertEqual(Self.model.restJSONProblems(request, operation: "PutIntegration"),
                       ["PutIntegration: integrationHttpMethod is not a body member of PutIntegrationRequest"])
        request.body = Data(#"{"type":"SOMETIMES"}"#.utf8)
        XCTAssertEqual(Self.model.restJSONProblems(request, operation: "PutIntegration").count, 1)
    }
}
