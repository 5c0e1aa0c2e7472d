import Foundation
@testable import AWS
import XCTest

/// A botocore service model (`botocore/data/<service>/<version>/service-2.json.gz`) and the
/// checks the KMS and IAM encoding tests run against it: member names, required members,
/// enum values, length and range limits, for query-protocol forms, JSON bodies and answers.
// Immutable once loaded, so sharing it between tests is safe.
struct BotocoreModel: @unchecked Sendable {
    let operations: [String: [String: Any]]
    let shapes: [String: [String: Any]]
    let metadata: [String: Any]

    /// Loads a model from the installed botocore; empty (and failing every check) when absent.
    static func load(_ service: String, _ version: String) -> BotocoreModel {
        let root = run(["python3", "-c", "import botocore,os;print(os.path.dirname(botocore.__file__))"])
        let text = String(decoding: root, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let data = run(["gzip", "-dc", "\(text)/data/\(service)/\(version)/service-2.json.gz"])
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return BotocoreModel(operations: object["operations"] as? [String: [String: Any]] ?? [:],
                             shapes: object["shapes"] as? [String: [String: Any]] ?? [:],
                             metadata: object["metadata"] as? [String: Any] ?? [:])
    }

    static func run(_ arguments: [String]) -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    func inputShape(_ operation: String) -> String? {
        (operations[operation]?["input"] as? [String: Any])?["shape"] as? String
    }

    func outputShape(_ operation: String) -> [String: Any]? {
        operations[operation]?["output"] as? [String: Any]
    }

    private func members(_ shape: [String: Any]) -> [String: [String: Any]] {
        shape["members"] as? [String: [String: Any]] ?? [:]
    }

    // MARK: - Query protocol

    /// Problems with a query-protocol form: every parameter is a path through the input shape
    /// (`Tags.member.1.Key`), every required member is there, and scalars keep their limits.
    func queryProblems(_ form: [String: String], operation: String) -> [String] {
        guard let input = inputShape(operation), let shape = shapes[input] else { return ["\(operation) is not in the model"] }
        var problems: [String] = []
        if form["Action"] != operation { problems.append("Action is \(form["Action"] ?? "nil")") }
        if form["Version"] != metadata["apiVersion"] as? String { problems.append("Version is \(form["Version"] ?? "nil")") }
        let parameters = form.filter { $0.key != "Action" && $0.key != "Version" }
        let topLevel = Set(parameters.keys.map { String($0.split(separator: ".").first ?? "") })
        for required in shape["required"] as? [String] ?? [] where !topLevel.contains(required) {
            problems.append("\(operation): required member \(required) missing")
        }
        for (name, value) in parameters.sorted(by: { $0.key < $1.key }) {
            problems += queryPath(name.split(separator: ".").map(String.init)[...], value: value, shape: input, at: "\(operation).\(name)")
        }
        return problems
    }

    private func queryPath(_ steps: ArraySlice<String>, value: String, shape name: String, at place: String) -> [String] {
        guard let shape = shapes[name] else { return ["\(place): no shape \(name)"] }
        switch shape["type"] as? String {
        case "structure":
            guard let step = steps.first else { return ["\(place): structure \(name) given as a scalar"] }
            let all = members(shape)
            guard let (_, member) = all.first(where: { ($0.value["locationName"] as? String ?? $0.key) == step }) else {
                return ["\(place): \(step) is not a member of \(name) (\(all.keys.sorted()))"]
            }
            return queryPath(steps.dropFirst(), value: value, shape: member["shape"] as? String ?? "", at: place)
        case "list":
            // An empty list is sent as `Name=`, as botocore's query serializer does.
            if steps.isEmpty { return value.isEmpty ? [] : ["\(place): list \(name) given a scalar"] }
            let item = shape["member"] as? [String: Any] ?? [:]
            var rest = steps
            if shape["flattened"] as? Bool != true {
                guard rest.first == (item["locationName"] as? String ?? "member") else { return ["\(place): list items must be under .member."] }
                rest = rest.dropFirst()
            }
            guard let index = rest.first.flatMap({ Int($0) }), index >= 1 else { return ["\(place): list index missing or not 1-based"] }
            var problems: [String] = []
            if let maximum = shape["max"] as? Int, index > maximum { problems.append("\(place): more than \(maximum) items") }
            return problems + queryPath(rest.dropFirst(), value: value, shape: item["shape"] as? String ?? "", at: place)
        case "map":
            // `Attributes.entry.1.key` / `Attributes.entry.1.value` (`Attributes.1.key` when flattened).
            let key = shape["key"] as? [String: Any] ?? [:], item = shape["value"] as? [String: Any] ?? [:]
            var rest = steps
            if shape["flattened"] as? Bool != true {
                guard rest.first == "entry" else { return ["\(place): map entries must be under .entry."] }
                rest = rest.dropFirst()
            }
            guard let index = rest.first.flatMap({ Int($0) }), index >= 1 else { return ["\(place): map index missing or not 1-based"] }
            switch rest.dropFirst().first {
            case key["locationName"] as? String ?? "key":
                return queryPath(rest.dropFirst(2), value: value, shape: key["shape"] as? String ?? "", at: place)
            case item["locationName"] as? String ?? "value":
                return queryPath(rest.dropFirst(2), value: value, shape: item["shape"] as? String ?? "", at: place)
            default:
                return ["\(place): map entry members are \(key["locationName"] as? String ?? "key") and \(item["locationName"] as? String ?? "value")"]
            }
        default:
            guard steps.isEmpty else { return ["\(place): scalar \(name) has sub-members"] }
            return scalarProblems(value, shape: shape, name: name, at: place)
        }
    }

    func scalarProblems(_ value: String, shape: [String: Any], name: String, at place: String) -> [String] {
        var problems: [String] = []
        switch shape["type"] as? String {
        case "string":
            if let cases = shape["enum"] as? [String], !cases.contains(value) { problems.append("\(place): \(value) is not one of \(cases)") }
            let length = value.unicodeScalars.count
            if let minimum = shape["min"] as? Int, length < minimum { problems.append("\(place): shorter than \(minimum)") }
            if let maximum = shape["max"] as? Int, length > maximum { problems.append("\(place): longer than \(maximum)") }
        case "integer", "long":
            guard let number = Int(value) else { return ["\(place): \(value) is not an integer"] }
            if let minimum = shape["min"] as? Int, number < minimum { problems.append("\(place): below \(minimum)") }
            if let maximum = shape["max"] as? Int, number > maximum { problems.append("\(place): above \(maximum)") }
        case "boolean":
            if value != "true" && value != "false" { problems.append("\(place): \(value) is not true/false") }
        default:
            break
        }
        return problems
    }

    /// Problems with a query-protocol answer: the `<Operation>Result` element's children, all
    /// the way down, are members of the output shape (lists hold `member` elements).
    func queryAnswerProblems(_ xml: String, operation: String) -> [String] {
        guard let output = outputShape(operation), let shape = output["shape"] as? String else { return ["\(operation) has no output"] }
        guard let root = try? XMLNode.parse(Data(xml.utf8)) else { return ["answer is not XML"] }
        let wrapper = output["resultWrapper"] as? String ?? "\(operation)Result"
        guard let result = root[wrapper] else { return ["answer has no <\(wrapper)>"] }
        return elementProblems(result, shape: shape, at: operation)
    }

    private func elementProblems(_ node: XMLNode, shape name: String, at place: String) -> [String] {
        guard let shape = shapes[name] else { return ["\(place): no shape \(name)"] }
        switch shape["type"] as? String {
        case "structure":
            let all = members(shape)
            return node.children.flatMap { child -> [String] in
                guard let (key, member) = all.first(where: { ($0.value["locationName"] as? String ?? $0.key) == child.name }) else {
                    return ["\(place): <\(child.name)> is not a member of \(name)"]
                }
                return elementProblems(child, shape: member["shape"] as? String ?? "", at: "\(place)/\(key)")
            }
        case "list":
            let item = shape["member"] as? [String: Any] ?? [:]
            return node.children.flatMap { child -> [String] in
                child.name == (item["locationName"] as? String ?? "member")
                    ? elementProblems(child, shape: item["shape"] as? String ?? "", at: place)
                    : ["\(place): list item <\(child.name)>"]
            }
        case "map":
            let key = shape["key"] as? [String: Any] ?? [:], item = shape["value"] as? [String: Any] ?? [:]
            let keyName = key["locationName"] as? String ?? "key", valueName = item["locationName"] as? String ?? "value"
            return node.children.flatMap { entry -> [String] in
                guard entry.name == "entry" else { return ["\(place): map entry <\(entry.name)>"] }
                return entry.children.flatMap { child -> [String] in
                    switch child.name {
                    case keyName: return elementProblems(child, shape: key["shape"] as? String ?? "", at: place)
                    case valueName: return elementProblems(child, shape: item["shape"] as? String ?? "", at: place)
                    default: return ["\(place): <\(child.name)> in a map entry"]
                    }
                }
            }
        default:
            return node.children.isEmpty ? scalarProblems(node.text, shape: shape, name: name, at: place) : ["\(place): scalar with children"]
        }
    }

    // MARK: - JSON protocol

    /// Problems with a JSON body against the input shape: unknown members, missing required
    /// members, enum values, limits.
    func jsonProblems(_ body: Data, operation: String) -> [String] {
        guard let input = inputShape(operation) else { return ["\(operation) is not in the model"] }
        guard let object = try? JSONSerialization.jsonObject(with: body) else { return ["\(operation): body is not JSON"] }
        return valueProblems(object, shape: input, at: operation, checkRequired: true)
    }

    /// Problems with a JSON answer against the output shape (required members are not checked:
    /// sample answers may leave members out).
    func jsonAnswerProblems(_ answer: String, operation: String) -> [String] {
        guard let output = outputShape(operation)?["shape"] as? String else { return ["\(operation) has no output"] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(answer.utf8)) else { return ["answer is not JSON"] }
        return valueProblems(object, shape: output, at: operation, checkRequired: false)
    }

    func valueProblems(_ value: Any, shape name: String, at place: String, checkRequired: Bool) -> [String] {
        guard let shape = shapes[name] else { return ["\(place): no shape \(name)"] }
        switch shape["type"] as? String {
        case "structure":
            guard let object = value as? [String: Any] else { return ["\(place): \(name) must be an object"] }
            let all = members(shape)
            var problems: [String] = []
            if checkRequired {
                for required in shape["required"] as? [String] ?? [] where object[required] == nil {
                    problems.append("\(place): required member \(required) missing")
                }
            }
            // Members by their wire name: `locationName` where the model gives one (API
            // Gateway's lists travel as `item`).
            for (key, item) in object.sorted(by: { $0.key < $1.key }) {
                guard let member = all.first(where: { ($0.value["locationName"] as? String ?? $0.key) == key })?.value else { problems.append("\(place): \(key) is not a member of \(name) (\(all.keys.sorted()))"); continue }
                problems += valueProblems(item, shape: member["shape"] as? String ?? "", at: "\(place).\(key)", checkRequired: checkRequired)
            }
            return problems
        case "list":
            guard let items = value as? [Any] else { return ["\(place): \(name) must be a list"] }
            let itemShape = (shape["member"] as? [String: Any])?["shape"] as? String ?? ""
            var problems = items.enumerated().flatMap { valueProblems($1, shape: itemShape, at: "\(place)[\($0)]", checkRequired: checkRequired) }
            if let maximum = shape["max"] as? Int, items.count > maximum { problems.append("\(place): more than \(maximum) items") }
            return problems
        case "map":
            guard let entries = value as? [String: Any] else { return ["\(place): \(name) must be an object"] }
            let keyShape = (shape["key"] as? [String: Any])?["shape"] as? String ?? ""
            let valueShape = (shape["value"] as? [String: Any])?["shape"] as? String ?? ""
            return entries.sorted { $0.key < $1.key }.flatMap {
                valueProblems($0.key, shape: keyShape, at: "\(place){\($0.key)}", checkRequired: checkRequired)
                    + valueProblems($0.value, shape: valueShape, at: "\(place).\($0.key)", checkRequired: checkRequired)
            }
        case "string":
            guard let text = value as? String else { return ["\(place): \(name) must be a string"] }
            return scalarProblems(text, shape: shape, name: name, at: place)
        case "integer", "long":
            guard let number = value as? Int else { return ["\(place): \(name) must be an integer"] }
            return scalarProblems(String(number), shape: shape, name: name, at: place)
        case "boolean":
            return value is Bool || (value as? NSNumber) != nil ? [] : ["\(place): \(name) must be a boolean"]
        default:
            return []
        }
    }
}
