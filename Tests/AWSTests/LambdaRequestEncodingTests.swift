import Foundation
@testable import AWS
import XCTest

/// Every Lambda call imgstack makes, checked against botocore's `lambda` model (REST-JSON):
/// method and `requestUri` with labels encoded as botocore encodes them, query members, body
/// members (names, required ones, enum values, limits), and the sample answers the calls
/// decode. Calls rely on the client's region.
final class LambdaRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("lambda", "2015-03-31")
    private static let arn = "arn:aws:lambda:eu-west-1:123456789012:function:edge"
    /// The ARN as botocore puts it in a path: every character but `-._~` percent-encoded.
    private static let encodedARN = "arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Aedge"
    private static let configuration = """
        {"FunctionName":"edge","FunctionArn":"\(arn)","Runtime":"nodejs20.x","Role":"arn:aws:iam::123456789012:role/edge",\
        "Handler":"index.handler","Timeout":5,"MemorySize":128,"CodeSha256":"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",\
        "Version":"$LATEST","Environment":{"Variables":{"STAGE":"prod"}},"Architectures":["x86_64"],"State":"Active",\
        "LastUpdateStatus":"Successful"}
        """

    /// Sends one call through a scripted transport answering `answer`, checks the request and
    /// the answer against the model; returns the request.
    @discardableResult
    private func check(_ operation: String, answer: String = "{}", status: Int = 200, _ call: (AWS.Lambda) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        let transport = ScriptedTransport(status: status, body: answer)
        try await call(scriptedClient(transport).lambda)
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        XCTAssertEqual(transport.requests.count, 1, "\(operation): one call, one request", file: file, line: line)
        XCTAssertEqual(Self.model.restJSONProblems(request, operation: operation), [], file: file, line: line)
        XCTAssertTrue(request.headers["Authorization"]?.contains("/eu-west-1/lambda/aws4_request") ?? false,
                      "signed for lambda in the client's region", file: file, line: line)
        if answer != "{}" {
            XCTAssertEqual(Self.model.jsonAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request
    }

    private func path(_ request: HTTPRequest) -> String {
        URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? ""
    }

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["CreateFunction"], "botocore's lambda model was not found")
    }

    func testCreateFunctionSendsTheDefinitionByTheModel() async throws {
        let definition = AWS.Lambda.FunctionDefinition(
            name: "edge", zipFile: Data("zip".utf8), runtime: "nodejs20.x", handler: "index.handler",
            role: "arn:aws:iam::123456789012:role/edge", memorySize: 128, timeout: 5, architectures: ["x86_64"],
            environment: ["STAGE": "prod"], publish: true, tags: ["team": "images"])
        var created: AWS.Lambda.FunctionConfiguration?
        let request = try await check("CreateFunction", answer: Self.configuration, status: 201) { created = try await $0.createFunction(definition) }
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(path(request), "/2015-03-31/functions")
        let body = request.bodyJSON
        XCTAssertEqual((body["Code"] as? [String: Any])?["ZipFile"] as? String, Data("zip".utf8).base64EncodedString(), "a blob is base64 in JSON")
        XCTAssertEqual(body["PackageType"] as? String, "Zip")
        XCTAssertEqual(body["Publish"] as? Bool, true)
        XCTAssertEqual((body["Environment"] as? [String: Any])?["Variables"] as? [String: String], ["STAGE": "prod"])
        XCTAssertEqual(body["Tags"] as? [String: String], ["team": "images"])
        XCTAssertEqual(created?.arn, Self.arn)
        XCTAssertEqual(created?.environment?.variables, ["STAGE": "prod"])
        XCTAssertEqual(created?.architectures, ["x86_64"])
    }

    func testCreateFunctionWithoutEnvironmentOrTagsLeavesThemOut() async throws {
        let definition = AWS.Lambda.FunctionDefinition(
            name: "edge", zipFile: Data("zip".utf8), runtime: "nodejs20.x", handler: "index.handler",
            role: "arn:aws:iam::123456789012:role/edge", memorySize: 128, timeout: 5, architectures: ["arm64"],
            environment: nil, publish: false, tags: [:])
        let request = try await check("CreateFunction", answer: Self.configuration, status: 201) { _ = try await $0.createFunction(definition) }
        XCTAssertNil(request.bodyJSON["Environment"])
        XCTAssertNil(request.bodyJSON["Tags"])
    }

    func testGetFunctionReadsConfigurationAndTags() async throws {
        var read: (AWS.Lambda.FunctionConfiguration, [String: String])?
        let answer = #"{"Configuration":\#(Self.configuration),"Code":{"RepositoryType":"S3","Location":"https://example.com/code"},"Tags":{"team":"images"}}"#
        let request = try await check("GetFunction", answer: answer) { read = try await $0.function("edge", qualifier: "3") }
        XCTAssertEqual(request.method, "GET")
        XCTAssertEqual(path(request), "/2015-03-31/functions/edge")
        XCTAssertEqual(request.url.query, "Qualifier=3")
        XCTAssertEqual(read?.0.handler, "index.handler")
        XCTAssertEqual(read?.1, ["team": "images"])

        let unqualified = try await check("GetFunction", answer: answer) { _ = try await $0.function(Self.arn) }
        XCTAssertNil(unqualified.url.query)
        XCTAssertEqual(path(unqualified), "/2015-03-31/functions/\(Self.encodedARN)")
    }

    func testMissingFunctionReadsAsNil() async throws {
        let transport = ScriptedTransport(status: 404, headers: ["x-amzn-ErrorType": "ResourceNotFoundException"],
                                          body: #"{"Type":"User","Message":"Function not found: \#(Self.arn)"}"#)
        let read = try await scriptedClient(transport).lambda.function("edge")
        XCTAssertNil(read)
        XCTAssertEqual(transport.requests.count, 1, "ResourceNotFoundException is an answer, not retried")
        XCTAssertEqual(Self.model.restJSONProblems(transport.requests[0], operation: "GetFunction"), [])
    }

    func testCodeConfigurationAndVersionUpdatesMatchTheModel() async throws {
        let code = try await check("UpdateFunctionCode", answer: Self.configuration) {
            _ = try await $0.updateFunctionCode("edge", zipFile: Data("zip2".utf8), architectures: ["arm64"], publish: true)
        }
        XCTAssertEqual(code.method, "PUT")
        XCTAssertEqual(path(code), "/2015-03-31/functions/edge/code")
        XCTAssertEqual(code.bodyJSON["ZipFile"] as? String, Data("zip2".utf8).base64EncodedString())
        XCTAssertEqual(code.bodyJSON["Architectures"] as? [String], ["arm64"])

        var change = AWS.Lambda.ConfigurationChange()
        change.memorySize = 256
        change.environment = .init(variables: [:])
        let configuration = try await check("UpdateFunctionConfiguration", answer: Self.configuration) {
            _ = try await $0.updateFunctionConfiguration("edge", change)
        }
        XCTAssertEqual(configuration.method, "PUT")
        XCTAssertEqual(path(configuration), "/2015-03-31/functions/edge/configuration")
        XCTAssertEqual(Set(configuration.bodyJSON.keys), ["MemorySize", "Environment"], "members left nil are not sent")
        XCTAssertEqual((configuration.bodyJSON["Environment"] as? [String: Any])?["Variables"] as? [String: String], [:],
                       "an empty map removes every variable")

        var version: AWS.Lambda.FunctionConfiguration?
        let published = Self.configuration.replacingOccurrences(of: #""Version":"$LATEST""#, with: #""Version":"4""#)
            .replacingOccurrences(of: #"function:edge""#, with: #"function:edge:4""#)
        let publish = try await check("PublishVersion", answer: published, status: 201) { version = try await $0.publishVersion("edge") }
        XCTAssertEqual(publish.method, "POST")
        XCTAssertEqual(path(publish), "/2015-03-31/functions/edge/versions")
        XCTAssertEqual(version?.version, "4")
        XCTAssertEqual(version?.arn, Self.arn + ":4")

        let delete = try await check("DeleteFunction", status: 204) { try await $0.deleteFunction("edge") }
        XCTAssertEqual(delete.method, "DELETE")
        XCTAssertEqual(path(delete), "/2015-03-31/functions/edge")
        XCTAssertTrue(delete.body.isEmpty)
    }

    func testTagCallsPutTheARNInThePathAndKeysInTheQuery() async throws {
        var tags: [String: String] = [:]
        let list = try await check("ListTags", answer: #"{"Tags":{"team":"images","stage":"prod"}}"#) { tags = try await $0.tags(Self.arn) }
        XCTAssertEqual(list.method, "GET")
        XCTAssertEqual(path(list), "/2017-03-31/tags/\(Self.encodedARN)")
        XCTAssertEqual(tags, ["team": "images", "stage": "prod"])

        let tag = try await check("TagResource", status: 204) { try await $0.tagResource(Self.arn, tags: ["team": "images"]) }
        XCTAssertEqual(tag.method, "POST")
        XCTAssertEqual(path(tag), "/2017-03-31/tags/\(Self.encodedARN)")
        XCTAssertEqual(tag.bodyJSON["Tags"] as? [String: String], ["team": "images"])

        let untag = try await check("UntagResource", status: 204) { try await $0.untagResource(Self.arn, keys: ["team", "stage"]) }
        XCTAssertEqual(untag.method, "DELETE")
        XCTAssertEqual(path(untag), "/2017-03-31/tags/\(Self.encodedARN)")
        XCTAssertEqual(untag.url.query, "tagKeys=stage&tagKeys=team", "a list in the query repeats its member's name")
    }

    func testPermissionCallsMatchTheModel() async throws {
        let statement = #"{"Sid":"cloudfront","Effect":"Allow","Principal":{"Service":"edgelambda.amazonaws.com"},"Action":"lambda:GetFunction","Resource":"\#(Self.arn)"}"#
        let add = try await check("AddPermission", answer: #"{"Statement":"\#(statement.replacingOccurrences(of: "\"", with: "\\\""))"}"#, status: 201) {
            try await $0.addPermission(function: "edge", statementID: "cloudfront", action: "lambda:GetFunction", principal: "edgelambda.amazonaws.com",
                                       sourceARN: "arn:aws:cloudfront::123456789012:distribution/E1", sourceAccount: "123456789012", qualifier: "4")
        }
        XCTAssertEqual(add.method, "POST")
        XCTAssertEqual(path(add), "/2015-03-31/functions/edge/policy")
        XCTAssertEqual(add.url.query, "Qualifier=4")
        XCTAssertEqual(add.bodyJSON["StatementId"] as? String, "cloudfront")
        XCTAssertEqual(add.bodyJSON["SourceArn"] as? String, "arn:aws:cloudfront::123456789012:distribution/E1")
        XCTAssertEqual(add.bodyJSON["SourceAccount"] as? String, "123456789012")

        let unconditional = try await check("AddPermission", status: 201) {
            try await $0.addPermission(function: "edge", statementID: "any", action: "lambda:InvokeFunction", principal: "sns.amazonaws.com",
                                       sourceARN: nil, sourceAccount: nil, qualifier: nil)
        }
        XCTAssertEqual(Set(unconditional.bodyJSON.keys), ["StatementId", "Action", "Principal"])
        XCTAssertNil(unconditional.url.query)

        var policy: String?
        let policyDocument = #"{"Version":"2012-10-17","Id":"default","Statement":[\#(statement)]}"#
        let get = try await check("GetPolicy", answer: #"{"Policy":"\#(policyDocument.replacingOccurrences(of: "\"", with: "\\\""))","RevisionId":"r1"}"#) {
            policy = try await $0.policy(function: "edge", qualifier: nil)
        }
        XCTAssertEqual(get.method, "GET")
        XCTAssertEqual(path(get), "/2015-03-31/functions/edge/policy")
        XCTAssertEqual(policy, policyDocument)

        let remove = try await check("RemovePermission", status: 204) {
            try await $0.removePermission(function: "edge", statementID: "cloudfront", qualifier: "4")
        }
        XCTAssertEqual(remove.method, "DELETE")
        XCTAssertEqual(path(remove), "/2015-03-31/functions/edge/policy/cloudfront")
        XCTAssertEqual(remove.url.query, "Qualifier=4")
    }

    func testListFunctionsFollowsMarkerPages() async throws {
        let first = #"{"Functions":[{"FunctionName":"a","FunctionArn":"arn:aws:lambda:eu-west-1:123456789012:function:a","Runtime":"nodejs20.x","Role":"arn:aws:iam::123456789012:role/a"}],"NextMarker":"m/2+"}"#
        let second = #"{"Functions":[{"FunctionName":"b","FunctionArn":"arn:aws:lambda:eu-west-1:123456789012:function:b"}]}"#
        XCTAssertEqual(Self.model.jsonAnswerProblems(first, operation: "ListFunctions"), [])
        XCTAssertEqual(Self.model.jsonAnswerProblems(second, operation: "ListFunctions"), [])
        let transport = ScriptedTransport([HTTPResponse.xml(200, first), HTTPResponse.xml(200, second)])
        let functions = try await scriptedClient(transport).lambda.listFunctions()
        XCTAssertEqual(functions.map(\.name), ["a", "b"])
        XCTAssertEqual(functions.first?.runtime, "nodejs20.x")
        XCTAssertEqual(transport.requests.count, 2)
        XCTAssertNil(transport.requests[0].url.query)
        let marker = URLComponents(url: transport.requests[1].url, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "Marker" }
        XCTAssertEqual(marker?.value, "m/2+", "the marker goes back as given")
        for request in transport.requests {
            XCTAssertEqual(request.method, "GET")
            XCTAssertEqual(path(request), "/2015-03-31/functions")
            XCTAssertEqual(Self.model.restJSONProblems(request, operation: "ListFunctions"), [])
        }
    }

    func testTheModelCheckCatchesWrongLocationsAndValues() throws {
        // The checks above are only worth something if they can fail.
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:5000/2015-03-31/functions/edge/policy?qualifier=4&Qualifier="))
        let body = Data(#"{"FunctionName":"edge","StatementId":"s","Action":"lambda:GetFunction"}"#.utf8)
        let problems = Self.model.restJSONProblems(HTTPRequest(method: "PUT", url: url, headers: HTTPHeaders(), body: body), operation: "AddPermission")
        XCTAssertEqual(problems, [
            "AddPermission: method PUT, the model says POST",
            "AddPermission: query parameter qualifier is not a querystring member",
            "AddPermission.Qualifier: shorter than 1",
            "AddPermission: FunctionName is not a body member of AddPermissionRequest",
            "AddPermission: required member Principal missing",
        ])
        let wrongPath = try XCTUnwrap(URL(string: "http://127.0.0.1:5000/2015-03-31/function/edge/extra"))
        XCTAssertEqual(Self.model.restJSONProblems(HTTPRequest(method: "GET", url: wrongPath, headers: HTTPHeaders(), body: Data()), operation: "GetFunction"), [
            "GetFunction: path /2015-03-31/function/edge/extra does not follow /2015-03-31/functions/{FunctionName}",
            "GetFunction: path /2015-03-31/function/edge/extra is longer than /2015-03-31/functions/{FunctionName}",
        ])
    }
}
