import Engine
import Foundation
import ImgStack


extension Session {
    /// Makes a plan under the lock the caller holds.
    /// - Parameters:
    ///   - evaluation: the evaluated stack.
    ///   - planOptions: targets, replacements, destroy.
    ///   - refresh: read resources from AWS first.
    ///   - commit: whether recovering intents may write state (apply and destroy) or not (plan).
    /// - Returns: the plan and the store it was made from.
    func makePlan(_ evaluation: Stack.Evaluation, _ planOptions: PlanOptions, refresh: Bool, commit: Bool) async throws -> (Plan, StateStore) {
        let store = StateStore(state: try await readState(), backend: backend)
        let types = evaluation.definition.knownTypes
        let (prior, drift) = try await prepare(store, types: types, refresh: refresh, commit: commit)
        let plan = try Planner(stack: evaluation.definition, options: planOptions)
            .plan(prior: prior, drift: drift, variables: evaluation.variables)
        return (plan, store)
    }

    /// Parses `--target` and `--replace` addresses.
    /// - Throws: `CLIError` for a malformed address or one the stack and state do not know.
    func addresses(_ texts: [String], flag: String, evaluation: Stack.Evaluation, state: StateFile?) throws -> [Address] {
        try texts.map { text in
            guard let address = Address(parsing: text) else {
                throw CLIError("\(flag) \(text): expected an address such as s3.bucket.site")
            }
            let known = evaluation.definition.resource(address) != nil || state?.resource(address) != nil
            guard known else { throw CLIError("\(flag) \(text): the stack declares no such resource and state has none") }
            return address
        }
    }
}
