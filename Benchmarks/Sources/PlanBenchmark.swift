import AWS
import Engine
import Foundation
import ImgStack

/// `plan --refresh=false` on a synthetic stack of 1,000 resources: evaluating the Swift stack,
/// validating it, planning and rendering — first against an empty state (1,000 creates), then
/// against a state that records all of them (a no-op plan).
enum PlanBenchmark {
    static let resourceCount = 1_000

    static func run() async throws {
        let stack = syntheticStack()
        var createPlan: Plan?
        var times: [Double] = []
        for _ in 0..<5 {
            times.append(try await Measure.seconds {
                let evaluation = try stack.evaluate(variables: [:], region: "us-east-1")
                let plan = try await planWithoutRefresh(evaluation, state: nil)
                _ = HumanPlanRenderer().render(plan)
                createPlan = plan
            })
        }
        Measure.report("plan --refresh=false: 1,000 new resources", Measure.median(times) * 1000, "ms",
                       "median of 5; evaluate + validate + plan + render; \(createPlan?.counts.add ?? 0) creates")

        // The state an apply of that plan leaves: every value resolved, each resource's arn known.
        let definition = try stack.evaluate(variables: [:], region: "us-east-1").definition
        var state = StateFile(stack: stack.name)
        for declaration in definition.resources {
            let properties = declaration.properties.mapValues { expression in
                expression.resolve { reference in .string("arn:synthetic:\(reference.address.name)") }
            }
            state.upsert(ResourceRecord(address: declaration.address, region: "us-east-1",
                                        snapshot: ResourceSnapshot(id: declaration.address.name, properties: properties,
                                                                   attributes: ["arn": .string("arn:synthetic:\(declaration.address.name)")]),
                                        dependencies: declaration.dependencies))
        }
        times = []
        var noopCount = 0
        for _ in 0..<5 {
            times.append(try await Measure.seconds {
                let evaluation = try stack.evaluate(variables: [:], region: "us-east-1")
                let plan = try await planWithoutRefresh(evaluation, state: state)
                _ = HumanPlanRenderer().render(plan)
                noopCount = plan.changes.filter { $0.action == .noop }.count
            })
        }
        Measure.report("plan --refresh=false: 1,000 recorded, no change", Measure.median(times) * 1000, "ms",
                       "median of 5; \(noopCount) no-ops")
        Measure.report("plan --refresh=false: peak resident memory", Measure.peakResidentMiB(), "MiB", "whole benchmark process so far")
    }

    /// `plan --refresh=false`: the engine's deployment, plan only, against `state` held in memory.
    private static func planWithoutRefresh(_ evaluation: Stack.Evaluation, state: StateFile?) async throws -> Plan {
        try await Deployment(stack: evaluation.definition, variables: evaluation.variables, backend: InMemoryStateBackend(state),
                             client: nil, options: Deployment.Options(operation: .plan, refresh: false))
            .run().plan
    }

    /// 1,000 resources in chains of ten, each referring to the previous one's `arn` inside an
    /// interpolated string, with a few properties each.
    static func syntheticStack() -> Stack {
        Stack("synthetic") { stack in
            for chain in 0..<(resourceCount / 10) {
                var previous: SyntheticResource?
                for link in 0..<10 {
                    var resource = SyntheticResource("r\(chain)-\(link)")
                    resource.label = previous.map { "after \($0.arn)" } ?? "head of chain \(chain)"
                    resource.tags = ["chain": "\(chain)", "link": "\(link)", "team": "benchmarks"]
                    resource.size = chain * 10 + link
                    previous = stack.add(resource)
                }
            }
        }
    }
}

/// A resource type that exists only for the planner benchmark: it never calls AWS.
struct SyntheticResource: Resource {
    static let typeName = "bench.synthetic"
    static let terraformType = "null_resource"
    static func makeType() -> any ResourceType { SyntheticType() }

    var name: String
    var label: Text = ""
    var tags: [String: String] = [:]
    var size = 0
    var dependsOn: [Address] = []

    init(_ name: String) { self.name = name }

    var properties: [String: Engine.Expression] {
        var list = PropertyList()
        list.set("label", label)
        list.set("tags", tags)
        list.set("size", size)
        return list.values
    }

    var arn: Text { attribute("arn") }
}

struct SyntheticType: ResourceType {
    let schema = ResourceSchema(
        typeName: SyntheticResource.typeName, terraformType: "null_resource",
        properties: [PropertySchema("label", forcesReplacement: true), PropertySchema("tags", default: [:]), PropertySchema("size", default: 0)],
        attributes: [AttributeSchema("arn")])

    func create(_ properties: [String: Engine.Value], context: OperationContext) async throws -> ResourceSnapshot { throw unsupported }
    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? { throw unsupported }
    func update(_ current: ResourceSnapshot, to desired: [String: Engine.Value], changed: Set<String>, context: OperationContext) async throws -> ResourceSnapshot { throw unsupported }
    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws { throw unsupported }
    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? { throw unsupported }
    func findCreated(from properties: [String: Engine.Value], context: OperationContext) async throws -> ResourceSnapshot? { throw unsupported }

    private var unsupported: AWSClientError { AWSClientError(.invalidConfiguration, "the synthetic benchmark type only plans") }
}
