import Engine
import Foundation
import ImgStack
import Stacks
import TestSupport
import XCTest

/// `plan --json` and `show --json` write Terraform's JSON plan format
/// (developer.hashicorp.com/terraform/internals/json-format), checked against the constraints
/// hashicorp/terraform-json documents for it, and pinned to golden files for the quickstart and
/// image-server stacks. Re-record with
/// `IMGSTACK_RECORD_GOLDEN=1 swift test --filter TerraformPlanFormatTests`.
final class TerraformPlanFormatTests: XCTestCase {
    private static let fixtures = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().appendingPathComponent("Fixtures")

    func testQuickstartTerraformPlanMatchesGoldenFile() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--json", "--region", "eu-west-1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        try assertGolden(result.standardOutput, Self.fixtures.appendingPathComponent("quickstart-terraform-plan.json"))
    }

    func testImageServerTerraformPlanMatchesGoldenFile() async throws {
        let result = try await CLI().run(["plan", "--stack", "image-server", "--json", "--region", "eu-west-1"])
        XCTAssertEqual(result.status, 0, result.standardError)
        // The stack's function and site directories are in the build's resource bundle, whose
        // absolute path depends on where the package was cloned.
        let output = result.standardOutput.replacingOccurrences(of: #"/[^"\s]*/imgstack_Stacks\.resources/"#, with: "<stack resources>/",
                                                                options: .regularExpression)
        XCTAssertFalse(output.contains(".build/"), "a build path is left in the plan")
        try assertGolden(output, Self.fixtures.appendingPathComponent("image-server-terraform-plan.json"))
    }

    func testShowJSONOfASavedPlanIsThePlansTerraformJSON() async throws {
        let cli = try CLI()
        let planned = try await cli.run(["plan", "--stack", "quickstart", "--json", "--out", "saved.plan"])
        XCTAssertEqual(planned.status, 0, planned.standardError)
        let shown = try await cli.run(["show", "--json", "saved.plan"])
        XCTAssertEqual(shown.status, 0, shown.standardError)
        XCTAssertEqual(shown.standardOutput, planned.standardOutput)
        let human = try await cli.run(["show", "saved.plan"])
        XCTAssertTrue(human.standardOutput.contains("Plan: 7 to add, 0 to change, 0 to destroy."), human.standardOutput)
    }

    func testEveryShippedStackFollowsTerraformJSONConstraints() throws {
        for stack in ShippedStacks.all {
            let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))
            let name = stack.name
            // terraform-json refuses any format version but 1.x.
            XCTAssertTrue((document["format_version"] as? String)?.hasPrefix("1.") ?? false, name)
            XCTAssertEqual(document["terraform_version"] as? String, JSONPlanRenderer.terraformVersion, name)
            for key in ["applyable", "complete", "errored"] { XCTAssertNotNil(document[key] as? Bool, "\(name): \(key)") }
            let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]], name)
            let planned = Set(TerraformPlanJSON.plannedAddresses(document))
            let allowed: Set<[String]> = [["no-op"], ["create"], ["read"], ["update"], ["delete"], ["create", "delete"], ["delete", "create"]]
            var addresses: Set<String> = []
            for change in changes {
                let address = try XCTUnwrap(change["address"] as? String, name)
                XCTAssertTrue(addresses.insert(address).inserted, "\(name): \(address) twice")
                XCTAssertNotNil(address.range(of: #"^aws_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*(\["[^"]+"\])?$"#, options: .regularExpression),
                                "\(name): \(address)")
                let index = (change["index"] as? String).map { "[\"\($0)\"]" } ?? ""
                XCTAssertEqual(address, "\(change["type"] as? String ?? "").\(change["name"] as? String ?? "")\(index)", name)
                XCTAssertEqual(change["mode"] as? String, "managed", name)
                let body = try XCTUnwrap(change["change"] as? [String: Any], name)
                XCTAssertTrue(allowed.contains(body["actions"] as? [String] ?? []), "\(name): \(address) \(body["actions"] ?? "")")
                XCTAssertTrue(planned.contains(address), "\(name): \(address) is not in planned_values")
            }
            XCTAssertEqual(planned, addresses, "\(name): planned_values and resource_changes list the same resources")
            let configuration = try XCTUnwrap(document["configuration"] as? [String: Any], name)
            let module = try XCTUnwrap(configuration["root_module"] as? [String: Any], name)
            let configured = (module["resources"] as? [[String: Any]] ?? [])
            // A configuration names each resource once, without the index of its instances.
            let resources = Set(addresses.map { $0.components(separatedBy: "[")[0] })
            XCTAssertEqual(Set(configured.compactMap { $0["address"] as? String }), resources, name)
            for resource in configured {
                for (attribute, expression) in resource["expressions"] as? [String: [String: Any]] ?? [:] {
                    for reference in expression["references"] as? [String] ?? [] {
                        let target = reference.split(separator: ".").prefix(2).joined(separator: ".")
                        XCTAssertTrue(resources.contains(target), "\(name): \(resource["address"] ?? "").\(attribute) refers to \(reference)")
                    }
                }
            }
        }
    }

    func testABucketIsSplitAsTheProviderSplitsItAndLinkedByReference() throws {
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "image-server" }!))
        let planned = Set(TerraformPlanJSON.plannedAddresses(document))
        for type in ["aws_s3_bucket", "aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_public_access_block",
                     "aws_s3_bucket_ownership_controls", "aws_s3_bucket_cors_configuration"] {
            XCTAssertTrue(planned.contains("\(type).images"), "\(type).images")
        }
        let configuration = try XCTUnwrap((document["configuration"] as? [String: Any])?["root_module"] as? [String: Any])
        let block = try XCTUnwrap((configuration["resources"] as? [[String: Any]])?.first { $0["address"] as? String == "aws_s3_bucket_public_access_block.images" })
        let bucket = try XCTUnwrap((block["expressions"] as? [String: Any])?["bucket"] as? [String: Any])
        XCTAssertEqual(bucket["references"] as? [String], ["aws_s3_bucket.images.id", "aws_s3_bucket.images"])
        let distribution = try XCTUnwrap((configuration["resources"] as? [[String: Any]])?.first { $0["address"] as? String == "aws_cloudfront_distribution.site" })
        let origin = try XCTUnwrap((distribution["expressions"] as? [String: Any])?["origin"] as? [String: Any])
        XCTAssertTrue((origin["references"] as? [String] ?? []).contains("aws_s3_bucket.images.bucket_regional_domain_name"), "\(origin)")
    }

    func testSecretsAreNullAndMarkedSensitiveAndUnknownsAreMarked() throws {
        let text = try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "image-server" }!)
        let document = try TerraformPlanJSON.parse(text)
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let client = try XCTUnwrap(changes.first { $0["type"] as? String == "aws_cognito_user_pool_client" })
        let body = try XCTUnwrap(client["change"] as? [String: Any])
        let sensitive = try XCTUnwrap(body["after_sensitive"] as? [String: Bool])
        XCTAssertFalse(sensitive.isEmpty, "the client secret is marked sensitive")
        let after = try XCTUnwrap(body["after"] as? [String: Any])
        for name in sensitive.keys { XCTAssertTrue(after[name] is NSNull, "\(name) is null") }
        let bucket = try XCTUnwrap(changes.first { $0["address"] as? String == "aws_s3_bucket.images" }?["change"] as? [String: Any])
        XCTAssertEqual((bucket["after_unknown"] as? [String: Any])?["arn"] as? Bool, true)
    }

    /// IAM keeps an OIDC provider's URL without its scheme (and so does state), but the provider's
    /// `url` argument is the issuer URL as configured: the JSON plan writes `https://…`.
    func testAnOIDCProvidersURLIsWrittenAsTheProviderDocumentsIt() throws {
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "deploy-role" }!))
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let provider = try XCTUnwrap(changes.first { $0["type"] as? String == "aws_iam_openid_connect_provider" })
        let after = try XCTUnwrap((provider["change"] as? [String: Any])?["after"] as? [String: Any])
        XCTAssertEqual(after["url"] as? String, "https://token.actions.githubusercontent.com")
    }
}
