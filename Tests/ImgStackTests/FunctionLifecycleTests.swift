import AWS
import Engine
import Foundation
@testable import ImgStack
import Synchronization
import XCTest

/// The bounded retries of Lambda functions, on answers the emulator cannot give: a role not
/// yet assumable, and a Lambda@Edge function whose replicas CloudFront still holds.
final class FunctionLifecycleTests: XCTestCase {
    private static func error(_ code: String, _ message: String) -> HTTPResponse {
        HTTPResponse(statusCode: 400, headers: ["x-amzn-ErrorType": code], body: Data("{\"message\":\"\(message)\"}".utf8))
    }

    private static let replicated = error("InvalidParameterValueException",
                                          "Lambda was unable to delete arn:aws:lambda:us-east-1:123456789012:function:auth:1 because it is a replicated function.")

    private func client(_ script: Script) -> AWSClient {
        var configuration = AWSClient.Configuration(region: "us-east-1", environment: [:])
        configuration.retry = RetryPolicy(maxAttempts: 1, baseDelay: 0.001)
        return AWSClient(configuration: configuration, credentials: { AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret") },
                         transport: script)
    }

    private let context = OperationContext(address: Address(type: "lambda.function", name: "auth"), region: "us-east-1")
    private let quick: FunctionLifecycle = {
        var lifecycle = FunctionLifecycle(readyTimeout: 1, pollInterval: 0.01)
        lifecycle.newRole.window = 0.2
        lifecycle.newRole.interval = 0.01
        lifecycle.edgeReplicas.window = 0.05
        lifecycle.edgeReplicas.interval = 0.01
        return lifecycle
    }()

    func testEdgeDeletionWithReplicasBecomesPendingAfterTheRetryWindow() async throws {
        let script = Script(Array(repeating: Self.replicated, count: 50))
        do {
            try await quick.delete("auth", lambda: client(script).lambda, context: context)
            XCTFail("deletion with replicas left must not succeed")
        } catch let pending as DeletionPendingError {
            XCTAssertTrue(pending.message.contains("replicas"), pending.message)
            XCTAssertTrue(pending.message.contains("The next destroy, or an apply that no longer declares the function, finishes the deletion"),
                          pending.message)
            XCTAssertTrue(pending.message.contains("an apply that declares it again takes it back"), pending.message)
        }
        XCTAssertGreaterThan(script.requests.count, 1, "the deletion is retried before giving up")
        XCTAssertTrue(script.requests.allSatisfy { $0.method == "DELETE" && $0.url.path == "/2015-03-31/functions/auth" })
    }

    func testEdgeDeletionSucceedsOnceTheReplicasAreGone() async throws {
        let script = Script([Self.replicated, Self.replicated, HTTPResponse(statusCode: 204)])
        try await quick.delete("auth", lambda: client(script).lambda, context: context)
        XCTAssertEqual(script.requests.count, 3)
    }

    func testDeletingAFunctionAlreadyGoneSucceeds() async throws {
        let script = Script([Self.error("ResourceNotFoundException", "Function not found")])
        try await quick.delete("auth", lambda: client(script).lambda, context: context)
        XCTAssertEqual(script.requests.count, 1)
    }

    func testARoleNotYetAssumableIsRetriedThenSucceeds() async throws {
        let notYet = Self.error("InvalidParameterValueException", "The role defined for the function cannot be assumed by Lambda.")
        let created = HTTPResponse(statusCode: 201, body: Data(#"{"FunctionName":"auth","FunctionArn":"arn:aws:lambda:us-east-1:123456789012:function:auth"}"#.utf8))
        let script = Script([notYet, notYet, created])
        let aws = client(script)
        let definition = AWS.Lambda.FunctionDefinition(name: "auth", zipFile: Data([1]), runtime: "nodejs20.x", handler: "index.handler",
                                                       role: "arn:aws:iam::123456789012:role/edge", memorySize: 128, timeout: 3,
                                                       architectures: ["x86_64"], environment: nil, publish: true, tags: [:])
        let configuration = try await quick.newRole.run { try await aws.lambda.createFunction(definition) }
        XCTAssertEqual(configuration.name, "auth")
        XCTAssertEqual(script.requests.count, 3)
    }

    func testOtherInvalidParametersAreNotRetried() async throws {
        let script = Script([Self.error("InvalidParameterValueException", "Unzipped size must be smaller than 262144000 bytes")])
        let aws = client(script)
        do {
            _ = try await quick.newRole.run { try await aws.lambda.publishVersion("auth") }
            XCTFail("must fail")
        } catch let error as AWSError {
            XCTAssertEqual(error.code, "InvalidParameterValueException")
        }
        XCTAssertEqual(script.requests.count, 1)
    }

    func testWaitingStopsWhenTheFunctionFailed() async throws {
        let failed = HTTPResponse(statusCode: 200, body: Data(#"{"Configuration":{"FunctionName":"auth","FunctionArn":"a","State":"Failed","StateReason":"bad zip"}}"#.utf8))
        let script = Script([failed])
        do {
            _ = try await quick.waitUntilReady("auth", lambda: client(script).lambda, context: context)
            XCTFail("must fail")
        } catch {
            XCTAssertTrue("\(error)".contains("bad zip"), "\(error)")
        }
    }

    func testWaitingPollsUntilTheUpdateIsDone() async throws {
        let inProgress = HTTPResponse(statusCode: 200, body: Data(#"{"Configuration":{"FunctionName":"auth","FunctionArn":"a","State":"Active","LastUpdateStatus":"InProgress"}}"#.utf8))
        let done = HTTPResponse(statusCode: 200, body: Data(#"{"Configuration":{"FunctionName":"auth","FunctionArn":"a","State":"Active","LastUpdateStatus":"Successful","CodeSha256":"x"}}"#.utf8))
        let script = Script([inProgress, inProgress, done])
        let configuration = try await quick.waitUntilReady("auth", lambda: client(script).lambda, context: context)
        XCTAssertEqual(configuration.codeSHA256, "x")
        XCTAssertEqual(script.requests.count, 3)
    }
}
