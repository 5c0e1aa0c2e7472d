import Foundation

/// The recorded state of one stack: what imgstack created, with enough to refresh, update and
/// delete it.
public struct StateFile: Sendable, Codable, Equatable {
    /// The newest format this build reads and writes.
    public static let currentFormatVersion = 1

    /// The format of this file.
    public var formatVersion: Int
    /// A random id given when the stack's state is first written; a plan from another lineage is refused.
    public var lineage: String
    /// Counts writes; a saved plan made at another serial is refused.
    public var serial: Int
    /// The stack's name.
    public var stack: String
    /// The resources, sorted by address.
    public var resources: [ResourceRecord] {
        didSet { order.isKnownSorted = false }
    }
    /// Creates started but not known to have finished.
    public var intents: [CreateIntent]
    /// Old resources of a create-before-destroy replacement, awaiting deletion.
    public var deposed: [ResourceRecord]
    /// Output values after the last apply.
    public var outputs: [String: OutputRecord]
    /// The account the state was applied to, recorded by an apply that knew it; nil in older
    /// states and before the first apply. A run with another account's credentials is refused.
    public var account: StateAccount?
    /// How the secrets in this state are sealed; nil when it holds none sealed.
    public var sealing: StateSealing?
    /// What the stack's lookups read at the last apply, sorted by address; nil when it has none.
    public var lookups: [LookupRecord]?
    /// Whether ``resources`` is known to be sorted, so that a record is found by halving
    /// (`StateFile+Records.swift`).
    var order = ResourceOrder()

    /// An empty state for a stack that has never been applied.
    public init(stack: String, lineage: String = UUID().uuidString.lowercased()) {
        self.formatVersion = StateFile.currentFormatVersion
        self.lineage = lineage
        self.serial = 0
        self.stack = stack
        self.resources = []
        self.intents = []
        self.deposed = []
        self.outputs = [:]
        self.account = nil
        self.sealing = nil
        self.lookups = nil
    }

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", lineage, serial, stack, resources, intents, deposed, outputs, account, sealing, lookups
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        lineage = try container.decode(String.self, forKey: .lineage)
        serial = try container.decode(Int.self, forKey: .serial)
        stack = try container.decode(String.self, forKey: .stack)
        resources = try container.decode([ResourceRecord].self, forKey: .resources)
        intents = try container.decodeIfPresent([CreateIntent].self, forKey: .intents) ?? []
        deposed = try container.decodeIfPresent([ResourceRecord].self, forKey: .deposed) ?? []
        outputs = try container.decodeIfPresent([String: OutputRecord].self, forKey: .outputs) ?? [:]
        account = try container.decodeIfPresent(StateAccount.self, forKey: .account)
        sealing = try container.decodeIfPresent(StateSealing.self, forKey: .sealing)
        lookups = try container.decodeIfPresent([LookupRecord].self, forKey: .lookups)
        order = ResourceOrder(resources)
    }

    /// True when nothing is recorded.
    public var isEmpty: Bool { resources.isEmpty && intents.isEmpty && deposed.isEmpty && outputs.isEmpty }

    /// Refuses a state recorded for another stack: planning stack `stack` against it would
    /// delete every resource of the other one (Terraform has no such check; `state push`
    /// already refuses such a file).
    /// - Parameters:
    ///   - stack: the stack being run.
    ///   - origin: where the state was read, for the message.
    /// - Throws: `StateError.otherStack`.
    public func checkBelongs(to stack: String, origin: String) throws {
        guard self.stack == stack else { throw StateError.otherStack(origin: origin, recorded: self.stack, expected: stack) }
    }

    /// Refuses credentials of another account than the one the state was applied to.
    /// - Parameters:
    ///   - current: the account of this run's credentials.
    ///   - origin: where the state was read, for the message.
    /// - Throws: ``AccountMismatchError``.
    public func checkAccount(_ current: StateAccount, origin: String) throws {
        if let account, account != current { throw AccountMismatchError(origin: origin, recorded: account, current: current) }
    }
}

/// The account and partition a state was applied to (for AWS: the 12-digit account id from
/// STS `GetCallerIdentity` and the partition of its ARN, `aws`, `aws-cn`, `aws-us-gov`).
public struct StateAccount: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The account id.
    public var id: String
    /// The partition.
    public var partition: String

    /// Creates an account record.
    public init(id: String, partition: String) {
        self.id = id
        self.partition = partition
    }

    /// `111122223333 (aws)`.
    public var description: String { "\(id) (\(partition))" }
}

/// A run whose credentials are for another account than the one its state was applied to:
/// refused before any change, as planning against the wrong account would plan every resource
/// as gone.
public struct AccountMismatchError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where the state was read.
    public var origin: String
    /// The account recorded in the state.
    public var recorded: StateAccount
    /// The account of this run's credentials.
    public var current: StateAccount

    /// Creates the error.
    public init(origin: String, recorded: StateAccount, current: StateAccount) {
        self.origin = origin
        self.recorded = recorded
        self.current = current
    }

    public var description: String {
        "state \(origin) was applied to account \(recorded), but the credentials are for account \(current); nothing was done. Use credentials for account \(recorded.id), or the state of account \(current.id)."
    }
}

/// One resource in state.
public struct ResourceRecord: Sendable, Codable, Equatable {
    /// The resource's address in the stack.
    public var address: Address
    /// The resource type name (the address's type).
    public var type: String { address.type }
    /// The region it lives in.
    public var region: String
    /// Its id, properties and attributes as last seen.
    public var snapshot: ResourceSnapshot
    /// What it depended on when last applied: it is deleted before them.
    public var dependencies: [Address]
    /// Set when deletion was asked for but AWS has not finished it (Lambda@Edge replicas).
    public var deletionPending: Bool

    /// Creates a record.
    public init(address: Address, region: String, snapshot: ResourceSnapshot, dependencies: [Address], deletionPending: Bool = false) {
        self.address = address
        self.region = region
        self.snapshot = snapshot
        self.dependencies = dependencies
        self.deletionPending = deletionPending
    }

    enum CodingKeys: String, CodingKey {
        case address, type, region, id, properties, attributes, dependencies, deletionPending = "deletion_pending"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        address = try container.decode(Address.self, forKey: .address)
        // `type` is written for readers of the file; one that disagrees with the address means a
        // hand edit gone wrong, and which of the two is meant cannot be told.
        if let type = try container.decodeIfPresent(String.self, forKey: .type), type != address.type {
            throw DecodingError.dataCorruptedError(forKey: .type, in: container,
                                                   debugDescription: "is \"\(type)\", but the address is of type \(address.type)")
        }
        region = try container.decode(String.self, forKey: .region)
        let id = try container.decode(String.self, forKey: .id)
        // An empty id names no resource: refreshing it would call it deleted and create another.
        // (Whitespace as `CharacterSet.whitespaces` has it, looked at scalar by scalar: a real id
        // answers at its first.)
        guard !id.unicodeScalars.allSatisfy(CharacterSet.whitespaces.contains) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "is empty; a recorded resource has the id AWS gave it")
        }
        snapshot = ResourceSnapshot(
            id: id,
            properties: try container.decode([String: Value].self, forKey: .properties),
            attributes: try container.decode([String: Value].self, forKey: .attributes))
        dependencies = try container.decodeIfPresent([Address].self, forKey: .dependencies) ?? []
        deletionPending = try container.decodeIfPresent(Bool.self, forKey: .deletionPending) ?? false
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(address, forKey: .address)
        try container.encode(type, forKey: .type)
        try container.encode(region, forKey: .region)
        try container.encode(snapshot.id, forKey: .id)
        try container.encode(snapshot.properties, forKey: .properties)
        try container.encode(snapshot.attributes, forKey: .attributes)
        try container.encode(dependencies, forKey: .dependencies)
        if deletionPending { try container.encode(true, forKey: .deletionPending) }
    }
}

/// A create that was started: recorded before the API call so a crash cannot leave an
/// untracked resource.
public struct CreateIntent: Sendable, Codable, Equatable {
    /// A random id, which types may tag the new resource with.
    public var id: String
    /// The resource being created.
    public var address: Address
    /// The region.
    public var region: String
    /// The properties the create was called with.
    public var properties: [String: Value]
    /// What the resource depends on.
    public var dependencies: [Address]
    /// When the create started (ISO 8601).
    public var startedAt: String

    /// Creates an intent.
    public init(id: String, address: Address, region: String, properties: [String: Value], dependencies: [Address], startedAt: String) {
        self.id = id
        self.address = address
        self.region = region
        self.properties = properties
        self.dependencies = dependencies
        self.startedAt = startedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, address, region, properties, dependencies, startedAt = "started_at"
    }
}

/// A stack output's recorded value.
public struct OutputRecord: Sendable, Codable, Equatable {
    /// The value.
    public var value: Value
    /// Whether it is redacted when listed.
    public var sensitive: Bool

    /// Creates an output record.
    public init(value: Value, sensitive: Bool) {
        self.value = value
        self.sensitive = sensitive
    }
}

// MARK: - Encoding

extension StateFile {
    /// The file's bytes: pretty JSON with sorted keys, so diffs of state are stable.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }

    /// Parses a state file, refusing corrupt, truncated and newer-format files.
    /// - Parameter origin: where the bytes came from, for the error message.
    /// - Throws: `StateError`.
    public static func decode(_ data: Data, origin: String) throws -> StateFile {
        // The common case, a well-formed file of a format this build reads, is parsed once; the
        // slow path below (a second, untyped parse) only runs to explain what is wrong.
        if let state = try? JSONDecoder().decode(StateFile.self, from: data), state.formatVersion <= currentFormatVersion,
           state.consistencyProblem == nil {
            return state
        }
        guard let top = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw StateError.corrupt(origin: origin, detail: "not valid JSON (truncated or damaged)")
        }
        guard let object = top as? [String: Any] else {
            throw StateError.corrupt(origin: origin, detail: "the file is a JSON \(Self.kind(of: top)), not an object with format_version, stack and resources")
        }
        guard let version = object["format_version"] as? Int else {
            throw StateError.corrupt(origin: origin, detail: object["format_version"] == nil ? "no format_version" : "format_version is not a number")
        }
        guard version <= currentFormatVersion else {
            throw StateError.newerFormat(origin: origin, version: version, supported: currentFormatVersion)
        }
        do {
            let state = try JSONDecoder().decode(StateFile.self, from: data)
            if let problem = state.consistencyProblem { throw StateError.corrupt(origin: origin, detail: problem) }
            return state
        } catch let error as StateError {
            throw error
        } catch let error as DecodingError {
            throw StateError.corrupt(origin: origin, detail: Self.describe(error, in: object))
        } catch {
            throw StateError.corrupt(origin: origin, detail: "\(error)")
        }
    }

    /// What makes a well-formed state unusable, nil when nothing does: a negative serial, or one
    /// address recorded twice (which record a plan or a destroy would act on could not be told,
    /// and the other's resource would be lost track of).
    var consistencyProblem: String? {
        if serial < 0 { return "serial is \(serial); it counts writes from 0" }
        var seen: [Address: Int] = [:]
        for (index, record) in resources.enumerated() {
            if let first = seen.updateValue(index, forKey: record.address) {
                return "resources[\(index)] (\(record.address)) records an address already recorded at resources[\(first)]; one address is one resource"
            }
        }
        return nil
    }

    /// A decoding failure as the place in the file and what is wrong there:
    /// `resources[0] (s3.bucket.data) has no "id"`, not Swift's debug text.
    static func describe(_ error: DecodingError, in object: [String: Any]) -> String {
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath, in: object)) has no \"\(key.stringValue)\""
        case .valueNotFound(_, let context):
            return "\(place(context.codingPath, in: object)) is null"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath, in: object)) is not \(expectation(type))"
        case .dataCorrupted(let context):
            return "\(place(context.codingPath, in: object)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// `resources[2].properties.tags`, with the record's address after a resource's index.
    private static func place(_ path: [any CodingKey], in object: [String: Any]) -> String {
        guard let first = path.first else { return "the file" }
        var text = first.stringValue
        var node: Any? = object[first.stringValue]
        for key in path.dropFirst() {
            if let index = key.intValue {
                text += "[\(index)]"
                let element = (node as? [Any]).flatMap { index < $0.count ? $0[index] : nil }
                if ["resources", "deposed", "intents"].contains(first.stringValue), text == "\(first.stringValue)[\(index)]",
                   let address = (element as? [String: Any])?["address"] as? String {
                    text += " (\(address))"
                }
                node = element
            } else {
                text += "." + key.stringValue
                node = (node as? [String: Any])?[key.stringValue]
            }
        }
        return text
    }

    private static func expectation(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self || type == Double.self { return "a number" }
        if type == Bool.self { return "true or false" }
        let name = "\(type)"
        if name.hasPrefix("Array") { return "a list" }
        if name.hasPrefix("Dictionary") { return "an object" }
        return "a valid \(name)"
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: return "array"
        case is String: return "string"
        case is NSNumber: return "number or boolean"
        case is NSNull: return "null"
        default: return "value"
        }
    }
}

/// A state that cannot be used.
public enum StateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is not a state file of this format.
    case corrupt(origin: String, detail: String)
    /// The local state file is corrupt; its `.backup`, a state of the same stack (and lineage, when the damaged file still names one), may be restored.
    case corruptWithBackup(origin: String, detail: String, backup: String, serial: Int)
    /// Written by a newer imgstack.
    case newerFormat(origin: String, version: Int, supported: Int)
    /// Another run holds the lock.
    case locked(origin: String, holder: LockInfo)
    /// A write lost a race with another writer.
    case conflict(origin: String, detail: String)
    /// No lock with that id.
    case lockNotFound(origin: String, id: String)
    /// Reading or writing failed.
    case io(origin: String, detail: String)
    /// The state is another stack's.
    case otherStack(origin: String, recorded: String, expected: String)

    public var description: String {
        switch self {
        case .corrupt(let origin, let detail):
            return "state \(origin) is corrupt: \(detail). It was left untouched; fix it by hand or restore a copy."
        case .corruptWithBackup(let origin, let detail, let backup, let serial):
            return "state \(origin) is corrupt: \(detail). It was left untouched; \(backup) (serial \(serial), a state of this stack) is the copy from before the last write: restore it with `cp \(backup) \(origin)`, or fix the file by hand."
        case .newerFormat(let origin, let version, let supported):
            return "state \(origin) has format version \(version), newer than this imgstack reads (\(supported)). Upgrade imgstack; the file was left untouched."
        case .locked(let origin, let holder):
            return "state \(origin) is locked by \(holder.summary). Wait for that run to finish, or if it is dead run `imgstack force-unlock \(holder.id)`."
        case .conflict(let origin, let detail):
            return "state \(origin) was changed by another writer: \(detail). Nothing was overwritten."
        case .lockNotFound(let origin, let id):
            return "no lock \(id) on state \(origin)"
        case .io(let origin, let detail):
            return "cannot access state \(origin): \(detail)"
        case .otherStack(let origin, let recorded, let expected):
            return "state \(origin) is the state of stack \(recorded), not \(expected); nothing was done and it was left untouched. Run with --stack \(recorded), or point --state-dir or --backend at \(expected)'s state."
        }
    }
}
