import AWS
import Engine
import ImgStack
import XCTest

private typealias Role = ImgStack.IAM.Role
private typealias ManagedPolicy = ImgStack.IAM.Policy
private typealias Attachment = ImgStack.IAM.RolePolicyAttachment
private typealias InstanceProfile = ImgStack.IAM.InstanceProfile
private typealias OIDCProvider = ImgStack.IAM.OpenIDConnectProvider

/// IAM resources with bad input: each rule reports the resource's address and the property.
final class IAMValidationTests: XCTestCase {
    private static let trust = PolicyDocument([Statement(effect: .allow, actions: ["sts:AssumeRole"], principal: .service("ec2.amazonaws.com"))])
    private static let readAll = PolicyDocument([Statement(effect: .allow, actions: ["s3:GetObject"], resources: ["*"])])
    private static let unknownEffect = PolicyDocument(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"s3:GetObject","Resource":"*"}]}"#)

    private func role(name: Text = "app", path: String = "/", description: String = "", seconds: Int = 3600,
                      trust: PolicyDocument = IAMValidationTests.trust, inline: [String: PolicyDocument] = [:], tags: [String: Text] = [:]) -> Role {
        Role("app", name: name, assumeRolePolicy: trust, path: path, description: description, maxSessionDuration: seconds,
             inlinePolicies: inline, tags: tags)
    }

    // MARK: - Roles

    func testRoleNamesFollowIAMsCharactersAndLength() {
        assertOneIssue(role(name: "has spaces"), property: "name", containing: "+=,.@_-")
        assertOneIssue(role(name: "role/slash"), property: "name", containing: "+=,.@_-")
        assertOneIssue(role(name: Text(String(repeating: "r", count: 65))), property: "name", containing: "1 to 64")
        XCTAssertEqual(validationIssues(role(name: "svc+app=1,a.b@c_d-e")), [])
        XCTAssertEqual(validationIssues(role(name: Text(String(repeating: "r", count: 64)))), [])
    }

    func testRolePathsStartAndEndWithASlash() {
        assertOneIssue(role(path: "service/"), property: "path", containing: "must start and end with \"/\"")
        assertOneIssue(role(path: "/service"), property: "path", containing: "must start and end with \"/\"")
        XCTAssertEqual(validationIssues(role(path: "/service/images/")), [])
    }

    func testSessionDurationIsOneToTwelveHours() {
        assertOneIssue(role(seconds: 3599), property: "maxSessionDuration", containing: "3600 to 43200")
        assertOneIssue(role(seconds: 43201), property: "maxSessionDuration", containing: "3600 to 43200")
        XCTAssertEqual(validationIssues(role(seconds: 43200)), [])
    }

    func testRoleDescriptionIsAtMostAThousandCharacters() {
        assertOneIssue(role(description: String(repeating: "d", count: 1001)), property: "description", containing: "1000")
    }

    func testTrustPolicyWithUnknownEffectNamesAssumeRolePolicy() {
        assertOneIssue(role(trust: Self.unknownEffect), property: "assumeRolePolicy", containing: "unknown Effect \"Permit\"")
    }

    func testInlinePolicyProblemsNameThePolicy() {
        assertOneIssue(role(inline: ["logs": Self.unknownEffect]), property: "inlinePolicies", containing: "logs: Statement[0]: unknown Effect")
    }

    func testMoreThanFortyNineRoleTagsAreRefused() {
        // IAM takes 50; imgstack's intent tag takes one of them.
        let tags = Dictionary(uniqueKeysWithValues: (0...49).map { ("k\($0)", Text("v")) })
        assertOneIssue(role(tags: tags), property: "tags", containing: "at most 49")
    }

    // MARK: - Managed policies

    func testPolicyWithUnknownEffectNamesAddressAndDocument() {
        assertOneIssue(ManagedPolicy("read", name: "read", document: Self.unknownEffect), property: "document", containing: "unknown Effect \"Permit\"")
    }

    func testPolicyStatementWithoutActionIsRefused() {
        let document = PolicyDocument(json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Resource":"*"}]}"#)
        assertOneIssue(ManagedPolicy("read", name: "read", document: document), property: "document", containing: "no Action")
    }

    func testPolicyNamesPathsAndDescriptionsFollowIAMsRules() {
        assertOneIssue(ManagedPolicy("read", name: Text(String(repeating: "p", count: 129)), document: Self.readAll), property: "name", containing: "1 to 128")
        assertOneIssue(ManagedPolicy("read", name: "read", document: Self.readAll, path: "x"), property: "path", containing: "\"/\"")
        assertOneIssue(ManagedPolicy("read", name: "read", document: Self.readAll, description: String(repeating: "d", count: 1001)),
                       property: "description", containing: "1000")
        XCTAssertEqual(validationIssues(ManagedPolicy("read", name: Text(String(repeating: "p", count: 128)), document: Self.readAll)), [])
    }

    // MARK: - Attachments, instance profiles, OIDC providers

    func testAttachmentNeedsAPolicyARNAndAValidRoleName() {
        assertOneIssue(Attachment("read", role: "app", policyARN: "ReadOnlyAccess"), property: "policyARN", containing: "is not a policy ARN")
        assertOneIssue(Attachment("read", role: "bad role", policyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess"), property: "role", containing: "+=,.@_-")
        XCTAssertEqual(validationIssues(Attachment("read", role: "app", policyARN: "arn:aws:iam::aws:policy/ReadOnlyAccess")), [])
    }

    func testInstanceProfileNameAndRoleAreChecked() {
        assertOneIssue(InstanceProfile("app", name: "bad name"), property: "name", containing: "+=,.@_-")
        assertOneIssue(InstanceProfile("app", name: "app", role: Text(String(repeating: "r", count: 65))), property: "role", containing: "1 to 64")
        XCTAssertEqual(validationIssues(InstanceProfile("app", name: "app")), [], "no role is allowed")
    }

    func testOIDCProviderNeedsHTTPSAndHexThumbprints() {
        assertOneIssue(OIDCProvider("ci", url: "http://issuer.example.com", clientIDs: ["sts.amazonaws.com"]), property: "url", containing: "https://")
        assertOneIssue(OIDCProvider("ci", url: "https://issuer.example.com", clientIDs: ["sts.amazonaws.com"], thumbprints: ["not-hex"]),
                       property: "thumbprints", containing: "40 hex digits")
        let six = (0..<6).map { String(repeating: String($0), count: 40) }
        assertOneIssue(OIDCProvider("ci", url: "https://issuer.example.com", clientIDs: ["sts.amazonaws.com"], thumbprints: six),
                       property: "thumbprints", containing: "at most 5")
        assertOneIssue(OIDCProvider("ci", url: "https://issuer.example.com", clientIDs: [""]), property: "clientIDs", containing: "1 to 255")
        XCTAssertEqual(validationIssues(OIDCProvider("ci", url: "https://token.actions.githubusercontent.com", clientIDs: ["sts.amazonaws.com"],
                                           thumbprints: [String(repeating: "a", count: 40)])), [])
    }
}
