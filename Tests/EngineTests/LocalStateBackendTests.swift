import Engine
import XCTest

/// What only the local backend does: its file layout, backups, refused files and OS-lock
/// semantics. The contract every backend keeps is checked in `StateBackendConformanceTests`.
final class LocalStateBackendTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "engine-tests-\(UUID().uuidString)"
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func backend() -> LocalStateBackend { LocalStateBackend(directory: directory, stack: "demo") }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    // MARK: - Reading and writing

    func testNoFileReadsAsNoState() async throws {
        let value = try await backend().read()
        XCTAssertNil(value)
        XCTAssertEqual(backend().path, directory + "/demo.state.json")
    }

    func testWriteCreatesTheDirectoryAndReadsBack() async throws {
        var state = StateFile(stack: "demo", lineage: "l")
        state.upsert(record("a", ["name": "a"]))
        try await backend().write(state)
        let read = try await backend().read()
        XCTAssertEqual(read, state)
        XCTAssertNil(contents(backend().path + ".backup"), "the first write has nothing to back up")
    }

    func testAStateReadAheadIsUsedOnlyWhileTheFileHoldsTheSameBytes() async throws {
        let writer = backend()
        var first = StateFile(stack: "demo", lineage: "l")
        first.upsert(record("a", ["name": "a"]))
        try await writer.write(first)

        let reader = backend()
        reader.readAhead()
        let unchanged = try await reader.read()
        XCTAssertEqual(unchanged, first)

        // Written by another run between the read ahead and the locked read: the file is read again.
        reader.readAhead()
        var second = first
        second.serial += 1
        second.upsert(record("b", ["name": "b"]))
        try await Task.sleep(nanoseconds: 50_000_000)
        try await writer.write(second)
        let changed = try await reader.read()
        XCTAssertEqual(changed, second, "the state read ahead was used although the file changed since")

        // A read ahead is used once; the next read reads the file.
        try await writer.write(first)
        let later = try await reader.read()
        XCTAssertEqual(later, first)
    }

    func testWriteKeepsThePreviousContentAsBackupAndLeavesNoTemporaryFile() async throws {
        let backend = backend()
        var state = StateFile(stack: "demo", lineage: "l")
        try await backend.write(state)
        let first = contents(backend.path)
        state.serial = 2
        try await backend.write(state)
        XCTAssertEqual(contents(backend.path + ".backup"), first)
        XCTAssertEqual(try StateFile.decode(Data((contents(backend.path) ?? "").utf8), origin: "x").serial, 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        XCTAssertEqual(files, ["demo.state.json", "demo.state.json.backup"])
    }

    func testUnreadableStateIsRefusedAndNeverOverwritten() async throws {
        let backend = backend()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let cases = [
            "{\"format_version\": 1, \"lineage\": ",
            "garbage",
            "{\"format_version\": 9, \"lineage\": \"l\", \"serial\": 1, \"stack\": \"demo\", \"resources\": []}",
            "{\"lineage\": \"l\", \"serial\": 1, \"stack\": \"demo\", \"resources\": []}",
        ]
        for text in cases {
            XCTAssertTrue(FileManager.default.createFile(atPath: backend.path, contents: Data(text.utf8)))
            do {
                _ = try await backend.read()
                XCTFail("read accepted \(text)")
            } catch let error as StateError {
                XCTAssertTrue("\(error)".contains("untouched"), "\(error)")
            }
            XCTAssertEqual(contents(backend.path), text, "a refused file is left as it was")
            XCTAssertNil(contents(backend.path + ".backup"))
        }
    }

    func testACorruptStateNamesItsBackupOnlyWhenItIsOfTheSameLineage() async throws {
        let backend = backend()
        var state = StateFile(stack: "demo", lineage: "lineage-a")
        state.serial = 4
        try await backend.write(state)
        try await backend.write(state)  // the backup now holds serial 4 of lineage-a
        let missingID = #"{"address": "s3.bucket.data", "region": "us-east-1", "properties": {}, "attributes": {}}"#
        for (lineage, restorable) in [("lineage-a", true), ("lineage-b", false)] {
            let damaged = #"{"format_version": 1, "lineage": "\#(lineage)", "serial": 5, "stack": "demo", "resources": [\#(missingID)]}"#
            XCTAssertTrue(FileManager.default.createFile(atPath: backend.path, contents: Data(damaged.utf8)))
            await XCTAssertThrowsErrorAsync(try await backend.read()) { error in
                let detail = #"resources[0] (s3.bucket.data) has no "id""#
                if restorable {
                    XCTAssertEqual(error as? StateError, .corruptWithBackup(origin: backend.path, detail: detail, backup: backend.backupPath, serial: 4))
                } else {
                    XCTAssertEqual(error as? StateError, .corrupt(origin: backend.path, detail: detail))
                    XCTAssertFalse("\(error)".contains(".backup"), "a backup of another lineage is not offered: \(error)")
                }
            }
            XCTAssertEqual(contents(backend.path), damaged)
        }
    }

    /// A damaged file that no longer names its stack or lineage (`[]`) is not offered another
    /// stack's state as its backup: restoring it would plan this stack against that one's resources.
    func testACorruptStateIsNotOfferedTheBackupOfAnotherStack() async throws {
        let backend = backend()
        try await backend.write(StateFile(stack: "demo"))
        let other = try StateFile(stack: "image-server").encoded()
        XCTAssertTrue(FileManager.default.createFile(atPath: backend.backupPath, contents: other))
        XCTAssertTrue(FileManager.default.createFile(atPath: backend.path, contents: Data("[]".utf8)))
        await XCTAssertThrowsErrorAsync(try await backend.read()) { error in
            guard case .corrupt = error as? StateError else { return XCTFail("\(error)") }
            XCTAssertFalse("\(error)".contains(".backup"), "another stack's backup is not offered: \(error)")
        }
        XCTAssertTrue(FileManager.default.createFile(atPath: backend.backupPath, contents: try StateFile(stack: "demo").encoded()))
        await XCTAssertThrowsErrorAsync(try await backend.read()) { error in
            guard case .corruptWithBackup = error as? StateError else { return XCTFail("this stack's backup is offered: \(error)") }
        }
    }

    // MARK: - Locking

    func testWaitingForAHeldLockReportsItsHolderOnEachAttemptThenRefuses() async throws {
        let holder = backend(), waiter = backend()
        // Whole seconds: the lock file keeps its time in ISO 8601 without fractions.
        let held = LockInfo(operation: "apply", created: Date(timeIntervalSince1970: 1_700_000_000))
        try await holder.lock(held, timeout: 0)
        let seen = Collected<LockInfo>()
        await XCTAssertThrowsErrorAsync(try await waiter.lock(LockInfo(operation: "plan"), timeout: 0.6, waiting: { seen.add($0) })) { error in
            XCTAssertEqual(error as? StateError, .locked(origin: waiter.path, holder: held))
        }
        XCTAssertGreaterThanOrEqual(seen.items.count, 2, "one report per attempt while waiting")
        XCTAssertEqual(Set(seen.items.map(\.id)), [held.id])
        try await holder.unlock()
    }

    func testLockOfALiveHolderIsNotForceUnlocked() async throws {
        let holder = backend()
        try await holder.lock(LockInfo(operation: "apply", id: "live"), timeout: 0)
        do {
            try await backend().forceUnlock(id: "live")
            XCTFail("a live lock was removed")
        } catch let StateError.io(_, detail) {
            XCTAssertTrue(detail.contains("held by a running process"), detail)
        }
        do {
            try await backend().lock(LockInfo(operation: "plan"), timeout: 0)
            XCTFail("the lock is still held")
        } catch StateError.locked {}
        try await holder.unlock()
    }

    func testLockOfAKilledHolderIsFreeAndForceUnlockable() async throws {
        let backend = backend()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        child.arguments = ["python3", "-c", """
            import fcntl, json, os, sys, time
            f = open(sys.argv[1], "a+")
            fcntl.flock(f, fcntl.LOCK_EX)
            f.truncate(0)
            f.write(json.dumps({"id": "dead-holder", "who": "ci", "host": "h", "pid": os.getpid(),
                                "operation": "apply", "created": "2024-01-01T00:00:00Z"}))
            f.flush()
            print("locked", flush=True)
            time.sleep(120)
            """, backend.lockPath]
        let output = Pipe()
        child.standardOutput = output
        try child.run()
        // Waits for the child to say it holds the lock (the line may come in pieces).
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        XCTAssertEqual(String(decoding: line, as: UTF8.self), "locked\n")

        do {
            try await backend.lock(LockInfo(operation: "plan"), timeout: 0)
            XCTFail("lock granted while the child holds it")
        } catch let StateError.locked(_, found) {
            XCTAssertEqual(found.id, "dead-holder")
            XCTAssertEqual(found.pid, child.processIdentifier)
        }

        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        XCTAssertEqual(child.terminationReason, .uncaughtSignal)

        // The dead holder's description is still in the file, so force-unlock finds it and
        // may clear it; taking the lock works either way.
        try await self.backend().forceUnlock(id: "dead-holder")
        try await backend.lock(LockInfo(operation: "apply", id: "after"), timeout: 0)
        try await backend.unlock()
    }
}
