import Engine
import Foundation
@testable import ImgStack
import XCTest

/// A passphrase is stretched with scrypt before it seals a state, states sealed before that keep
/// opening, and `state rekey`'s re-sealing and forgetting: on a local state in a scratch directory.
final class StatePassphraseAndRekeyTests: XCTestCase {
    private let secret = "s3cret-\(UUID().uuidString)"
    private let provider = Address(type: "cognito.identity_provider", name: "google")
    private let first = "the first passphrase, long enough"
    private let second = "the second passphrase, long enough"
    private var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rekey-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { [directory] in try? FileManager.default.removeItem(atPath: directory) }
    }

    private var inner: LocalStateBackend { LocalStateBackend(directory: directory, stack: "app") }

    private func backend(passphrase: String?, previous: String? = nil) -> SealedStateBackend {
        SealedStateBackend(inner, keys: StateKeySource(passphrase: passphrase, previousPassphrase: previous, kmsKey: nil,
                                                       keyFile: directory + "/app.state.key", kms: nil),
                           sensitivity: SensitivityMap(types: ResourceCatalog.types()))
    }

    private func stateWithSecrets() -> StateFile {
        var state = StateFile(stack: "app", lineage: "lineage-r")
        state.upsert(ResourceRecord(address: provider, region: "us-east-1",
                                    snapshot: ResourceSnapshot(id: "pool|Google", properties: ["providerName": "Google", "clientSecret": .string(secret)]),
                                    dependencies: []))
        state.outputs["token"] = OutputRecord(value: .string(secret), sensitive: true)
        state.outputs["name"] = OutputRecord(value: "public", sensitive: false)
        return state
    }

    /// The state as stored, sealed values and all.
    private func rawState() async throws -> StateFile {
        let raw = try await inner.read()
        return try XCTUnwrap(raw)
    }

    private func stored() throws -> (text: String, value: Engine.Value) {
        let data = try XCTUnwrap(FileManager.default.contents(atPath: directory + "/app.state.json"))
        let text = String(decoding: data, as: UTF8.self)
        return (text, try Engine.Value(jsonText: text))
    }

    func testAPassphraseIsStretchedWithScryptAndASaltKeptInTheState() async throws {
        try await backend(passphrase: first).write(stateWithSecrets())
        let (text, document) = try stored()
        XCTAssertNil(text.range(of: secret))
        let kdf = document["sealing"]["kdf"]
        XCTAssertEqual(kdf["algorithm"], "scrypt", text)
        XCTAssertEqual(kdf["n"], .int(32768))
        XCTAssertEqual(kdf["r"], .int(8))
        XCTAssertEqual(kdf["p"], .int(1))
        XCTAssertEqual(kdf["salt"].stringValue.flatMap { Data(base64Encoded: $0) }?.count, 16)
        // The passphrase's bytes are not the key: the check of that key differs.
        XCTAssertNotEqual(document["sealing"]["key_check"].stringValue, StateSealer(masterKey: Data(first.utf8)).keyCheck)

        let read = try await backend(passphrase: first).read()
        XCTAssertEqual(read?.resource(provider)?.snapshot.properties["clientSecret"], .string(secret))
        // Another state sealed with the same passphrase gets another salt, so another key.
        try FileManager.default.removeItem(atPath: directory + "/app.state.json")
        try await backend(passphrase: first).write(stateWithSecrets())
        XCTAssertNotEqual(try stored().value["sealing"]["kdf"]["salt"], kdf["salt"])
    }

    /// A state sealed before imgstack stretched passphrases (no `kdf`: the passphrase's bytes were
    /// the master key) still opens, and `state rekey` re-seals it with scrypt.
    func testAStateSealedBeforeTheKDFOpensAndRekeyStretchesIt() async throws {
        let legacy = StateSealer(masterKey: Data(first.utf8))
        var state = stateWithSecrets()
        state.resources[0].snapshot.properties["clientSecret"] = try legacy.seal(.string(secret))
        state.outputs["token"]?.value = try legacy.seal(.string(secret))
        state.sealing = StateSealing(scheme: "passphrase", keyCheck: legacy.keyCheck)
        try await inner.write(state)

        let opened = try await backend(passphrase: first).read()
        XCTAssertEqual(opened?.outputs["token"]?.value, .string(secret))

        let raw = try await rawState()
        let sealing = try await backend(passphrase: first).writeResealed(raw)
        XCTAssertEqual(sealing.kdf?.algorithm, "scrypt")
        let (text, document) = try stored()
        XCTAssertNil(text.range(of: secret))
        XCTAssertEqual(document["sealing"]["kdf"]["algorithm"], "scrypt")
        let reread = try await backend(passphrase: first).read()
        XCTAssertEqual(reread?.resource(provider)?.snapshot.properties["clientSecret"], .string(secret))
        XCTAssertEqual(reread?.outputs["name"]?.value, "public")
    }

    /// Rotating a passphrase: the new one in IMGSTACK_STATE_KEY, the old one as the fallback.
    func testRekeyRotatesAPassphraseWithThePreviousOneAsFallback() async throws {
        try await backend(passphrase: first).write(stateWithSecrets())
        do {
            _ = try await backend(passphrase: second).read()
            XCTFail("a state sealed with another passphrase was opened")
        } catch let error as StateSealingError {
            guard case .wrongKey = error else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("imgstack state rekey"), "the refusal says what to do: \(error)")
            XCTAssertTrue("\(error)".contains(StateKeySource.previousVariable), "\(error)")
        }
        let raw = try await rawState()
        _ = try await backend(passphrase: second, previous: first).writeResealed(raw)

        let read = try await backend(passphrase: second).read()
        XCTAssertEqual(read?.outputs["token"]?.value, .string(secret))
        do {
            _ = try await backend(passphrase: first).read()
            XCTFail("the old passphrase still opens the re-sealed state")
        } catch let error as StateSealingError {
            guard case .wrongKey = error else { return XCTFail("\(error)") }
        }
    }

    /// A state written before imgstack sealed secrets is sealed by `state rekey` and by its next
    /// write alike.
    func testAStateWrittenBeforeSealingIsSealedByRekeyAndByTheNextWrite() async throws {
        try await inner.write(stateWithSecrets())
        XCTAssertNotNil(try stored().text.range(of: secret), "written in clear, as before sealing existed")
        let raw = try await rawState()
        _ = try await backend(passphrase: nil).writeResealed(raw)
        XCTAssertNil(try stored().text.range(of: secret))
        XCTAssertEqual(try stored().value["sealing"]["scheme"], "key-file")

        try FileManager.default.removeItem(atPath: directory + "/app.state.key")
        try FileManager.default.removeItem(atPath: directory + "/app.state.json")
        try await inner.write(stateWithSecrets())
        let read = try await backend(passphrase: first).read()
        let loaded = try XCTUnwrap(read)
        try await backend(passphrase: first).write(loaded)
        XCTAssertNil(try stored().text.range(of: secret), "the next load-and-write seals it")
        XCTAssertEqual(try stored().value["sealing"]["kdf"]["algorithm"], "scrypt")
    }

    /// The key is lost: the sealed values are dropped, nothing else, and no key is needed.
    func testForgettingSecretsDropsOnlyTheSealedValues() async throws {
        try await backend(passphrase: first).write(stateWithSecrets())
        let raw = try await rawState()
        let forgotten = SealedStateBackend.forgettingSecrets(raw)
        XCTAssertEqual(forgotten.dropped, 2)
        XCTAssertNil(forgotten.state.sealing)
        XCTAssertEqual(forgotten.state.resource(provider)?.snapshot.properties, ["providerName": "Google", "clientSecret": .null])
        XCTAssertEqual(forgotten.state.outputs["token"]?.value, .null)
        XCTAssertEqual(forgotten.state.outputs["name"]?.value, "public")
        try await inner.write(forgotten.state)
        let read = try await backend(passphrase: nil).read()
        XCTAssertEqual(read?.resource(provider)?.snapshot.id, "pool|Google", "the state opens with no key at all")
    }

    /// A crafted header cannot make a run spend gigabytes deriving a key.
    func testADerivationImgstackDoesNotMakeIsRefused() throws {
        for kdf in [PassphraseKDF(algorithm: "scrypt", salt: "c2FsdA==", rounds: 1 << 24, blockSize: 8, parallelism: 1),
                    PassphraseKDF(algorithm: "scrypt", salt: "c2FsdA==", rounds: 1000, blockSize: 8, parallelism: 1),
                    PassphraseKDF(algorithm: "argon2", salt: "c2FsdA==", rounds: 1 << 15, blockSize: 8, parallelism: 1)] {
            XCTAssertThrowsError(try StateKeySource.sealer(passphrase: first, kdf: kdf), "\(kdf)") { error in
                guard case StateSealingError.damaged? = error as? StateSealingError else { return XCTFail("\(error)") }
            }
        }
    }
}
