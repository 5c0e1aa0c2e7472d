import Engine
import Synchronization

/// A lookup kind over a catalogue each test fills: `memory.image` selects the entries whose
/// `name` is the `name` argument, answering their `id` and `name`.
final class MemoryLookupType: LookupType, Sendable {
    let schema = LookupSchema(typeName: "memory.image", terraformType: "memory_image", arguments: ["name"], attributes: ["id", "name"])
    private let entries = Mutex<[(name: String, id: String)]>([])
    private let readCount = Mutex(0)

    /// Puts an entry in the catalogue.
    func add(name: String, id: String) { entries.withLock { $0.append((name, id)) } }

    /// Empties the catalogue.
    func removeAll() { entries.withLock { $0.removeAll() } }

    /// How many reads were made.
    var reads: Int { readCount.withLock { $0 } }

    func read(_ arguments: [String: Value], context: OperationContext) async throws -> [String: Value] {
        readCount.withLock { $0 += 1 }
        let name = arguments["name"]?.stringValue ?? ""
        let matches = entries.withLock { $0.filter { $0.name == name } }
        guard let match = matches.first else { throw LookupError.noMatch(context.address, "no image is named \(name)") }
        guard matches.count == 1 else {
            throw LookupError.manyMatches(context.address, "images named \(name)", count: matches.count, matches: matches.map(\.id))
        }
        return ["id": .string(match.id), "name": .string(match.name)]
    }
}

extension Address {
    /// `lookup.memory.image.NAME`.
    static func image(_ name: String) -> Address { .lookup("memory.image", name) }
}

extension Expression {
    /// A reference to `ATTRIBUTE` of `lookup.memory.image.NAME`.
    static func image(_ name: String, _ attribute: String) -> Expression {
        .reference(Reference(address: .image(name), attribute: attribute))
    }
}
