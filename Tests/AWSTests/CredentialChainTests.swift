import Foundation
import XCTest

@testable import AWS

final class CredentialChainTests: XCTestCase {
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    func testFirstProviderWithCredentialsWinsAndIsRemembered() async throws {
        let empty = ScriptedProvider("empty", answers: [nil])
        let second = ScriptedProvider("second", answers: [AWSCredentials(accessKeyID: "A2", secretAccessKey: "s")])
        let third = ScriptedProvider("third", answers: [AWSCredentials(accessKeyID: "A3", secretAccessKey: "s")])
        let chain = CredentialChain(providers: [empty, second, third])
        let credentials = try await chain.credentials()
        XCTAssertEqual(credentials.accessKeyID, "A2")
        let source = try await chain.sourceName()
        XCTAssertEqual(source, "second")
        _ = try await chain.credentials()
        XCTAssertEqual(second.callCount, 1, "long-term credentials are cached")
        XCTAssertEqual(third.callCount, 0)
    }

    func testNoProviderWithCredentialsIsANoCredentialsError() async {
        let chain = CredentialChain(providers: [ScriptedProvider("a", answers: [nil])])
        await assertClientError(.noCredentials, containing: "no AWS credentials found: set AWS_ACCESS_KEY_ID") {
            _ = try await chain.credentials()
        }
    }

    func testTemporaryCredentialsAreRefreshedFiveMinutesBeforeExpiry() async throws {
        let clock = TestClock(start)
        let first = AWSCredentials(accessKeyID: "T1", secretAccessKey: "s", sessionToken: "t", expiration: start + 3600)
        let second = AWSCredentials(accessKeyID: "T2", secretAccessKey: "s", sessionToken: "t", expiration: start + 7200)
        let provider = ScriptedProvider("sts", answers: [first, second])
        let chain = CredentialChain(providers: [provider], now: { clock.now })

        let initial = try await chain.credentials()
        XCTAssertEqual(initial.accessKeyID, "T1")
        clock.advance(3600 - 301)
        let stillCached = try await chain.credentials()
        XCTAssertEqual(stillCached.accessKeyID, "T1")
        XCTAssertEqual(provider.callCount, 1)
        clock.advance(2)
        let refreshed = try await chain.credentials()
        XCTAssertEqual(refreshed.accessKeyID, "T2")
        XCTAssertEqual(provider.callCount, 2)
    }

    func testConcurrentCallersShareOneRefresh() async throws {
        let provider = ScriptedProvider(
            "slow", answers: [AWSCredentials(accessKeyID: "A", secretAccessKey: "s")], delayNanoseconds: 50_000_000)
        let chain = CredentialChain(providers: [provider])
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<20 { group.addTask { try await chain.credentials().accessKeyID } }
            var keys: [String] = []
            for try await key in group { keys.append(key) }
            return keys
        }
        XCTAssertEqual(keys, Array(repeating: "A", count: 20))
        XCTAssertEqual(provider.callCount, 1)
    }

    func testBrokenSourceErrorIsReportedNotSkipped() async {
        let chain = CredentialChain(providers: [
            EnvironmentCredentialProvider(environment: ["AWS_ACCESS_KEY_ID": "A"]),
            ScriptedProvider("later", answers: [AWSCredentials(accessKeyID: "L", secretAccessKey: "s")]),
        ])
        await assertClientError(.credentialSourceFailed, containing: "AWS_SECRET_ACCESS_KEY") {
            _ = try await chain.credentials()
        }
    }

    // MARK: - The standard chain

    func testStandardChainPrefersEnvironmentOverAWSProfile() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        try home.write(".aws/credentials", "[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n")
        let environment = home.environment.merging(
            ["AWS_PROFILE": "p", "AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_EC2_METADATA_DISABLED": "true"]) { $1 }
        let chain = CredentialChain.standard(
            environment: environment, profile: nil, roleAssumer: FakeRoleAssumer(), transport: FakeTransport { _ in HTTPResponse(statusCode: 404) })
        let credentials = try await chain.credentials()
        XCTAssertEqual(credentials.accessKeyID, "AKIDENV")
        let source = try await chain.sourceName()
        XCTAssertEqual(source, "environment")
    }

    func testStandardChainWithExplicitProfileSkipsEnvironmentKeys() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        try home.write(".aws/credentials", "[p]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n")
        let environment = home.environment.merging(["AWS_ACCESS_KEY_ID": "AKIDENV", "AWS_SECRET_ACCESS_KEY": "s"]) { $1 }
        let chain = CredentialChain.standard(
            environment: environment, profile: "p", roleAssumer: FakeRoleAssumer(), transport: FakeTransport { _ in HTTPResponse(statusCode: 404) })
        let credentials = try await chain.credentials()
        XCTAssertEqual(credentials.accessKeyID, "AKIDPROFILE")
        let source = try await chain.sourceName()
        XCTAssertEqual(source, "profile p")
    }

    func testStandardChainWithMissingExplicitProfileIsAnErrorNamingIt() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let chain = CredentialChain.standard(
            environment: home.environment, profile: "nope", roleAssumer: FakeRoleAssumer(),
            transport: FakeTransport { _ in HTTPResponse(statusCode: 404) })
        await assertClientError(.credentialSourceFailed, containing: "profile nope was not found") {
            _ = try await chain.credentials()
        }
    }

    func testStandardChainFallsThroughToInstanceMetadataAndThenNoCredentials() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let transport = FakeTransport { request in
            throw TransportError(kind: .timedOut, url: request.url, detail: "timed out")
        }
        let chain = CredentialChain.standard(environment: home.environment, profile: nil, roleAssumer: FakeRoleAssumer(), transport: transport)
        await assertClientError(.noCredentials, containing: "no AWS credentials found") {
            _ = try await chain.credentials()
        }
        XCTAssertEqual(transport.requests.map(\.method), ["PUT"], "one IMDS attempt, no container request")
    }

    func testStandardChainUsesWebIdentityFromTheEnvironment() async throws {
        let home = try TemporaryHome()
        defer { home.remove() }
        let tokenFile = try home.write("token", "oidc")
        let environment = home.environment.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/gh"]) { $1 }
        let assumer = FakeRoleAssumer(expiration: start + 3600)
        let chain = CredentialChain.standard(
            environment: environment, profile: nil, roleAssumer: assumer, transport: FakeTransport { _ in HTTPResponse(statusCode: 404) })
        let credentials = try await chain.credentials()
        XCTAssertEqual(credentials.accessKeyID, "ASIAWEB")
        let source = try await chain.sourceName()
        XCTAssertEqual(source, "web-identity")
    }
}
