import AWS
import ArgumentParser

/// `imgstack whoami`: the account and identity the credentials belong to.
struct WhoamiCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Print the AWS account, ARN and credential source in use (like `aws sts get-caller-identity`).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() async throws {
        try await CommandRunner.run(global) { session in
            let identity = try await session.aws.client.sts.getCallerIdentity()
            let source = try await session.aws.credentials.sourceName()
            let console = session.console
            if json {
                console.out("{\"Account\":\"\(identity.account)\",\"Arn\":\"\(identity.arn)\",\"UserId\":\"\(identity.userID)\",\"Source\":\"\(source)\",\"Region\":\"\(session.aws.region)\"}")
            } else {
                console.out("Account: \(identity.account)")
                console.out("ARN:     \(identity.arn)")
                console.out("UserId:  \(identity.userID)")
                console.out("Source:  \(source)")
                console.out("Region:  \(session.aws.region)")
            }
        }
    }
}
