import ArgumentParser
import Foundation
import ImgStack

/// `imgstack policy`: the least-privilege IAM policy a CI role needs to run a command on the stack.
struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Print the IAM policy a CI role needs to plan, apply or destroy the stack (no AWS call).",
        discussion: """
            Generated from the AWS calls each resource type makes, scoped to the ARNs the stack \
            knows before apply (`*` inside an ARN where a name is only known after apply), plus \
            the state backend's object, lock and KMS key. `"Resource": "*"` appears only for \
            actions AWS grants on no resource; each such statement's reason is printed on \
            standard error (under `reasons` with --json). A policy longer than one managed policy \
            holds (6,144 characters) is printed as a JSON array of documents, each within the \
            limit; --json always gives `policies`, a list of documents.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("for"), help: "The command the policy is for: plan, apply, destroy or all.")
    var purpose: PolicyPurpose = .all

    @Option(help: "The AWS account id to write in ARNs (`*` when not given).")
    var account: String?

    @Flag(name: .long, help: "Print JSON: the policy's documents (`policies`) and the reasons for every `*` resource.")
    var json = false

    /// An account id is 12 digits (IAM User Guide, "Your AWS account ID"); anything else would be
    /// written into every ARN of the policy.
    func validate() throws {
        if let account, account.count != 12 || !account.allSatisfy(\.isASCII) || !account.allSatisfy(\.isNumber) {
            throw ValidationError("--account \(account): an AWS account id is 12 digits, such as 111122223333")
        }
    }

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let definition = try session.evaluate().definition
            let backend = try BackendSelection(flag: global.backend, environment: session.environment, stack: session.stack).choice
            let policy = try DeployPolicy(definition, backend: backend, account: account, for: purpose)
            let documents = policy.documents()
            if json {
                let object: [String: Any] = ["stack": definition.name, "for": purpose.rawValue, "policies": documents, "reasons": policy.reasons]
                session.console.out(try Self.text(object))
            } else {
                session.console.out(try Self.text(documents.count == 1 ? documents[0] : documents))
                if documents.count > 1 {
                    session.console.err("The policy is \(documents.count) documents (a managed policy holds at most "
                        + "\(DeployPolicy.managedPolicyCharacterLimit) characters): create a managed policy from each and attach them all.")
                }
                for statement in policy.statements where !statement.reasons.isEmpty {
                    session.console.err(session.console.style.dim("\(statement.sid): \"Resource\": \"*\": " + statement.reasons.joined(separator: "; ")))
                }
            }
        }
    }

    private static func text(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

extension PolicyPurpose: ExpressibleByArgument {}
