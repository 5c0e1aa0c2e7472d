import Foundation

/// One parsed AWS shared file: `~/.aws/config` or `~/.aws/credentials`.
///
/// The format is the INI dialect the AWS CLI and SDKs read: `[section]` headers, `key = value`
/// lines, `#` and `;` comments (whole lines, or after whitespace at a line's end), and nested
/// sub-sections (`s3 =` followed by indented `key = value` lines), which are skipped.
public struct SharedConfigFile: Sendable, Equatable {
    /// Which of the two files this is; they name profile sections differently.
    public enum Kind: Sendable, Equatable {
        /// `~/.aws/config`: profiles are `[default]` and `[profile NAME]`; other sections
        /// (`[sso-session …]`, `[services …]`) are not profiles.
        case config
        /// `~/.aws/credentials`: every `[NAME]` section is a profile.
        case credentials
    }

    /// The file's path, used in error messages.
    public let path: String
    /// The profiles by name, each a map of lower-cased keys to values.
    public let profiles: [String: [String: String]]

    /// Parses a file's text.
    /// - Parameters:
    ///   - contents: The file's text.
    ///   - path: The path to name in errors.
    ///   - kind: Whether this is the config or the credentials file.
    /// - Throws: `AWSClientError(.invalidConfiguration)` naming `path:line` for a malformed line.
    public init(contents: String, path: String, kind: Kind) throws {
        self.path = path
        var profiles: [String: [String: String]] = [:]
        // The profile lines are collected into, or nil inside a section that is not a profile.
        var currentProfile: String?
        var inSection = false
        // Set after `key =` with an empty value: indented lines that follow are a nested
        // sub-section (`s3 =` / `  addressing_style = path`) that imgstack does not use.
        var lastKeyOpensNestedBlock = false
        var lastLineWasProperty = false

        // `\r\n` is one Character in Swift, so splitting on `isNewline` handles both line endings.
        for (index, line) in contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            func malformed(_ reason: String) -> AWSClientError {
                AWSClientError(.invalidConfiguration, "\(path):\(lineNumber): \(reason)")
            }

            if let first = line.first, first == " " || first == "\t" {
                // An indented line belongs to the nested block opened by `key =` above it.
                guard inSection, lastLineWasProperty, lastKeyOpensNestedBlock else {
                    throw malformed("indented line \"\(trimmed)\" does not follow a \"key =\" that opens a nested block")
                }
                guard trimmed.contains("=") else {
                    throw malformed("expected \"key = value\" in the nested block, found \"\(trimmed)\"")
                }
                continue
            }

            if trimmed.hasPrefix("[") {
                let header = Self.strippingInlineComment(trimmed)
                guard header.hasSuffix("]"), header.count > 2 else {
                    throw malformed("section header \"\(trimmed)\" is not of the form [name]")
                }
                let name = header.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard !name.isEmpty else { throw malformed("section header has an empty name") }
                currentProfile = Self.profileName(section: name, kind: kind)
                if let currentProfile, profiles[currentProfile] == nil { profiles[currentProfile] = [:] }
                inSection = true
                lastLineWasProperty = false
                continue
            }

            guard let equals = trimmed.firstIndex(of: "=") else {
                throw malformed("expected \"key = value\" or a [section], found \"\(trimmed)\"")
            }
            guard inSection else { throw malformed("property \"\(trimmed)\" appears before any [section]") }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            guard !key.isEmpty else { throw malformed("property has no name before \"=\"") }
            let value = Self.strippingInlineComment(trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            if let currentProfile, !value.isEmpty {
                profiles[currentProfile, default: [:]][key] = value
            }
            lastKeyOpensNestedBlock = value.isEmpty
            lastLineWasProperty = true
        }
        self.profiles = profiles
    }

    /// Reads and parses the file at `path`.
    /// - Returns: The parsed file, or nil when no file exists there.
    /// - Throws: `AWSClientError(.invalidConfiguration)` when it cannot be read or parsed.
    public static func load(path: String, kind: Kind) throws -> SharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw AWSClientError(.invalidConfiguration, "\(path): cannot read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw AWSClientError(.invalidConfiguration, "\(path): not UTF-8 text")
        }
        return try SharedConfigFile(contents: text, path: path, kind: kind)
    }

    /// The profile a section header names, or nil when the section is not a profile.
    private static func profileName(section: String, kind: Kind) -> String? {
        switch kind {
        case .credentials:
            return section
        case .config:
            if section == "default" { return "default" }
            let parts = section.split(maxSplits: 1, whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count == 2, parts[0] == "profile" else { return nil }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
    }

    /// Drops a trailing ` # comment` or ` ; comment`: the SDKs treat `#`/`;` as a comment only
    /// after whitespace, so values such as URLs with fragments stay whole.
    private static func strippingInlineComment(_ text: String) -> String {
        var previous: Character = "x"
        for index in text.indices {
            let character = text[index]
            if (character == "#" || character == ";") && (previous == " " || previous == "\t") {
                return text[..<index].trimmingCharacters(in: .whitespaces)
            }
            previous = character
        }
        return text
    }
}
