import Foundation
@testable import AWS
import XCTest

/// The Cognito calls checked against botocore's `cognito-idp` and `cognito-identity` models:
/// target header, every JSON member (recursively) a member of the input shape, required members
/// present, enum values allowed. `SetIdentityPoolRoles` / `GetIdentityPoolRoles` are checked here
/// because moto does not implement them (the emulator's patch fills them for the lifecycle tests).
final class CognitoRequestEncodingTests: XCTestCase {
    // Read once, never written after.
    nonisolated(unsafe) private static let userPools = model("cognito-idp/2016-04-18")
    nonisolated(unsafe) private static let identityPools = model("cognito-identity/2014-06-30")

    private static func model(_ path: String) -> [String: Any] {
        let script = "import botocore,os;print(os.path.dirname(botocore.__file__))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        process.waitUntilExit()
        let root = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let gunzip = Process()
        gunzip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        gunzip.arguments = ["gzip", "-dc", root + "/data/\(path)/service-2.json.gz"]
        let out = Pipe()
        gunzip.standardOutput = out
        try? gunzip.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
    }

    /// Sends one call through a scripted transport and checks its body against `model`.
    @discardableResult
    private func check(_ operation: String, in model: [String: Any], answer: String = "{}", _ call: (AWSClient) async throws -> Void,
                       file: StaticString = #filePath, line: UInt = #line) async throws -> [String: Any] {
        let transport = ScriptedTransport(body: answer)
        try await call(scriptedClient(transport, region: "us-east-1"))
        let request = try XCTUnwrap(transport.requests.last, file: file, line: line)
        let metadata = model["metadata"] as? [String: Any] ?? [:]
        XCTAssertEqual(request.headers["X-Amz-Target"], "\(metadata["targetPrefix"] as? String ?? "").\(operation)", file: file, line: line)
        XCTAssertEqual(request.headers["Content-Type"], "application/x-amz-json-\(metadata["jsonVersion"] as? String ?? "")", file: file, line: line)
        let operations = model["operations"] as? [String: [String: Any]] ?? [:]
        let spec = try XCTUnwrap(operations[operation], "no \(operation) in the model", file: file, line: line)
        let input = try XCTUnwrap((spec["input"] as? [String: Any])?["shape"] as? String, file: file, line: line)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: request.body) as? [String: Any], file: file, line: line)
        checkValue(body, shape: input, model: model, path: operation, file: file, line: line)
        return body
    }

    private func checkValue(_ value: Any, shape name: String, model: [String: Any], path: String, file: StaticString, line: UInt) {
        let shapes = model["shapes"] as? [String: [String: Any]] ?? [:]
        guard let shape = shapes[name] else { return XCTFail("\(path): no shape \(name)", file: file, line: line) }
        switch shape["type"] as? String {
        case "structure":
            guard let object = value as? [String: Any] else { return XCTFail("\(path): not an object", file: file, line: line) }
            let members = shape["members"] as? [String: [String: Any]] ?? [:]
            for required in shape["required"] as? [String] ?? [] where object[required] == nil {
                XCTFail("\(path): required member \(required) is missing", file: file, line: line)
            }
            for (key, child) in object {
                guard let member = members[key] else {
                    XCTFail("\(path): \(key) is not a member of \(name)", file: file, line: line)
                    continue
                }
                checkValue(child, shape: member["shape"] as? String ?? "", model: model, path: "\(path).\(key)", file: file, line: line)
            }
        case "list":
            let member = (shape["member"] as? [String: Any])?["shape"] as? String ?? ""
            for (index, item) in (value as? [Any] ?? []).enumerated() {
                checkValue(item, shape: member, model: model, path: "\(path)[\(index)]", file: file, line: line)
            }
        case "map":
            let keyShape = (shape["key"] as? [String: Any])?["shape"] as? String ?? ""
            let valueShape = (shape["value"] as? [String: Any])?["shape"] as? String ?? ""
            for (key, item) in value as? [String: Any] ?? [:] {
                checkValue(key, shape: keyShape, model: model, path: "\(path){\(key)}", file: file, line: line)
                checkValue(item, shape: valueShape, model: model, path: "\(path).\(key)", file: file, line: line)
            }
        case "string":
            guard let text = value as? String else { return XCTFail("\(path): not a string", file: file, line: line) }
            if let allowed = shape["enum"] as? [String] {
                XCTAssertTrue(allowed.contains(text), "\(path): \(text) is not one of \(allowed)", file: file, line: line)
            }
        case "boolean":
            XCTAssertNotNil(value as? Bool, "\(path): not a boolean", file: file, line: line)
        case "integer", "long":
            XCTAssertNotNil(value as? Int, "\(path): not an integer", file: file, line: line)
        default:
            break
        }
    }

    // MARK: - Identity pools

    func testSetIdentityPoolRolesFollowsTheModel() async throws {
        let roles = CognitoIdentity.PoolRoles(
            identityPoolID: "us-east-1:0f0e", roles: ["authenticated": "arn:aws:iam::123456789012:role/in"],
            roleMappings: ["cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab:client": CognitoIdentity.RoleMapping(
                type: "Rules", ambiguousRoleResolution: "Deny",
                rules: [CognitoIdentity.MappingRule(claim: "isAdmin", matchType: "Equals", value: "true", roleARN: "arn:aws:iam::123456789012:role/admin")])])
        let body = try await check("SetIdentityPoolRoles", in: Self.identityPools) { try await $0.cognitoIdentity.setIdentityPoolRoles(roles) }
        let mapping = (body["RoleMappings"] as? [String: Any])?.values.first as? [String: Any]
        XCTAssertEqual(((mapping?["RulesConfiguration"] as? [String: Any])?["Rules"] as? [Any])?.count, 1)
    }

    func testClearingRolesSendsAnEmptyRolesMap() async throws {
        let body = try await check("SetIdentityPoolRoles", in: Self.identityPools) {
            try await $0.cognitoIdentity.setIdentityPoolRoles(CognitoIdentity.PoolRoles(identityPoolID: "us-east-1:0f0e", roles: [:], roleMappings: nil))
        }
        XCTAssertEqual((body["Roles"] as? [String: Any])?.count, 0, "Roles is required, so clearing sends it empty")
    }

    func testGetIdentityPoolRolesFollowsTheModelAndDecodesMappings() async throws {
        let answer = """
        {"IdentityPoolId":"us-east-1:0f0e","Roles":{"unauthenticated":"arn:aws:iam::123456789012:role/guest"},
         "RoleMappings":{"graph.facebook.com":{"Type":"Token","AmbiguousRoleResolution":"AuthenticatedRole"}}}
        """
        var roles: CognitoIdentity.PoolRoles?
        try await check("GetIdentityPoolRoles", in: Self.identityPools, answer: answer) {
            roles = try await $0.cognitoIdentity.identityPoolRoles("us-east-1:0f0e")
        }
        XCTAssertEqual(roles?.roles, ["unauthenticated": "arn:aws:iam::123456789012:role/guest"])
        XCTAssertEqual(roles?.roleMappings?["graph.facebook.com"]?.type, "Token")
        XCTAssertEqual(roles?.roleMappings?["graph.facebook.com"]?.ambiguousRoleResolution, "AuthenticatedRole")
    }

    func testIdentityPoolCreateAndUpdateFollowTheModel() async throws {
        let answer = #"{"IdentityPoolId":"us-east-1:0f0e","IdentityPoolName":"ids","AllowUnauthenticatedIdentities":false}"#
        let pool = CognitoIdentity.IdentityPool(
            identityPoolName: "ids", allowUnauthenticatedIdentities: true, allowClassicFlow: false,
            supportedLoginProviders: ["accounts.google.com": "1234"],
            cognitoIdentityProviders: [CognitoIdentity.Provider(providerName: "cognito-idp.us-east-1.amazonaws.com/us-east-1_Ab", clientID: "abc",
                                                                serverSideTokenCheck: false)],
            identityPoolTags: ["team": "images"])
        let created = try await check("CreateIdentityPool", in: Self.identityPools, answer: answer) {
            _ = try await $0.cognitoIdentity.createIdentityPool(pool)
        }
        XCTAssertEqual(created["AllowClassicFlow"] as? Bool, false, "moto drops AllowClassicFlow; its encoding is proved here")
        var existing = pool
        existing.identityPoolID = "us-east-1:0f0e"
        let updated = try await check("UpdateIdentityPool", in: Self.identityPools, answer: answer) {
            try await $0.cognitoIdentity.updateIdentityPool(existing)
        }
        XCTAssertEqual(updated["IdentityPoolId"] as? String, "us-east-1:0f0e")
    }

    // MARK: - User pools

    func testUserPoolCallsFollowTheModel() async throws {
        let answer = #"{"UserPool":{"Id":"us-east-1_Ab","Name":"users","Arn":"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Ab"}}"#
        let pool = CognitoIdentityProvider.UserPool(
            name: "users",
            passwordPolicy: CognitoIdentityProvider.PasswordPolicy(minimumLength: 12, requireUppercase: true, requireLowercase: true,
                                                                   requireNumbers: true, requireSymbols: false, temporaryPasswordValidityDays: 3),
            autoVerifiedAttributes: ["email"], usernameAttributes: ["email"], mfaConfiguration: "OFF",
            schemaAttributes: [CognitoIdentityProvider.SchemaAttribute(name: "tier", attributeDataType: "String", mutable: true, required: false)],
            deletionProtection: "ACTIVE", userPoolTags: ["team": "images"])
        let created = try await check("CreateUserPool", in: Self.userPools, answer: answer) {
            _ = try await $0.cognitoIdentityProvider.createUserPool(pool)
        }
        XCTAssertEqual(created["PoolName"] as? String, "users")
        let described = """
        {"UserPool":{"Id":"us-east-1_Ab","Name":"users","Status":"Enabled","CreationDate":1700000000.5,"SmsConfigurationFailure":"none",
         "AdminCreateUserConfig":{"AllowAdminCreateUserOnly":true,"UnusedAccountValidityDays":7},
         "LambdaConfig":{"PreSignUp":"arn:aws:lambda:us-east-1:123456789012:function:check"},
         "UsernameAttributes":["email"],"MfaConfiguration":"OFF"}}
        """
        let updated = try await check("UpdateUserPool", in: Self.userPools, answer: described) {
            try await $0.cognitoIdentityProvider.updateUserPool("us-east-1_Ab", pool)
        }
        XCTAssertNil(updated["UsernameAttributes"], "UsernameAttributes is not a member of UpdateUserPool")
        XCTAssertEqual((updated["LambdaConfig"] as? [String: Any])?["PreSignUp"] as? String, "arn:aws:lambda:us-east-1:123456789012:function:check",
                       "settings imgstack does not manage are sent back, since AWS resets what UpdateUserPool is not given")
        XCTAssertEqual((updated["AdminCreateUserConfig"] as? [String: Any])?["AllowAdminCreateUserOnly"] as? Bool, true)
        XCTAssertNil((updated["AdminCreateUserConfig"] as? [String: Any])?["UnusedAccountValidityDays"],
                     "AWS refuses the deprecated UnusedAccountValidityDays next to TemporaryPasswordValidityDays")
        XCTAssertEqual(((updated["Policies"] as? [String: Any])?["PasswordPolicy"] as? [String: Any])?["MinimumLength"] as? Int, 12)
        XCTAssertEqual(updated["DeletionProtection"] as? String, "ACTIVE")
        let mfa = try await check("SetUserPoolMfaConfig", in: Self.userPools) {
            try await $0.cognitoIdentityProvider.setUserPoolMfaConfig("us-east-1_Ab", mode: "OPTIONAL")
        }
        XCTAssertEqual((mfa["SoftwareTokenMfaConfiguration"] as? [String: Any])?["Enabled"] as? Bool, true)
        try await check("DescribeUserPool", in: Self.userPools, answer: answer) { _ = try await $0.cognitoIdentityProvider.describeUserPool("us-east-1_Ab") }
        try await check("DeleteUserPool", in: Self.userPools) { try await $0.cognitoIdentityProvider.deleteUserPool("us-east-1_Ab") }
    }

    func testClientCallsFollowTheModel() async throws {
        let answer = #"{"UserPoolClient":{"UserPoolId":"us-east-1_Ab","ClientId":"abc","ClientName":"web","ClientSecret":"s3cr3t"}}"#
        var settings = CognitoIdentityProvider.UserPoolClient()
        settings.userPoolID = "us-east-1_Ab"
        settings.clientName = "web"
        settings.generateSecret = true
        settings.allowedOAuthFlows = ["code"]
        settings.allowedOAuthScopes = ["openid"]
        settings.allowedOAuthFlowsUserPoolClient = true
        settings.callbackURLs = ["https://example.com/cb"]
        settings.explicitAuthFlows = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
        settings.accessTokenValidity = 60
        settings.tokenValidityUnits = CognitoIdentityProvider.TokenValidityUnits(accessToken: "minutes", idToken: "minutes", refreshToken: "days")
        let create = try await check("CreateUserPoolClient", in: Self.userPools, answer: answer) {
            _ = try await $0.cognitoIdentityProvider.createUserPoolClient(settings)
        }
        XCTAssertEqual(create["GenerateSecret"] as? Bool, true)
        settings.clientID = "abc"
        settings.clientSecret = "s3cr3t"
        settings.callbackURLs = nil
        let described = """
        {"UserPoolClient":{"UserPoolId":"us-east-1_Ab","ClientId":"abc","ClientName":"web","ClientSecret":"s3cr3t",
         "CallbackURLs":["https://example.com/cb"],"ReadAttributes":["email"],"EnableTokenRevocation":true,"CreationDate":1700000000}}
        """
        let update = try await check("UpdateUserPoolClient", in: Self.userPools, answer: described) {
            try await $0.cognitoIdentityProvider.updateUserPoolClient(settings)
        }
        XCTAssertNil(update["ClientSecret"], "the secret is never sent back")
        XCTAssertNil(update["GenerateSecret"])
        XCTAssertNil(update["CallbackURLs"], "a managed list the stack dropped is not carried over from the described client")
        XCTAssertEqual(update["ReadAttributes"] as? [String], ["email"], "unmanaged members are sent back, since AWS resets what it is not given")
        XCTAssertEqual(update["EnableTokenRevocation"] as? Bool, true)
        try await check("DescribeUserPoolClient", in: Self.userPools, answer: answer) {
            _ = try await $0.cognitoIdentityProvider.describeUserPoolClient(pool: "us-east-1_Ab", client: "abc")
        }
        try await check("DeleteUserPoolClient", in: Self.userPools) {
            try await $0.cognitoIdentityProvider.deleteUserPoolClient(pool: "us-east-1_Ab", client: "abc")
        }
    }

    func testDomainAndIdentityProviderCallsFollowTheModel() async throws {
        try await check("CreateUserPoolDomain", in: Self.userPools) {
            try await $0.cognitoIdentityProvider.createUserPoolDomain("login", pool: "us-east-1_Ab")
        }
        var owner: String?
        try await check("DescribeUserPoolDomain", in: Self.userPools, answer: #"{"DomainDescription":{}}"#) {
            owner = try await $0.cognitoIdentityProvider.userPoolOfDomain("login")
        }
        XCTAssertNil(owner, "AWS answers an empty description for a domain that does not exist")
        try await check("DeleteUserPoolDomain", in: Self.userPools) {
            try await $0.cognitoIdentityProvider.deleteUserPoolDomain("login", pool: "us-east-1_Ab")
        }
        let provider = CognitoIdentityProvider.IdentityProvider(
            userPoolID: "us-east-1_Ab", providerName: "Google", providerType: "Google",
            providerDetails: ["client_id": "1234", "client_secret": "x", "authorize_scopes": "openid email"], attributeMapping: ["email": "email"])
        let answer = #"{"IdentityProvider":{"UserPoolId":"us-east-1_Ab","ProviderName":"Google","ProviderType":"Google"}}"#
        try await check("CreateIdentityProvider", in: Self.userPools, answer: answer) {
            try await $0.cognitoIdentityProvider.createIdentityProvider(provider)
        }
        try await check("UpdateIdentityProvider", in: Self.userPools, answer: answer) {
            try await $0.cognitoIdentityProvider.updateIdentityProvider(provider)
        }
        try await check("DescribeIdentityProvider", in: Self.userPools, answer: answer) {
            _ = try await $0.cognitoIdentityProvider.describeIdentityProvider(pool: "us-east-1_Ab", name: "Google")
        }
        try await check("DeleteIdentityProvider", in: Self.userPools) {
            try await $0.cognitoIdentityProvider.deleteIdentityProvider(pool: "us-east-1_Ab", name: "Google")
        }
    }
}
