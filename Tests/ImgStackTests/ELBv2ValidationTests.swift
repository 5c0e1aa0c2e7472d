import Engine
import Foundation
@testable import ImgStack
import XCTest

/// Bad input to load balancers, target groups and listeners is refused before any call, naming
/// the resource's address and the property.
final class ELBv2ValidationTests: XCTestCase {
    private let subnets: [Text] = ["subnet-a", "subnet-b"]

    private func balancer(name: String = "web", subnets: [Text]? = nil, groups: [Text]? = nil, idleTimeout: Int = 60,
                          tags: [String: Text] = [:]) -> ELBv2.LoadBalancer {
        ELBv2.LoadBalancer("web", loadBalancerName: Text(name), subnets: TextList(subnets ?? self.subnets), securityGroups: groups,
                           idleTimeout: idleTimeout, tags: tags)
    }

    private func group(name: String = "app", protocolName: String = "HTTP", port: Int = 8080, targetType: String = "instance",
                       path: String = "/", interval: Int = 30, timeout: Int = 5, healthy: Int = 5, unhealthy: Int = 2,
                       matcher: String = "200") -> ELBv2.TargetGroup {
        ELBv2.TargetGroup("app", targetGroupName: Text(name), protocolName: protocolName, port: port, vpcID: "vpc-1", targetType: targetType,
                          healthCheckPath: path, healthCheckInterval: interval, healthCheckTimeout: timeout, healthyThreshold: healthy,
                          unhealthyThreshold: unhealthy, matcher: matcher)
    }

    private func listener(port: Int = 80, protocolName: String = "HTTP", certificate: Text? = nil, policy: String? = nil) -> ELBv2.Listener {
        ELBv2.Listener("http", loadBalancerARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1", port: port,
                       protocolName: protocolName, certificateARN: certificate, sslPolicy: policy,
                       targetGroupARN: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/app/2")
    }

    private static let certificate: Text = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d"

    func testWellFormedResourcesPass() {
        XCTAssertEqual(validationIssues(balancer()), [])
        XCTAssertEqual(validationIssues(group()), [])
        XCTAssertEqual(validationIssues(group(protocolName: "HTTPS", targetType: "ip", matcher: "200-299")), [])
        XCTAssertEqual(validationIssues(listener()), [])
        XCTAssertEqual(validationIssues(listener(port: 443, protocolName: "HTTPS", certificate: Self.certificate,
                                                 policy: "ELBSecurityPolicy-TLS13-1-2-2021-06")), [])
    }

    func testLoadBalancerNamesFollowAWSRules() {
        assertOneIssue(balancer(name: "web_balancer"), property: "loadBalancerName", containing: "letters, digits and hyphens")
        assertOneIssue(balancer(name: "-web"), property: "loadBalancerName", containing: "hyphen")
        assertOneIssue(balancer(name: String(repeating: "w", count: 33)), property: "loadBalancerName", containing: "1 to 32")
        assertOneIssue(balancer(name: "internal-web"), property: "loadBalancerName", containing: "internal-")
    }

    func testLoadBalancerNeedsTwoDistinctSubnetsEvenFromReferences() {
        assertOneIssue(balancer(subnets: ["subnet-a"]), property: "subnets", containing: "at least two Availability Zones")
        assertOneIssue(balancer(subnets: ["subnet-a", "subnet-a"]), property: "subnets", containing: "twice")
        let vpc = ELBv2.TargetGroup("other", targetGroupName: "other", port: 80, vpcID: "vpc-1")
        assertOneIssue(balancer(subnets: [vpc.arn]), property: "subnets", containing: "at least two")
    }

    func testLoadBalancerSecurityGroupsIdleTimeoutAndTags() {
        assertOneIssue(balancer(groups: (1...6).map { Text("sg-\($0)") }), property: "securityGroups", containing: "at most 5")
        assertOneIssue(balancer(idleTimeout: 0), property: "idleTimeout", containing: "1 to 4000")
        assertOneIssue(balancer(idleTimeout: 4001), property: "idleTimeout", containing: "1 to 4000")
        assertOneIssue(balancer(tags: ["imgstack:intent": "x"]), property: "tags", containing: "reserved by imgstack")
    }

    func testTargetGroupSettingsAreChecked() {
        assertOneIssue(group(name: "app.v2"), property: "targetGroupName", containing: "letters, digits and hyphens")
        assertOneIssue(group(protocolName: "TCP"), property: "protocol", containing: "HTTP or HTTPS")
        assertOneIssue(group(port: 0), property: "port", containing: "1 to 65535")
        assertOneIssue(group(targetType: "lambda"), property: "targetType", containing: "instance or ip")
        assertOneIssue(group(path: "health"), property: "healthCheckPath", containing: "start with /")
        assertOneIssue(group(interval: 301), property: "healthCheckInterval", containing: "5 to 300")
        assertOneIssue(group(timeout: 1), property: "healthCheckTimeout", containing: "2 to 120")
        assertOneIssue(group(healthy: 1), property: "healthyThreshold", containing: "2 to 10")
        assertOneIssue(group(unhealthy: 11), property: "unhealthyThreshold", containing: "2 to 10")
    }

    func testHealthCheckTimeoutMustBeLessThanTheInterval() {
        assertOneIssue(group(interval: 10, timeout: 10), property: "healthCheckTimeout", containing: "less than healthCheckInterval")
    }

    func testMatcherTakesCodesListsAndRangesFrom200To499() {
        XCTAssertEqual(validationIssues(group(matcher: "200,202,302")), [])
        for bad in ["100", "200-", "299-200", "200,,202", "ok", "500"] {
            assertOneIssue(group(matcher: bad), property: "matcher", containing: "200 to 499")
        }
    }

    func testHTTPSListenerNeedsACertificate() {
        assertOneIssue(listener(port: 443, protocolName: "HTTPS"), property: "certificateARN", containing: "an HTTPS listener needs a certificate")
    }

    func testHTTPListenerTakesNoCertificateOrPolicy() {
        assertOneIssue(listener(certificate: Self.certificate), property: "certificateARN", containing: "HTTPS listeners only")
        assertOneIssue(listener(policy: "ELBSecurityPolicy-2016-08"), property: "sslPolicy", containing: "HTTPS listeners only")
    }

    func testListenerPortProtocolCertificateAndPolicyForms() {
        assertOneIssue(listener(port: 70000), property: "port", containing: "1 to 65535")
        assertOneIssue(listener(protocolName: "TCP"), property: "protocol", containing: "HTTP or HTTPS")
        assertOneIssue(listener(port: 443, protocolName: "HTTPS", certificate: "my-cert"), property: "certificateARN", containing: "ACM or IAM")
        assertOneIssue(listener(port: 443, protocolName: "HTTPS", certificate: Self.certificate, policy: "modern"),
                       property: "sslPolicy", containing: "ELBSecurityPolicy-")
    }

    func testImportIDsAreARNsOfTheirKind() {
        XCTAssertNil(LoadBalancerType().validateImportID("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"))
        XCTAssertNotNil(LoadBalancerType().validateImportID("web"))
        XCTAssertNotNil(TargetGroupType().validateImportID("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"))
        XCTAssertNil(ListenerType().validateImportID("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"))
        // The generated part of the ARN is 16 hex digits, not any text.
        XCTAssertNotNil(ListenerType().validateImportID("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/1/2"))
    }

    func testSubnetsAndSecurityGroupsCompareAsSets() {
        XCTAssertEqual(LoadBalancerType().normalize("subnets", ["subnet-b", "subnet-a"]), ["subnet-a", "subnet-b"])
        XCTAssertEqual(LoadBalancerType().normalize("securityGroups", ["sg-2", "sg-1"]), ["sg-1", "sg-2"])
    }
}
