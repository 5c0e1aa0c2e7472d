import ArgumentParser
import Engine
import Foundation
import ImgStack

/// `imgstack show [--json] PLANFILE`: a saved plan, as `terraform show [-json] PLANFILE` shows one.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a plan saved by `plan --out`.",
        discussion: "With --json, Terraform's JSON plan format (as `terraform show -json PLANFILE` writes it), for checkov, trivy, conftest and Infracost.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "A plan saved by `imgstack plan --out FILE`.")
    var planFile: String

    @Flag(name: .long, help: "Print the plan in Terraform's JSON plan format.")
    var json = false

    func run() async throws {
        try await CommandRunner.run(ApplyCommand.options(global, planFile: planFile)) { session in
            try SavedPlanFile.checkStack(of: planFile, chosen: session.stack.name)
            // Reading it needs the state's key when it is sealed, as applying it does; nothing is locked or called.
            let plan = try await SavedPlanFile.read(planFile, backend: session.backend)
            if json {
                session.console.outJSON(plan, JSONPlanRenderer(schemas: ResourceCatalog.types().values.map(\.schema)))
            } else {
                session.console.write(HumanPlanRenderer(style: session.console.style).render(plan))
            }
        }
    }
}
