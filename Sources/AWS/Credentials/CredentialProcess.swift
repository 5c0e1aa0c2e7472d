import Foundation

/// Runs a profile's `credential_process` command and reads its JSON answer.
///
/// The command runs through `/bin/sh -c` as the AWS CLI does, so quoting and arguments work
/// as the user wrote them. Output format (Version 1):
/// `{"Version": 1, "AccessKeyId": …, "SecretAccessKey": …, "SessionToken": …, "Expiration": …}`.
struct CredentialProcess: Sendable {
    /// The command line from the profile.
    var command: String

    /// Runs the command and returns its credentials.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` when the command cannot start,
    ///   exits non-zero (with the first line of its stderr), or prints bad JSON.
    func run() async throws -> AWSCredentials {
        let output = try await Self.execute(command)
        let source = "credential_process \"\(command)\""
        guard output.status == 0 else {
            let firstLine = String(decoding: output.stderr, as: UTF8.self)
                .split(separator: "\n").first.map { ": \($0)" } ?? ""
            throw AWSClientError(.credentialSourceFailed, "\(source) exited with status \(output.status)\(firstLine)")
        }
        if let version = try? JSONDecoder().decode(VersionOnly.self, from: output.stdout).version, version != 1 {
            throw AWSClientError(.credentialSourceFailed, "\(source) returned Version \(version); only Version 1 is supported")
        }
        return try CredentialDocument.credentials(from: output.stdout, source: source)
    }

    private struct VersionOnly: Decodable {
        var version: Int?
        enum CodingKeys: String, CodingKey { case version = "Version" }
    }

    private struct Output: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    /// Runs `/bin/sh -c command` off the cooperative thread pool, since reading pipes and
    /// waiting for exit block.
    private static func execute(_ command: String) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/bin/sh")
                process.arguments = ["-c", command]
                let stdout = Pipe()
                let stderr = Pipe()
                process.standardOutput = stdout
                process.standardError = stderr
                process.standardInput = FileHandle.nullDevice
                do {
                    try process.run()
                } catch {
                    continuation.resume(
                        throwing: AWSClientError(
                            .credentialSourceFailed, "credential_process \"\(command)\" could not start: \(error.localizedDescription)"))
                    return
                }
                // stderr is drained on another thread so a chatty command cannot fill one
                // pipe while we wait on the other.
                let errorData = LockedData()
                let group = DispatchGroup()
                group.enter()
                DispatchQueue.global().async {
                    errorData.set(stderr.fileHandleForReading.readDataToEndOfFile())
                    group.leave()
                }
                let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: Output(status: process.terminationStatus, stdout: outputData, stderr: errorData.get()))
            }
        }
    }
}

/// A `Data` value shared between two threads.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func set(_ value: Data) {
        lock.lock()
        defer { lock.unlock() }
        data = value
    }

    func get() -> Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}
