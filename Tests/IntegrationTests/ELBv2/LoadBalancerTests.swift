import AWS
import Engine
import Foundation
import ImgStack
import XCTest

/// Application load balancers, target groups and listeners against the emulator, in moto's
/// default VPC: create, read back through the AWS API, empty plan, update in place, replacement,
/// drift repaired, deletion protection refused and lifted, destroy; import and crash recovery.
final class LoadBalancerTests: XCTestCase {
    private struct Settings {
        var balancerName: String
        var isInternal = false
        var subnets: [String]
        var securityGroups: [String]
        var idleTimeout = 60
        var deletionProtection = false
        var groupName: String
        var healthCheckPath = "/health"
        var healthCheckInterval = 30
        var matcher = "200"
        var listenerPort = 80
        var tags: [String: Text] = ["app": "upload"]
    }

    private func declare(_ settings: Settings) -> Stack {
        Stack("elbv2-test") { stack in
            let balancer = stack.add(ELBv2.LoadBalancer("web", loadBalancerName: Text(settings.balancerName), isInternal: settings.isInternal,
                                                        subnets: TextList(settings.subnets.map { Text($0) }),
                                                        securityGroups: settings.securityGroups.map { Text($0) },
                                                        deletionProtection: settings.deletionProtection, idleTimeout: settings.idleTimeout,
                                                        tags: settings.tags))
            let group = stack.add(ELBv2.TargetGroup("app", targetGroupName: Text(settings.groupName), port: 8080,
                                                    vpcID: balancer.vpcID, healthCheckPath: settings.healthCheckPath,
                                                    healthCheckInterval: settings.healthCheckInterval, matcher: settings.matcher,
                                                    tags: settings.tags))
            stack.add(ELBv2.Listener("http", loadBalancerARN: balancer.arn, port: settings.listenerPort, targetGroupARN: group.arn,
                                     tags: settings.tags))
        }
    }

    private func assertNoChanges(_ harness: StackHarness, _ stack: Stack, _ message: String,
                                 file: StaticString = #filePath, line: UInt = #line) async throws {
        let plan = try await harness.plan(stack)
        XCTAssertFalse(plan.hasChanges, "\(message)\n\(HumanPlanRenderer().render(plan))", file: file, line: line)
    }

    private func recordedID(_ harness: StackHarness, _ address: String) async throws -> String {
        let id = try await harness.snapshot(address)?.id
        return try XCTUnwrap(id, "\(address) is not recorded")
    }

    func testLoadBalancerTargetGroupAndListenerLifecycle() async throws {
        let harness = try StackHarness()
        let elbv2 = harness.aws.elbv2
        let network = try await DefaultNetwork.read(harness.aws)
        XCTAssertGreaterThanOrEqual(network.subnets.count, 3, "moto's default VPC has a subnet per zone")
        let tag = UUID().uuidString.prefix(8).lowercased()
        let first = try await network.createSecurityGroup("lb-a-\(tag)")
        let second = try await network.createSecurityGroup("lb-b-\(tag)")
        var settings = Settings(balancerName: "web-\(tag)", subnets: Array(network.subnets.prefix(2)), securityGroups: [first],
                                groupName: "app-\(tag)")
        try await harness.apply(declare(settings))

        // Read back through the AWS API.
        let balancerARN = try await recordedID(harness, "elbv2.load_balancer.web")
        let foundBalancer = try await elbv2.loadBalancer(arn: balancerARN)
        let balancer = try XCTUnwrap(foundBalancer)
        XCTAssertEqual(balancer.name, "web-\(tag)")
        XCTAssertEqual(balancer.scheme, "internet-facing")
        XCTAssertEqual(balancer.type, "application")
        XCTAssertEqual(balancer.vpcID, network.vpcID)
        XCTAssertEqual(balancer.subnets.sorted(), Array(network.subnets.prefix(2)).sorted())
        XCTAssertEqual(balancer.securityGroups, [first])
        let attributes = try await elbv2.loadBalancerAttributes(balancerARN)
        XCTAssertEqual(attributes["deletion_protection.enabled"], "false", "deletion protection is off by default")
        XCTAssertEqual(attributes["idle_timeout.timeout_seconds"], "60")
        let balancerTags = try await elbv2.tags(balancerARN)
        XCTAssertEqual(balancerTags["app"], "upload")
        XCTAssertNotNil(balancerTags["imgstack:intent"], "the create's intent tag finds the load balancer after a crash")
        let foundRecorded = try await harness.snapshot("elbv2.load_balancer.web")
        let recorded = try XCTUnwrap(foundRecorded)
        XCTAssertEqual(recorded.attributes["dnsName"], .string(balancer.dnsName))
        XCTAssertEqual(recorded.attributes["zoneID"], .string(balancer.canonicalHostedZoneID))
        XCTAssertEqual(recorded.attributes["arnSuffix"], .string(String(balancerARN.split(separator: "/", maxSplits: 1)[1])))
        XCTAssertTrue(recorded.attributes["arnSuffix"]?.stringValue?.hasPrefix("app/web-\(tag)/") ?? false)

        let groupARN = try await recordedID(harness, "elbv2.target_group.app")
        let foundGroup = try await elbv2.targetGroup(arn: groupARN)
        let group = try XCTUnwrap(foundGroup)
        XCTAssertEqual(group.name, "app-\(tag)")
        XCTAssertEqual(group.protocolName, "HTTP")
        XCTAssertEqual(group.port, 8080)
        XCTAssertEqual(group.vpcID, network.vpcID)
        XCTAssertEqual(group.targetType, "instance")
        XCTAssertEqual(group.healthCheck, AWS.ELBV2.HealthCheck(path: "/health", intervalSeconds: 30, timeoutSeconds: 5, healthyThreshold: 5,
                                                                unhealthyThreshold: 2, matcher: "200"))
        let listenerARN = try await recordedID(harness, "elbv2.listener.http")
        let foundListener = try await elbv2.listener(arn: listenerARN)
        let listener = try XCTUnwrap(foundListener)
        XCTAssertEqual(listener.loadBalancerARN, balancerARN)
        XCTAssertEqual(listener.port, 80)
        XCTAssertEqual(listener.protocolName, "HTTP")
        XCTAssertEqual(listener.targetGroupARN, groupARN)
        XCTAssertNil(listener.certificateARN)
        try await assertNoChanges(harness, declare(settings), "nothing changed after the create")

        // In place: subnets, security groups, idle timeout, health check, listener port, tags.
        settings.subnets = Array(network.subnets.prefix(3))
        settings.securityGroups = [second, first]
        settings.idleTimeout = 120
        settings.healthCheckPath = "/ready"
        settings.healthCheckInterval = 15
        settings.matcher = "200-299"
        settings.listenerPort = 8080
        settings.tags = ["app": "upload", "tier": "web"]
        let update = try await harness.apply(declare(settings))
        for address in ["elbv2.load_balancer.web", "elbv2.target_group.app", "elbv2.listener.http"] {
            XCTAssertEqual(StackHarness.action(update, address), .update, address)
        }
        let foundUpdated = try await elbv2.loadBalancer(arn: balancerARN)
        let updated = try XCTUnwrap(foundUpdated)
        XCTAssertEqual(updated.subnets.sorted(), Array(network.subnets.prefix(3)).sorted())
        XCTAssertEqual(updated.securityGroups.sorted(), [first, second].sorted())
        let updatedAttributes = try await elbv2.loadBalancerAttributes(balancerARN)
        XCTAssertEqual(updatedAttributes["idle_timeout.timeout_seconds"], "120")
        let updatedGroup = try await elbv2.targetGroup(arn: groupARN)
        XCTAssertEqual(updatedGroup?.healthCheck.path, "/ready")
        XCTAssertEqual(updatedGroup?.healthCheck.intervalSeconds, 15)
        XCTAssertEqual(updatedGroup?.healthCheck.matcher, "200-299")
        let updatedListener = try await elbv2.listener(arn: listenerARN)
        XCTAssertEqual(updatedListener?.port, 8080)
        let retagged = try await elbv2.tags(groupARN)
        XCTAssertEqual(retagged["tier"], "web")
        try await assertNoChanges(harness, declare(settings), "nothing changed after the update")

        // Drift made outside imgstack is shown and repaired.
        try await elbv2.modifyLoadBalancerAttributes(balancerARN, ["idle_timeout.timeout_seconds": "300"])
        let drifted = try await harness.plan(declare(settings))
        XCTAssertEqual(drifted.changes.first { $0.address.description == "elbv2.load_balancer.web" }?.changedProperties, ["idleTimeout"])
        try await harness.apply(declare(settings))
        let repaired = try await elbv2.loadBalancerAttributes(balancerARN)
        XCTAssertEqual(repaired["idle_timeout.timeout_seconds"], "120")

        // A new target group name replaces the group (created before the old one goes); the
        // listener is updated to forward to the new one.
        settings.groupName = "app2-\(tag)"
        let regroup = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(regroup, "elbv2.target_group.app"), .replace)
        XCTAssertEqual(StackHarness.action(regroup, "elbv2.listener.http"), .update)
        let newGroupARN = try await recordedID(harness, "elbv2.target_group.app")
        let forwarded = try await elbv2.listener(arn: listenerARN)
        XCTAssertEqual(forwarded?.targetGroupARN, newGroupARN)
        let oldGroup = try await elbv2.targetGroup(arn: groupARN)
        XCTAssertNil(oldGroup, "the replaced target group is deleted")
        try await assertNoChanges(harness, declare(settings), "nothing changed after the target group's replacement")

        // Internal instead of internet-facing replaces the load balancer and with it the listener.
        settings.isInternal = true
        let rescheme = try await harness.apply(declare(settings))
        XCTAssertEqual(StackHarness.action(rescheme, "elbv2.load_balancer.web"), .replace)
        XCTAssertEqual(StackHarness.action(rescheme, "elbv2.listener.http"), .replace)
        let internalARN = try await recordedID(harness, "elbv2.load_balancer.web")
        XCTAssertNotEqual(internalARN, balancerARN)
        let internalBalancer = try await elbv2.loadBalancer(arn: internalARN)
        XCTAssertEqual(internalBalancer?.scheme, "internal")
        let replacedBalancer = try await elbv2.loadBalancer(arn: balancerARN)
        XCTAssertNil(replacedBalancer)
        let listeners = try await elbv2.listeners(loadBalancerARN: internalARN)
        XCTAssertEqual(listeners.map(\.port), [8080])
        try await assertNoChanges(harness, declare(settings), "nothing changed after the load balancer's replacement")

        // Switched on outside imgstack while the stack keeps it off: the destroy plan reads it
        // (one call for the load balancer) and says the stack's setting applies to this delete.
        try await elbv2.modifyLoadBalancerAttributes(internalARN, ["deletion_protection.enabled": "true"])
        let switchedOn = try await harness.plan(declare(settings), options: PlanOptions(destroy: true))
        let lifted = switchedOn.changes.first { $0.address.description == "elbv2.load_balancer.web" }
        XCTAssertTrue(lifted?.reason?.contains("deletionProtection = false from the stack applies to this delete") == true,
                      HumanPlanRenderer().render(switchedOn))
        try await elbv2.modifyLoadBalancerAttributes(internalARN, ["deletion_protection.enabled": "false"])

        // With deletion protection on, AWS refuses the delete: destroy says what to do.
        settings.deletionProtection = true
        try await harness.apply(declare(settings))
        let protected = try await elbv2.loadBalancerAttributes(internalARN)
        XCTAssertEqual(protected["deletion_protection.enabled"], "true")
        let refused = try await harness.deploy(declare(settings), options: PlanOptions(destroy: true)).summary
        let failure = try XCTUnwrap(refused?.failures.first { $0.address.description == "elbv2.load_balancer.web" }.map { "\($0.error)" })
        XCTAssertTrue(failure.contains("set deletionProtection: false on elbv2.load_balancer.web and destroy again"), failure)
        let kept = try await elbv2.loadBalancer(arn: internalARN)
        XCTAssertNotNil(kept, "the protected load balancer was not deleted")

        // A stack that turns it off is destroyed: the destroy lifts protection first.
        settings.deletionProtection = false
        try await harness.destroy(declare(settings))
        let gone = try await elbv2.loadBalancer(arn: internalARN)
        XCTAssertNil(gone)
        let groupGone = try await elbv2.targetGroup(arn: newGroupARN)
        XCTAssertNil(groupGone)
        try await network.deleteSecurityGroup(first)
        try await network.deleteSecurityGroup(second)
    }

    func testHTTPSListenerWithCertificateAndPolicy() async throws {
        let harness = try StackHarness()
        let elbv2 = harness.aws.elbv2
        let network = try await DefaultNetwork.read(harness.aws)
        let tag = UUID().uuidString.prefix(8).lowercased()
        let certificate = try await network.requestCertificate("web-\(tag).example.com")
        func declare(policy: String?) -> Stack {
            Stack("elbv2-https-test") { stack in
                let balancer = stack.add(ELBv2.LoadBalancer("web", loadBalancerName: Text("tls-\(tag)"),
                                                            subnets: TextList(network.subnets.prefix(2).map { Text($0) })))
                let group = stack.add(ELBv2.TargetGroup("app", targetGroupName: Text("tls-\(tag)"), protocolName: "HTTPS", port: 8443,
                                                        vpcID: Text(network.vpcID), targetType: "ip"))
                stack.add(ELBv2.Listener("https", loadBalancerARN: balancer.arn, port: 443, protocolName: "HTTPS",
                                         certificateARN: Text(certificate), sslPolicy: policy, targetGroupARN: group.arn))
            }
        }
        try await harness.apply(declare(policy: "ELBSecurityPolicy-TLS13-1-2-2021-06"))
        let listenerARN = try await recordedID(harness, "elbv2.listener.https")
        let foundListener = try await elbv2.listener(arn: listenerARN)
        let listener = try XCTUnwrap(foundListener)
        XCTAssertEqual(listener.protocolName, "HTTPS")
        XCTAssertEqual(listener.certificateARN, certificate)
        XCTAssertEqual(listener.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-2021-06")
        let group = try await elbv2.targetGroup(arn: try await recordedID(harness, "elbv2.target_group.app"))
        XCTAssertEqual(group?.protocolName, "HTTPS")
        XCTAssertEqual(group?.targetType, "ip")
        try await assertNoChanges(harness, declare(policy: "ELBSecurityPolicy-TLS13-1-2-2021-06"), "nothing changed after the create")
        // A policy left unset is AWS's to choose and is not compared.
        try await assertNoChanges(harness, declare(policy: nil), "an unset policy is not compared")

        let update = try await harness.apply(declare(policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"))
        XCTAssertEqual(StackHarness.action(update, "elbv2.listener.https"), .update)
        let updated = try await elbv2.listener(arn: listenerARN)
        XCTAssertEqual(updated?.sslPolicy, "ELBSecurityPolicy-TLS13-1-2-Res-2021-06")
        XCTAssertEqual(updated?.certificateARN, certificate)
        try await harness.destroy(declare(policy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"))
        let gone = try await elbv2.listener(arn: listenerARN)
        XCTAssertNil(gone)
    }

    func testImportReadsEverythingAndRecoveryAdoptsOnlyWhatTheCreateTagged() async throws {
        let harness = try StackHarness()
        let elbv2 = harness.aws.elbv2
        let network = try await DefaultNetwork.read(harness.aws)
        let tag = UUID().uuidString.prefix(8).lowercased()
        let group = try await network.createSecurityGroup("import-\(tag)")
        let balancer = try await elbv2.createLoadBalancer(name: "imp-\(tag)", type: "application", scheme: "internal",
                                                          subnets: Array(network.subnets.prefix(2)), securityGroups: [group],
                                                          tags: ["team": "ops"])
        try await elbv2.modifyLoadBalancerAttributes(balancer.arn, ["idle_timeout.timeout_seconds": "90"])
        let healthCheck = AWS.ELBV2.HealthCheck(path: "/up", intervalSeconds: 20, timeoutSeconds: 4, healthyThreshold: 3,
                                                unhealthyThreshold: 4, matcher: "200,204")
        let targets = try await elbv2.createTargetGroup(AWS.ELBV2.TargetGroup(arn: "", name: "imp-\(tag)", protocolName: "HTTP", port: 80,
                                                                              vpcID: network.vpcID, targetType: "instance",
                                                                              healthCheck: healthCheck), tags: [:])
        let listener = try await elbv2.createListener(AWS.ELBV2.Listener(loadBalancerARN: balancer.arn, port: 80, protocolName: "HTTP",
                                                                         targetGroupARN: targets.arn), tags: [:])

        func context(_ address: String, intent: String? = nil) -> OperationContext {
            let parts = address.split(separator: ".", maxSplits: 2).map(String.init)
            return OperationContext(address: Address(type: parts[0] + "." + parts[1], name: parts[2]), region: harness.region, intentID: intent,
                                    client: harness.aws)
        }
        let balancerType = ELBv2.LoadBalancer.makeType()
        let imported = try await balancerType.checkedImport(id: balancer.arn, context: context("elbv2.load_balancer.web"))
        XCTAssertEqual(imported?.properties["loadBalancerName"], .string("imp-\(tag)"))
        XCTAssertEqual(imported?.properties["internal"], true)
        XCTAssertEqual(imported?.properties["subnets"], .list(network.subnets.prefix(2).sorted().map(Value.string)))
        XCTAssertEqual(imported?.properties["securityGroups"], .list([.string(group)]))
        XCTAssertEqual(imported?.properties["deletionProtection"], false)
        XCTAssertEqual(imported?.properties["idleTimeout"], 90)
        XCTAssertEqual(imported?.properties["tags"], ["team": "ops"])
        let groupType = ELBv2.TargetGroup.makeType()
        let importedGroup = try await groupType.checkedImport(id: targets.arn, context: context("elbv2.target_group.app"))
        XCTAssertEqual(importedGroup?.properties["healthCheckPath"], "/up")
        XCTAssertEqual(importedGroup?.properties["healthCheckTimeout"], 4)
        XCTAssertEqual(importedGroup?.properties["unhealthyThreshold"], 4)
        XCTAssertEqual(importedGroup?.properties["matcher"], "200,204")
        XCTAssertEqual(importedGroup?.properties["vpcID"], .string(network.vpcID))
        let listenerType = ELBv2.Listener.makeType()
        let importedListener = try await listenerType.checkedImport(id: listener.arn, context: context("elbv2.listener.http"))
        XCTAssertEqual(importedListener?.properties["targetGroupARN"], .string(targets.arn))
        XCTAssertEqual(importedListener?.properties["port"], 80)
        XCTAssertNil(importedListener?.properties["sslPolicy"], "an HTTP listener has no policy")
        XCTAssertEqual(balancerType.validateImportID("imp-\(tag)") != nil, true, "a name is not an import id")

        // Same-named resources that no create of imgstack's tagged are someone else's.
        let foreign = try await balancerType.findCreated(from: ["loadBalancerName": .string("imp-\(tag)")],
                                                         context: context("elbv2.load_balancer.web", intent: "intent-1"))
        XCTAssertNil(foreign, "an untagged load balancer of the same name is not adopted")
        let foreignGroup = try await groupType.findCreated(from: ["targetGroupName": .string("imp-\(tag)")],
                                                           context: context("elbv2.target_group.app", intent: "intent-1"))
        XCTAssertNil(foreignGroup)
        let foreignListener = try await listenerType.findCreated(from: ["loadBalancerARN": .string(balancer.arn), "port": 80],
                                                                 context: context("elbv2.listener.http", intent: "intent-1"))
        XCTAssertNil(foreignListener)
        try await elbv2.addTags(balancer.arn, tags: ["imgstack:intent": "intent-1"])
        let adopted = try await balancerType.findCreated(from: ["loadBalancerName": .string("imp-\(tag)"), "idleTimeout": 60],
                                                         context: context("elbv2.load_balancer.web", intent: "intent-1"))
        XCTAssertEqual(adopted?.id, balancer.arn)
        XCTAssertEqual(adopted?.properties["idleTimeout"], 90, "the adopted load balancer is read as it is")

        // The emulator refuses to delete a protected load balancer, as AWS does (test support).
        try await elbv2.modifyLoadBalancerAttributes(balancer.arn, ["deletion_protection.enabled": "true"])
        do {
            try await elbv2.deleteLoadBalancer(balancer.arn)
            XCTFail("a load balancer with deletion protection on was deleted")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "OperationNotPermitted")
        }
        try await elbv2.modifyLoadBalancerAttributes(balancer.arn, ["deletion_protection.enabled": "false"])

        try await listenerType.delete(try XCTUnwrap(importedListener), context: context("elbv2.listener.http"))
        try await groupType.delete(try XCTUnwrap(importedGroup), context: context("elbv2.target_group.app"))
        try await balancerType.delete(try XCTUnwrap(imported), context: context("elbv2.load_balancer.web"))
        let missing = try await balancerType.checkedImport(id: balancer.arn, context: context("elbv2.load_balancer.web"))
        XCTAssertNil(missing)
        try await network.deleteSecurityGroup(group)
    }
}
