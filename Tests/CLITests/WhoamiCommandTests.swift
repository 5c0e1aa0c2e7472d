import Foundation
import TestSupport
import XCTest

/// `imgstack whoami`: the identity, or one clear line naming what is wrong, and exit status 1.
final class WhoamiCommandTests: XCTestCase {
    func testPrintsAccountArnAndSourceThroughTheEmulator() async throws {
        let cli = try CLI.withEmulator(try Emulator.shared())
        let result = try await cli.run(["whoami"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("Account: 123456789012"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("Source:  environment"), result.standardOutput)
        XCTAssertTrue(result.standardOutput.contains("ARN:"), result.standardOutput)
    }

    func testProfileFromSharedFilesIsNamedAsTheSource() async throws {
        let emulator = try Emulator.shared()
        var cli = try CLI.withEmulator(emulator)
        cli.environment["AWS_ACCESS_KEY_ID"] = nil
        cli.environment["AWS_SECRET_ACCESS_KEY"] = nil
        try """
        [ci]
        aws_access_key_id = \(Emulator.accessKeyID)
        aws_secret_access_key = \(Emulator.secretAccessKey)
        """.write(toFile: cli.path("credentials"), atomically: true, encoding: .utf8)
        cli.environment["AWS_SHARED_CREDENTIALS_FILE"] = cli.path("credentials")
        let result = try await cli.run(["whoami", "--profile", "ci"])
        XCTAssertEqual(result.status, 0, result.standardError)
        XCTAssertTrue(result.standardOutput.contains("profile ci"), result.standardOutput)
    }

    func testNoCredentialsIsOneClearLine() async throws {
        let result = try await CLI().run(["whoami", "--region", "eu-west-1"])
        XCTAssertEqual(result.status, 1)
        let lines = result.standardError.split(separator: "\n")
        XCTAssertEqual(lines.count, 1, result.standardError)
        XCTAssertTrue(result.standardError.contains("no AWS credentials found"), result.standardError)
    }

    func testWrongSecretIsOneClearLine() async throws {
        let emulator = try Emulator.shared()
        let cli = try CLI.withEmulator(emulator)
        let result = try await cli.run(["whoami"], environment: ["AWS_SECRET_ACCESS_KEY": "wrong-secret"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("SignatureDoesNotMatch"), result.standardError)
        XCTAssertFalse(result.standardError.contains("wrong-secret"), "the secret must never be printed")
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError)
    }

    func testUnreachableEndpointIsOneClearLine() async throws {
        let result = try await CLI().run(["whoami", "--region", "eu-west-1", "--endpoint-url", "http://127.0.0.1:9"],
                                         environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("127.0.0.1:9"), result.standardError)
        XCTAssertEqual(result.standardError.split(separator: "\n").count, 1, result.standardError)
    }

    func testMalformedConfigFileIsNamedWithItsLine() async throws {
        var cli = try CLI()
        try "[profile broken]\nthis line has no equals sign\n".write(toFile: cli.path("config"), atomically: true, encoding: .utf8)
        cli.environment["AWS_CONFIG_FILE"] = cli.path("config")
        let result = try await cli.run(["whoami", "--profile", "broken"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("config:2"), result.standardError)
    }
}
