import ArgumentParser
import Engine
import Foundation

/// `imgstack import ADDRESS ID`: brings an existing AWS resource under the stack's management.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Record an existing AWS resource at an address the stack declares.",
        discussion: "Afterwards `imgstack plan` shows how the resource differs from the stack's declaration.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The address in the stack, e.g. s3.bucket.site.")
    var address: String

    @Argument(help: "The resource's id in AWS (bucket name, key id, role name...).")
    var id: String

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let evaluation = try session.evaluate()
            guard let parsed = Address(parsing: address), let declaration = evaluation.definition.resource(parsed) else {
                throw CLIError("the stack declares no \(address); add it to the stack before importing")
            }
            if let problem = declaration.type.validateImportID(id) {
                throw CLIError("cannot import \(address): \(problem); nothing was called or written")
            }
            try await session.withLock("import") {
                let state = try await session.readState()
                if let existing = state.resource(parsed) {
                    throw CLIError("\(address) is already in state (id \(existing.snapshot.id)); `imgstack state rm \(address)` first to import another")
                }
                // Import calls AWS anyway: refuse another account's credentials, record this one.
                let account = try await session.aws.client.callerAccount()
                try state.checkAccount(account, origin: session.backend.location)
                let region = declaration.region ?? evaluation.definition.region
                let context = OperationContext(address: parsed, region: region, client: session.aws.client)
                guard let snapshot = try await declaration.type.importResource(id: id, context: context) else {
                    throw CLIError("no \(declaration.type.schema.typeName) with id \(id) in \(region)")
                }
                try await StateStore(state: state, backend: session.backend).commit { state in
                    state.account = account
                    state.upsert(ResourceRecord(address: parsed, region: region, snapshot: snapshot, dependencies: declaration.dependencies))
                }
                session.console.out("Imported \(address) [id=\(snapshot.id)]. Run `imgstack plan` to see how it differs from the stack.")
            }
        }
    }
}
