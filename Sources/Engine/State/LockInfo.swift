import Foundation

/// Who holds a state lock, written into the lock so a second run can name the holder.
public struct LockInfo: Sendable, Codable, Equatable {
    /// A random id, given to `imgstack force-unlock`.
    public var id: String
    /// The user who ran the command.
    public var who: String
    /// The host it ran on.
    public var host: String
    /// Its process id.
    public var pid: Int32
    /// The command (`apply`, `destroy`, …).
    public var operation: String
    /// When the lock was taken.
    public var created: Date

    /// Creates lock info describing this process.
    public init(operation: String, id: String = UUID().uuidString.lowercased(), created: Date = Date()) {
        self.id = id
        self.who = Self.user(environment: ProcessInfo.processInfo.environment)
        self.host = ProcessInfo.processInfo.hostName
        self.pid = ProcessInfo.processInfo.processIdentifier
        self.operation = operation
        self.created = created
    }

    /// Who runs this process: `USER`, else `LOGNAME`, else the name of its user id in the
    /// password database (a container's root sets neither variable), else `unknown`.
    public static func user(environment: [String: String]) -> String {
        if let named = environment["USER"] ?? environment["LOGNAME"], !named.isEmpty { return named }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "unknown" }
        return String(cString: name)
    }

    /// "ID (apply by USER@HOST, pid N, since TIME, AGE ago)".
    public var summary: String {
        let age = Int(Date().timeIntervalSince(created))
        let formatter = ISO8601DateFormatter()
        return "lock \(id) (\(operation) by \(who)@\(host), pid \(pid), since \(formatter.string(from: created)), \(LockInfo.describeAge(age)) ago)"
    }

    static func describeAge(_ seconds: Int) -> String {
        if seconds < 120 { return "\(max(seconds, 0))s" }
        if seconds < 7200 { return "\(seconds / 60)m" }
        return "\(seconds / 3600)h\((seconds % 3600) / 60)m"
    }

    /// JSON bytes of the lock.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(self)
    }

    /// Parses lock bytes.
    public static func decode(_ data: Data) throws -> LockInfo {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(LockInfo.self, from: data)
    }
}
