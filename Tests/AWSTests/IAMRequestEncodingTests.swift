import Foundation
@testable import AWS
import XCTest

/// Every IAM call imgstack makes, checked against botocore's `iam` model: `Action`, `Version`,
/// each form parameter as a path through the input shape (`Tags.member.1.Key`), required
/// members, limits; and the sample answers the calls parse, whose elements must be the model's.
final class IAMRequestEncodingTests: XCTestCase {
    private static let model = BotocoreModel.load("iam", "2010-05-08")

    /// Sends one call, answering `result` inside `<OperationResponse><OperationResult>`, checks the
    /// form against the model and the answer against the output shape; returns the form.
    @discardableResult
    private func check(_ operation: String, result: String? = nil, _ call: (AWS.IAM) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        let answer = Self.answer(operation, result)
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "us-east-1").iam)
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        XCTAssertEqual(request.method, "POST", file: file, line: line)
        XCTAssertEqual(Self.model.queryProblems(request.formParameters, operation: operation), [], file: file, line: line)
        if result != nil {
            XCTAssertEqual(Self.model.queryAnswerProblems(answer, operation: operation), [], "sample answer", file: file, line: line)
        }
        return request.formParameters
    }

    private static func answer(_ operation: String, _ result: String?) -> String {
        let body = result.map { "<\(operation)Result>\($0)</\(operation)Result>" } ?? ""
        return "<\(operation)Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\(body)"
            + "<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></\(operation)Response>"
    }

    private static let trust = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["ec2.amazonaws.com"]},"Action":["sts:AssumeRole"]}]}"#
    private static let trustEncoded = trust.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""

    private static let role = """
        <Role><Path>/service/</Path><RoleName>app</RoleName><RoleId>AROAEXAMPLE1234567890</RoleId>\
        <Arn>arn:aws:iam::123456789012:role/service/app</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>\
        <AssumeRolePolicyDocument>\(trustEncoded)</AssumeRolePolicyDocument><Description>app role</Description>\
        <MaxSessionDuration>7200</MaxSessionDuration><Tags><member><Key>team</Key><Value>images</Value></member></Tags></Role>
        """

    func testModelLoads() {
        XCTAssertNotNil(Self.model.operations["CreateRole"], "botocore's iam model was not found")
    }

    func testCreateRoleFormAndAnswerFollowTheModel() async throws {
        var created: AWS.IAM.RoleDetail?
        let form = try await check("CreateRole", result: Self.role) {
            created = try await $0.createRole(name: "app", path: "/service/", assumeRolePolicy: Self.trust, description: "app role",
                                              maxSessionDuration: 7200, tags: ["team": "images", "stage": "prod"])
        }
        XCTAssertEqual(form["Tags.member.1.Key"], "stage")
        XCTAssertEqual(form["Tags.member.2.Value"], "images")
        XCTAssertEqual(form["AssumeRolePolicyDocument"], Self.trust)
        // IAM answers policy documents URL-encoded; the call hands back the JSON.
        XCTAssertEqual(created?.assumeRolePolicy, Self.trust)
        XCTAssertEqual(created?.maxSessionDuration, 7200)
        XCTAssertEqual(created?.tags, ["team": "images"])
        XCTAssertEqual(created?.roleID, "AROAEXAMPLE1234567890")
    }

    func testCreateRoleWithoutDescriptionOrTagsLeavesThemOut() async throws {
        let form = try await check("CreateRole", result: Self.role) {
            _ = try await $0.createRole(name: "app", path: "/", assumeRolePolicy: Self.trust, description: "", maxSessionDuration: 3600, tags: [:])
        }
        XCTAssertNil(form["Description"])
        XCTAssertNil(form["Tags"])
    }

    func testMissingRoleReadsAsNil() async throws {
        let error = "<ErrorResponse><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name app cannot be found.</Message></Error></ErrorResponse>"
        let transport = ScriptedTransport(status: 404, body: error)
        let role = try await scriptedClient(transport, region: "us-east-1").iam.role("app")
        XCTAssertNil(role)
        XCTAssertEqual(transport.requests.count, 1, "NoSuchEntity is an answer, not retried")
        XCTAssertEqual(Self.model.queryProblems(transport.requests[0].formParameters, operation: "GetRole"), [])
    }

    func testRoleCallsMatchTheModel() async throws {
        var role: AWS.IAM.RoleDetail?
        try await check("GetRole", result: Self.role) { role = try await $0.role("app") }
        XCTAssertEqual(role?.path, "/service/")
        try await check("UpdateAssumeRolePolicy") { try await $0.updateAssumeRolePolicy(role: "app", policy: Self.trust) }
        let update = try await check("UpdateRole") { try await $0.updateRole("app", description: "", maxSessionDuration: 43200) }
        // An empty Description clears it; the model allows zero characters.
        XCTAssertEqual(update["Description"], "")
        try await check("DeleteRole") { try await $0.deleteRole("app") }
        try await check("TagRole") { try await $0.tagRole("app", tags: ["team": "images"]) }
        let untag = try await check("UntagRole") { try await $0.untagRole("app", keys: ["a", "b"]) }
        XCTAssertEqual(untag["TagKeys.member.2"], "b")
    }

    func testInlinePolicyCallsMatchTheModel() async throws {
        var names: [String] = []
        try await check("ListRolePolicies", result: "<PolicyNames><member>logs</member><member>s3</member></PolicyNames><IsTruncated>false</IsTruncated>") {
            names = try await $0.rolePolicyNames("app")
        }
        XCTAssertEqual(names, ["logs", "s3"])
        var document = ""
        try await check("GetRolePolicy", result: "<RoleName>app</RoleName><PolicyName>logs</PolicyName><PolicyDocument>\(Self.trustEncoded)</PolicyDocument>") {
            document = try await $0.rolePolicy(role: "app", name: "logs")
        }
        XCTAssertEqual(document, Self.trust)
        try await check("PutRolePolicy") { try await $0.putRolePolicy(role: "app", name: "logs", document: Self.trust) }
        try await check("DeleteRolePolicy") { try await $0.deleteRolePolicy(role: "app", name: "logs") }
    }

    func testAttachedPoliciesFollowMarkerPages() async throws {
        let first = Self.answer("ListAttachedRolePolicies", """
            <AttachedPolicies><member><PolicyName>a</PolicyName><PolicyArn>arn:aws:iam::aws:policy/a</PolicyArn></member></AttachedPolicies>\
            <IsTruncated>true</IsTruncated><Marker>m2</Marker>
            """)
        let second = Self.answer("ListAttachedRolePolicies", """
            <AttachedPolicies><member><PolicyName>b</PolicyName><PolicyArn>arn:aws:iam::123456789012:policy/b</PolicyArn></member></AttachedPolicies>\
            <IsTruncated>false</IsTruncated>
            """)
        XCTAssertEqual(Self.model.queryAnswerProblems(first, operation: "ListAttachedRolePolicies"), [])
        let transport = ScriptedTransport([HTTPResponse.xml(200, first), HTTPResponse.xml(200, second)])
        let arns = try await scriptedClient(transport, region: "us-east-1").iam.attachedRolePolicies("app")
        XCTAssertEqual(arns, ["arn:aws:iam::aws:policy/a", "arn:aws:iam::123456789012:policy/b"])
        XCTAssertEqual(transport.requests.last?.formParameters["Marker"], "m2")
        for request in transport.requests {
            XCTAssertEqual(Self.model.queryProblems(request.formParameters, operation: "ListAttachedRolePolicies"), [])
        }
    }

    func testAttachmentAndInstanceProfileCallsMatchTheModel() async throws {
        let arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
        try await check("AttachRolePolicy") { try await $0.attachRolePolicy(role: "app", policyARN: arn) }
        try await check("DetachRolePolicy") { try await $0.detachRolePolicy(role: "app", policyARN: arn) }
        let roleMember = Self.role.replacingOccurrences(of: "<Role>", with: "<member>").replacingOccurrences(of: "</Role>", with: "</member>")
        func profile(_ element: String) -> String {
            """
            <\(element)><Path>/</Path><InstanceProfileName>app</InstanceProfileName><InstanceProfileId>AIPAEXAMPLE1234567890</InstanceProfileId>\
            <Arn>arn:aws:iam::123456789012:instance-profile/app</Arn><CreateDate>2024-01-02T03:04:05Z</CreateDate>\
            <Roles>\(roleMember)</Roles></\(element)>
            """
        }
        var profiles: [String] = []
        try await check("ListInstanceProfilesForRole", result: "<InstanceProfiles>\(profile("member"))</InstanceProfiles><IsTruncated>false</IsTruncated>") {
            profiles = try await $0.instanceProfilesForRole("app")
        }
        XCTAssertEqual(profiles, ["app"])
        var created: AWS.IAM.InstanceProfileDetail?
        try await check("CreateInstanceProfile", result: profile("InstanceProfile")) { created = try await $0.createInstanceProfile(name: "app", path: "/") }
        XCTAssertEqual(created?.arn, "arn:aws:iam::123456789012:instance-profile/app")
        var read: AWS.IAM.InstanceProfileDetail?
        try await check("GetInstanceProfile", result: profile("InstanceProfile")) { read = try await $0.instanceProfile("app") }
        XCTAssertEqual(read?.roles, ["app"])
        try await check("AddRoleToInstanceProfile") { try await $0.addRoleToInstanceProfile("app", role: "app") }
        try await check("RemoveRoleFromInstanceProfile") { try await $0.removeRoleFromInstanceProfile("app", role: "app") }
        try await check("DeleteInstanceProfile") { try await $0.deleteInstanceProfile("app") }
    }

    func testManagedPolicyCallsMatchTheModel() async throws {
        let arn = "arn:aws:iam::123456789012:policy/read"
        let policy = """
            <Policy><PolicyName>read</PolicyName><PolicyId>ANPAEXAMPLE1234567890</PolicyId><Arn>\(arn)</Arn><Path>/</Path>\
            <DefaultVersionId>v3</DefaultVersionId><AttachmentCount>0</AttachmentCount><IsAttachable>true</IsAttachable>\
            <Description>reads</Description><Tags><member><Key>team</Key><Value>images</Value></member></Tags></Policy>
            """
        var created: AWS.IAM.PolicyDetail?
        let form = try await check("CreatePolicy", result: policy) {
            created = try await $0.createPolicy(name: "read", path: "/", document: Self.trust, description: "reads", tags: ["team": "images"])
        }
        XCTAssertEqual(form["Description"], "reads")
        XCTAssertEqual(created?.defaultVersionID, "v3")
        var read: AWS.IAM.PolicyDetail?
        try await check("GetPolicy", result: policy) { read = try await $0.policy(arn) }
        XCTAssertEqual(read?.tags, ["team": "images"])
        var document = ""
        try await check("GetPolicyVersion", result: "<PolicyVersion><Document>\(Self.trustEncoded)</Document><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion></PolicyVersion>") {
            document = try await $0.policyDocument(arn, version: "v3")
        }
        XCTAssertEqual(document, Self.trust)
        var versions: [AWS.IAM.PolicyVersion] = []
        try await check("ListPolicyVersions", result: """
            <Versions><member><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-01-03T00:00:00Z</CreateDate></member>\
            <member><VersionId>v2</VersionId><IsDefaultVersion>false</IsDefaultVersion><CreateDate>2024-01-02T00:00:00Z</CreateDate></member></Versions>\
            <IsTruncated>false</IsTruncated>
            """) { versions = try await $0.policyVersions(arn) }
        XCTAssertEqual(versions.map(\.id), ["v3", "v2"])
        XCTAssertEqual(versions.map(\.isDefault), [true, false])
        let newVersion = try await check("CreatePolicyVersion") { try await $0.createPolicyVersion(arn, document: Self.trust) }
        XCTAssertEqual(newVersion["SetAsDefault"], "true")
        try await check("DeletePolicyVersion") { try await $0.deletePolicyVersion(arn, version: "v2") }
        try await check("DeletePolicy") { try await $0.deletePolicy(arn) }
        try await check("TagPolicy") { try await $0.tagPolicy(arn, tags: ["team": "images"]) }
        try await check("UntagPolicy") { try await $0.untagPolicy(arn, keys: ["team"]) }
    }

    func testOpenIDConnectProviderCallsMatchTheModel() async throws {
        let arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
        var created = ""
        let form = try await check("CreateOpenIDConnectProvider", result: "<OpenIDConnectProviderArn>\(arn)</OpenIDConnectProviderArn>") {
            created = try await $0.createOpenIDConnectProvider(url: "https://token.actions.githubusercontent.com", clientIDs: ["sts.amazonaws.com"],
                                                               thumbprints: [String(repeating: "a", count: 40)], tags: ["team": "ci"])
        }
        XCTAssertEqual(form["ClientIDList.member.1"], "sts.amazonaws.com")
        XCTAssertEqual(form["ThumbprintList.member.1"], String(repeating: "a", count: 40))
        XCTAssertEqual(created, arn)
        var provider: AWS.IAM.OIDCProviderDetail?
        try await check("GetOpenIDConnectProvider", result: """
            <Url>token.actions.githubusercontent.com</Url><ClientIDList><member>sts.amazonaws.com</member></ClientIDList>\
            <ThumbprintList><member>\(String(repeating: "a", count: 40))</member></ThumbprintList><CreateDate>2024-01-02T03:04:05Z</CreateDate>\
            <Tags><member><Key>team</Key><Value>ci</Value></member></Tags>
            """) { provider = try await $0.openIDConnectProvider(arn) }
        XCTAssertEqual(provider?.url, "token.actions.githubusercontent.com")
        XCTAssertEqual(provider?.clientIDs, ["sts.amazonaws.com"])
        XCTAssertEqual(provider?.tags, ["team": "ci"])
        try await check("AddClientIDToOpenIDConnectProvider") { try await $0.addClientID(arn, clientID: "other") }
        try await check("RemoveClientIDFromOpenIDConnectProvider") { try await $0.removeClientID(arn, clientID: "other") }
        try await check("UpdateOpenIDConnectProviderThumbprint") { try await $0.updateThumbprints(arn, thumbprints: [String(repeating: "b", count: 40)]) }
        try await check("TagOpenIDConnectProvider") { try await $0.tagOpenIDConnectProvider(arn, tags: ["team": "ci"]) }
        try await check("UntagOpenIDConnectProvider") { try await $0.untagOpenIDConnectProvider(arn, keys: ["team"]) }
        try await check("DeleteOpenIDConnectProvider") { try await $0.deleteOpenIDConnectProvider(arn) }
    }

    func testTheModelCheckRejectsWrongMembersAndMissingRequiredOnes() {
        // The checks above are only worth something if they can fail.
        let problems = Self.model.queryProblems(["Action": "CreateRole", "Version": "2010-05-08", "RoleName": "app", "Tags.1.Key": "a",
                                                 "MaxSessionDuration": "60"], operation: "CreateRole")
        XCTAssertEqual(problems, [
            "CreateRole: required member AssumeRolePolicyDocument missing",
            "CreateRole.MaxSessionDuration: below 3600",
            "CreateRole.Tags.1.Key: list items must be under .member.",
        ])
    }
}
