import Engine
import ImgStack
import XCTest

/// The IAM-roles-for-service-accounts trust policy helper.
final class ServiceAccountTrustTests: XCTestCase {
    private let expected: Engine.Value = [
        "Version": "2012-10-17",
        "Statement": [[
            "Effect": "Allow",
            "Principal": ["Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"],
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": ["StringEquals": [
                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub": "system:serviceaccount:s3proxy:reader",
                "oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud": "sts.amazonaws.com",
            ]],
        ]],
    ]

    func testKnownIssuerGivesTheTrustPolicyWithTheSchemeLeftOutOfTheConditionKeys() {
        let policy = PolicyDocument.assumableByServiceAccount(
            "reader", namespace: "s3proxy",
            oidcProviderARN: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC")
        XCTAssertEqual(policy.expression, .value(expected))
        XCTAssertEqual(PolicyNormalizer.issues(policy.expression), [])
    }

    func testAnIssuerFromAnotherStackIsPutInPlaceOnceRead() throws {
        let cluster = Address(type: Address.stackReferenceType, name: "cluster")
        let policy = PolicyDocument.assumableByServiceAccount(
            "reader", namespace: "s3proxy", oidcProviderARN: Text(.reference(Reference(address: cluster, attribute: "oidc_provider_arn"))),
            issuer: Text(.reference(Reference(address: cluster, attribute: "oidc_issuer"))))
        XCTAssertEqual(Set(policy.expression.references.map(\.attribute)), ["oidc_provider_arn", "oidc_issuer"])
        let outputs: [String: Engine.Value] = [
            "oidc_provider_arn": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
            "oidc_issuer": "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC",
        ]
        let resolved = policy.expression.resolve { outputs[$0.attribute] ?? .unknown }
        XCTAssertEqual(PolicyNormalizer.normalize(resolved), PolicyNormalizer.normalize(expected))
        XCTAssertEqual(policy.expression.resolve { _ in .unknown }, .unknown, "unknown until the other stack is read")
    }
}
