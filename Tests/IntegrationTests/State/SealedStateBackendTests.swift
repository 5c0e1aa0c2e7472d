import AWS
import Engine
import Foundation
import ImgStack
import TestSupport
import XCTest

/// Secrets sealed in an S3 state under a KMS key (envelope encryption: a data key from
/// `GenerateDataKey`, stored encrypted in the state, opened with `Decrypt`), against the emulator
/// behind the verifying proxy; and an S3 state with no key refusing a stack with secrets.
final class SealedStateBackendTests: XCTestCase {
    private var aws: AWSClient!
    private var bucket = ""
    private let secret = "s3cret-\(UUID().uuidString)"
    private let cognito = Address(type: "cognito.identity_provider", name: "google")

    override func setUp() async throws {
        aws = try Emulator.shared().client(region: "us-east-1")
        bucket = "imgstack-sealed-\(UUID().uuidString.lowercased().prefix(8))"
        try await aws.s3(region: "us-east-1").createBucket(bucket)
    }

    private func sealed(kmsKey: String?, passphrase: String? = nil) -> SealedStateBackend {
        let kms = aws.kms(region: "us-east-1")
        let inner = S3StateBackend(bucket: bucket, key: "app.state.json", kmsKeyID: kmsKey, client: aws, pollInterval: 0.1)
        return SealedStateBackend(inner, keys: StateKeySource(passphrase: passphrase, kmsKey: kmsKey.map { (id: $0, kms: kms) },
                                                              keyFile: nil, kms: kms),
                                  sensitivity: SensitivityMap(types: ResourceCatalog.types()))
    }

    private func stateWithSecrets() -> StateFile {
        var state = StateFile(stack: "app", lineage: "lineage-s")
        state.upsert(ResourceRecord(address: cognito, region: "us-east-1",
                                    snapshot: ResourceSnapshot(id: "pool|Google", properties: ["providerName": "Google", "clientSecret": .string(secret)]),
                                    dependencies: []))
        state.outputs["token"] = OutputRecord(value: .string(secret), sensitive: true)
        state.outputs["name"] = OutputRecord(value: "public", sensitive: false)
        return state
    }

    func testSecretsAreSealedUnderTheBackendsKMSKeyAndReadBackEqual() async throws {
        let key = try await aws.kms(region: "us-east-1").createKey(description: "state", keyUsage: "ENCRYPT_DECRYPT",
                                                                  keySpec: "SYMMETRIC_DEFAULT", policy: nil, tags: [])
        let backend = sealed(kmsKey: key.arn)
        let state = stateWithSecrets()
        try await backend.write(state)

        let object = try await aws.s3.storedObject(bucket, key: "app.state.json")
        let stored = try XCTUnwrap(object?.body)
        XCTAssertNil(stored.range(of: Data(secret.utf8)), "the secret is not in the stored object")
        let text = String(decoding: stored, as: UTF8.self)
        let document = try Engine.Value(jsonText: text)
        XCTAssertEqual(document["sealing"]["scheme"], "kms", text)
        XCTAssertEqual(document["sealing"]["kms_key_arn"], .string(key.arn))
        XCTAssertTrue(text.contains("\"public\""), "what is not secret stays readable")

        // A new process (nothing cached) opens it through KMS Decrypt.
        let read = try await sealed(kmsKey: key.arn).read()
        XCTAssertEqual(read?.resource(cognito)?.snapshot.properties["clientSecret"], .string(secret))
        XCTAssertEqual(read?.outputs["token"]?.value, .string(secret))
        XCTAssertEqual(read?.outputs["name"]?.value, "public")
    }

    func testAnotherPassphraseIsRefusedAsTheWrongKey() async throws {
        try await sealed(kmsKey: nil, passphrase: "the first passphrase, long enough").write(stateWithSecrets())
        do {
            _ = try await sealed(kmsKey: nil, passphrase: "another passphrase, long enough").read()
            XCTFail("a state sealed with another passphrase was opened")
        } catch let error as StateSealingError {
            guard case .wrongKey = error else { return XCTFail("\(error)") }
        }
    }

    func testAnS3StateWithNoKeyRefusesAStackWithSecretsBeforeWriting() async throws {
        let backend = sealed(kmsKey: nil)
        let stack = StackDefinition(name: "app", region: "us-east-1", resources: [], outputs: [
            OutputDeclaration(name: "token", value: .value("x"), sensitive: true),
        ])
        XCTAssertThrowsError(try backend.checkCanSeal(stack)) { error in
            guard case StateSealingError.noKey(let message)? = error as? StateSealingError else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("kms_key"), message)
        }
        let stored = try await aws.s3.storedObject(bucket, key: "app.state.json")
        XCTAssertNil(stored)
    }
}
