import Foundation
import TestSupport
import XCTest

/// `imgstack policy`: the deploy policy of a shipped stack, printed without any AWS call.
final class PolicyCommandTests: XCTestCase {
    private func policy(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await CLI().run(["policy", "--json"] + arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any], result.standardOutput)
    }

    /// The statements of every document of `policies`.
    private func statements(_ output: [String: Any]) throws -> [[String: Any]] {
        let documents = try XCTUnwrap(output["policies"] as? [[String: Any]])
        XCTAssertFalse(documents.isEmpty)
        return try documents.flatMap { document in
            XCTAssertEqual(document["Version"] as? String, "2012-10-17")
            return try XCTUnwrap(document["Statement"] as? [[String: Any]])
        }
    }

    /// The image server's policy grants S3, KMS, IAM, Lambda and Cognito actions on ARNs; the
    /// only `*` statements hold actions AWS grants on no resource, each with its reason.
    func testTheImageServerPolicyNamesItsResourcesAndSaysWhyForEveryStar() async throws {
        let output = try await policy(["--stack", "image-server", "--for", "apply", "--account", "123456789012"])
        XCTAssertEqual(output["stack"] as? String, "image-server")
        XCTAssertEqual(output["for"] as? String, "apply")
        let reasons = try XCTUnwrap(output["reasons"] as? [String: [String]])
        let noResource: Set<String> = [
            "s3:ListAllMyBuckets", "kms:CreateKey", "kms:ListKeys", "kms:ListAliases", "cognito-idp:CreateUserPool", "cognito-idp:ListUserPools",
            "cognito-idp:DescribeUserPoolDomain", "cognito-identity:CreateIdentityPool", "cognito-identity:ListIdentityPools",
            "cognito-identity:SetIdentityPoolRoles",
        ]
        var scoped = Set<String>()
        for statement in try statements(output) {
            let sid = try XCTUnwrap(statement["Sid"] as? String)
            let actions = try XCTUnwrap(statement["Action"] as? [String])
            let resources = try XCTUnwrap(statement["Resource"] as? [String])
            XCTAssertEqual(statement["Effect"] as? String, "Allow")
            if resources == ["*"] {
                XCTAssertNotNil(reasons[sid], "\(sid): a `*` statement has its reason")
                let services = Set(actions.compactMap { $0.split(separator: ":").first.map(String.init) })
                for action in actions where services.isSubset(of: ["s3", "kms", "iam", "lambda", "cognito-idp", "cognito-identity"]) {
                    XCTAssertTrue(noResource.contains(action), "\(sid): \(action) accepts a resource ARN but is granted on *")
                }
            } else {
                XCTAssertNil(reasons[sid], sid)
                scoped.formUnion(actions)
                XCTAssertTrue(resources.allSatisfy { $0.hasPrefix("arn:aws:") }, "\(sid): \(resources)")
            }
        }
        for action in ["s3:PutEncryptionConfiguration", "kms:PutKeyPolicy", "iam:CreateRole", "lambda:CreateFunction", "cognito-idp:UpdateUserPool",
                       "cloudfront:CreateDistribution", "iam:PassRole"] {
            XCTAssertTrue(scoped.contains(action), "\(action) is granted on an ARN")
        }
    }

    /// A plan's policy reads only, for every shipped stack (settling a crashed apply's
    /// half-made security group included); the state backend's lock is written even by a plan.
    func testAPlanPolicyGrantsNoWriteToTheStacksResources() async throws {
        for stack in ["quickstart", "image-server", "upload-api", "file-upload-app", "microservice-storage"] {
            let statements = try statements(try await policy(["--stack", stack, "--for", "plan", "--backend", "s3://acme-state/\(stack)/"]))
            for statement in statements where !((statement["Sid"] as? String) ?? "").hasPrefix("State") {
                let actions = try XCTUnwrap(statement["Action"] as? [String])
                // API Gateway's reads are its HTTP method; kms:Decrypt reads a SecureString parameter.
                let writes = actions.filter { action in
                    !["Get", "List", "Describe", "Head"].contains { action.split(separator: ":").last?.hasPrefix($0) ?? false }
                        && !["apigateway:GET", "kms:Decrypt"].contains(action)
                }
                XCTAssertEqual(writes, [], "\(stack): \(statement)")
            }
        }
        let output = try await policy(["--stack", "quickstart", "--for", "plan", "--backend", "s3://acme-state/quickstart/"])
        let statements = try statements(output)
        let state = try XCTUnwrap(statements.first { $0["Sid"] as? String == "StateObjects" })
        XCTAssertEqual(state["Resource"] as? [String], ["arn:aws:s3:::acme-state/quickstart/quickstart.state.json",
                                                       "arn:aws:s3:::acme-state/quickstart/quickstart.state.json.lock"])
    }

    /// Every command settles a crashed apply's unfinished creates first, and plan and destroy
    /// settle them too: their policies grant the lists a crashed create is found in
    /// (`findCreated`), not only apply's.
    func testPlanAndDestroyPoliciesGrantWhatSettlingACrashedCreateCalls() async throws {
        let settling = ["s3:ListAllMyBuckets", "kms:ListKeys", "cognito-idp:ListUserPools", "cognito-identity:ListIdentityPools",
                        "cloudfront:ListDistributions"]
        for purpose in ["plan", "destroy", "apply"] {
            let output = try await policy(["--stack", "image-server", "--for", purpose, "--account", "123456789012"])
            let actions = Set(try statements(output).flatMap { $0["Action"] as? [String] ?? [] })
            for action in settling {
                XCTAssertTrue(actions.contains(action), "--for \(purpose) lacks \(action), which settling a crashed create calls")
            }
            if purpose == "plan" {
                XCTAssertFalse(actions.contains("s3:CreateBucket") || actions.contains("kms:CreateKey"), "\(actions.sorted())")
            }
        }
    }

    /// A reference to another resource's name is granted as that name, not `*`: quickstart's
    /// role-policy attachment acts on its own role, `quickstart-reader` (name and path from the stack), a Lambda
    /// function and an instance profile pass their own role.
    func testAReferenceToAnotherResourcesNameIsScopedToThatName() async throws {
        let quickstart = try statements(try await policy(["--stack", "quickstart", "--for", "all", "--account", "123456789012"]))
        let attachment = try XCTUnwrap(quickstart.first { ($0["Action"] as? [String] ?? []).contains("iam:AttachRolePolicy") })
        XCTAssertEqual(attachment["Resource"] as? [String], ["arn:aws:iam::123456789012:role/quickstart-reader"])
        let upload = try statements(try await policy(["--stack", "file-upload-app", "--for", "all", "--account", "123456789012"]))
        let passed = Set(upload.filter { ($0["Action"] as? [String] ?? []).contains("iam:PassRole") }.flatMap { $0["Resource"] as? [String] ?? [] })
        XCTAssertTrue(passed.contains("arn:aws:iam::123456789012:role/file-upload-app-mover"), "\(passed)")
        XCTAssertTrue(passed.contains("arn:aws:iam::123456789012:role/file-upload-app-instance"), "\(passed)")
        // The auto-scaling group passes the role of its launch template's instance profile, and an
        // identity pool the roles it hands out: never every role.
        for stack in ["file-upload-app", "image-server"] {
            let granted = try statements(try await policy(["--stack", stack, "--for", "all", "--account", "123456789012"]))
            let passedRoles = granted.filter { ($0["Action"] as? [String] ?? []).contains("iam:PassRole") }.flatMap { $0["Resource"] as? [String] ?? [] }
            XCTAssertFalse(passedRoles.contains { $0.hasSuffix(":role/*") || $0 == "*" }, "\(stack): \(passedRoles)")
        }
        let image = try statements(try await policy(["--stack", "image-server", "--for", "apply", "--account", "123456789012"]))
        let pool = try XCTUnwrap(image.first { ($0["Sid"] as? String ?? "").hasPrefix("CognitoIdentityPoolRoles")
            && ($0["Action"] as? [String] ?? []).contains("iam:PassRole") })
        XCTAssertEqual(Set(pool["Resource"] as? [String] ?? []), ["arn:aws:iam::123456789012:role/image-server-guest",
                                                                   "arn:aws:iam::123456789012:role/image-server-user"])
    }

    /// An OIDC provider is granted on its own ARN (its URL without the scheme), an ECR
    /// lifecycle policy on its repository's: not on every one of the account.
    func testAnOIDCProviderAndALifecyclePolicyAreGrantedOnTheirOwnARNs() async throws {
        let granted = try statements(try await policy(["--stack", "deploy-role", "--var", "account_id=123456789012", "--for", "all",
                                                       "--account", "123456789012"]))
        let providers = Set(granted.filter { ($0["Action"] as? [String] ?? []).contains("iam:GetOpenIDConnectProvider") }
            .flatMap { $0["Resource"] as? [String] ?? [] })
        XCTAssertEqual(providers, ["arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"])
        // The same for a lifecycle policy on a repository of the stack, named through it.
        let proxy = try statements(try await policy(["--stack", "s3-proxy", "--for", "all", "--account", "123456789012"]))
        let repositories = Set(proxy.filter { ($0["Action"] as? [String] ?? []).contains("ecr:PutLifecyclePolicy") }.flatMap { $0["Resource"] as? [String] ?? [] })
        XCTAssertEqual(repositories, ["arn:aws:ecr:us-east-1:123456789012:repository/s3proxy-api"])
    }

    /// image-server's apply policy is longer than one managed policy holds: standard output is
    /// an array of documents that each fit (6,144 characters, whitespace not counted), and
    /// standard error says how many to create; `--json` lists the same documents.
    func testAPolicyLongerThanAManagedPolicyIsPrintedAsDocumentsThatEachFit() async throws {
        let arguments = ["policy", "--stack", "image-server", "--for", "apply", "--account", "123456789012"]
        let result = try await CLI().run(arguments)
        XCTAssertEqual(result.status, 0, result.standardError)
        let documents = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]], result.standardOutput)
        XCTAssertGreaterThan(documents.count, 1)
        for document in documents {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
            XCTAssertLessThanOrEqual(text.filter { !$0.isWhitespace }.count, 6_144)
        }
        XCTAssertTrue(result.standardError.contains("The policy is \(documents.count) documents"), result.standardError)
        let json = try await policy(Array(arguments.dropFirst()))
        XCTAssertEqual((json["policies"] as? [[String: Any]])?.count, documents.count)
    }

    func testAnUnknownPurposeIsRefused() async throws {
        let result = try await CLI().run(["policy", "--stack", "quickstart", "--for", "deploy"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("deploy"), result.standardError)
        XCTAssertEqual(result.standardOutput, "")
    }

    /// `--account 12` wrote `arn:aws:kms:us-east-1:12:key/*`; only a 12-digit id is taken.
    func testAnAccountThatIsNotTwelveDigitsIsRefused() async throws {
        for account in ["12", "x:y/z", "1111222233334", "11112222333a"] {
            let result = try await CLI().run(["policy", "--stack", "quickstart", "--account", account])
            XCTAssertEqual(result.status, 1, account)
            XCTAssertTrue(result.standardError.contains("--account \(account): an AWS account id is 12 digits"), result.standardError)
            XCTAssertEqual(result.standardOutput, "")
        }
    }
}
