import AWS
import Engine
import ImgStack
import XCTest

/// What the planner learns from the KMS and IAM types without any call: which properties force
/// replacement, which have defaults, and how AWS's answers are normalised to match a stack's.
final class KMSIAMSchemaTests: XCTestCase {
    private func implementation<R: Resource>(_: R.Type) -> any ResourceType { R.makeType() }

    private func replacing(_ type: any ResourceType) -> Set<String> {
        Set(type.schema.properties.filter(\.forcesReplacement).map(\.name))
    }

    func testDeclaredPropertiesAreAllInTheSchema() {
        let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com"))])
        let key = ImgStack.KMS.Key("data", description: "d", policy: trust, tags: ["a": "b"])
        let resources: [any Resource] = [
            key, ImgStack.KMS.Alias("data", name: "alias/data", targetKeyID: key.keyID),
            ImgStack.IAM.Role("app", name: "app", assumeRolePolicy: trust, inlinePolicies: ["p": trust], tags: ["a": "b"]),
            ImgStack.IAM.Policy("read", name: "read", document: trust, tags: ["a": "b"]),
            ImgStack.IAM.RolePolicyAttachment("read", role: "app", policyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess"),
            ImgStack.IAM.InstanceProfile("app", name: "app", role: "app"),
            ImgStack.IAM.OpenIDConnectProvider("ci", url: "https://issuer.example.com", clientIDs: ["sts.amazonaws.com"], tags: ["a": "b"]),
        ]
        for resource in resources {
            let schema = Swift.type(of: resource).makeType().schema
            XCTAssertEqual(schema.typeName, Swift.type(of: resource).typeName)
            for name in resource.properties.keys {
                XCTAssertNotNil(schema.property(name), "\(resource.address): \(name) is not in the schema")
            }
        }
    }

    func testForceNewPropertiesMatchWhatAWSCannotChangeInPlace() {
        XCTAssertEqual(replacing(implementation(ImgStack.KMS.Key.self)), ["keyUsage", "keySpec"])
        XCTAssertEqual(replacing(implementation(ImgStack.KMS.Alias.self)), ["name"])
        XCTAssertEqual(replacing(implementation(ImgStack.IAM.Role.self)), ["name", "path"])
        XCTAssertEqual(replacing(implementation(ImgStack.IAM.Policy.self)), ["name", "path", "description"])
        XCTAssertEqual(replacing(implementation(ImgStack.IAM.RolePolicyAttachment.self)), ["role", "policyARN"])
        XCTAssertEqual(replacing(implementation(ImgStack.IAM.InstanceProfile.self)), ["name", "path"])
        XCTAssertEqual(replacing(implementation(ImgStack.IAM.OpenIDConnectProvider.self)), ["url"])
    }

    func testTerraformTypeNames() {
        XCTAssertEqual(implementation(ImgStack.KMS.Key.self).schema.terraformType, "aws_kms_key")
        XCTAssertEqual(implementation(ImgStack.KMS.Alias.self).schema.terraformType, "aws_kms_alias")
        XCTAssertEqual(implementation(ImgStack.IAM.Role.self).schema.terraformType, "aws_iam_role")
        XCTAssertEqual(implementation(ImgStack.IAM.Policy.self).schema.terraformType, "aws_iam_policy")
        XCTAssertEqual(implementation(ImgStack.IAM.RolePolicyAttachment.self).schema.terraformType, "aws_iam_role_policy_attachment")
        XCTAssertEqual(implementation(ImgStack.IAM.InstanceProfile.self).schema.terraformType, "aws_iam_instance_profile")
        XCTAssertEqual(implementation(ImgStack.IAM.OpenIDConnectProvider.self).schema.terraformType, "aws_iam_openid_connect_provider")
    }

    func testIAMTypeNamesAreTheOnesStatesHold() {
        XCTAssertEqual(ImgStack.IAM.Role.typeName, "iam.role")
        XCTAssertEqual(ImgStack.IAM.Policy.typeName, "iam.policy")
        XCTAssertEqual(ImgStack.IAM.RolePolicyAttachment.typeName, "iam.role_policy_attachment")
        XCTAssertEqual(ImgStack.IAM.InstanceProfile.typeName, "iam.instance_profile")
        // Not the derived iam.open_id_connect_provider.
        XCTAssertEqual(ImgStack.IAM.OpenIDConnectProvider.typeName, "iam.openid_connect_provider")
        XCTAssertEqual(implementation(ImgStack.IAM.OpenIDConnectProvider.self).schema.typeName, "iam.openid_connect_provider")
    }

    func testKeyDefaultsMakeRemovalAChangeButLeaveTheKeyPolicyToKMS() {
        let schema = implementation(ImgStack.KMS.Key.self).schema
        XCTAssertEqual(schema.property("enableKeyRotation")?.defaultValue, false)
        XCTAssertEqual(schema.property("deletionWindowInDays")?.defaultValue, 30)
        XCTAssertEqual(schema.property("keyUsage")?.defaultValue, "ENCRYPT_DECRYPT")
        XCTAssertEqual(schema.property("keySpec")?.defaultValue, "SYMMETRIC_DEFAULT")
        XCTAssertEqual(schema.property("tags")?.defaultValue, .map([:]))
        // No default: an undeclared policy keeps KMS's default key policy and is never compared.
        XCTAssertNotNil(schema.property("policy"))
        XCTAssertNil(schema.property("policy")?.defaultValue)
        XCTAssertEqual(Set(schema.attributes.map(\.name)), ["arn", "keyID", "accountID", "partition"])
    }

    func testKeyDeletionNoteSaysTheWindow() {
        let note = implementation(ImgStack.KMS.Key.self).deletionNote(["deletionWindowInDays": 7])
        XCTAssertTrue(note?.contains("scheduled for deletion in 7 days") ?? false, note ?? "nil")
        XCTAssertTrue(note?.contains("cannot be deleted at once") ?? false, note ?? "nil")
        XCTAssertNil(implementation(ImgStack.KMS.Alias.self).deletionNote(["name": "alias/x"]))
    }

    func testKeyPolicyAsKMSReturnsItEqualsTheDeclaredDocument() throws {
        let key = implementation(ImgStack.KMS.Key.self)
        let declared = ImgStack.KMS.Key("data", policy: PolicyDocument([
            Statement(sid: "Root", effect: .allow, actions: ["kms:*"], resources: ["*"], principal: .aws("arn:aws:iam::123456789012:root")),
        ])).properties["policy"]?.literal
        // KMS hands back pretty-printed text with single strings where the stack wrote lists.
        let returned = """
            {
              "Version" : "2012-10-17",
              "Statement" : [ {
                "Sid" : "Root", "Effect" : "Allow",
                "Principal" : { "AWS" : "arn:aws:iam::123456789012:root" },
                "Action" : "kms:*", "Resource" : "*"
              } ]
            }
            """
        XCTAssertEqual(key.normalize("policy", .string(returned)), key.normalize("policy", try XCTUnwrap(declared)))
    }

    func testAliasTargetGivenAsKeyARNComparesAsTheKeyID() {
        let alias = implementation(ImgStack.KMS.Alias.self)
        let id = "1234abcd-12ab-34cd-56ef-1234567890ab"
        XCTAssertEqual(alias.normalize("targetKeyID", .string("arn:aws:kms:eu-west-1:111122223333:key/\(id)")), .string(id))
        XCTAssertEqual(alias.normalize("targetKeyID", .string(id)), .string(id))
        XCTAssertEqual(alias.schema.uniqueNameProperties, ["name"])
    }

    func testRoleInlinePoliciesAsIAMReturnsThemEqualTheDeclaredOnes() throws {
        let role = implementation(ImgStack.IAM.Role.self)
        let logs = PolicyDocument([Statement(effect: .allow, actions: ["logs:PutLogEvents", "logs:CreateLogStream"], resources: ["*"])])
        let declared = ImgStack.IAM.Role("app", name: "app", assumeRolePolicy: logs, inlinePolicies: ["logs": logs]).properties["inlinePolicies"]?.literal
        let returned: Engine.Value = .map(["logs": .string(#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":"*"}]}"#)])
        XCTAssertEqual(role.normalize("inlinePolicies", returned), role.normalize("inlinePolicies", try XCTUnwrap(declared)))
        XCTAssertNotEqual(role.normalize("inlinePolicies", .map([:])), role.normalize("inlinePolicies", try XCTUnwrap(declared)))
    }

    func testRoleDefaultsAndUniqueName() {
        let schema = implementation(ImgStack.IAM.Role.self).schema
        XCTAssertEqual(schema.property("path")?.defaultValue, "/")
        XCTAssertEqual(schema.property("maxSessionDuration")?.defaultValue, 3600)
        XCTAssertEqual(schema.property("inlinePolicies")?.defaultValue, .map([:]))
        XCTAssertEqual(schema.uniqueNameProperties, ["name"])
        XCTAssertEqual(Set(schema.attributes.map(\.name)), ["arn", "uniqueID"])
    }

    func testOIDCProviderURLAndListsCompareAsIAMStoresThem() {
        let provider = implementation(ImgStack.IAM.OpenIDConnectProvider.self)
        XCTAssertEqual(provider.normalize("url", "https://token.actions.githubusercontent.com"), "token.actions.githubusercontent.com")
        XCTAssertEqual(provider.normalize("url", "token.actions.githubusercontent.com"), "token.actions.githubusercontent.com")
        XCTAssertEqual(provider.normalize("clientIDs", ["sts.amazonaws.com", "other"]), provider.normalize("clientIDs", ["other", "sts.amazonaws.com"]))
    }
}
