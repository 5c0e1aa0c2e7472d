import Engine
import ImgStack
import XCTest

/// Lookups with bad input are refused when the stack is evaluated, before any call, naming the
/// lookup's address and the argument.
final class LookupValidationTests: XCTestCase {
    private func issues(_ build: @escaping @Sendable (StackBuilder) -> Void) -> [String] {
        do {
            _ = try Stack("t", body: build).evaluate(variables: [:], region: "eu-west-1")
            return []
        } catch let error as StackValidationError {
            return error.issues.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    func testAVPCLookupSaysWhichVPC() {
        XCTAssertEqual(issues { $0.lookup(EC2.VPCLookup("any")) },
                       ["lookup.ec2.vpc.any: property tags: say which VPC: the default one (EC2.VPCLookup.defaultVPC) or tags it carries"])
        XCTAssertEqual(issues { $0.lookup(EC2.VPCLookup("main", tags: ["Name": "main"])) }, [])
        XCTAssertEqual(issues { $0.lookup(EC2.VPCLookup.defaultVPC("default")) }, [])
    }

    func testASubnetsLookupNeedsAVPCID() {
        XCTAssertEqual(issues { $0.lookup(EC2.SubnetsLookup("public", vpcID: "main")) },
                       ["lookup.ec2.subnets.public: property vpcID: \"main\" is not a VPC id (vpc-…)"])
        XCTAssertEqual(issues { stack in
            let vpc = stack.lookup(EC2.VPCLookup.defaultVPC("default"))
            stack.lookup(EC2.SubnetsLookup("public", vpcID: vpc.id, publicOnly: true))
        }, [], "a reference waits for the read")
    }

    func testAKeyLookupNeedsAnAlias() {
        XCTAssertEqual(issues { $0.lookup(KMS.KeyLookup("shared", alias: "alias/")) },
                       ["lookup.kms.key.shared: property alias: \"alias/\" must start with \"alias/\" and name an alias"])
    }

    func testAReferenceToAnAttributeALookupDoesNotHaveIsRefused() {
        XCTAssertEqual(issues { stack in
            let me = stack.lookup(STS.CallerIdentity("me"))
            stack.output("x", me.attribute("accountId"))
        }, ["output.x: refers to lookup.sts.caller_identity.me.accountId, but lookup sts.caller_identity has no attribute \"accountId\"; it has: accountID, partition, arn, userID"])
    }

    func testTwoLookupsWithOneAddressAreRefused() {
        XCTAssertEqual(issues { stack in
            stack.lookup(STS.CallerIdentity("me"))
            stack.lookup(STS.CallerIdentity("me"))
        }, ["lookup.sts.caller_identity.me: declared 2 times; addresses must be unique"])
    }
}
