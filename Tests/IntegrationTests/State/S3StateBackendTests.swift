import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// The S3 state backend against the emulator behind the verifying proxy: the shared
/// `StateBackend` contract, then what is S3's own: conditional writes of the state, the lock
/// object, encryption at rest and the versioning check.
final class S3StateBackendTests: XCTestCase {
    private var emulator: Emulator!
    private var aws: AWSClient!
    private var bucket = ""

    override func setUp() async throws {
        emulator = try Emulator.shared()
        aws = emulator.client(region: "us-east-1")
        bucket = "imgstack-state-\(UUID().uuidString.lowercased().prefix(8))"
        try await aws.s3(region: "us-east-1").createBucket(bucket)
    }

    private func backend(key: String = "team/app.state.json", kmsKeyID: String? = nil) -> S3StateBackend {
        S3StateBackend(bucket: bucket, key: key, kmsKeyID: kmsKeyID, client: aws, pollInterval: 0.1)
    }

    private func state(_ resources: Int, lineage: String = "lineage-1", serial: Int = 0) -> StateFile {
        var state = StateFile(stack: "app", lineage: lineage)
        state.serial = serial
        for index in 0..<resources {
            state.upsert(ResourceRecord(address: Address(type: "s3.bucket", name: "b\(index)"), region: "us-east-1",
                                        snapshot: ResourceSnapshot(id: "bucket-\(index)", properties: [:], attributes: [:]), dependencies: []))
        }
        return state
    }

    private func storedBytes(_ key: String = "team/app.state.json") async throws -> Data? {
        try await aws.s3.storedObject(bucket, key: key)?.body
    }

    // MARK: - The StateBackend contract

    func testConformsToTheStateBackendContract() async throws {
        let aws: AWSClient = aws, bucket = bucket
        let findings = try await StateBackendConformance {
            let key = "conformance/\(UUID().uuidString.lowercased()).state.json"
            return StateBackendConformance.Storage(storeBytes: { data in
                _ = try await aws.s3("PutObject", method: "PUT", bucket: bucket, key: key,
                                     headers: ["Content-Type": "application/json"], body: data)
            }) {
                S3StateBackend(bucket: bucket, key: key, client: aws, pollInterval: 0.1)
            }
        }.findings()
        XCTAssertEqual(findings, [], "the backend breaks the StateBackend contract")
    }

    // MARK: - State writes

    func testFreshStateIsWrittenOnlyWhenNoneExists() async throws {
        let first = backend()
        let nothing = try await first.read()
        XCTAssertNil(nothing)
        try await first.write(state(1))

        // A second writer that saw no state either must not overwrite the first one's.
        let second = backend()
        do {
            try await second.write(state(2, lineage: "lineage-2"))
            XCTFail("a fresh write over an existing state was accepted")
        } catch let error as StateError {
            guard case .conflict = error else { return XCTFail("expected a conflict, got \(error)") }
        }
        let stored = try await storedBytes()
        XCTAssertEqual(stored, try state(1).encoded())
    }

    func testWriteWithAStaleETagIsRefusedAndNothingIsOverwritten() async throws {
        try await backend().write(state(1))
        let slow = backend(), fast = backend()
        _ = try await slow.read()
        _ = try await fast.read()
        try await fast.write(state(2, serial: 1))
        do {
            try await slow.write(state(3, serial: 1))
            XCTFail("a write based on a state another run replaced was accepted")
        } catch let error as StateError {
            guard case .conflict(let origin, let detail) = error else { return XCTFail("expected a conflict, got \(error)") }
            XCTAssertEqual(origin, "s3://\(bucket)/team/app.state.json")
            XCTAssertTrue(detail.contains("another run changed it"), detail)
        }
        let stored = try await storedBytes()
        XCTAssertEqual(stored, try state(2, serial: 1).encoded())
        // The winner goes on writing: it knows the ETag of what it wrote.
        try await fast.write(state(4, serial: 2))
        let reread = try await backend().read()
        XCTAssertEqual(reread, state(4, serial: 2))
    }

    // MARK: - Lock

    func testHeldLockIsReportedWithItsHolderAndAge() async throws {
        // Whole seconds: the lock's JSON keeps ISO 8601 time to the second.
        let holder = LockInfo(operation: "apply", created: Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 300).rounded(.down)))
        try await backend().lock(holder, timeout: 0)
        do {
            try await backend().lock(LockInfo(operation: "plan"), timeout: 0)
            XCTFail("a second run took a held lock")
        } catch let error as StateError {
            guard case .locked(_, let reported) = error else { return XCTFail("expected locked, got \(error)") }
            XCTAssertEqual(reported, holder)
            XCTAssertTrue(error.description.contains("lock \(holder.id) (apply by "), error.description)
            XCTAssertTrue(error.description.contains("5m ago"), error.description)
            XCTAssertTrue(error.description.contains("imgstack force-unlock \(holder.id)"), error.description)
        }
        let lock = try await aws.s3.storedObject(bucket, key: "team/app.state.json.lock")
        XCTAssertEqual(try lock.map { try LockInfo.decode($0.body) }, holder)
    }

    func testUnlockIsOneConditionalDeleteOfTheLockItCreated() async throws {
        let backend = backend()
        try await backend.lock(LockInfo(operation: "plan"), timeout: 0)
        try await emulator.resetCalls()
        try await backend.unlock()
        let calls = try await emulator.calls()
        XCTAssertEqual(calls, ["s3:DeleteObject": 1], "the lock's ETag from its create says it is ours: no read first")
        let lock = try await aws.s3.storedObject(bucket, key: "team/app.state.json.lock")
        XCTAssertNil(lock)
    }

    // MARK: - Encryption and versioning

    func testStateAndLockAreEncryptedWithSSES3ByDefault() async throws {
        let backend = backend()
        try await backend.lock(LockInfo(operation: "apply"), timeout: 0)
        try await backend.write(state(1))
        let stateEncryption = try await aws.s3.objectEncryption(bucket, key: "team/app.state.json")
        XCTAssertEqual(stateEncryption?.algorithm, "AES256")
        let lockEncryption = try await aws.s3.objectEncryption(bucket, key: "team/app.state.json.lock")
        XCTAssertEqual(lockEncryption?.algorithm, "AES256")
    }

    func testStateIsEncryptedWithTheGivenKMSKey() async throws {
        let key = try await aws.kms.createKey(description: "state key", keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT",
                                              policy: nil, tags: [])
        let backend = backend(kmsKeyID: key.arn)
        try await backend.write(state(1))
        let encryption = try await aws.s3.objectEncryption(bucket, key: "team/app.state.json")
        XCTAssertEqual(encryption?.algorithm, "aws:kms")
        XCTAssertEqual(encryption?.kmsKeyID, key.arn)
        let reread = try await backend.read()
        XCTAssertEqual(reread, state(1))
    }

    func testVersioningOffIsWarnedAboutAndOnIsNot() async throws {
        let warning = await backend().versioningWarning()
        XCTAssertTrue(warning?.contains("versioning is off on state bucket \(bucket)") ?? false, warning ?? "no warning")
        try await aws.s3(region: "us-east-1").putBucketVersioning(bucket, status: "Enabled")
        let none = await backend().versioningWarning()
        XCTAssertNil(none)
    }
}
