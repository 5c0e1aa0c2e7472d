import Foundation
import TestSupport
import XCTest

/// `imgstack plan` as a newcomer and a CI step run it: no credentials needed for a first plan,
/// variables from every source, JSON and Markdown renderings.
final class CLIPlanTests: XCTestCase {
    func testFirstPlanNeedsNoCredentialsAndNoRegion() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Plan: 7 to add, 0 to change, 0 to destroy."), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("(known after apply)"), result.standardOutput)
        XCTAssertFalse(result.standardOutput.contains("\u{1B}["), "no colour without a terminal")
    }

    func testDetailedExitCodeIsTwoWhenThereAreChanges() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--detailed-exitcode", "--refresh=false"])
        XCTAssertEqual(result.status, 2, result.standardError)
    }

    func testVariablesFromEnvironmentFileAndFlagsInThatOrder() async throws {
        let cli = try CLI()
        let fromEnvironment = try await cli.run(["plan", "--stack", "quickstart", "--json"], environment: ["IMGSTACK_VAR_greeting": "from env"])
        XCTAssertTrue(fromEnvironment.standardOutput.contains("from env\\n"), fromEnvironment.standardOutput)

        try "{\"greeting\": \"from file\", \"versioning\": false}".write(toFile: cli.path("vars.json"), atomically: true, encoding: .utf8)
        let fromFile = try await cli.run(["plan", "--stack", "quickstart", "--json", "--var-file", "vars.json"],
                                         environment: ["IMGSTACK_VAR_greeting": "from env"])
        XCTAssertTrue(fromFile.standardOutput.contains("from file\\n"), fromFile.standardOutput)

        let fromFlag = try await cli.run(["plan", "--stack", "quickstart", "--json", "--var-file", "vars.json", "--var", "greeting=from flag"])
        XCTAssertTrue(fromFlag.standardOutput.contains("from flag\\n"), fromFlag.standardOutput)
    }

    func testJSONPlanUsesTerraformNames() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--json"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let document = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let types = Set(changes.compactMap { $0["type"] as? String })
        // The bucket's settings are resources of their own in the provider; its ownership, which
        // the quickstart leaves to S3, has none.
        XCTAssertEqual(types, ["aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_bucket_server_side_encryption_configuration",
                               "aws_s3_bucket_public_access_block", "aws_s3_object", "aws_kms_key",
                               "aws_kms_alias", "aws_iam_role", "aws_iam_policy", "aws_iam_role_policy_attachment"])
    }

    func testMarkdownIsAppendedToTheGitHubStepSummary() async throws {
        let cli = try CLI()
        try "# earlier step\n".write(toFile: cli.path("summary.md"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["plan", "--stack", "quickstart", "--markdown"], environment: ["GITHUB_STEP_SUMMARY": cli.path("summary.md")])
        XCTAssertEqual(result.status, 0, result.standardError)
        let summary = try String(contentsOfFile: cli.path("summary.md"), encoding: .utf8)
        XCTAssertTrue(summary.hasPrefix("# earlier step\n### imgstack plan: `quickstart`"), summary)
        XCTAssertTrue(summary.contains("**Plan:** 7 to add, 0 to change, 0 to destroy."), summary)
    }

    func testSavedPlanFileThatIsNotAPlanIsRefused() async throws {
        let cli = try CLI()
        try "not a plan".write(toFile: cli.path("bad.plan"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["apply", "bad.plan", "--stack", "quickstart"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("not an imgstack plan file"), result.standardError)
    }

    func testStacksAndValidate() async throws {
        let stacks = try await CLI().run(["stacks"])
        XCTAssertTrue(stacks.standardOutput.contains("quickstart"), stacks.standardOutput)
        XCTAssertTrue(stacks.standardOutput.contains("microservice-storage"), stacks.standardOutput)
        let valid = try await CLI().run(["validate", "--stack", "microservice-storage"])
        XCTAssertEqual(valid.status, 0, valid.standardError)
        XCTAssertTrue(valid.standardError.contains("0.0.0.0/0"), "the open-CIDR warning: " + valid.standardError)
    }

    func testTheS3ProxyStackPlansWithNoOtherStackPresentAndNamesTheStackItReads() async throws {
        let cli = try CLI()
        let alone = try await cli.run(["plan", "--stack", "s3-proxy"])
        XCTAssertEqual(alone.status, 0, alone.standardError)
        XCTAssertTrue(alone.standardOutput.contains("Plan: 8 to add, 0 to change, 0 to destroy."), alone.standardOutput)
        XCTAssertTrue(alone.standardOutput.contains("ecr.repository.image will be created"), alone.standardOutput)

        let missing = try await cli.run(["plan", "--stack", "s3-proxy", "--var", "cluster_stack=eks-cluster"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.standardError.contains("stack_reference.cluster: stack eks-cluster has no state at .imgstack/eks-cluster.state.json; apply it first"),
                      missing.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.directory.url.appendingPathComponent(".imgstack/s3-proxy.state.json").path))

        let cluster = #"{"format_version": 1, "lineage": "c-1", "serial": 3, "stack": "eks-cluster", "resources": [], "outputs": {"cluster_oidc_issuer_url": {"value": "https://oidc.eks.us-east-1.amazonaws.com/id/ABC", "sensitive": false}, "oidc_provider_arn": {"value": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", "sensitive": false}}}"#
        try FileManager.default.createDirectory(at: cli.directory.url.appendingPathComponent(".imgstack"), withIntermediateDirectories: true)
        try Data(cluster.utf8).write(to: cli.directory.url.appendingPathComponent(".imgstack/eks-cluster.state.json"))
        let read = try await cli.run(["plan", "--stack", "s3-proxy", "--var", "cluster_stack=eks-cluster"])
        XCTAssertEqual(read.status, 0, read.standardError)
        XCTAssertTrue(read.standardOutput.contains("Read stack_reference.cluster: outputs of stack eks-cluster at serial 3 (.imgstack/eks-cluster.state.json)"),
                      read.standardOutput)
        XCTAssertTrue(read.standardOutput.contains("oidc.eks.us-east-1.amazonaws.com/id/ABC:sub"), read.standardOutput)
    }

    func testTheUploadAPIStackPlansWithNoFlags() async throws {
        let result = try await CLI().run(["plan", "--stack", "upload-api"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Plan: 17 to add, 0 to change, 0 to destroy."), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("apigateway.stage.live will be created"), result.standardOutput)
        XCTAssertTrue((result.standardOutput + result.standardError).contains("account_id is empty: the CI deploy role is left out"))
    }

    /// Its lookups read the emulator's default VPC, its public subnets and the latest Amazon
    /// Linux 2023 AMI (as Terraform reads data sources, a plan needs credentials for them);
    /// everything else plans from the variables' defaults.
    func testTheFileUploadAppStackPlansWithNoFlags() async throws {
        let cli = try CLI.withEmulator(try Emulator.shared())
        let result = try await cli.run(["plan", "--stack", "file-upload-app"])
        XCTAssertEqual(result.status, 0, result.standardError)
        let output = result.standardOutput
        XCTAssertTrue(output.contains("Plan: 27 to add, 0 to change, 0 to destroy."), output)
        XCTAssertTrue(output.contains("elbv2.load_balancer.app will be created"), output)
        let lines = output.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let subnets = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("+ subnets ") && $0.hasSuffix("= [") }, output)
        XCTAssertTrue(lines[subnets + 1].hasPrefix("\"subnet-"), "the subnets lookup's ids, read at plan time: \(output)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("+ imageID ") && $0.contains("= \"ami-") }, "the AMI lookup's value: \(output)")
        XCTAssertTrue(output.contains("+ url = (known after apply)"), output)
        XCTAssertFalse(output.contains("will be read during apply"), "no lookup waits for a resource: \(output)")
    }

    /// The "no region configured" note appears only when the stack uses the region the run
    /// defaulted to: upload-api puts every resource in `var.region` (`resourceRegion`), so it
    /// says nothing; quickstart's resources take the run's region, so it says which.
    func testTheDefaultRegionNoteOnlyWhenSomeResourceHasNoRegion() async throws {
        let cli = try CLI()
        let upload = try await cli.run(["plan", "--stack", "upload-api", "--refresh=false"])
        XCTAssertEqual(upload.status, 0, upload.standardError)
        XCTAssertFalse(upload.standardError.contains("no region configured"), upload.standardError)
        let quickstart = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"])
        XCTAssertEqual(quickstart.status, 0, quickstart.standardError)
        XCTAssertTrue(quickstart.standardError.contains("Note: no region configured"), quickstart.standardError)
        let regional = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"], environment: ["AWS_REGION": "eu-west-2"])
        XCTAssertFalse(regional.standardError.contains("no region configured"), regional.standardError)
    }

    /// `--out` in a directory that does not exist is refused before any work, naming the plan
    /// file's directory (it was reported as "cannot access state" after the whole plan).
    func testAPlanFileInAMissingDirectoryIsRefusedNamingTheDirectory() async throws {
        let cli = try CLI()
        let result = try await cli.run(["plan", "--stack", "quickstart", "--out", "missing/dir/release.plan"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("--out missing/dir/release.plan: the plan file's directory missing/dir does not exist"),
                      result.standardError)
        XCTAssertFalse(result.standardError.contains("state"), result.standardError)
        XCTAssertFalse(result.standardOutput.contains("to add"), "refused before planning: \(result.standardOutput)")
    }

    /// A saved plan shown or applied with `--stack` naming another stack: the advice is to leave
    /// `--stack` out or name the plan's stack, not to "add" the flag that is already there.
    func testAPlanOfAnotherStackThanTheGivenStackSaysWhichToGive() async throws {
        let cli = try CLI()
        let saved = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false", "--out", "q.plan"])
        XCTAssertEqual(saved.status, 0, saved.standardError)
        for command in ["show", "apply"] {
            let result = try await cli.run([command, "q.plan", "--stack", "s3-proxy"])
            XCTAssertEqual(result.status, 1, command)
            XCTAssertTrue(result.standardError.contains("q.plan is a plan for stack quickstart, not s3-proxy; leave --stack out"),
                          "\(command): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("or give --stack quickstart"), result.standardError)
        }
    }

    /// A plan file named by one character in the working directory (the directory of a bare
    /// name crashed the run after the file was written).
    func testASavedPlanMayHaveAOneCharacterName() async throws {
        let cli = try CLI()
        let saved = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false", "--out", "f"])
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let shown = try await cli.run(["show", "f"])
        XCTAssertEqual(shown.status, 0, shown.standardError)
        XCTAssertTrue(shown.standardOutput.contains("to add"), shown.standardOutput)
    }

    /// A plan saved against an emulator is not applied to AWS, nor one made for another region:
    /// the plan records where its calls go, and apply refuses other settings before any call.
    func testASavedPlanIsAppliedOnlyWhereItWasMade() async throws {
        let cli = try CLI()
        let saved = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false", "--endpoint-url", "http://127.0.0.1:5999",
                                       "--region", "eu-west-1", "--out", "emulator.plan"])
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let toAWS = try await cli.run(["apply", "emulator.plan", "--region", "eu-west-1"])
        XCTAssertEqual(toAWS.status, 1)
        XCTAssertTrue(toAWS.standardError.contains("--endpoint-url: http://127.0.0.1:5999 in the plan, not set now"), toAWS.standardError)
        let otherRegion = try await cli.run(["apply", "emulator.plan", "--endpoint-url", "http://127.0.0.1:5999", "--region", "us-east-1"])
        XCTAssertEqual(otherRegion.status, 1)
        XCTAssertTrue(otherRegion.standardError.contains("region: eu-west-1 in the plan, us-east-1 now"), otherRegion.standardError)
        XCTAssertTrue(otherRegion.standardError.contains("nothing was done"), otherRegion.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.directory.url.appendingPathComponent(".imgstack/quickstart.state.json").path),
                       "no state was written")
    }

    /// An output asked for by name before any apply says there are none, not an empty list.
    func testAnOutputOfAStackNeverAppliedSaysThereAreNone() async throws {
        let cli = try CLI()
        let result = try await cli.run(["output", "bucket", "--stack", "quickstart"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains(#"no output named "bucket"; the state records no outputs"#), result.standardError)
    }

    func testASavedPlanIsReadableByItsOwnerOnly() async throws {
        let cli = try CLI()
        let path = cli.directory.url.appendingPathComponent("release.plan").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))
        let saved = try await cli.run(["plan", "--stack", "quickstart", "--out", "release.plan"])
        XCTAssertEqual(saved.status, 0, saved.standardError)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600, "a saved plan holds secrets: owner-only, like the state")
    }
}
