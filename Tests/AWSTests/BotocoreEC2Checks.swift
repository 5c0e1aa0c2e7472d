import Foundation
@testable import AWS
import XCTest

/// The EC2 protocol's checks against botocore's `ec2` model: each form parameter is a path
/// through the input shape by the names botocore's `EC2Serializer` sends (a member's
/// `queryName`, else its `locationName` with the first letter upper-cased, else its name), list
/// items are `Name.N` with no `.member`, required members are there, and scalars keep their
/// limits; answers are read by `locationName` under the `<OperationResponse>` root.
extension BotocoreModel {
    /// Problems with an EC2-protocol form.
    func ec2Problems(_ form: [String: String], operation: String) -> [String] {
        guard let input = inputShape(operation), let shape = shapes[input] else { return ["\(operation) is not in the model"] }
        var problems: [String] = []
        if form["Action"] != operation { problems.append("Action is \(form["Action"] ?? "nil")") }
        if form["Version"] != metadata["apiVersion"] as? String { problems.append("Version is \(form["Version"] ?? "nil")") }
        let parameters = form.filter { $0.key != "Action" && $0.key != "Version" }
        let topLevel = Set(parameters.keys.map { String($0.split(separator: ".").first ?? "") })
        let members = shape["members"] as? [String: [String: Any]] ?? [:]
        for required in shape["required"] as? [String] ?? [] where !topLevel.contains(Self.ec2Name(required, members[required] ?? [:])) {
            problems.append("\(operation): required member \(required) missing")
        }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            problems += ec2Path(name.split(separator: ".").map(String.init)[...], value: value, shape: input, at: "\(operation).\(name)")
        }
        return problems
    }

    /// The name botocore's `EC2Serializer` sends a member under.
    static func ec2Name(_ member: String, _ definition: [String: Any]) -> String {
        if let query = definition["queryName"] as? String { return query }
        if let location = definition["locationName"] as? String, let first = location.first { return first.uppercased() + location.dropFirst() }
        return member
    }

    private func ec2Path(_ steps: ArraySlice<String>, value: String, shape name: String, at place: String) -> [String] {
        guard let shape = shapes[name] else { return ["\(place): no shape \(name)"] }
        switch shape["type"] as? String {
        case "structure":
            guard let step = steps.first else { return ["\(place): structure \(name) given a value"] }
            let all = shape["members"] as? [String: [String: Any]] ?? [:]
            guard let (_, member) = all.first(where: { Self.ec2Name($0.key, $0.value) == step }) else {
                return ["\(place): \(step) is not a member of \(name) (\(all.map { Self.ec2Name($0.key, $0.value) }.sorted()))"]
            }
            return ec2Path(steps.dropFirst(), value: value, shape: member["shape"] as? String ?? "", at: place)
        case "list":
            guard let index = steps.first.flatMap({ Int($0) }), index >= 1 else { return ["\(place): list items must be Name.N (N from 1)"] }
            let item = shape["member"] as? [String: Any] ?? [:]
            return ec2Path(steps.dropFirst(), value: value, shape: item["shape"] as? String ?? "", at: place)
        default:
            guard steps.isEmpty else { return ["\(place): scalar \(name) has sub-members"] }
            return scalarProblems(value, shape: shape, name: name, at: place)
        }
    }

    /// Problems with an EC2 answer: the root's children, all the way down, are members of the
    /// output shape by `locationName` (list items are `<item>`).
    func ec2AnswerProblems(_ xml: String, operation: String) -> [String] {
        guard let root = try? XMLNode.parse(Data(xml.utf8)) else { return ["not XML"] }
        guard let output = (outputShape(operation)?["shape"] as? String) else {
            return root.children.filter { $0.name != "requestId" && $0.name != "return" }.map { "\(operation) has no output, yet <\($0.name)>" }
        }
        return root.children.flatMap { ec2Element($0, in: output, at: operation) }
    }

    private func ec2Element(_ node: XMLNode, in structure: String, at place: String) -> [String] {
        let all = shapes[structure]?["members"] as? [String: [String: Any]] ?? [:]
        if node.name == "requestId" { return [] }
        guard let (key, member) = all.first(where: { ($0.value["locationName"] as? String ?? $0.key) == node.name }) else {
            return ["\(place): <\(node.name)> is not a member of \(structure)"]
        }
        let shapeName = member["shape"] as? String ?? ""
        let shape = shapes[shapeName] ?? [:]
        switch shape["type"] as? String {
        case "structure":
            return node.children.flatMap { ec2Element($0, in: shapeName, at: "\(place)/\(key)") }
        case "list":
            let itemShape = (shape["member"] as? [String: Any])?["shape"] as? String ?? ""
            return node.children.flatMap { item -> [String] in
                guard item.name == "item" else { return ["\(place)/\(key): list item <\(item.name)> is not <item>"] }
                guard (shapes[itemShape]?["type"] as? String) == "structure" else { return [] }
                return item.children.flatMap { ec2Element($0, in: itemShape, at: "\(place)/\(key)[]") }
            }
        default:
            return []
        }
    }
}

/// Sends one EC2-protocol call through a scripted transport answering `answer` inside
/// `<OperationResponse>`, and checks the form and the answer against `model`.
/// - Returns: the request's form parameters, for checks of particular members.
@discardableResult
func checkEC2Call(_ model: BotocoreModel, _ operation: String, answer: String = "", _ call: (AWSClient) async throws -> Void,
                  file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
    let namespace = model.metadata["xmlNamespace"] as? String ?? ""
    let document = "<\(operation)Response xmlns=\"\(namespace)/\"><requestId>r-1</requestId>\(answer)</\(operation)Response>"
    let transport = ScriptedTransport(body: document)
    try await call(scriptedClient(transport))
    let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
    XCTAssertEqual(transport.requests.count, 1, "\(operation): one call, one request", file: file, line: line)
    XCTAssertEqual(request.method, "POST", file: file, line: line)
    XCTAssertEqual(request.headers["Content-Type"], "application/x-www-form-urlencoded; charset=utf-8", file: file, line: line)
    XCTAssertEqual(model.ec2Problems(request.formParameters, operation: operation), [], file: file, line: line)
    XCTAssertEqual(model.ec2AnswerProblems(document, operation: operation), [], "sample answer", file: file, line: line)
    return request.formParameters
}
