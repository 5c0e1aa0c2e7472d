import Foundation

/// Credentials of the EC2 instance's role, from the instance metadata service (IMDSv2).
///
/// Asks for a session token (`PUT /latest/api/token`), lists the role
/// (`GET /latest/meta-data/iam/security-credentials/`) and reads its credentials. Off EC2 it
/// must cost nothing: one attempt with a short timeout, and "nobody answered" means no
/// credentials rather than an error. `AWS_EC2_METADATA_DISABLED=true` turns it off and
/// `AWS_EC2_METADATA_SERVICE_ENDPOINT` moves it.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    /// The process environment.
    public let environment: [String: String]
    /// Sends the requests.
    public let transport: any HTTPTransport
    /// How long to wait for each request.
    public let timeout: TimeInterval

    /// Creates the provider.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - transport: Sends the HTTP requests.
    ///   - timeout: Seconds to wait for each request (1 s by default).
    public init(environment: [String: String], transport: any HTTPTransport, timeout: TimeInterval = 1) {
        self.environment = environment
        self.transport = transport
        self.timeout = timeout
    }

    /// `instance-metadata`.
    public var sourceName: String { "instance-metadata" }

    /// Fetches the role's credentials, or nil when disabled, unreachable or no role is attached.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` when the service answers but the
    ///   credentials document is an error or malformed.
    public func credentials() async throws -> AWSCredentials? {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        let base = environment["AWS_EC2_METADATA_SERVICE_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://169.254.169.254"
        let trimmedBase = base.hasSuffix("/") ? String(base.dropLast()) : base

        var tokenRequest = HTTPRequest(method: "PUT", url: try url(trimmedBase, "/latest/api/token"))
        tokenRequest.headers["X-aws-ec2-metadata-token-ttl-seconds"] = "21600"
        guard let tokenResponse = try? await transport.send(tokenRequest, timeout: timeout) else { return nil }
        var token: String?
        switch tokenResponse.statusCode {
        case 200:
            token = String(decoding: tokenResponse.body, as: UTF8.self)
        case 403, 404, 405:
            // IMDSv2 refused or not offered (an older metadata proxy): fall back to IMDSv1 as the SDKs do.
            token = nil
        default:
            return nil
        }

        let rolesURL = try url(trimmedBase, "/latest/meta-data/iam/security-credentials/")
        guard let rolesResponse = try? await get(rolesURL, token: token), rolesResponse.statusCode == 200 else {
            // 404: the instance has no role attached.
            return nil
        }
        guard
            let role = String(decoding: rolesResponse.body, as: UTF8.self)
                .split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }),
            !role.isEmpty
        else { return nil }

        let roleURL = try url(trimmedBase, "/latest/meta-data/iam/security-credentials/" + SigV4Encoding.encode(role))
        guard let roleResponse = try? await get(roleURL, token: token) else { return nil }
        guard roleResponse.statusCode == 200 else {
            throw AWSClientError(.credentialSourceFailed, "instance metadata answered HTTP \(roleResponse.statusCode) for role \(role)")
        }
        let source = "instance metadata for role \(role)"
        if let code = try? JSONDecoder().decode(CredentialDocument.self, from: roleResponse.body).code, code != "Success" {
            throw AWSClientError(.credentialSourceFailed, "\(source) reported \(code)")
        }
        return try CredentialDocument.credentials(from: roleResponse.body, source: source)
    }

    private func get(_ url: URL, token: String?) async throws -> HTTPResponse {
        var request = HTTPRequest(method: "GET", url: url)
        if let token { request.headers["X-aws-ec2-metadata-token"] = token }
        return try await transport.send(request, timeout: timeout)
    }

    private func url(_ base: String, _ path: String) throws -> URL {
        guard let url = URL(string: base + path) else {
            throw AWSClientError(.invalidConfiguration, "AWS_EC2_METADATA_SERVICE_ENDPOINT is not a valid URL: \(base)")
        }
        return url
    }
}
