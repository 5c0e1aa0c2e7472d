import Foundation
import XCTest

@testable import AWS

final class CredentialProviderTests: XCTestCase {
    var home: TemporaryHome!
    let fixedNow = Date(timeIntervalSince1970: 1_700_000_000)

    override func setUpWithError() throws {
        home = try TemporaryHome()
    }

    override func tearDown() {
        home.remove()
    }

    // MARK: - Environment

    func testEnvironmentKeysWithSessionToken() async throws {
        let provider = EnvironmentCredentialProvider(environment: [
            "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "secret", "AWS_SESSION_TOKEN": "token",
        ])
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials, AWSCredentials(accessKeyID: "AKIDENV", secretAccessKey: "secret", sessionToken: "token"))
        XCTAssertEqual(provider.sourceName, "environment")
    }

    func testEnvironmentWithoutKeysHasNoCredentials() async throws {
        let credentials = try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": ""]).credentials()
        XCTAssertNil(credentials)
    }

    func testEnvironmentKeyWithoutSecretNamesTheMissingVariable() async {
        await assertClientError(.credentialSourceFailed, containing: "AWS_SECRET_ACCESS_KEY is missing") {
            _ = try await EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "AKID"]).credentials()
        }
    }

    func testCredentialsDescriptionNeverShowsTheSecretOrToken() {
        let credentials = AWSCredentials(accessKeyID: "AKIDSHOWN", secretAccessKey: "very-secret-value", sessionToken: "token-value")
        XCTAssertTrue(credentials.description.contains("AKIDSHOWN"))
        XCTAssertFalse(credentials.description.contains("very-secret-value"))
        XCTAssertFalse(credentials.description.contains("token-value"))
        XCTAssertFalse(String(describing: credentials).contains("very-secret-value"))
    }

    // MARK: - Web identity

    func testWebIdentityReadsTheTokenFileOnEveryCall() async throws {
        let tokenFile = try home.write("token", "first-token\n")
        let assumer = FakeRoleAssumer()
        let now = fixedNow
        let provider = WebIdentityCredentialProvider(
            environment: home.environment.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/ci"]) { $1 },
            roleAssumer: assumer, now: { now })
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials?.accessKeyID, "ASIAWEB")
        try home.write("token", "rotated-token")
        _ = try await provider.credentials()
        XCTAssertEqual(assumer.calls.map(\.token), ["first-token", "rotated-token"])
        XCTAssertEqual(assumer.calls.first?.sessionName, "imgstack-1700000000")
        XCTAssertEqual(assumer.calls.first?.roleARN, "arn:aws:iam::1:role/ci")
        XCTAssertEqual(provider.sourceName, "web-identity")
    }

    func testWebIdentityUsesSessionNameFromTheEnvironment() async throws {
        let tokenFile = try home.write("token", "t")
        let assumer = FakeRoleAssumer()
        let provider = WebIdentityCredentialProvider(
            environment: [
                "HOME": home.path, "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:r", "AWS_ROLE_SESSION_NAME": "gh-run-7",
            ], roleAssumer: assumer)
        _ = try await provider.credentials()
        XCTAssertEqual(assumer.calls.map(\.sessionName), ["gh-run-7"])
    }

    func testWebIdentityFromTheProfile() async throws {
        let tokenFile = try home.write("token", "profile-token")
        try home.write(".aws/config", "[profile ci]\nweb_identity_token_file = \(tokenFile)\nrole_arn = arn:aws:iam::1:role/p\nrole_session_name = s\n")
        let assumer = FakeRoleAssumer()
        let provider = WebIdentityCredentialProvider(environment: home.environment, profile: "ci", roleAssumer: assumer)
        _ = try await provider.credentials()
        XCTAssertEqual(assumer.calls, [.init(kind: "web", roleARN: "arn:aws:iam::1:role/p", sessionName: "s", token: "profile-token")])
    }

    func testWebIdentityNotConfiguredHasNoCredentials() async throws {
        let credentials = try await WebIdentityCredentialProvider(environment: home.environment, roleAssumer: FakeRoleAssumer()).credentials()
        XCTAssertNil(credentials)
    }

    func testWebIdentityTokenFileWithoutRoleIsAnError() async {
        await assertClientError(.credentialSourceFailed, containing: "AWS_ROLE_ARN is missing") {
            _ = try await WebIdentityCredentialProvider(
                environment: ["HOME": self.home.path, "AWS_WEB_IDENTITY_TOKEN_FILE": "/tmp/x"], roleAssumer: FakeRoleAssumer()
            ).credentials()
        }
    }

    // MARK: - Profiles

    func testProfileStaticKeysFromTheCredentialsFile() async throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\naws_session_token = t\n")
        let provider = ProfileCredentialProvider(environment: home.environment, roleAssumer: FakeRoleAssumer())
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials, AWSCredentials(accessKeyID: "AKIDFILE", secretAccessKey: "s", sessionToken: "t"))
        XCTAssertEqual(provider.sourceName, "profile default")
    }

    func testMissingDefaultProfileHasNoCredentialsButANamedOneIsAnError() async throws {
        let none = try await ProfileCredentialProvider(environment: home.environment, roleAssumer: FakeRoleAssumer()).credentials()
        XCTAssertNil(none)
        await assertClientError(.credentialSourceFailed, containing: "profile prod was not found") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "prod", roleAssumer: FakeRoleAssumer()).credentials()
        }
        await assertClientError(.credentialSourceFailed, containing: "profile staging was not found") {
            var environment = self.home.environment
            environment["AWS_PROFILE"] = "staging"
            _ = try await ProfileCredentialProvider(environment: environment, roleAssumer: FakeRoleAssumer()).credentials()
        }
    }

    func testMalformedCredentialsFileIsAnErrorNamingTheLine() async throws {
        try home.write(".aws/credentials", "[default]\naws_access_key_id = A\ngarbage\n")
        await assertClientError(.invalidConfiguration, containing: "credentials:3:") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, roleAssumer: FakeRoleAssumer()).credentials()
        }
    }

    func testRoleChainAssumesEachRoleWithTheCredentialsOfItsSource() async throws {
        try home.write(".aws/credentials", "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = s\n")
        try home.write(
            ".aws/config",
            """
            [profile middle]
            role_arn = arn:aws:iam::1:role/middle
            source_profile = base
            [profile top]
            role_arn = arn:aws:iam::2:role/top
            source_profile = middle
            external_id = ext-42
            role_session_name = deploy
            """)
        let assumer = FakeRoleAssumer()
        let now = fixedNow
        let provider = ProfileCredentialProvider(environment: home.environment, profile: "top", roleAssumer: assumer, now: { now })
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials?.accessKeyID, "ASIAROLE-top")
        XCTAssertEqual(
            assumer.calls,
            [
                .init(kind: "role", roleARN: "arn:aws:iam::1:role/middle", sessionName: "imgstack-1700000000", sourceKeyID: "AKIDBASE"),
                .init(kind: "role", roleARN: "arn:aws:iam::2:role/top", sessionName: "deploy", externalID: "ext-42", sourceKeyID: "ASIAROLE-middle"),
            ])
        XCTAssertEqual(provider.sourceName, "profile top (assume role arn:aws:iam::2:role/top)")
    }

    func testSourceProfileCycleIsDetected() async throws {
        try home.write(
            ".aws/config",
            "[profile a]\nrole_arn = arn:a\nsource_profile = b\n[profile b]\nrole_arn = arn:b\nsource_profile = a\n")
        let assumer = FakeRoleAssumer()
        await assertClientError(.credentialSourceFailed, containing: "source_profile cycle: a -> b -> a") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "a", roleAssumer: assumer).credentials()
        }
        XCTAssertTrue(assumer.calls.isEmpty)
    }

    func testProfileMaySourceItsOwnStaticKeys() async throws {
        try home.write(".aws/credentials", "[self]\naws_access_key_id = AKIDSELF\naws_secret_access_key = s\nrole_arn = arn:x/self\nsource_profile = self\n")
        let assumer = FakeRoleAssumer()
        _ = try await ProfileCredentialProvider(environment: home.environment, profile: "self", roleAssumer: assumer).credentials()
        XCTAssertEqual(assumer.calls.map(\.sourceKeyID), ["AKIDSELF"])
    }

    func testMissingSourceProfileIsAnErrorNamingIt() async throws {
        try home.write(".aws/config", "[profile a]\nrole_arn = arn:a\nsource_profile = gone\n")
        await assertClientError(.credentialSourceFailed, containing: "profile gone (source_profile of a) was not found") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "a", roleAssumer: FakeRoleAssumer()).credentials()
        }
    }

    func testCredentialProcessOutputIsParsed() async throws {
        let json = #"{"Version": 1, "AccessKeyId": "ASIAPROC", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "2030-01-02T03:04:05Z"}"#
        try home.write("proc.json", json)
        try home.write(".aws/config", "[profile p]\ncredential_process = cat '\(home.path)/proc.json'\n")
        let provider = ProfileCredentialProvider(environment: home.environment, profile: "p", roleAssumer: FakeRoleAssumer())
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials?.accessKeyID, "ASIAPROC")
        XCTAssertEqual(credentials?.sessionToken, "t")
        XCTAssertEqual(credentials?.expiration, Date(timeIntervalSince1970: 1_893_553_445))
        XCTAssertEqual(provider.sourceName, "profile p (credential_process)")
    }

    func testCredentialProcessFailingIsAnErrorWithItsStderr() async throws {
        try home.write(".aws/config", "[profile p]\ncredential_process = echo 'token expired' >&2; exit 3\n")
        await assertClientError(.credentialSourceFailed, containing: "exited with status 3: token expired") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "p", roleAssumer: FakeRoleAssumer()).credentials()
        }
    }

    func testCredentialProcessBadJSONIsAnError() async throws {
        try home.write(".aws/config", "[profile p]\ncredential_process = echo not-json\n")
        await assertClientError(.credentialSourceFailed, containing: "did not return a JSON credential document") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "p", roleAssumer: FakeRoleAssumer()).credentials()
        }
        try home.write(".aws/config", "[profile q]\ncredential_process = echo '{\"Version\": 1, \"AccessKeyId\": \"A\"}'\n")
        await assertClientError(.credentialSourceFailed, containing: "no SecretAccessKey") {
            _ = try await ProfileCredentialProvider(environment: self.home.environment, profile: "q", roleAssumer: FakeRoleAssumer()).credentials()
        }
    }

    // MARK: - Container

    func testContainerRelativeURIWithTokenFile() async throws {
        let tokenFile = try home.write("ctoken", "Bearer abc\n")
        let transport = FakeTransport { _ in
            HTTPResponse(
                statusCode: 200,
                body: Data(#"{"AccessKeyId":"ASIACONT","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#.utf8))
        }
        let provider = ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored"],
            transport: transport)
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials?.accessKeyID, "ASIACONT")
        XCTAssertEqual(credentials?.sessionToken, "t")
        XCTAssertEqual(transport.requests.first?.url.absoluteString, "http://169.254.170.2/v2/credentials/abc")
        XCTAssertEqual(transport.requests.first?.headers["Authorization"], "Bearer abc")
        XCTAssertEqual(provider.sourceName, "container")
    }

    func testContainerFullURIToAnArbitraryPlainHTTPHostIsRefused() async {
        let transport = FakeTransport { _ in HTTPResponse(statusCode: 200) }
        await assertClientError(.credentialSourceFailed, containing: "must use https") {
            _ = try await ContainerCredentialProvider(
                environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://evil.example.com/creds"], transport: transport
            ).credentials()
        }
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testContainerFullURIOnLoopbackWithToken() async throws {
        let transport = FakeTransport { _ in HTTPResponse(statusCode: 200, body: Data(#"{"AccessKeyId":"A","SecretAccessKey":"s"}"#.utf8)) }
        let credentials = try await ContainerCredentialProvider(
            environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:8080/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": "tok"],
            transport: transport
        ).credentials()
        XCTAssertEqual(credentials?.accessKeyID, "A")
        XCTAssertEqual(transport.requests.first?.headers["Authorization"], "tok")
    }

    func testContainerNotConfiguredHasNoCredentialsAndErrorStatusIsAnError() async throws {
        let transport = FakeTransport { _ in HTTPResponse(statusCode: 500) }
        let none = try await ContainerCredentialProvider(environment: [:], transport: transport).credentials()
        XCTAssertNil(none)
        await assertClientError(.credentialSourceFailed, containing: "HTTP 500") {
            _ = try await ContainerCredentialProvider(environment: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/x"], transport: transport).credentials()
        }
    }

    // MARK: - Instance metadata

    func testInstanceMetadataUsesIMDSv2TokenForEveryRead() async throws {
        let transport = FakeTransport { request in
            // `URL.path` drops a trailing slash, so match on the encoded path.
            switch (request.method, URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? "") {
            case ("PUT", "/latest/api/token"):
                return HTTPResponse(statusCode: 200, body: Data("imds-token".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/"):
                return HTTPResponse(statusCode: 200, body: Data("web-role\n".utf8))
            case ("GET", "/latest/meta-data/iam/security-credentials/web-role"):
                return HTTPResponse(
                    statusCode: 200,
                    body: Data(#"{"Code":"Success","AccessKeyId":"ASIAEC2","SecretAccessKey":"s","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#.utf8))
            default:
                return HTTPResponse(statusCode: 404)
            }
        }
        let provider = InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": "http://10.0.0.1:1234/"], transport: transport)
        let credentials = try await provider.credentials()
        XCTAssertEqual(credentials?.accessKeyID, "ASIAEC2")
        XCTAssertEqual(transport.requests.count, 3)
        XCTAssertEqual(transport.requests[0].headers["X-aws-ec2-metadata-token-ttl-seconds"], "21600")
        XCTAssertEqual(transport.requests[0].url.absoluteString, "http://10.0.0.1:1234/latest/api/token")
        XCTAssertEqual(transport.requests.dropFirst().map { $0.headers["X-aws-ec2-metadata-token"] }, ["imds-token", "imds-token"])
        XCTAssertEqual(transport.timeouts, [1, 1, 1])
        XCTAssertEqual(provider.sourceName, "instance-metadata")
    }

    func testInstanceMetadataUnreachableIsNoCredentialsAfterOneAttempt() async throws {
        let transport = FakeTransport { request in
            throw TransportError(kind: .cannotConnect, url: request.url, detail: "no route to host")
        }
        let credentials = try await InstanceMetadataCredentialProvider(environment: [:], transport: transport).credentials()
        XCTAssertNil(credentials)
        XCTAssertEqual(transport.requests.count, 1)
        XCTAssertEqual(transport.requests.first?.url.absoluteString, "http://169.254.169.254/latest/api/token")
    }

    func testInstanceMetadataDisabledSendsNothing() async throws {
        let transport = FakeTransport { _ in HTTPResponse(statusCode: 200) }
        let credentials = try await InstanceMetadataCredentialProvider(environment: ["AWS_EC2_METADATA_DISABLED": "true"], transport: transport).credentials()
        XCTAssertNil(credentials)
        XCTAssertTrue(transport.requests.isEmpty)
    }

    func testInstanceWithoutRoleHasNoCredentials() async throws {
        let transport = FakeTransport { request in
            request.method == "PUT" ? HTTPResponse(statusCode: 200, body: Data("tok".utf8)) : HTTPResponse(statusCode: 404)
        }
        let credentials = try await InstanceMetadataCredentialProvider(environment: [:], transport: transport).credentials()
        XCTAssertNil(credentials)
    }
}
