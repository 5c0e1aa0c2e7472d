import Foundation
import TestSupport
import XCTest

/// Bad input at the command line: each gets one clear line on standard error, exit status 1,
/// and leaves state as it was.
final class CLIBadInputTests: XCTestCase {
    func testUnknownVariableIsRefusedNamingIt() async throws {
        let cli = try CLI()
        let result = try await cli.run(["plan", "--stack", "quickstart", "--var", "no_such_variable=1"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("var.no_such_variable"), result.standardError)
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.path(".imgstack/quickstart.state.json")))
    }

    func testMalformedVarFlagIsRefused() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--var", "novalue"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("expected NAME=VALUE"), result.standardError)
    }

    func testVarFileThatIsNotAJSONObjectIsRefused() async throws {
        let cli = try CLI()
        try "[1, 2]".write(toFile: cli.path("vars.json"), atomically: true, encoding: .utf8)
        let result = try await cli.run(["plan", "--stack", "quickstart", "--var-file", "vars.json"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("vars.json"), result.standardError)
    }

    func testUnknownStackIsRefusedListingTheStacks() async throws {
        let result = try await CLI().run(["plan", "--stack", "nope"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("no stack named \"nope\""), result.standardError)
        XCTAssertTrue(result.standardError.contains("quickstart"), result.standardError)
    }

    func testCorruptStateIsRefusedAndLeftUntouched() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let corrupt = Data("{\"format_version\": 1, \"lineage\": \"x\", \"serial\": 3, \"resou".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: cli.path(".imgstack/quickstart.state.json"), contents: corrupt))
        let result = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("corrupt"), result.standardError)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json")), corrupt)
    }

    func testAStateArrayOrAResourceWithoutIDIsRefusedNamingThePlace() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let noID = #"{"address": "s3.bucket.data", "type": "s3.bucket", "region": "us-east-1", "properties": {}, "attributes": {}}"#
        for (contents, expected) in [("[]", "is corrupt: the file is a JSON array, not an object"),
                                     (String(decoding: Self.stateFile(stack: "quickstart", resource: noID), as: UTF8.self),
                                      #"is corrupt: resources[0] (s3.bucket.data) has no "id""#)] {
            let path = cli.path(".imgstack/quickstart.state.json")
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(contents.utf8)))
            let result = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"])
            XCTAssertEqual(result.status, 1)
            XCTAssertTrue(result.standardError.contains(expected), result.standardError)
            XCTAssertFalse(result.standardError.contains("keyNotFound"), result.standardError)
            XCTAssertEqual(FileManager.default.contents(atPath: path), Data(contents.utf8))
        }
    }

    func testNewerStateFormatIsRefusedAndLeftUntouched() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let newer = Data("{\"format_version\": 99, \"lineage\": \"x\", \"serial\": 3, \"stack\": \"quickstart\", \"resources\": []}".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: cli.path(".imgstack/quickstart.state.json"), contents: newer))
        let result = try await cli.run(["apply", "--stack", "quickstart", "--auto-approve", "--refresh=false"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("format version 99"), result.standardError)
        XCTAssertEqual(FileManager.default.contents(atPath: cli.path(".imgstack/quickstart.state.json")), newer)
    }

    func testHeldLockNamesItsHolder() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let lockPath = cli.path(".imgstack/quickstart.state.lock")
        // A separate process takes the OS lock and writes its lock info, as a running apply does.
        let holder = """
        import fcntl, json, os, sys, time
        f = open(sys.argv[1], "w")
        fcntl.flock(f, fcntl.LOCK_EX)
        json.dump({"id": "lock-held-by-test", "who": "tester", "host": "ci-host", "pid": os.getpid(),
                   "operation": "apply", "created": "2026-01-01T00:00:00Z"}, f)
        f.flush()
        print("locked", flush=True)
        time.sleep(60)
        """
        let python = try XCTUnwrap(ProcessRunner.which("python3"))
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", holder, lockPath]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        defer { process.terminate() }
        _ = output.fileHandleForReading.availableData  // waits for "locked"

        let result = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("lock-held-by-test"), result.standardError)
        XCTAssertTrue(result.standardError.contains("tester@ci-host"), result.standardError)
        XCTAssertTrue(result.standardError.contains("force-unlock"), result.standardError)

        let waited = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false", "--lock-timeout", "2s"])
        XCTAssertEqual(waited.status, 1)
        XCTAssertEqual(waited.standardError.components(separatedBy: "Waiting for the state lock, held by lock lock-held-by-test (apply by tester@ci-host").count, 2,
                       "the holder is named once while waiting: \(waited.standardError)")

        let wrongUnlock = try await cli.run(["force-unlock", "--stack", "quickstart", "some-other-id"])
        XCTAssertEqual(wrongUnlock.status, 1)
    }

    func testApplyWithoutTerminalAndWithoutAutoApproveRefuses() async throws {
        let result = try await CLI().run(["apply", "--stack", "quickstart", "--refresh=false"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("--auto-approve"), result.standardError)
    }

    func testApplyAndDestroyWithoutTerminalRefuseBeforeAnyCallAndLeaveNoStateDirectory() async throws {
        let cli = try CLI()
        for command in ["apply", "destroy"] {
            let result = try await cli.run([command, "--stack", "quickstart"])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("no terminal to ask for approval"), result.standardError)
            XCTAssertFalse(result.standardError.contains("Refreshing"), result.standardError)
            XCTAssertFalse(FileManager.default.fileExists(atPath: cli.path(".imgstack")), "\(command) left .imgstack/ behind")
        }
        // With a recorded resource and no credentials, a refresh would fail on credentials first.
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let recorded = Self.stateFile(stack: "quickstart")
        XCTAssertTrue(FileManager.default.createFile(atPath: cli.path(".imgstack/quickstart.state.json"), contents: recorded))
        for command in ["apply", "destroy"] {
            let result = try await cli.run([command, "--stack", "quickstart"])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("no terminal to ask for approval"), result.standardError)
            XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cli.path(".imgstack")), ["quickstart.state.json"])
        }
    }

    func testBadParallelismIsRefused() async throws {
        let result = try await CLI().run(["apply", "--stack", "quickstart", "--parallelism", "0"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.standardError.contains("--parallelism"), result.standardError)
    }

    func testBadLockTimeoutIsRefused() async throws {
        for value in ["-1s", "nan", "inf", "1e400", "soon", "25h"] {
            let result = try await CLI().run(["plan", "--stack", "quickstart", "--refresh=false", "--lock-timeout=\(value)"])
            XCTAssertEqual(result.status, 1, value)
            XCTAssertTrue(result.standardError.contains("--lock-timeout \(value)"), result.standardError)
        }
    }

    func testBadRequestTimeoutIsRefused() async throws {
        for value in ["0s", "-5", "soon", "inf", "infs", "nan", "1e400", "2h", "0x10s", "1e-10", "0.001s", "1s1m"] {
            let result = try await CLI().run(["plan", "--stack", "quickstart", "--refresh=false", "--request-timeout", value])
            XCTAssertEqual(result.status, 1, value)
            XCTAssertTrue(result.standardError.contains("--request-timeout \(value)"), result.standardError)
        }
    }

    /// Global options are checked by every command, whether it uses them or not, before anything
    /// else: `whoami` with a malformed lock timeout, an empty `--region`, an endpoint variable that
    /// is not a URL (it failed every call with "unsupported URL"), a proxy that is not `http://`.
    func testEveryCommandRefusesMalformedGlobalOptions() async throws {
        let cli = try CLI()
        for (arguments, expected) in [(["whoami", "--lock-timeout=garbage"], "--lock-timeout garbage"),
                                      (["validate", "--stack", "quickstart", "--request-timeout", "0.5s"], "--request-timeout 0.5s"),
                                      (["plan", "--stack", "quickstart", "--region", ""], "--region is empty")] {
            let result = try await cli.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments)")
            XCTAssertTrue(result.standardError.contains(expected), "\(arguments): \(result.standardError)")
        }
        let result = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"], environment: ["AWS_ENDPOINT_URL": "garbage"])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.standardError.contains("AWS_ENDPOINT_URL=garbage is not an http(s) URL"), result.standardError)
        let proxied = try await cli.run(["plan", "--stack", "quickstart", "--refresh=false"], environment: ["HTTPS_PROXY": "socks5://proxy.corp:1080"])
        XCTAssertEqual(proxied.status, 1)
        XCTAssertTrue(proxied.standardError.contains("HTTPS_PROXY=socks5://proxy.corp:1080 is not an http:// proxy"), proxied.standardError)
    }

    /// Terraform's `-lock-timeout` takes Go's compound durations; so does imgstack.
    func testACompoundDurationIsAccepted() async throws {
        let result = try await CLI().run(["plan", "--stack", "quickstart", "--refresh=false", "--lock-timeout", "1m30s", "--request-timeout", "1m5.5s"])
        XCTAssertEqual(result.status, 0, result.standardError)
    }

    func testImportOfAnIDThatCannotBeValidIsRefusedBeforeAnyCall() async throws {
        let cli = try CLI()
        for (address, id, expected) in [("kms.alias.data", "quickstart-data", "must start with \"alias/\""),
                                        ("kms.key.data", "not-a-key", "neither a KMS key id")] {
            // No credentials: a run that called AWS would fail on them instead.
            let result = try await cli.run(["import", "--stack", "quickstart", address, id])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("cannot import \(address): "), result.standardError)
            XCTAssertTrue(result.standardError.contains(expected), result.standardError)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cli.path(".imgstack")), "nothing was locked or written")
    }

    func testUsageErrorsExitOneAsREADMESays() async throws {
        let cli = try CLI()
        for arguments in [["plan", "--no-such-flag"], ["apply", "--stack", "quickstart", "--parallelism", "0"],
                          ["destroy", "--stack", "quickstart", "--parallelism", "0"], ["no-such-command"], ["state", "mv", "only-one"]] {
            let result = try await cli.run(arguments)
            XCTAssertEqual(result.status, 1, "\(arguments): \(result.standardError)")
            XCTAssertTrue(result.standardError.contains("Error: "), result.standardError)
        }
        let help = try await cli.run(["plan", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.standardOutput.contains("USAGE: imgstack plan"), help.standardOutput)
    }

    func testNegativeParallelismIsReadAsABadValueNotAMissingOne() async throws {
        for command in [["plan"], ["apply", "--auto-approve"], ["destroy", "--auto-approve"]] {
            let result = try await CLI().run(command + ["--stack", "quickstart", "--parallelism", "-1"])
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("--parallelism must be at least 1"), result.standardError)
            XCTAssertFalse(result.standardError.contains("Missing value"), result.standardError)
        }
    }

    /// A state of stack `stack` holding one bucket, as `imgstack apply` writes it.
    static func stateFile(stack: String, lineage: String = "lineage-other", resource: String = #"{"address": "s3.bucket.data", "type": "s3.bucket", "region": "us-east-1", "id": "image-server-data", "properties": {}, "attributes": {}, "dependencies": []}"#) -> Data {
        Data("""
        {"format_version": 1, "lineage": "\(lineage)", "serial": 4, "stack": "\(stack)", "resources": [\(resource)], "outputs": {}}
        """.utf8)
    }

    func testAStateOfAnotherStackIsRefusedByEveryCommandAndLeftUntouched() async throws {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        let other = Self.stateFile(stack: "image-server")
        let path = cli.path(".imgstack/quickstart.state.json")
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: other))
        let commands: [[String]] = [
            ["plan"], ["apply", "--auto-approve"], ["destroy", "--auto-approve"], ["output"], ["state", "list"],
            ["state", "show", "s3.bucket.data"], ["state", "rm", "s3.bucket.data"], ["state", "mv", "s3.bucket.data", "s3.bucket.other"],
            ["state", "pull"], ["import", "s3.bucket.data", "some-bucket"],
        ]
        for command in commands {
            let result = try await cli.run(command + ["--stack", "quickstart"])
            XCTAssertEqual(result.status, 1, "\(command): \(result.standardError)")
            // No credentials are configured: a run that called AWS would fail on them instead.
            XCTAssertTrue(result.standardError.contains("is the state of stack image-server, not quickstart"), "\(command): \(result.standardError)")
            XCTAssertEqual(FileManager.default.contents(atPath: path), other, "\(command)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".backup"))
    }
}

/// A region is checked before any call: its shape always, a typo unless opted out or a custom
/// endpoint is set.
final class CLIRegionTests: XCTestCase {
    /// A working directory whose state records a bucket: a run that called AWS (refresh) would
    /// fail on the missing credentials instead of on the region.
    private func cliWithRecordedResource() throws -> CLI {
        let cli = try CLI()
        try FileManager.default.createDirectory(atPath: cli.path(".imgstack"), withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: cli.path(".imgstack/quickstart.state.json"),
                                                    contents: CLIBadInputTests.stateFile(stack: "quickstart")))
        return cli
    }

    func testAMalformedRegionIsRefusedBeforeAnyCall() async throws {
        let cli = try cliWithRecordedResource()
        for extra in [[], ["--skip-region-validation"], ["--endpoint-url", "http://127.0.0.1:9"]] {
            let result = try await cli.run(["plan", "--stack", "quickstart", "--region", "not a region!"] + extra)
            XCTAssertEqual(result.status, 1, result.standardError)
            XCTAssertTrue(result.standardError.contains("region \"not a region!\" is not a region name"), result.standardError)
            XCTAssertFalse(result.standardError.contains("Refreshing"), result.standardError)
        }
    }

    func testAnUnknownRegionIsRefusedUnlessOptedOutOrACustomEndpointIsSet() async throws {
        let cli = try cliWithRecordedResource()
        for environment in [[:], ["AWS_REGION": "us-esat-1"]] {
            let region = environment.isEmpty ? ["--region", "us-esat-1"] : []
            let refused = try await cli.run(["plan", "--stack", "quickstart"] + region, environment: environment)
            XCTAssertEqual(refused.status, 1, refused.standardError)
            XCTAssertTrue(refused.standardError.contains("region us-esat-1 is not a known region"), refused.standardError)
            XCTAssertTrue(refused.standardError.contains("--skip-region-validation"), refused.standardError)
        }
        // Accepted, the plan goes on from state alone (no call with --refresh=false).
        for accepted in [["--skip-region-validation"], ["--endpoint-url", "http://127.0.0.1:9"]] {
            let result = try await cli.run(["plan", "--stack", "quickstart", "--region", "xx-nowhere-9", "--refresh=false"] + accepted)
            XCTAssertEqual(result.status, 0, result.standardError)
        }
        let viaEnvironment = try await cli.run(["plan", "--stack", "quickstart", "--region", "xx-nowhere-9", "--refresh=false"],
                                               environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.standardError)
    }
}
