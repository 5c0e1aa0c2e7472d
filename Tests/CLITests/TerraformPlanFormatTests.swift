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
            var dataSources: Set<String> = []
            for change in changes {
                let address = try XCTUnwrap(change["address"] as? String, name)
                if change["mode"] as? String == "data" {
                    // A lookup read during apply, as Terraform lists a deferred data source.
                    XCTAssertNotNil(address.range(of: #"^data\.aws_[a-z0-9_]+\.[A-Za-z_][A-Za-z0-9_-]*$"#, options: .regularExpression), "\(name): \(address)")
                    XCTAssertEqual(address, "data.\(change["type"] as? String ?? "").\(change["name"] as? String ?? "")", name)
                    XCTAssertEqual((change["change"] as? [String: Any])?["actions"] as? [String], ["read"], "\(name): \(address)")
                    XCTAssertTrue(dataSources.insert(address).inserted, "\(name): \(address) twice")
                    continue
                }
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
            // prior_state is a state document of its own, with a 1.x format version too.
            let prior = try XCTUnwrap(document["prior_state"] as? [String: Any], name)
            XCTAssertTrue((prior["format_version"] as? String)?.hasPrefix("1.") ?? false, name)
            for (output, change) in document["output_changes"] as? [String: [String: Any]] ?? [:] {
                XCTAssertTrue(allowed.contains(change["actions"] as? [String] ?? []), "\(name): output \(output) \(change["actions"] ?? "")")
            }
            let configuration = try XCTUnwrap(document["configuration"] as? [String: Any], name)
            let module = try XCTUnwrap(configuration["root_module"] as? [String: Any], name)
            let configured = (module["resources"] as? [[String: Any]] ?? [])
            // A configuration names each resource once, without the index of its instances.
            let resources = Set(addresses.map { $0.components(separatedBy: "[")[0] })
            XCTAssertEqual(Set(configured.filter { $0["mode"] as? String == "managed" }.compactMap { $0["address"] as? String }), resources, name)
            let configuredData = Set(configured.filter { $0["mode"] as? String == "data" }.compactMap { $0["address"] as? String })
            XCTAssertTrue(dataSources.isSubset(of: configuredData), "\(name): every deferred data source is configured")
            for resource in configured {
                for (attribute, expression) in resource["expressions"] as? [String: [String: Any]] ?? [:] {
                    for reference in expression["references"] as? [String] ?? [] {
                        let parts = reference.split(separator: ".")
                        let target = parts.prefix(parts.first == "data" ? 3 : 2).joined(separator: ".")
                        XCTAssertTrue(resources.contains(target) || configuredData.contains(target),
                                      "\(name): \(resource["address"] ?? "").\(attribute) refers to \(reference)")
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
        // Nested blocks' expressions are one object per block, each argument with its own (Terraform's form).
        let origin = try XCTUnwrap(((distribution["expressions"] as? [String: Any])?["origin"] as? [[String: Any]])?.first)
        let domain = try XCTUnwrap(origin["domain_name"] as? [String: Any])
        XCTAssertTrue((domain["references"] as? [String] ?? []).contains("aws_s3_bucket.images.bucket_regional_domain_name"), "\(origin)")
        XCTAssertNotNil((origin["origin_id"] as? [String: Any])?["constant_value"], "\(origin)")
    }

    /// A directory's objects are the provider's `aws_s3_object` once per file, as a Terraform
    /// user's `for_each = fileset(…)` writes them: a changed file is that object's update, a
    /// removed file its delete, and no object stands for the directory as a whole.
    func testADirectorysObjectsAreOneProviderObjectPerFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("objects-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("changed".utf8).write(to: directory.appendingPathComponent("index.html"))
        try Data("new".utf8).write(to: directory.appendingPathComponent("app.js"))
        let stack = Stack("objects") { stack in
            stack.add(S3.Objects("site", bucket: "site-bucket", directory: directory, prefix: "web/", cacheControl: "max-age=60"))
        }
        let evaluation = try stack.evaluate(variables: [:], region: "us-east-1")
        let address = Address(type: "s3.objects", name: "site")
        let recorded: [String: Value] = [
            "bucket": "site-bucket", "prefix": "web/", "directory": .string(directory.path), "cacheControl": "max-age=60",
            "files": .map(["web/index.html": "0123456789abcdef0123456789abcdef", "web/gone.css": "fedcba9876543210fedcba9876543210"]),
        ]
        var prior = StateFile(stack: "objects", lineage: "for-each")
        prior.upsert(ResourceRecord(address: address, region: "us-east-1",
                                    snapshot: ResourceSnapshot(id: "site-bucket/web/", properties: recorded), dependencies: []))
        let plan = try Planner(stack: evaluation.definition).plan(prior: prior, variables: evaluation.variables)
        let text = JSONPlanRenderer(schemas: evaluation.definition.knownTypes.values.map(\.schema)).render(plan)
        let document = try TerraformPlanJSON.parse(text)
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let actions = Dictionary(uniqueKeysWithValues: changes.map {
            ($0["address"] as? String ?? "", ((($0["change"] as? [String: Any])?["actions"] as? [String]) ?? []).joined(separator: ","))
        })
        XCTAssertEqual(actions, ["aws_s3_object.site[\"web/index.html\"]": "update", "aws_s3_object.site[\"web/app.js\"]": "create",
                                 "aws_s3_object.site[\"web/gone.css\"]": "delete"])
        let after = try XCTUnwrap(changes.first { $0["address"] as? String == "aws_s3_object.site[\"web/app.js\"]" }?["change"] as? [String: Any])
        let values = try XCTUnwrap(after["after"] as? [String: Any])
        XCTAssertEqual(values["key"] as? String, "web/app.js")
        XCTAssertEqual(values["bucket"] as? String, "site-bucket")
        XCTAssertEqual(values["content_type"] as? String, "text/javascript")
        XCTAssertEqual(values["cache_control"] as? String, "max-age=60")
        XCTAssertNil(values["directory"], "a path on this machine is no attribute of the provider's")
        let configured = ((document["configuration"] as? [String: Any])?["root_module"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
        let block = try XCTUnwrap(configured.first { $0["address"] as? String == "aws_s3_object.site" })
        let forEach = (block["expressions"] as? [String: Any])?["for_each"] as? [String: Any]
        XCTAssertEqual(forEach?["constant_value"] as? [String], ["web/app.js", "web/index.html"])
    }

    /// A setting or attribute of imgstack's own (declared `.none`: a Lambda function's source
    /// directory and `edge`, a KMS key's `partition`, an object's `uploadedMD5`) is no attribute
    /// of the provider's resource in any shipped stack's plan.
    func testSettingsOfImgstacksOwnAreNoProviderAttributes() throws {
        var checked = 0
        for stack in ShippedStacks.all {
            let evaluation = try stack.evaluate(variables: TerraformPlanJSON.requiredVariables[stack.name] ?? [:], region: "us-east-1")
            let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))
            for change in document["resource_changes"] as? [[String: Any]] ?? [] {
                let imgstackType = (change["imgstack_address"] as? String)?.split(separator: ".").prefix(2).joined(separator: ".") ?? ""
                guard let schema = evaluation.definition.knownTypes[imgstackType]?.schema,
                      change["type"] as? String == schema.terraformType else { continue }
                var own = Set(schema.properties.filter { if case .none = $0.terraform.target { true } else { false } }.map(\.name.snakeCased))
                own.formUnion(schema.attributes.filter { if case .none = $0.terraform.target { true } else { false } }.map(\.name.snakeCased))
                let body = change["change"] as? [String: Any] ?? [:]
                let written = ["before", "after", "after_unknown"].flatMap { (body[$0] as? [String: Any])?.keys.map { $0 } ?? [] }
                XCTAssertEqual(own.intersection(written), [], "\(stack.name): \(change["address"] ?? "")")
                checked += own.isEmpty ? 0 : 1
            }
        }
        XCTAssertGreaterThan(checked, 3, "resources with settings of imgstack's own were checked")
    }

    /// One imgstack setting the provider writes twice: a client's token validity is its
    /// `access_token_validity` and `id_token_validity`, in the minutes `token_validity_units` names.
    func testAClientsTokenValidityIsTheProvidersTwoValiditiesInMinutes() throws {
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "image-server" }!))
        let planned = (document["planned_values"] as? [String: Any])?["root_module"] as? [String: Any]
        let client = try XCTUnwrap((planned?["resources"] as? [[String: Any]])?.first { $0["type"] as? String == "aws_cognito_user_pool_client" })
        let values = try XCTUnwrap(client["values"] as? [String: Any])
        XCTAssertEqual(values["access_token_validity"] as? Int, 60)
        XCTAssertEqual(values["id_token_validity"] as? Int, 60)
        XCTAssertEqual((values["token_validity_units"] as? [[String: String]])?.first?["access_token"], "minutes")
        XCTAssertNil(values["token_validity_minutes"])
    }

    /// A stage's throttling is the provider's `aws_api_gateway_method_settings` for every method,
    /// one companion holding both limits, not attributes of `aws_api_gateway_stage`.
    func testAStagesThrottlingIsTheProvidersMethodSettings() throws {
        let stack = Stack("throttled") { stack in
            let api = stack.add(APIGateway.RestAPI("api", name: "throttled"))
            let deployment = stack.add(APIGateway.Deployment("live", api: api))
            stack.add(APIGateway.Stage("prod", deployment: deployment, stageName: "prod", throttling: .init(burstLimit: 50, rateLimit: 20)))
        }
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))
        let planned = (document["planned_values"] as? [String: Any])?["root_module"] as? [String: Any]
        let resources = planned?["resources"] as? [[String: Any]] ?? []
        let stage = try XCTUnwrap(resources.first { $0["address"] as? String == "aws_api_gateway_stage.prod" }?["values"] as? [String: Any])
        XCTAssertNil(stage["throttling_burst_limit"])
        XCTAssertNil(stage["throttling_rate_limit"])
        let settings = try XCTUnwrap(resources.first { $0["address"] as? String == "aws_api_gateway_method_settings.prod" }?["values"] as? [String: Any])
        XCTAssertEqual(settings["method_path"] as? String, "*/*")
        XCTAssertEqual(settings["stage_name"] as? String, "prod")
        let limits = try XCTUnwrap((settings["settings"] as? [[String: Any]])?.first)
        XCTAssertEqual(limits["throttling_burst_limit"] as? Int, 50)
        XCTAssertEqual(limits["throttling_rate_limit"] as? Double, 20)
    }

    /// The load-balanced web tier's settings land in the provider's nested blocks, where scanners
    /// look for them: a target group's `health_check`, a listener's `default_action`, a scaling
    /// policy's `target_tracking_configuration`, and a rule's peer as `cidr_blocks`.
    func testTheWebTiersSettingsAreTheProvidersNestedBlocks() throws {
        let stack = Stack("web") { stack in
            let group = stack.add(EC2.SecurityGroup("web", name: "web", vpcID: "vpc-0123456789abcdef0"))
            stack.add(EC2.SecurityGroupRule("http", securityGroupID: group.id, direction: .ingress, ipProtocol: "tcp", fromPort: 80, toPort: 80,
                                            peer: .cidrIPv4("0.0.0.0/0")))
            let targets = stack.add(ELBv2.TargetGroup("app", targetGroupName: "app", port: 8080, vpcID: "vpc-0123456789abcdef0",
                                                      healthCheckPath: "/health", matcher: "200-299"))
            stack.add(ELBv2.Listener("http", loadBalancerARN: "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/0123456789abcdef",
                                     port: 80, targetGroupARN: targets.arn))
            stack.add(AutoScaling.ScalingPolicy("cpu", name: "cpu", autoScalingGroupName: "web", targetValue: 30))
        }
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))
        let planned = (document["planned_values"] as? [String: Any])?["root_module"] as? [String: Any]
        let resources = planned?["resources"] as? [[String: Any]] ?? []
        func values(_ address: String) throws -> [String: Any] {
            try XCTUnwrap(resources.first { $0["address"] as? String == address }?["values"] as? [String: Any], address)
        }
        XCTAssertEqual(try values("aws_security_group_rule.http")["cidr_blocks"] as? [String], ["0.0.0.0/0"])
        XCTAssertNil(try values("aws_security_group_rule.http")["ipv6_cidr_blocks"])
        let healthCheck = try XCTUnwrap((try values("aws_lb_target_group.app")["health_check"] as? [[String: Any]])?.first)
        XCTAssertEqual(healthCheck["path"] as? String, "/health")
        XCTAssertEqual(healthCheck["matcher"] as? String, "200-299")
        XCTAssertEqual(healthCheck["interval"] as? Int, 30)
        XCTAssertNil(try values("aws_lb_target_group.app")["health_check_path"])
        let action = try XCTUnwrap((try values("aws_lb_listener.http")["default_action"] as? [[String: Any]])?.first)
        XCTAssertEqual(action["type"] as? String, "forward")
        XCTAssertNil(try values("aws_lb_listener.http")["target_group_arn"])
        let policy = try values("aws_autoscaling_policy.cpu")
        XCTAssertEqual(policy["policy_type"] as? String, "TargetTrackingScaling")
        let tracking = try XCTUnwrap((policy["target_tracking_configuration"] as? [[String: Any]])?.first)
        XCTAssertEqual(tracking["target_value"] as? Double, 30)
        XCTAssertEqual(tracking["disable_scale_in"] as? Bool, false)
        let metric = try XCTUnwrap((tracking["predefined_metric_specification"] as? [[String: Any]])?.first)
        XCTAssertEqual(metric["predefined_metric_type"] as? String, "ASGAverageCPUUtilization")
    }

    /// A companion resource (`aws_s3_bucket_ownership_controls`) is unknown only where its
    /// declaration refers to something unknown: a setting the stack leaves to AWS has none, as a
    /// Terraform configuration without that block has none.
    func testACompanionIsUnknownOnlyWhereItsDeclarationRefersToSomethingUnknown() throws {
        for stack in ShippedStacks.all {
            let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(stack))
            let configured = ((document["configuration"] as? [String: Any])?["root_module"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
            var mainTypes: [String: String] = [:]
            for change in document["resource_changes"] as? [[String: Any]] ?? [] {
                let owner = change["imgstack_address"] as? String ?? ""
                let type = change["type"] as? String ?? ""
                let main = mainTypes[owner] ?? type
                mainTypes[owner] = main
                guard type != main else { continue }
                let resource = "\(type).\(change["name"] as? String ?? "")"
                let expressions = configured.first { $0["address"] as? String == resource }?["expressions"] as? [String: Any] ?? [:]
                let unknown = ((change["change"] as? [String: Any])?["after_unknown"] as? [String: Any] ?? [:]).keys
                for attribute in unknown {
                    XCTAssertFalse(references(in: expressions[attribute]).isEmpty,
                                   "\(stack.name): \(resource).\(attribute) is unknown but refers to nothing")
                }
            }
        }
        let quickstart = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "quickstart" }!))
        XCTAssertFalse(TerraformPlanJSON.plannedAddresses(quickstart).contains("aws_s3_bucket_ownership_controls.data"),
                       "the quickstart bucket leaves its ownership to S3")
    }

    /// A web ACL's rules and a stage's access logging are the provider's blocks (checkov's
    /// CKV_AWS_192 and CKV_AWS_76 read them), and an AWS rule name in them keeps its spelling.
    func testWebACLRulesAndStageAccessLogsAreTheProvidersBlocks() throws {
        let document = try TerraformPlanJSON.parse(try TerraformPlanJSON.render(ShippedStacks.all.first { $0.name == "upload-api" }!))
        let changes = try XCTUnwrap(document["resource_changes"] as? [[String: Any]])
        let after = { (address: String) in ((changes.first { $0["address"] as? String == address }?["change"] as? [String: Any])?["after"] as? [String: Any]) ?? [:] }
        let rules = try XCTUnwrap(after("aws_wafv2_web_acl.edge")["rule"] as? [[String: Any]])
        let common = try XCTUnwrap(rules.first { $0["name"] as? String == "AWSManagedRulesCommonRuleSet" })
        let group = try XCTUnwrap(((common["statement"] as? [[String: Any]])?.first?["managed_rule_group_statement"] as? [[String: Any]])?.first)
        XCTAssertEqual(group["vendor_name"] as? String, "AWS")
        let override = try XCTUnwrap((group["rule_action_override"] as? [[String: Any]])?.first)
        XCTAssertEqual(override["name"] as? String, "SizeRestrictions_BODY")
        XCTAssertNotNil((override["action_to_use"] as? [[String: Any]])?.first?["count"], "\(override)")
        XCTAssertNotNil((common["override_action"] as? [[String: Any]])?.first?["none"], "\(common)")
        XCTAssertEqual((common["visibility_config"] as? [[String: Any]])?.first?["metric_name"] as? String, "AWSManagedRulesCommonRuleSet")
        let rate = try XCTUnwrap(rules.first { $0["name"] as? String == "per-ip" })
        XCTAssertNotNil((rate["action"] as? [[String: Any]])?.first?["block"], "\(rate)")
        XCTAssertNotNil((after("aws_wafv2_web_acl.edge")["default_action"] as? [[String: Any]])?.first?["allow"])

        let logs = try XCTUnwrap((after("aws_api_gateway_stage.live")["access_log_settings"] as? [[String: Any]])?.first)
        XCTAssertTrue((logs["format"] as? String ?? "").contains("$context.requestId"), "\(logs)")
        let configured = ((document["configuration"] as? [String: Any])?["root_module"] as? [String: Any])?["resources"] as? [[String: Any]] ?? []
        let stage = try XCTUnwrap(configured.first { $0["address"] as? String == "aws_api_gateway_stage.live" }?["expressions"] as? [String: Any])
        let destination = (stage["access_log_settings"] as? [[String: Any]])?.first?["destination_arn"] as? [String: Any]
        XCTAssertEqual(destination?["references"] as? [String], ["aws_cloudwatch_log_group.access.arn", "aws_cloudwatch_log_group.access"])
    }

    /// A `.blocks` shape takes every key for a property name and writes it in snake case, so no
    /// value it writes may be keyed by user data or AWS names (a managed rule group's rule names,
    /// environment variables): those need a shape that keeps their keys.
    func testBlockShapesHoldOnlyPropertyNamesAsKeys() throws {
        func keys(_ value: Value) -> [String] {
            switch value {
            case .map(let entries): return entries.keys.sorted() + entries.values.flatMap(keys)
            case .list(let items): return items.flatMap(keys)
            default: return []
            }
        }
        for stack in ShippedStacks.all {
            let evaluation = try stack.evaluate(variables: TerraformPlanJSON.requiredVariables[stack.name] ?? [:], region: "us-east-1")
            let plan = try Planner(stack: evaluation.definition).plan(prior: StateFile(stack: stack.name), variables: evaluation.variables)
            for change in plan.changes {
                for property in evaluation.definition.knownTypes[change.address.type]?.schema.properties ?? [] {
                    guard case .some(.blocks) = property.terraform.shape, let value = change.after?[property.name] else { continue }
                    for key in keys(value) where key.range(of: #"^[a-z][A-Za-z0-9]*$"#, options: .regularExpression) == nil {
                        XCTFail("\(stack.name): \(change.address).\(property.name) holds \(key), not a property name: give it a shape that keeps its keys")
                    }
                }
            }
        }
    }

    /// Every reference in an expression, nested blocks' included.
    private func references(in expression: Any?) -> [String] {
        if let blocks = expression as? [[String: Any]] { return blocks.flatMap { $0.values.flatMap(references(in:)) } }
        return (expression as? [String: Any])?["references"] as? [String] ?? []
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
