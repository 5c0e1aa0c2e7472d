import Foundation

/// The flat `name → value` parameters of a query-protocol call, with helpers that flatten
/// lists and maps the way botocore's query serializer does.
public struct QueryParameters: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// The flattened parameters, without `Action` and `Version`.
    public private(set) var values: [String: String] = [:]

    /// Creates empty parameters.
    public init() {}

    /// Creates parameters from literal scalar members.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { values[name] = value }
    }

    /// A scalar member; setting nil removes it.
    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Adds a list of scalars: `Name.member.1`, `Name.member.2`, … (or `Name.1`, … when the
    /// model marks the list `flattened`). An empty list sends `Name=` so AWS clears it.
    /// - Parameters:
    ///   - name: the member name, e.g. `ClientIDList`.
    ///   - items: the values.
    ///   - flattened: the model's `flattened` trait.
    public mutating func addList(_ name: String, _ items: [String], flattened: Bool = false) {
        guard !items.isEmpty else {
            values[name] = ""
            return
        }
        for (index, item) in items.enumerated() {
            values["\(Self.listPrefix(name, flattened)).\(index + 1)"] = item
        }
    }

    /// Adds a list of structures: `Tags.member.1.Key`, `Tags.member.1.Value`, ….
    /// - Parameters:
    ///   - name: the member name, e.g. `Tags`.
    ///   - items: each structure's members (already flattened if nested).
    ///   - flattened: the model's `flattened` trait.
    public mutating func addList(_ name: String, structures items: [[String: String]], flattened: Bool = false) {
        guard !items.isEmpty else {
            values[name] = ""
            return
        }
        for (index, item) in items.enumerated() {
            for (member, value) in item {
                values["\(Self.listPrefix(name, flattened)).\(index + 1).\(member)"] = value
            }
        }
    }

    /// Adds a map: `Attributes.entry.1.key`, `Attributes.entry.1.value`, … with entries in
    /// key order (so requests are reproducible).
    /// - Parameters:
    ///   - name: the member name, e.g. `Attributes`.
    ///   - map: the entries.
    ///   - keyName: the model's key `locationName`, `key` unless it says otherwise.
    ///   - valueName: the model's value `locationName`, `value` unless it says otherwise.
    public mutating func addMap(_ name: String, _ map: [String: String], keyName: String = "key", valueName: String = "value") {
        for (index, key) in map.keys.sorted().enumerated() {
            values["\(name).entry.\(index + 1).\(keyName)"] = key
            values["\(name).entry.\(index + 1).\(valueName)"] = map[key]
        }
    }

    /// Adds a list of scalars the EC2 protocol's way: `Name.1`, `Name.2`, …; an empty list
    /// sends nothing (botocore's `EC2Serializer`). `name` is the member's `queryName`, or its
    /// `locationName` with the first letter upper-cased (`VpcId` for `VpcIds`).
    /// - Parameters:
    ///   - name: the serialized name, e.g. `SubnetId`.
    ///   - items: the values.
    public mutating func addIndexedList(_ name: String, _ items: [String]) {
        for (index, item) in items.enumerated() {
            values["\(name).\(index + 1)"] = item
        }
    }

    /// Adds a list of structures the EC2 protocol's way: `Filter.1.Name`, `Filter.1.Value.1`, …;
    /// an empty list sends nothing.
    /// - Parameters:
    ///   - name: the serialized name, e.g. `Filter`.
    ///   - items: each structure's members, already flattened with their own serialized names.
    public mutating func addIndexedList(_ name: String, structures items: [[String: String]]) {
        for (index, item) in items.enumerated() {
            for (member, value) in item {
                values["\(name).\(index + 1).\(member)"] = value
            }
        }
    }

    private static func listPrefix(_ name: String, _ flattened: Bool) -> String {
        flattened ? name : "\(name).member"
    }
}
