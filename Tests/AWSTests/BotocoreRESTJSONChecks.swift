import Foundation
@testable import AWS
import XCTest

// Checks of REST-JSON requests (Lambda) against a botocore model, and one helper that sends a
// query-protocol call (SNS, CloudWatch, STS) and checks its form and answer.
extension BotocoreModel {
    /// Problems with a REST-JSON request: the method and path are the operation's (`http`
    /// `method` and `requestUri`, labels filled), each query parameter is a `querystring`
    /// member, each body member a member without a location, every required member is sent in
    /// its location, and values keep their shapes' limits.
    func restJSONProblems(_ request: HTTPRequest, operation: String) -> [String] {
        guard let spec = operations[operation], let http = spec["http"] as? [String: Any] else { return ["\(operation) is not in the model"] }
        let input = inputShape(operation) ?? ""
        var problems: [String] = []
        if request.method != http["method"] as? String {
            problems.append("\(operation): method \(request.method), the model says \(http["method"] as? String ?? "?")")
        }
        let members = (shapes[input]?["members"] as? [String: [String: Any]]) ?? [:]
        func member(at location: String?, named wire: String) -> (name: String, spec: [String: Any])? {
            members.first { ($0.value["location"] as? String) == location && ($0.value["locationName"] as? String ?? $0.key) == wire }
                .map { ($0.key, $0.value) }
        }
        var sent: Set<String> = []

        // Path: the template's literal segments, and each label one encoded segment (`+`: the rest).
        let template = (http["requestUri"] as? String ?? "").split(separator: "?", maxSplits: 1).map(String.init)
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        let pathSegments = (components?.percentEncodedPath ?? "").split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let templateSegments = (template.first ?? "").split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var remaining = pathSegments[...]
        for segment in templateSegments {
            guard segment.hasPrefix("{") else {
                if remaining.first != segment { problems.append("\(operation): path \(components?.percentEncodedPath ?? "") does not follow \(template[0])") }
                remaining = remaining.dropFirst()
                continue
            }
            let label = segment.dropFirst().dropLast()
            let greedy = label.hasSuffix("+")
            let wire = String(greedy ? label.dropLast() : label)
            let raw = greedy ? remaining.joined(separator: "/") : String(remaining.first ?? "")
            remaining = greedy ? [] : remaining.dropFirst()
            guard let (name, spec) = member(at: "uri", named: wire) else { problems.append("\(operation): no uri member \(wire)"); continue }
            guard let value = raw.removingPercentEncoding, !value.isEmpty else { problems.append("\(operation): label \(wire) is empty"); continue }
            sent.insert(name)
            problems += valueProblems(value, shape: spec["shape"] as? String ?? "", at: "\(operation).\(name)", checkRequired: true)
        }
        if !remaining.isEmpty { problems.append("\(operation): path \(components?.percentEncodedPath ?? "") is longer than \(template[0])") }

        // Query: every parameter a querystring member (or the template's own literal query).
        let literal = Set((template.dropFirst().first ?? "").split(separator: "&").map { String($0.split(separator: "=").first ?? "") })
        for item in components?.queryItems ?? [] where !literal.contains(item.name) {
            guard let (name, spec) = member(at: "querystring", named: item.name) else {
                problems.append("\(operation): query parameter \(item.name) is not a querystring member"); continue
            }
            sent.insert(name)
            let shape = spec["shape"] as? String ?? ""
            let isList = shapes[shape]?["type"] as? String == "list"
            let itemShape = isList ? ((shapes[shape]?["member"] as? [String: Any])?["shape"] as? String ?? "") : shape
            // A query string carries numbers as text.
            let isNumber = ["integer", "long"].contains(shapes[itemShape]?["type"] as? String ?? "")
            let value: Any = isNumber ? (Int(item.value ?? "") as Any? ?? item.value ?? "") : item.value ?? ""
            problems += valueProblems(value, shape: itemShape, at: "\(operation).\(name)", checkRequired: true)
        }

        // Body: the members without a location, by their wire name (`locationName` where the
        // model gives one: API Gateway's `integrationHttpMethod` travels as `httpMethod`).
        if !request.body.isEmpty {
            guard let body = try? JSONSerialization.jsonObject(with: request.body) as? [String: Any] else {
                return problems + ["\(operation): body is not a JSON object"]
            }
            for (key, value) in body.sorted(by: { $0.key < $1.key }) {
                guard let (name, spec) = member(at: nil, named: key) else {
                    problems.append("\(operation): \(key) is not a body member of \(input)"); continue
                }
                sent.insert(name)
                problems += valueProblems(value, shape: spec["shape"] as? String ?? "", at: "\(operation).\(name)", checkRequired: true)
            }
        }
        for required in shapes[input]?["required"] as? [String] ?? [] where !sent.contains(required) {
            problems.append("\(operation): required member \(required) missing")
        }
        return problems
    }
}

/// Sends one query-protocol call through a scripted transport answering `result` inside
/// `<OperationResponse><OperationResult>`, and checks the form against `model` and the answer
/// against the operation's output shape.
/// - Returns: the request, for checks of particular members.
@discardableResult
func checkQueryCall(_ model: BotocoreModel, _ operation: String, result: String? = nil, region: String = "eu-west-1",
                    _ call: (AWSClient) async throws -> Void, file: StaticString = #filePath, line: UInt = #line) async throws -> HTTPRequest {
    let namespace = model.metadata["xmlNamespace"] as? String ?? ""
    let body = result.map { "<\(operation)Result>\($0)</\(operation)Result>" } ?? ""
    let answer = "<\(operation)Response xmlns=\"\(namespace)\">\(body)<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></\(operation)Response>"
    let transport = ScriptedTransport(body: answer)
    try await call(scriptedClient(transport, region: region))
    let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
    XCTAssertEqual(transport.requests.count, 1, "\(operation): one call, one request", file: file, line: line)
    XCTAssertEqual(request.method, "POST", file: file, line: line)
    XCTAssertEqual(request.url.path, "/", file: file, line: line)
    XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8", file: file, line: line)
    XCTAssertEqual(model.queryProblems(request.formParameters, operation: operation), [], file: file, line: line)
    if result != nil {
        XCTAssertEqual(model.queryAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
    }
    return request
}
