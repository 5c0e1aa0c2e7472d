import Foundation

/// The JSON credential document shared by `credential_process`, the container endpoint and
/// instance metadata: `AccessKeyId`, `SecretAccessKey`, a token (`SessionToken` or `Token`)
/// and an ISO 8601 `Expiration`.
struct CredentialDocument: Decodable {
    var version: Int?
    var accessKeyID: String?
    var secretAccessKey: String?
    var sessionToken: String?
    var token: String?
    var expiration: String?
    var code: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version"
        case accessKeyID = "AccessKeyId"
        case secretAccessKey = "SecretAccessKey"
        case sessionToken = "SessionToken"
        case token = "Token"
        case expiration = "Expiration"
        case code = "Code"
    }

    /// Decodes `data` and turns it into credentials.
    /// - Parameter source: Names the source in error messages (`credential_process "cmd"`).
    /// - Throws: `AWSClientError(.credentialSourceFailed)` for bad JSON or missing keys.
    static func credentials(from data: Data, source: String) throws -> AWSCredentials {
        let document: CredentialDocument
        do {
            document = try JSONDecoder().decode(CredentialDocument.self, from: data)
        } catch {
            throw AWSClientError(.credentialSourceFailed, "\(source) did not return a JSON credential document")
        }
        guard let accessKeyID = document.accessKeyID, !accessKeyID.isEmpty else {
            throw AWSClientError(.credentialSourceFailed, "\(source) returned no AccessKeyId")
        }
        guard let secret = document.secretAccessKey, !secret.isEmpty else {
            throw AWSClientError(.credentialSourceFailed, "\(source) returned no SecretAccessKey")
        }
        var expiration: Date?
        if let text = document.expiration {
            guard let date = parseDate(text) else {
                throw AWSClientError(.credentialSourceFailed, "\(source) returned an Expiration that is not an ISO 8601 date: \(text)")
            }
            expiration = date
        }
        return AWSCredentials(
            accessKeyID: accessKeyID, secretAccessKey: secret, sessionToken: document.sessionToken ?? document.token,
            expiration: expiration)
    }

    /// Parses ISO 8601 dates with or without fractional seconds (`2024-01-01T00:00:00Z`,
    /// `2024-01-01T00:00:00.123+00:00`).
    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
