import Engine
import Foundation
import ImgStack
import XCTest

/// A lookup's list (a subnets lookup's `ids`) feeding a list property as a whole: planned with
/// the items once the lookup is read, `(known after apply)` while it waits for a resource of the
/// same apply, and checked by the property's rules once known — all without AWS.
final class TextListTests: XCTestCase {
    /// `lookup.test.subnets.NAME`: the subnet ids a test gives it, whatever its `near` argument.
    private struct FixedSubnets: Lookup {
        static let typeName = "test.subnets"
        static let terraformType = "test_subnets"
        static func makeType() -> any LookupType { FixedSubnetsType() }

        var name: String
        var near: Text
        var arguments: [String: Engine.Expression] { ["near": near.expression] }
        var ids: TextList { listAttribute("ids") }
    }

    private struct FixedSubnetsType: LookupType {
        let schema = LookupSchema(typeName: FixedSubnets.typeName, terraformType: FixedSubnets.terraformType,
                                  arguments: ["near"], attributes: ["ids"])

        func read(_ arguments: [String: Value], context: OperationContext) async throws -> [String: Value] {
            let ids = (arguments["near"]?.stringValue ?? "").split(separator: ",").map { Value.string(String($0)) }
            return ["ids": .list(ids)]
        }
    }

    /// A load balancer and a group in the subnets the lookup finds; `near` is the lookup's
    /// argument: a literal (the ids it answers, comma-separated) or a reference.
    private func stack(near: @escaping @Sendable (KMS.Key) -> Text) -> Stack {
        Stack("text-list") { stack in
            let key = stack.add(KMS.Key("data"))
            let subnets = stack.lookup(FixedSubnets(name: "public", near: near(key)))
            stack.add(ELBv2.LoadBalancer("web", loadBalancerName: "web", subnets: subnets.ids))
            stack.add(AutoScaling.Group("app", name: "app", launchTemplateID: "lt-1", minSize: 1, maxSize: 2, subnetIDs: subnets.ids))
            stack.output("subnets", subnets.ids)
        }
    }

    private func plan(_ stack: Stack) async throws -> Plan {
        let definition = try stack.evaluate(variables: [:], region: "eu-west-1").definition
        let deployment = Deployment(stack: definition, backend: InMemoryStateBackend(), client: nil,
                                    options: Deployment.Options(operation: .plan, landingTime: 0.2))
        return try await deployment.run().plan
    }

    private func after(_ plan: Plan, _ address: String, _ property: String) -> Value? {
        plan.changes.first { $0.address.description == address }?.after?[property]
    }

    func testAListAttributeIsOneReferenceAndItemsAreAList() {
        let subnets = FixedSubnets(name: "public", near: "x")
        XCTAssertEqual(subnets.ids.expression, .reference(Reference(address: .lookup("test.subnets", "public"), attribute: "ids")))
        let vpc = EC2.VPCLookup.defaultVPC("default")
        XCTAssertEqual(EC2.SubnetsLookup("public", vpcID: vpc.id).ids.expression,
                       .reference(Reference(address: .lookup("ec2.subnets", "public"), attribute: "ids")))
        XCTAssertEqual(TextList(["subnet-a", "subnet-b"]).expression, .value(["subnet-a", "subnet-b"]))
        let key = KMS.Key("data")
        XCTAssertEqual(([key.arn, "subnet-b"] as TextList).expression, .list([key.arn.expression, .value("subnet-b")]))
    }

    func testTheIdsALookupReadsArePlannedAsTheList() async throws {
        let plan = try await plan(stack { _ in "subnet-a,subnet-b" })
        XCTAssertEqual(after(plan, "elbv2.load_balancer.web", "subnets"), ["subnet-a", "subnet-b"])
        XCTAssertEqual(after(plan, "autoscaling.group.app", "subnetIDs"), ["subnet-a", "subnet-b"])
        XCTAssertEqual(plan.outputs.first { $0.name == "subnets" }?.after, ["subnet-a", "subnet-b"])
        XCTAssertTrue(HumanPlanRenderer().render(plan).contains("\"subnet-b\","), HumanPlanRenderer().render(plan))
    }

    func testAListWaitingForAResourceOfTheSameApplyIsKnownAfterApply() async throws {
        let plan = try await plan(stack { key in key.arn })
        XCTAssertEqual(after(plan, "elbv2.load_balancer.web", "subnets"), .unknown)
        XCTAssertEqual(after(plan, "autoscaling.group.app", "subnetIDs"), .unknown)
        let lookup = try XCTUnwrap(plan.lookups?.first)
        XCTAssertNil(lookup.after, "read during apply")
        let rendered = HumanPlanRenderer().render(plan)
        XCTAssertTrue(rendered.contains("# lookup.test.subnets.public will be read during apply"), rendered)
        XCTAssertTrue(rendered.contains("+ subnets            = (known after apply)"), rendered)
    }

    func testTheListReadIsCheckedByThePropertysRulesNamingTheResourceAndProperty() async throws {
        do {
            _ = try await plan(stack { _ in "subnet-a,sg-1" })
            XCTFail("a security group id is not a subnet id")
        } catch let error as StackValidationError {
            XCTAssertEqual(error.issues.map(\.description), ["autoscaling.group.app: property subnetIDs: \"sg-1\" is not a subnet id (subnet-…)"])
        }
        do {
            _ = try await plan(stack { _ in "subnet-a" })
            XCTFail("one subnet is too few for a load balancer")
        } catch let error as StackValidationError {
            XCTAssertEqual(error.issues.map(\.subject), ["elbv2.load_balancer.web"])
            XCTAssertEqual(error.issues.map(\.property), ["subnets"])
            XCTAssertTrue(error.issues.first?.message.contains("1 given") ?? false, "\(error)")
        }
    }
}
