import Foundation

/// The rules a create follows before and after its calls.
extension Executor {
    /// Drops the record of a create that made nothing (every call refused), and puts back the
    /// object it was to replace, so the next plan sees the stack as it is.
    static func forget(_ intent: CreateIntent, restoring old: ResourceRecord?, in store: StateStore) async throws {
        try await store.commit { state in
            state.intents.removeAll { $0.id == intent.id }
            if let old, state.resource(intent.address) == nil,
               let index = state.deposed.lastIndex(where: { $0.address == old.address && $0.snapshot.id == old.snapshot.id }) {
                state.upsert(state.deposed.remove(at: index))
            }
        }
    }

    /// A create-before-destroy replacement was planned because the new object's unique name was
    /// unknown; now known, it may be the old object's own. Creating it would collide with the old
    /// object (or, where AWS answers an owner's re-create with success, adopt it), and deleting
    /// the old one afterwards would delete the new. Stop before any call instead.
    /// - Throws: ``ExecutionError/replacementKeepsName(_:_:)``.
    static func checkNameIsFree(_ declaration: ResourceDeclaration, _ properties: [String: Value], current: ResourceRecord?) throws {
        let type = declaration.type
        let names = type.schema.uniqueNameProperties
        guard let current, !names.isEmpty else { return }
        let same = names.allSatisfy { name in
            type.normalize(name, properties[name] ?? .null) == type.normalize(name, current.snapshot.properties[name] ?? .null)
        }
        if same { throw ExecutionError.replacementKeepsName(declaration.address, names) }
    }
}
