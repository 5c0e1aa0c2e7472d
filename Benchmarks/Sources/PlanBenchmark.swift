import Engine
import Foundation
import ImgStack
import ImgStackCLI
#if canImport(Glibc)
import Glibc
#endif

/// How planning scales: `plan --refresh=false` (against an empty state, against a state recording
/// every resource, and with `--json`), `validate` and `graph` of a stack of N S3 buckets in chains
/// of ten, each tagged with the previous one's ARN — for N = 1,000, 10,000 and 100,000.
///
/// Each figure is one whole `imgstack` process as a user runs it: the benchmark starts itself
/// again as a child (``childArgument``) that runs the real command line (`ImgStackCLI.run`) over
/// the stack, its standard output thrown away. The time is the child's wall time measured from
/// outside (start-up included); the memory is the child's peak resident set (`ru_maxrss`).
///
/// `IMGSTACK_BENCHMARK_SIZES` (`1000,10000`) picks other sizes; `IMGSTACK_BENCHMARK_TIMEOUT`
/// (seconds, default 600) stops a command that takes longer and reports it as stopped.
enum PlanBenchmark {
    /// The first argument that makes the benchmark binary a child running one command.
    static let childArgument = "plan-child"
    /// The first argument that makes the benchmark binary write the state recording N buckets
    /// into a directory and stop, for profiling a child against it.
    static let stateArgument = "plan-state"

    /// The commands measured at each size: a label, the command line and whether the state
    /// records every resource.
    static let commands: [(label: String, arguments: [String], recorded: Bool)] = [
        ("plan --refresh=false, empty state", ["plan", "--refresh=false"], false),
        ("plan --refresh=false, all recorded, no change", ["plan", "--refresh=false"], true),
        ("plan --refresh=false --json, empty state", ["plan", "--refresh=false", "--json"], false),
        ("validate", ["validate"], false),
        ("graph", ["graph"], false),
    ]

    static func run() async throws {
        let sizes = ProcessInfo.processInfo.environment["IMGSTACK_BENCHMARK_SIZES"]?
            .split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) } ?? [1_000, 10_000, 100_000]
        let timeout = ProcessInfo.processInfo.environment["IMGSTACK_BENCHMARK_TIMEOUT"].flatMap(Double.init) ?? 600
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("imgstack-plan-benchmark-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        print("| resources | command | time | peak memory |")
        print("| ---: | --- | ---: | ---: |")
        for count in sizes {
            let empty = root.appendingPathComponent("empty-\(count)").path
            let recorded = root.appendingPathComponent("recorded-\(count)").path
            try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
            try await LocalStateBackend(directory: recorded, stack: stackName).write(recordedState(count))
            for command in commands {
                let arguments = command.arguments + ["--stack", stackName, "--region", region, "--state-dir", command.recorded ? recorded : empty]
                let result = try await measureChild(count: count, arguments: arguments, timeout: timeout)
                print("| \(count.formatted()) | \(command.label) | \(result.time) | \(result.memory) |")
            }
        }
    }

    // MARK: - The stack

    static let stackName = "scale"
    static let region = "us-east-1"

    /// `count` buckets in chains of ten; each after the first of its chain is tagged with the
    /// previous one's ARN.
    static func buckets(_ count: Int) -> [S3.Bucket] {
        var buckets: [S3.Bucket] = []
        buckets.reserveCapacity(count)
        for index in 0..<count {
            let (chain, link) = index.quotientAndRemainder(dividingBy: 10)
            var tags: [String: Text] = ["chain": "\(chain)", "team": "benchmarks"]
            if link > 0 { tags["after"] = "after \(buckets[index - 1].arn)" }
            buckets.append(S3.Bucket("b\(chain)-\(link)", bucket: "imgstack-bench-\(chain)-\(link)", tags: tags))
        }
        return buckets
    }

    static func stack(_ count: Int) -> Stack {
        Stack(stackName) { stack in
            for bucket in buckets(count) { stack.add(bucket) }
        }
    }

    /// The state an apply of the stack leaves: every property as the stack declares it, each
    /// bucket's attributes known. Built directly, so the benchmark does not wait on the engine it
    /// measures.
    static func recordedState(_ count: Int) -> StateFile {
        let type = S3.Bucket.makeType()
        let declared = buckets(count)
        let names = Dictionary(uniqueKeysWithValues: declared.map { ($0.address, "imgstack-bench-\($0.name.dropFirst())") })
        var state = StateFile(stack: stackName)
        state.resources = declared.map { bucket in
            let declaration = ResourceDeclaration(address: bucket.address, type: type, properties: bucket.properties)
            let properties = Dictionary(uniqueKeysWithValues: declaration.properties.map { name, expression in
                (name, type.normalize(name, expression.resolve { reference in .string("arn:aws:s3:::\(names[reference.address] ?? "")") }))
            })
            let name = names[bucket.address] ?? ""
            let attributes: [String: Value] = [
                "arn": .string("arn:aws:s3:::\(name)"), "bucketDomainName": .string("\(name).s3.amazonaws.com"),
                "bucketRegionalDomainName": .string("\(name).s3.\(region).amazonaws.com"), "region": .string(region),
                "websiteEndpoint": "",
            ]
            return ResourceRecord(address: bucket.address, region: region,
                                  snapshot: ResourceSnapshot(id: name, properties: properties, attributes: attributes),
                                  dependencies: declaration.dependencies)
        }.sorted { $0.address < $1.address }
        return state
    }

    // MARK: - Child processes

    /// Runs one command in a child process.
    /// - Returns: its wall time and peak memory as table cells, or why there are none.
    private static func measureChild(count: Int, arguments: [String], timeout: Double) async throws -> (time: String, memory: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = [childArgument, String(count)] + arguments
        let output = Pipe()
        // A file, not a pipe: a child listing many problems must not block on a full pipe.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("imgstack-plan-child-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: errorPath, contents: nil),
              let errors = FileHandle(forWritingAtPath: errorPath) else {
            return ("failed: cannot write \(errorPath)", "—")
        }
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        process.standardOutput = output
        process.standardError = errors
        let start = ContinuousClock.now
        try process.run()
        let watchdog = Task {
            try await Task.sleep(for: .seconds(timeout))
            process.terminate()
        }
        let report = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let elapsed = ContinuousClock.now - start
        watchdog.cancel()
        if process.terminationReason == .uncaughtSignal {
            return ("stopped after \(Int(timeout)) s", "—")
        }
        let fields = String(decoding: report, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard fields.count == 2, let peakKiB = Double(fields[0]), fields[1] == "0" else {
            let failure = FileManager.default.contents(atPath: errorPath) ?? Data()
            return ("failed: \(String(decoding: failure, as: UTF8.self).prefix(200))", "—")
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let time = seconds < 1 ? "\(Int((seconds * 1000).rounded())) ms" : String(format: "%.2f s", seconds)
        return (time, String(format: "%.0f MiB", peakKiB / 1024))
    }

    /// Writes the state recording `count` buckets (``recordedState(_:)``) into the directory
    /// after the count, then exits.
    static func writeState(_ arguments: [String]) async -> Never {
        guard arguments.count == 2, let count = Int(arguments[0]) else {
            FileHandle.standardError.write(Data("usage: \(stateArgument) COUNT DIRECTORY\n".utf8))
            exit(2)
        }
        do {
            try await LocalStateBackend(directory: arguments[1], stack: stackName).write(recordedState(count))
            exit(0)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(1)
        }
    }

    /// The child: runs the command line in `arguments` (after the count) over a stack of `count`
    /// buckets with standard output thrown away, then prints its peak memory in KiB and the
    /// command's exit status.
    static func child(_ arguments: [String]) async -> Never {
        guard let count = arguments.first.flatMap(Int.init) else {
            FileHandle.standardError.write(Data("usage: \(childArgument) COUNT COMMAND...\n".utf8))
            exit(2)
        }
        let stack = stack(count)
        let standardOutput = dup(1)
        let discard = open("/dev/null", O_WRONLY)
        dup2(discard, 1)
        let status = await ImgStackCLI.run(Array(arguments.dropFirst()), stacks: [stack], defaultStack: stack.name)
        dup2(standardOutput, 1)
        print("\(Int(Measure.peakResidentMiB() * 1024)) \(status)")
        exit(0)
    }
}
