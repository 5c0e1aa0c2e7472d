import Foundation
import XCTest

@testable import AWS

/// A temporary directory with helpers to write the shared files, removed by `tearDown`.
struct TemporaryHome {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "imgstack-aws-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    /// The environment with `HOME` pointing here and nothing else.
    var environment: [String: String] { ["HOME": path] }

    @discardableResult
    func write(_ relativePath: String, _ contents: String) throws -> String {
        let full = path + "/" + relativePath
        try contents.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Records STS calls and answers them from closures.
final class FakeRoleAssumer: RoleAssumer, @unchecked Sendable {
    struct Call: Equatable {
        var kind: String
        var roleARN: String
        var sessionName: String
        var externalID: String?
        var token: String?
        var sourceKeyID: String?
    }

    private let lock = NSLock()
    private var recorded: [Call] = []
    private let expiration: Date?

    init(expiration: Date? = nil) {
        self.expiration = expiration
    }

    var calls: [Call] {
        lock.lock()
        defer { lock.unlock() }
        return recorded
    }

    private func record(_ call: Call) {
        lock.lock()
        defer { lock.unlock() }
        recorded.append(call)
    }

    func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String) async throws -> AWSCredentials {
        record(Call(kind: "web", roleARN: roleARN, sessionName: sessionName, token: webIdentityToken))
        return AWSCredentials(accessKeyID: "ASIAWEB", secretAccessKey: "web-secret", sessionToken: "web-token", expiration: expiration)
    }

    func assumeRole(roleARN: String, sessionName: String, externalID: String?, using source: AWSCredentials) async throws -> AWSCredentials {
        record(Call(kind: "role", roleARN: roleARN, sessionName: sessionName, externalID: externalID, sourceKeyID: source.accessKeyID))
        return AWSCredentials(
            accessKeyID: "ASIAROLE-" + String(roleARN.split(separator: "/").last ?? ""), secretAccessKey: "role-secret",
            sessionToken: "role-token", expiration: expiration)
    }
}

/// An `HTTPTransport` answering from a closure and recording every request.
final class FakeTransport: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [(request: HTTPRequest, timeout: TimeInterval)] = []
    private let answer: @Sendable (HTTPRequest) throws -> HTTPResponse

    init(answer: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        self.answer = answer
    }

    var requests: [HTTPRequest] {
        lock.lock()
        defer { lock.unlock() }
        return recorded.map(\.request)
    }

    var timeouts: [TimeInterval] {
        lock.lock()
        defer { lock.unlock() }
        return recorded.map(\.timeout)
    }

    func send(_ request: HTTPRequest, timeout: TimeInterval) async throws -> HTTPResponse {
        lock.withLock { recorded.append((request, timeout)) }
        return try answer(request)
    }
}

/// A provider answering from a list, counting calls; for chain tests.
final class ScriptedProvider: CredentialProvider, @unchecked Sendable {
    let sourceName: String
    private let lock = NSLock()
    private var answers: [AWSCredentials?]
    private var count = 0
    private let delay: UInt64

    init(_ name: String, answers: [AWSCredentials?], delayNanoseconds: UInt64 = 0) {
        sourceName = name
        self.answers = answers
        delay = delayNanoseconds
    }

    var callCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func credentials() async throws -> AWSCredentials? {
        if delay > 0 { try await Task.sleep(nanoseconds: delay) }
        return lock.withLock {
            count += 1
            return answers.count > 1 ? answers.removeFirst() : answers.first ?? nil
        }
    }
}

/// A settable clock.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        defer { lock.unlock() }
        current += seconds
    }
}

/// Asserts that `body` throws an `AWSClientError` of `kind` whose message contains `fragment`.
func assertClientError(
    _ kind: AWSClientError.Kind, containing fragment: String, file: StaticString = #filePath, line: UInt = #line,
    _ body: () async throws -> Void
) async {
    do {
        try await body()
        XCTFail("expected AWSClientError(\(kind)) containing \"\(fragment)\"", file: file, line: line)
    } catch let error as AWSClientError {
        XCTAssertEqual(error.kind, kind, "\(error.message)", file: file, line: line)
        XCTAssertTrue(error.message.contains(fragment), "\"\(error.message)\" lacks \"\(fragment)\"", file: file, line: line)
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
