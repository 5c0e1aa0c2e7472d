import Foundation
@testable import AWS
import XCTest

/// Every Elastic Load Balancing v2 call imgstack makes, checked against botocore's `elbv2` model:
/// `Action`, `Version`, each form parameter as a path through the input shape
/// (`Subnets.member.1`, `DefaultActions.member.1.TargetGroupArn`, `Matcher.HttpCode`), required
/// members, enums and limits; and the sample answers the calls parse.
final class ELBv2RequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("elbv2", "2015-12-01")
    private static let balancerARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188"
    private static let groupARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/app/73e2d6bc24d8a067"
    private static let listenerARN = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
    private static let certificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d"

    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.ELBV2) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        try await checkQueryCall(Self.model, operation, result: result, { try await call($0.elbv2) }, file: file, line: line).formParameters
    }

    private static let balancerXML = """
        <LoadBalancers><member><LoadBalancerArn>\(balancerARN)</LoadBalancerArn><DNSName>web-1.eu-west-1.elb.amazonaws.com</DNSName>\
        <CanonicalHostedZoneId>Z32O12XQLNTSW2</CanonicalHostedZoneId><LoadBalancerName>web</LoadBalancerName><Scheme>internet-facing</Scheme>\
        <VpcId>vpc-1</VpcId><State><Code>provisioning</Code></State><Type>application</Type>\
        <AvailabilityZones><member><ZoneName>eu-west-1a</ZoneName><SubnetId>subnet-a</SubnetId></member>\
        <member><ZoneName>eu-west-1b</ZoneName><SubnetId>subnet-b</SubnetId></member></AvailabilityZones>\
        <SecurityGroups><member>sg-1</member></SecurityGroups><IpAddressType>ipv4</IpAddressType></member></LoadBalancers>
        """

    private static let balancer = ELBV2.LoadBalancer(arn: balancerARN, name: "web", dnsName: "web-1.eu-west-1.elb.amazonaws.com",
                                                     canonicalHostedZoneID: "Z32O12XQLNTSW2", scheme: "internet-facing", type: "application",
                                                     vpcID: "vpc-1", subnets: ["subnet-a", "subnet-b"], securityGroups: ["sg-1"])

    private static let healthCheck = ELBV2.HealthCheck(path: "/health", intervalSeconds: 15, timeoutSeconds: 4, healthyThreshold: 3,
                                                       unhealthyThreshold: 2, matcher: "200-299")

    private static let groupXML = """
        <TargetGroups><member><TargetGroupArn>\(groupARN)</TargetGroupArn><TargetGroupName>app</TargetGroupName><Protocol>HTTP</Protocol>\
        <Port>8080</Port><VpcId>vpc-1</VpcId><HealthCheckProtocol>HTTP</HealthCheckProtocol><HealthCheckPort>traffic-port</HealthCheckPort>\
        <HealthCheckEnabled>true</HealthCheckEnabled><HealthCheckIntervalSeconds>15</HealthCheckIntervalSeconds>\
        <HealthCheckTimeoutSeconds>4</HealthCheckTimeoutSeconds><HealthyThresholdCount>3</HealthyThresholdCount>\
        <UnhealthyThresholdCount>2</UnhealthyThresholdCount><HealthCheckPath>/health</HealthCheckPath><Matcher><HttpCode>200-299</HttpCode></Matcher>\
        <LoadBalancerArns/><TargetType>instance</TargetType></member></TargetGroups>
        """

    private static let group = ELBV2.TargetGroup(arn: groupARN, name: "app", protocolName: "HTTP", port: 8080, vpcID: "vpc-1",
                                                  targetType: "instance", healthCheck: healthCheck)

    private static let listenerXML = """
        <Listeners><member><ListenerArn>\(listenerARN)</ListenerArn><LoadBalancerArn>\(balancerARN)</LoadBalancerArn><Port>443</Port>\
        <Protocol>HTTPS</Protocol><Certificates><member><CertificateArn>\(certificate)</CertificateArn></member></Certificates>\
        <SslPolicy>ELBSecurityPolicy-TLS13-1-2-2021-06</SslPolicy><DefaultActions><member><Type>forward</Type>\
        <TargetGroupArn>\(groupARN)</TargetGroupArn></member></DefaultActions></member></Listeners>
        """

    private static let listener = ELBV2.Listener(arn: listenerARN, loadBalancerARN: balancerARN, port: 443, protocolName: "HTTPS",
                                                 sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateARN: certificate,
                                                 targetGroupARN: groupARN)

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["CreateLoadBalancer"], "botocore's elbv2 model was not found")
    }

    func testCreateLoadBalancerSendsListsAndTagsAsMembersAndDecodesTheAnswer() async throws {
        var created: ELBV2.LoadBalancer?
        let form = try await check("CreateLoadBalancer", result: Self.balancerXML) {
            created = try await $0.createLoadBalancer(name: "web", type: "application", scheme: "internet-facing", subnets: ["subnet-a", "subnet-b"],
                                                      securityGroups: ["sg-1"], tags: ["app": "upload", "imgstack:intent": "i-1"])
        }
        XCTAssertEqual(created, Self.balancer)
        XCTAssertEqual(form["Name"], "web")
        XCTAssertEqual(form["Type"], "application")
        XCTAssertEqual(form["Scheme"], "internet-facing")
        XCTAssertEqual(form["Subnets.member.2"], "subnet-b")
        XCTAssertEqual(form["SecurityGroups.member.1"], "sg-1")
        XCTAssertEqual(form["Tags.member.1.Key"], "app")
        XCTAssertEqual(form["Tags.member.2.Value"], "i-1")
    }

    func testCreateLoadBalancerWithoutGroupsOrTagsLeavesThemOut() async throws {
        let form = try await check("CreateLoadBalancer", result: Self.balancerXML) {
            _ = try await $0.createLoadBalancer(name: "web", type: "application", scheme: "internal", subnets: ["subnet-a", "subnet-b"],
                                                securityGroups: [], tags: [:])
        }
        XCTAssertNil(form["SecurityGroups"], "no groups: AWS uses the VPC's default group")
        XCTAssertNil(form["Tags"], "the model takes at least one tag or none at all")
    }

    func testDescribeLoadBalancersByARNAndByName() async throws {
        var read: ELBV2.LoadBalancer?
        let byARN = try await check("DescribeLoadBalancers", result: Self.balancerXML) { read = try await $0.loadBalancer(arn: Self.balancerARN) }
        XCTAssertEqual(byARN["LoadBalancerArns.member.1"], Self.balancerARN)
        XCTAssertEqual(read, Self.balancer)
        let byName = try await check("DescribeLoadBalancers", result: Self.balancerXML) { read = try await $0.loadBalancer(named: "web") }
        XCTAssertEqual(byName["Names.member.1"], "web")
    }

    func testLoadBalancerAttributesAreReadAndWrittenAsKeyValueMembers() async throws {
        var attributes: [String: String] = [:]
        try await check("DescribeLoadBalancerAttributes", result: """
            <Attributes><member><Key>deletion_protection.enabled</Key><Value>false</Value></member>\
            <member><Key>idle_timeout.timeout_seconds</Key><Value>60</Value></member></Attributes>
            """) { attributes = try await $0.loadBalancerAttributes(Self.balancerARN) }
        XCTAssertEqual(attributes, ["deletion_protection.enabled": "false", "idle_timeout.timeout_seconds": "60"])
        let form = try await check("ModifyLoadBalancerAttributes") {
            try await $0.modifyLoadBalancerAttributes(Self.balancerARN, ["idle_timeout.timeout_seconds": "120", "deletion_protection.enabled": "true"])
        }
        XCTAssertEqual(form["Attributes.member.1.Key"], "deletion_protection.enabled")
        XCTAssertEqual(form["Attributes.member.2.Value"], "120")
    }

    func testSubnetsSecurityGroupsAndDeleteOfALoadBalancer() async throws {
        let subnets = try await check("SetSubnets") { try await $0.setSubnets(Self.balancerARN, ["subnet-a", "subnet-c"]) }
        XCTAssertEqual(subnets["Subnets.member.2"], "subnet-c")
        let groups = try await check("SetSecurityGroups") { try await $0.setSecurityGroups(Self.balancerARN, ["sg-1", "sg-2"]) }
        XCTAssertEqual(groups["SecurityGroups.member.2"], "sg-2")
        let delete = try await check("DeleteLoadBalancer") { try await $0.deleteLoadBalancer(Self.balancerARN) }
        XCTAssertEqual(delete["LoadBalancerArn"], Self.balancerARN)
    }

    func testCreateTargetGroupSendsTheWholeHealthCheck() async throws {
        var created: ELBV2.TargetGroup?
        let form = try await check("CreateTargetGroup", result: Self.groupXML) { created = try await $0.createTargetGroup(Self.group, tags: ["app": "upload"]) }
        XCTAssertEqual(created, Self.group)
        XCTAssertEqual(form["Protocol"], "HTTP")
        XCTAssertEqual(form["Port"], "8080")
        XCTAssertEqual(form["VpcId"], "vpc-1")
        XCTAssertEqual(form["TargetType"], "instance")
        XCTAssertEqual(form["HealthCheckPath"], "/health")
        XCTAssertEqual(form["HealthCheckIntervalSeconds"], "15")
        XCTAssertEqual(form["HealthCheckTimeoutSeconds"], "4")
        XCTAssertEqual(form["HealthyThresholdCount"], "3")
        XCTAssertEqual(form["UnhealthyThresholdCount"], "2")
        XCTAssertEqual(form["Matcher.HttpCode"], "200-299")
        XCTAssertEqual(form["Tags.member.1.Key"], "app")
    }

    func testTargetGroupReadModifyAndDelete() async throws {
        var read: ELBV2.TargetGroup?
        let byName = try await check("DescribeTargetGroups", result: Self.groupXML) { read = try await $0.targetGroup(named: "app") }
        XCTAssertEqual(byName["Names.member.1"], "app")
        XCTAssertEqual(read, Self.group)
        let byARN = try await check("DescribeTargetGroups", result: Self.groupXML) { read = try await $0.targetGroup(arn: Self.groupARN) }
        XCTAssertEqual(byARN["TargetGroupArns.member.1"], Self.groupARN)
        let modify = try await check("ModifyTargetGroup") { try await $0.modifyTargetGroup(Self.groupARN, healthCheck: Self.healthCheck) }
        XCTAssertEqual(modify["Matcher.HttpCode"], "200-299")
        XCTAssertNil(modify["Port"], "ModifyTargetGroup takes no port")
        try await check("DeleteTargetGroup") { try await $0.deleteTargetGroup(Self.groupARN) }
    }

    func testCreateListenerSendsCertificateAndForwardAction() async throws {
        var created: ELBV2.Listener?
        let form = try await check("CreateListener", result: Self.listenerXML) { created = try await $0.createListener(Self.listener, tags: [:]) }
        XCTAssertEqual(created, Self.listener)
        XCTAssertEqual(form["LoadBalancerArn"], Self.balancerARN)
        XCTAssertEqual(form["Port"], "443")
        XCTAssertEqual(form["Protocol"], "HTTPS")
        XCTAssertEqual(form["SslPolicy"], "ELBSecurityPolicy-TLS13-1-2-2021-06")
        XCTAssertEqual(form["Certificates.member.1.CertificateArn"], Self.certificate)
        XCTAssertEqual(form["DefaultActions.member.1.Type"], "forward")
        XCTAssertEqual(form["DefaultActions.member.1.TargetGroupArn"], Self.groupARN)
    }

    func testHTTPListenerSendsNoCertificateAndReadsNoPolicy() async throws {
        let http = ELBV2.Listener(loadBalancerARN: Self.balancerARN, port: 80, protocolName: "HTTP", targetGroupARN: Self.groupARN)
        var read: ELBV2.Listener?
        // Some answers carry a policy on an HTTP listener; it means nothing there.
        let form = try await check("CreateListener", result: """
            <Listeners><member><ListenerArn>\(Self.listenerARN)</ListenerArn><LoadBalancerArn>\(Self.balancerARN)</LoadBalancerArn>\
            <Port>80</Port><Protocol>HTTP</Protocol><SslPolicy>ELBSecurityPolicy-2016-08</SslPolicy>\
            <DefaultActions><member><Type>forward</Type><TargetGroupArn>\(Self.groupARN)</TargetGroupArn></member></DefaultActions></member></Listeners>
            """) { read = try await $0.createListener(http, tags: [:]) }
        XCTAssertNil(form["Certificates"])
        XCTAssertNil(form["SslPolicy"])
        XCTAssertNil(read?.sslPolicy)
        XCTAssertEqual(read?.targetGroupARN, Self.groupARN)
    }

    func testListenerReadModifyListAndDelete() async throws {
        var read: ELBV2.Listener?
        let byARN = try await check("DescribeListeners", result: Self.listenerXML) { read = try await $0.listener(arn: Self.listenerARN) }
        XCTAssertEqual(byARN["ListenerArns.member.1"], Self.listenerARN)
        XCTAssertEqual(read, Self.listener)
        var listed: [ELBV2.Listener] = []
        let byBalancer = try await check("DescribeListeners", result: Self.listenerXML) { listed = try await $0.listeners(loadBalancerARN: Self.balancerARN) }
        XCTAssertEqual(byBalancer["LoadBalancerArn"], Self.balancerARN)
        XCTAssertEqual(listed, [Self.listener])
        let modify = try await check("ModifyListener") { try await $0.modifyListener(Self.listener) }
        XCTAssertEqual(modify["ListenerArn"], Self.listenerARN)
        XCTAssertEqual(modify["DefaultActions.member.1.TargetGroupArn"], Self.groupARN)
        XCTAssertNil(modify["LoadBalancerArn"], "ModifyListener takes no load balancer")
        try await check("DeleteListener") { try await $0.deleteListener(Self.listenerARN) }
    }

    func testTagsAreReadAddedAndRemoved() async throws {
        var tags: [String: String] = [:]
        let describe = try await check("DescribeTags", result: """
            <TagDescriptions><member><ResourceArn>\(Self.groupARN)</ResourceArn><Tags><member><Key>app</Key><Value>upload</Value></member></Tags></member></TagDescriptions>
            """) { tags = try await $0.tags(Self.groupARN) }
        XCTAssertEqual(describe["ResourceArns.member.1"], Self.groupARN)
        XCTAssertEqual(tags, ["app": "upload"])
        let add = try await check("AddTags") { try await $0.addTags(Self.groupARN, tags: ["tier": "web"]) }
        XCTAssertEqual(add["Tags.member.1.Key"], "tier")
        let remove = try await check("RemoveTags") { try await $0.removeTags(Self.groupARN, keys: ["b", "a"]) }
        XCTAssertEqual(remove["TagKeys.member.1"], "a")
        XCTAssertEqual(remove["TagKeys.member.2"], "b")
    }
}
