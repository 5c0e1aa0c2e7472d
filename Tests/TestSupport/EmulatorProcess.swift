import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One of the emulator's Python servers: started, asked for its port, killed at exit.
struct EmulatorProcess: Sendable {
    /// The loopback port the server printed on its `LISTENING <port>` line.
    let port: Int
    /// The server's process id.
    let pid: Int32

    /// Starts `python3 script arguments…` and waits for its `LISTENING <port>` line.
    /// - Parameters:
    ///   - python: The interpreter.
    ///   - script: The server script.
    ///   - arguments: The script's arguments.
    ///   - log: Where the server's stderr goes (werkzeug logs every request there).
    ///   - timeout: Seconds to wait for the line.
    /// - Throws: `EmulatorError` when the server exits or stays silent.
    static func start(
        python: URL, script: URL, arguments: [String], log: URL, timeout: Double
    ) throws -> EmulatorProcess {
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else {
            throw EmulatorError("cannot create \(log.path)")
        }
        let process = Process()
        process.executableURL = python
        // -u: the LISTENING line must not wait in a pipe buffer.
        process.arguments = ["-u", script.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        ChildProcesses.register(process.processIdentifier)

        let line = Mutex<String?>(nil)
        let ready = DispatchSemaphore(value: 0)
        Thread {
            var buffer = Data()
            let handle = output.fileHandleForReading
            while !buffer.contains(UInt8(ascii: "\n")) {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer.append(chunk)
            }
            line.withLock { $0 = String(decoding: buffer, as: UTF8.self) }
            ready.signal()
        }.start()
        let name = script.lastPathComponent
        guard ready.wait(timeout: .now() + timeout) == .success else {
            kill(process.processIdentifier, SIGKILL)
            throw EmulatorError("\(name) did not report its port within \(Int(timeout)) s; see \(log.path)")
        }
        let words = (line.withLock { $0 } ?? "").split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0] == "LISTENING", let port = Int(words[1]) else {
            throw EmulatorError("\(name) exited before listening; see \(log.path)")
        }
        return EmulatorProcess(port: port, pid: process.processIdentifier)
    }
}

/// The emulator processes to kill when the test process exits. The Python servers also exit
/// on their own when their parent dies, which covers a test process killed with SIGKILL.
enum ChildProcesses {
    private static let pids = Mutex<[Int32]>([])
    private static let hookInstalled = Mutex(false)

    static func register(_ pid: Int32) {
        pids.withLock { $0.append(pid) }
        let install = hookInstalled.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install {
            atexit { ChildProcesses.killAll() }
        }
    }

    static func killAll() {
        for pid in pids.withLock({ $0 }) {
            kill(pid, SIGTERM)
        }
    }
}
