import ArgumentParser
import Engine
import Foundation

/// `imgstack state …`: inspect and repair the recorded state.
struct StateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "state",
        abstract: "Inspect and repair recorded state.",
        subcommands: [List.self, Show.self, Remove.self, Move.self, Pull.self, Push.self, StateMigrateCommand.self,
                      StateRekeyCommand.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List recorded resources (needs no state key).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CommandRunner.run(global) { session in
                // Addresses are never sealed: the list is read as stored, so it works without the key.
                let state = try await session.readSealedState() ?? StateFile(stack: session.stack.name)
                for record in state.resources {
                    session.console.out(record.address.description + (record.deletionPending ? " (deletion pending)" : ""))
                }
                for record in state.deposed { session.console.out("\(record.address) (old object \(record.snapshot.id), awaiting deletion)") }
                for intent in state.intents { session.console.out("\(intent.address) (create interrupted; the next apply settles it)") }
                for lookup in state.lookups ?? [] { session.console.out("\(lookup.address) (read-only lookup)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one recorded resource (secrets redacted).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The resource address, e.g. s3.bucket.site.") var address: String

        func run() async throws {
            try await CommandRunner.run(global) { session in
                let state = try await session.readState()
                if let parsed = Address(parsing: address), let lookup = state.lookup(parsed) {
                    return show(lookup, console: session.console)
                }
                guard let parsed = Address(parsing: address), let record = state.resource(parsed) else {
                    throw CLIError("no resource \(address) in state; see `imgstack state list`")
                }
                // Evaluating the stack tells which values its secrets feed.
                _ = try session.evaluate()
                let secrets = session.backend.secretNames(parsed)
                let console = session.console
                console.out("# \(record.address)" + (record.deletionPending ? " (deletion pending)" : ""))
                // The record's region comes first; a type's own `region` attribute (a bucket's) is
                // the same fact and is not printed again.
                let members = record.snapshot.properties.merging(record.snapshot.attributes) { property, _ in property }
                    .filter { $0.key != "region" || $0.value != .string(record.region) }
                let rows = [("id", Value.string(record.snapshot.id).canonicalJSON), ("region", Value.string(record.region).canonicalJSON)]
                    + members.sorted(by: { $0.key < $1.key }).map { name, value in
                        (name, secrets.contains(name) ? "(sensitive value)" : value.canonicalJSON)
                    }
                let width = rows.map(\.0.count).max() ?? 0
                for (name, shown) in rows { console.out(name.padding(toLength: width, withPad: " ", startingAt: 0) + " = " + shown) }
                if !record.dependencies.isEmpty {
                    console.out("depends on: " + record.dependencies.map(\.description).joined(separator: ", "))
                }
            }
        }

        /// What a lookup read at the last apply: its arguments, then its attributes.
        private func show(_ lookup: LookupRecord, console: Console) {
            console.out("# \(lookup.address) (read-only lookup, as read at the last apply)")
            console.out("region = \(Value.string(lookup.region).canonicalJSON)")
            for (name, value) in lookup.arguments.sorted(by: { $0.key < $1.key }) { console.out("argument \(name) = \(value.canonicalJSON)") }
            for (name, value) in lookup.attributes.sorted(by: { $0.key < $1.key }) { console.out("\(name) = \(value.canonicalJSON)") }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "rm", abstract: "Forget a resource without deleting it in AWS.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The resource address.") var address: String

        func run() async throws {
            try await CommandRunner.run(global) { session in
                try await session.withLock("state rm") {
                    let state = try await session.readState()
                    guard let parsed = Address(parsing: address), state.resource(parsed) != nil else {
                        throw CLIError("no resource \(address) in state")
                    }
                    try await StateStore(state: state, backend: session.backend).commit { $0.remove(parsed) }
                    session.console.out("Removed \(address) from state. It still exists in AWS; imgstack no longer manages it.")
                }
            }
        }
    }

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "mv", abstract: "Give a recorded resource a new address (after renaming it in the stack).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The current address.") var source: String
        @Argument(help: "The new address (same type).") var destination: String

        func run() async throws {
            try await CommandRunner.run(global) { session in
                try await session.withLock("state mv") {
                    let state = try await session.readState()
                    guard let from = Address(parsing: source), var record = state.resource(from) else {
                        throw CLIError("no resource \(source) in state")
                    }
                    guard let to = Address(parsing: destination), to.type == from.type, Address.isValidName(to.name) else {
                        throw CLIError("\(destination) is not an address of type \(from.type)")
                    }
                    guard state.resource(to) == nil else { throw CLIError("state already has \(destination)") }
                    record.address = to
                    try await StateStore(state: state, backend: session.backend).commit { state in
                        state.remove(from)
                        state.upsert(record)
                        for index in state.resources.indices {
                            state.resources[index].dependencies = state.resources[index].dependencies.map { $0 == from ? to : $0 }
                        }
                    }
                    session.console.out("Moved \(source) to \(destination).")
                }
            }
        }
    }

    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pull", abstract: "Print the state file to standard output, its secrets sealed as at rest.")
        @OptionGroup var global: GlobalOptions
        @Flag(name: .customLong("show-sensitive"), help: "Print the secrets opened, in clear.") var showSensitive = false

        func run() async throws {
            try await CommandRunner.run(global) { session in
                guard let state = try await session.readStoredState() else { throw CLIError("the stack has no state yet") }
                let shown = showSensitive ? state : try await session.backend.sealed(state)
                session.console.write(String(decoding: try shown.encoded(), as: UTF8.self))
            }
        }
    }

    struct Push: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "push", abstract: "Replace the state with a file (refuses a lower serial or another lineage unless --force).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The state file to push.") var file: String
        @Flag(name: .long, help: "Push even over another lineage or a higher serial.") var force = false

        func run() async throws {
            try await CommandRunner.run(global) { session in
                guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read \(file)") }
                let incoming = try StateFile.decode(data, origin: file)
                guard incoming.stack == session.stack.name else {
                    throw CLIError("\(file) is state of stack \(incoming.stack), not \(session.stack.name)")
                }
                try await session.withLock("state push") {
                    if let current = try await session.backend.read(), !force {
                        guard current.lineage == incoming.lineage else {
                            throw CLIError("\(file) has lineage \(incoming.lineage) but the state has \(current.lineage); use --force to replace it")
                        }
                        guard incoming.serial >= current.serial else {
                            throw CLIError("\(file) has serial \(incoming.serial), lower than the state's \(current.serial); use --force to replace it")
                        }
                    }
                    try await session.backend.write(incoming)
                    session.console.out("Pushed \(file) to \(session.backend.location).")
                }
            }
        }
    }
}
