import Foundation

/// The two AWS shared files together, as the SDKs read them.
///
/// Paths come from `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else
/// `~/.aws/config` and `~/.aws/credentials`. A profile's settings are the union of both
/// files, the credentials file winning for a key set in both (as botocore merges them).
public struct SharedConfig: Sendable, Equatable {
    /// The parsed config file, nil when it does not exist.
    public let configFile: SharedConfigFile?
    /// The parsed credentials file, nil when it does not exist.
    public let credentialsFile: SharedConfigFile?

    /// Creates a view over already parsed files.
    public init(configFile: SharedConfigFile?, credentialsFile: SharedConfigFile?) {
        self.configFile = configFile
        self.credentialsFile = credentialsFile
    }

    /// Loads both files from the paths the environment names.
    /// - Parameters:
    ///   - environment: The process environment (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`, `HOME`).
    ///   - homeDirectory: The directory `~` stands for; defaults to `HOME`, then the user's home.
    /// - Throws: `AWSClientError(.invalidConfiguration)` for a malformed or unreadable file.
    public static func load(environment: [String: String], homeDirectory: String? = nil) throws -> SharedConfig {
        let home = homeDirectory ?? environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        let configPath = path(environment["AWS_CONFIG_FILE"], default: "~/.aws/config", home: home)
        let credentialsPath = path(environment["AWS_SHARED_CREDENTIALS_FILE"], default: "~/.aws/credentials", home: home)
        return SharedConfig(
            configFile: try SharedConfigFile.load(path: configPath, kind: .config),
            credentialsFile: try SharedConfigFile.load(path: credentialsPath, kind: .credentials))
    }

    /// The named profile's settings from both files, or nil when neither file has it.
    public func profile(_ name: String) -> [String: String]? {
        let fromConfig = configFile?.profiles[name]
        let fromCredentials = credentialsFile?.profiles[name]
        guard fromConfig != nil || fromCredentials != nil else { return nil }
        return (fromConfig ?? [:]).merging(fromCredentials ?? [:]) { _, credentialsValue in credentialsValue }
    }

    /// The name of the profile to use: the explicit one, else `AWS_PROFILE`, else `default`.
    public static func profileName(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let named = environment["AWS_PROFILE"], !named.isEmpty { return named }
        return "default"
    }

    /// Expands a leading `~` so paths from the environment work as they do in a shell.
    private static func path(_ configured: String?, default fallback: String, home: String) -> String {
        let raw = (configured?.isEmpty == false ? configured : nil) ?? fallback
        if raw == "~" { return home }
        if raw.hasPrefix("~/") { return home + raw.dropFirst(1) }
        return raw
    }
}
