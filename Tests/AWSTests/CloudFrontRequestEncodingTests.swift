import Foundation
@testable import AWS
import XCTest

/// The CloudFront calls checked against botocore's `cloudfront` model: method and URI of each
/// operation, the `If-Match` header, and every body element, recursively: a member of its
/// shape, in the model's member order (CloudFront validates bodies against a sequence
/// schema), with every required member present, and list items named as the model names them.
final class CloudFrontRequestEncodingTests: XCTestCase {
    // Read once, never written after.
    nonisolated(unsafe) private static let model: [String: Any] = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let root = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let directory = root + "/data/cloudfront/2020-05-31/"
        if let data = FileManager.default.contents(atPath: directory + "service-2.json") {
            return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        }
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gunzip.arguments = ["gzip", "-dc", directory + "service-2.json.gz"]
        let out = Pipe()
        gunzip.standardOutput = out
        try? gunzip.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }()

    private var operations: [String: [String: Any]] { Self.model["operations"] as? [String: [String: Any]] ?? [:] }
    private var shapes: [String: [String: Any]] { Self.model["shapes"] as? [String: [String: Any]] ?? [:] }

    private static let distributionAnswer = """
        <Distribution><Id>E1</Id><ARN>arn:aws:cloudfront::123456789012:distribution/E1</ARN><Status>Deployed</Status>
        <DomainName>d1.cloudfront.net</DomainName><DistributionConfig><CallerReference>r</CallerReference><Enabled>true</Enabled>
        </DistributionConfig></Distribution>
        """
    private static let controlAnswer = "<OriginAccessControl><Id>O1</Id><OriginAccessControlConfig><Name>n</Name></OriginAccessControlConfig></OriginAccessControl>"
    private static let policyAnswer = "<ResponseHeadersPolicy><Id>P1</Id><ResponseHeadersPolicyConfig><Name>n</Name></ResponseHeadersPolicyConfig></ResponseHeadersPolicy>"

    private static let config = CloudFront.DistributionConfig(
        callerReference: "ref", comment: "c", enabled: true,
        origins: [CloudFront.Origin(id: "o", domainName: "b.s3.us-east-1.amazonaws.com", originPath: "/p", originAccessControlID: "OAC"),
                  CloudFront.Origin(id: "api", domainName: "a1.execute-api.eu-west-2.amazonaws.com", originPath: "/prod",
                                    custom: CloudFront.CustomOriginConfig(protocolPolicy: "https-only"))],
        defaultCacheBehavior: CloudFront.CacheBehavior(
            targetOriginID: "o", viewerProtocolPolicy: "redirect-to-https",
            lambdaFunctionAssociations: [CloudFront.LambdaFunctionAssociation(arn: "arn:aws:lambda:us-east-1:1:function:f:1", eventType: "viewer-request")],
            cachePolicyID: "cp", originRequestPolicyID: "orp", responseHeadersPolicyID: "rhp"),
        cacheBehaviors: [CloudFront.CacheBehavior(pathPattern: "/api/*", targetOriginID: "o", viewerProtocolPolicy: "https-only", cachePolicyID: "cp")],
        customErrorResponses: [CloudFront.CustomErrorResponse(errorCode: 403, responsePagePath: "/index.html", responseCode: "200", errorCachingMinTTL: 10)],
        defaultRootObject: "index.html", logging: CloudFront.Logging(bucket: "logs.s3.amazonaws.com", prefix: "cf/"),
        webACLID: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/upload/a1")

    /// Sends one call and checks it against the model; returns the request.
    @discardableResult
    private func check(_ operation: String, answer: String, etag: String = "E-TAG", _ call: (CloudFront) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
        let transport = ScriptedTransport(headers: ["ETag": etag], body: answer)
        try await call(scriptedClient(transport).cloudFront)
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let spec = try XCTUnwrap(operations[operation], "no \(operation) in the model", file: file, line: line)
        let http = spec["http"] as? [String: Any] ?? [:]
        XCTAssertEqual(request.method, http["method"] as? String, operation, file: file, line: line)
        let uri = http["requestUri"] as? String ?? ""
        let pathTemplate = String(uri.split(separator: "?").first ?? "")
        let pattern = "^" + pathTemplate.replacingOccurrences(of: "{Id}", with: "[^/]+") + "$"
        XCTAssertNotNil(request.url.path.range(of: pattern, options: .regularExpression), "\(operation): \(request.url.path) vs \(uri)", file: file, line: line)
        if let fixedQuery = uri.split(separator: "?").dropFirst().first {
            XCTAssertTrue(request.url.query?.contains(String(fixedQuery)) ?? false, "\(operation): \(request.url) lacks ?\(fixedQuery)", file: file, line: line)
        }
        let input = shapes[(spec["input"] as? [String: Any])?["shape"] as? String ?? ""] ?? [:]
        let members = input["members"] as? [String: [String: Any]] ?? [:]
        for (name, member) in members where member["location"] as? String == "header" {
            let header = member["locationName"] as? String ?? name
            if (input["required"] as? [String] ?? []).contains(name) || header == "If-Match" {
                XCTAssertNotNil(request.headers[header], "\(operation) lacks \(header)", file: file, line: line)
            }
        }
        if let payload = input["payload"] as? String, let member = members[payload] {
            let root = try XMLNode.parse(request.body)
            XCTAssertEqual(root.name, member["locationName"] as? String ?? payload, operation, file: file, line: line)
            // The parser drops namespace declarations, so the raw text is checked.
            XCTAssertTrue(String(decoding: request.body, as: UTF8.self).contains("xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\""),
                          "\(operation) body lacks CloudFront's namespace", file: file, line: line)
            checkElement(root, shape: member["shape"] as? String ?? "", path: operation, file: file, line: line)
        }
        return request
    }

    private func checkElement(_ node: XMLNode, shape name: String, path: String, file: StaticString, line: UInt) {
        guard let shape = shapes[name] else { return XCTFail("\(path): no shape \(name)", file: file, line: line) }
        switch shape["type"] as? String {
        case "structure":
            let members = shape["members"] as? [String: [String: Any]] ?? [:]
            let order = memberOrder(name)
            var last = -1
            for child in node.children {
                guard let member = members[child.name] else {
                    XCTFail("\(path)/\(child.name) is not a member of \(name)", file: file, line: line)
                    continue
                }
                let index = order.firstIndex(of: child.name) ?? -1
                XCTAssertGreaterThan(index, last, "\(path)/\(child.name) is out of the model's order", file: file, line: line)
                last = index
                checkElement(child, shape: member["shape"] as? String ?? "", path: "\(path)/\(child.name)", file: file, line: line)
            }
            for required in shape["required"] as? [String] ?? [] {
                XCTAssertNotNil(node[required], "\(path) lacks required \(required)", file: file, line: line)
            }
        case "list":
            let member = shape["member"] as? [String: Any] ?? [:]
            for child in node.children {
                XCTAssertEqual(child.name, member["locationName"] as? String ?? "member", "\(path) item", file: file, line: line)
                checkElement(child, shape: member["shape"] as? String ?? "", path: "\(path)/\(child.name)", file: file, line: line)
            }
        case "boolean":
            XCTAssertTrue(["true", "false"].contains(node.text), "\(path): \(node.text)", file: file, line: line)
        case "integer", "long":
            XCTAssertNotNil(Int(node.text), "\(path): \(node.text)", file: file, line: line)
        case "string":
            if let values = shape["enum"] as? [String] {
                XCTAssertTrue(values.contains(node.text), "\(path): \(node.text) not in \(values)", file: file, line: line)
            }
        default:
            break
        }
    }

    /// The members of `shape` in the order the model file lists them.
    private func memberOrder(_ shape: String) -> [String] { Self.orders[shape] ?? [] }

    // JSONSerialization loses member order; botocore's loader keeps it. Read once.
    private static let orders: [String: [String]] = {
        let script = """
            import botocore.session, json
            m = botocore.session.get_session().get_service_model('cloudfront')
            print(json.dumps({n: list(m.shape_for(n).members.keys()) for n in m.shape_names if m.shape_for(n).type_name == 'structure'}))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: [String]] ?? [:]
    }()

    func testCreateDistributionWithTagsBodyFollowsTheModel() async throws {
        try await check("CreateDistributionWithTags", answer: Self.distributionAnswer) {
            let created = try await $0.createDistribution(Self.config, tags: [CloudFront.Tag(key: "k", value: "v")])
            XCTAssertEqual(created.etag, "E-TAG")
            XCTAssertEqual(created.config.callerReference, "r")
        }
    }

    func testUpdateDistributionSendsTheWholeConfigWithIfMatch() async throws {
        let request = try await check("UpdateDistribution", answer: Self.distributionAnswer) {
            _ = try await $0.updateDistribution("E1", config: Self.config, ifMatch: "OLD")
        }
        XCTAssertEqual(request.headers["If-Match"], "OLD")
        XCTAssertEqual(request.url.path, "/2020-05-31/distribution/E1/config")
    }

    func testDistributionReadsAndDelete() async throws {
        try await check("GetDistribution", answer: Self.distributionAnswer) { _ = try await $0.getDistribution("E1") }
        try await check("GetDistributionConfig", answer: "<DistributionConfig><CallerReference>r</CallerReference></DistributionConfig>") {
            let (config, etag) = try await $0.getDistributionConfig("E1")
            XCTAssertEqual(config.callerReference, "r")
            XCTAssertEqual(etag, "E-TAG")
        }
        let delete = try await check("DeleteDistribution", answer: "") { try await $0.deleteDistribution("E1", ifMatch: "NEW") }
        XCTAssertEqual(delete.headers["If-Match"], "NEW")
    }

    func testTaggingCallsFollowTheModel() async throws {
        try await check("TagResource", answer: "") { try await $0.tagResource("arn:aws:cloudfront::1:distribution/E1", tags: [CloudFront.Tag(key: "k", value: "v")]) }
        try await check("UntagResource", answer: "") { try await $0.untagResource("arn:aws:cloudfront::1:distribution/E1", keys: ["k"]) }
        let list = try await check("ListTagsForResource", answer: "<Tags><Items><Tag><Key>k</Key><Value>v</Value></Tag></Items></Tags>") {
            let tags = try await $0.listTags("arn:aws:cloudfront::1:distribution/E1")
            XCTAssertEqual(tags, [CloudFront.Tag(key: "k", value: "v")])
        }
        XCTAssertTrue(list.url.query?.contains("Resource=arn%3Aaws%3Acloudfront") ?? false, "\(list.url)")
    }

    func testOriginAccessControlCallsFollowTheModel() async throws {
        let config = CloudFront.OriginAccessControlConfig(name: "n", description: "d")
        try await check("CreateOriginAccessControl", answer: Self.controlAnswer) { _ = try await $0.originAccessControls.create(config) }
        try await check("GetOriginAccessControl", answer: Self.controlAnswer) { _ = try await $0.originAccessControls.get("O1") }
        let update = try await check("UpdateOriginAccessControl", answer: Self.controlAnswer) {
            _ = try await $0.originAccessControls.update("O1", config: config, ifMatch: "V1")
        }
        XCTAssertEqual(update.headers["If-Match"], "V1")
        try await check("DeleteOriginAccessControl", answer: "") { try await $0.originAccessControls.delete("O1", ifMatch: "V2") }
        try await check("ListOriginAccessControls", answer: "<OriginAccessControlList><Items></Items></OriginAccessControlList>") {
            _ = try await $0.originAccessControls.list()
        }
    }

    func testResponseHeadersPolicyCallsFollowTheModel() async throws {
        let config = CloudFront.ResponseHeadersPolicyConfig(name: "cors", comment: "c", cors: CloudFront.CORSConfig(
            allowOrigins: ["*"], allowHeaders: ["*"], allowMethods: ["GET", "HEAD", "OPTIONS"], exposeHeaders: ["ETag"], maxAgeSeconds: 600))
        try await check("CreateResponseHeadersPolicy", answer: Self.policyAnswer) { _ = try await $0.responseHeadersPolicies.create(config) }
        try await check("GetResponseHeadersPolicy", answer: Self.policyAnswer) { _ = try await $0.responseHeadersPolicies.get("P1") }
        let update = try await check("UpdateResponseHeadersPolicy", answer: Self.policyAnswer) {
            _ = try await $0.responseHeadersPolicies.update("P1", config: config, ifMatch: "V1")
        }
        XCTAssertEqual(update.headers["If-Match"], "V1")
        try await check("DeleteResponseHeadersPolicy", answer: "") { try await $0.responseHeadersPolicies.delete("P1", ifMatch: "V2") }
        let list = try await check("ListResponseHeadersPolicies", answer: "<ResponseHeadersPolicyList><Items></Items></ResponseHeadersPolicyList>") {
            _ = try await $0.responseHeadersPolicies.list()
        }
        XCTAssertTrue(list.url.query?.contains("Type=custom") ?? false, "\(list.url)")
    }

    func testSecurityHeadersFollowTheModelAndReadBack() async throws {
        let headers = CloudFront.SecurityHeadersConfig(
            contentSecurityPolicy: .init("default-src 'none'"), contentTypeOptions: .init(true), frameOptions: .init("DENY", override: false),
            referrerPolicy: .init("same-origin"))
        let config = CloudFront.ResponseHeadersPolicyConfig(name: "headers", comment: "c", cors: CloudFront.CORSConfig(
            allowOrigins: ["*"], allowHeaders: ["*"], allowMethods: ["GET"]), securityHeaders: headers)
        try await check("CreateResponseHeadersPolicy", answer: Self.policyAnswer) { _ = try await $0.responseHeadersPolicies.create(config) }
        try await check("UpdateResponseHeadersPolicy", answer: Self.policyAnswer) {
            _ = try await $0.responseHeadersPolicies.update("P1", config: config, ifMatch: "V1")
        }
        XCTAssertEqual(CloudFront.ResponseHeadersPolicyConfig(xml: config.xml()), config)
        let nosniffOnly = CloudFront.ResponseHeadersPolicyConfig(name: "n", securityHeaders: .init(contentTypeOptions: .init(true)))
        try await check("CreateResponseHeadersPolicy", answer: Self.policyAnswer) { _ = try await $0.responseHeadersPolicies.create(nosniffOnly) }
        XCTAssertEqual(CloudFront.ResponseHeadersPolicyConfig(xml: nosniffOnly.xml()), nosniffOnly)
    }
}
