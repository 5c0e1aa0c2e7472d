import Foundation

/// Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity, CodeBuild).
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on the ECS agent at `169.254.170.2`;
/// `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL. The `Authorization` header comes from
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read on each refresh, EKS rotates it) or
/// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The process environment.
    public let environment: [String: String]
    /// Sends the request.
    public let transport: any HTTPTransport
    /// How long to wait for the endpoint.
    public let timeout: TimeInterval

    /// Creates the provider.
    /// - Parameters:
    ///   - environment: The process environment.
    ///   - transport: Sends the HTTP request.
    ///   - timeout: Seconds to wait for the answer.
    public init(environment: [String: String], transport: any HTTPTransport, timeout: TimeInterval = 2) {
        self.environment = environment
        self.transport = transport
        self.timeout = timeout
    }

    /// `container`.
    public var sourceName: String { "container" }

    /// Fetches credentials, or returns nil when neither URI variable is set.
    /// - Throws: `AWSClientError(.credentialSourceFailed)` for a refused full URI, an
    ///   unreadable token file, no answer, a non-200 answer or a bad document.
    public func credentials() async throws -> AWSCredentials? {
        guard let url = try endpoint() else { return nil }
        var request = HTTPRequest(method: "GET", url: url)
        request.headers["Accept"] = "application/json"
        if let token = try authorizationToken() {
            request.headers["Authorization"] = token
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(request, timeout: timeout)
        } catch {
            throw AWSClientError(.credentialSourceFailed, "the container credentials endpoint \(url.absoluteString) did not answer: \(error)")
        }
        guard response.statusCode == 200 else {
            throw AWSClientError(
                .credentialSourceFailed, "the container credentials endpoint \(url.absoluteString) answered HTTP \(response.statusCode)")
        }
        return try CredentialDocument.credentials(from: response.body, source: "the container credentials endpoint")
    }

    private func endpoint() throws -> URL? {
        if let relative = nonEmpty("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let path = relative.hasPrefix("/") ? relative : "/" + relative
            guard let url = URL(string: "http://169.254.170.2" + path) else {
                throw AWSClientError(.credentialSourceFailed, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is not a valid path: \(relative)")
            }
            return url
        }
        guard let full = nonEmpty("AWS_CONTAINER_CREDENTIALS_FULL_URI") else { return nil }
        guard let url = URL(string: full), let host = url.host, let scheme = url.scheme?.lowercased() else {
            throw AWSClientError(.credentialSourceFailed, "AWS_CONTAINER_CREDENTIALS_FULL_URI is not a valid URL: \(full)")
        }
        // As the SDKs do: plain HTTP only to loopback or the ECS / EKS agent addresses, so a
        // token is never sent in clear text to an arbitrary host.
        let allowedPlainHosts: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]", "169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]"]
        guard scheme == "https" || (scheme == "http" && (allowedPlainHosts.contains(host) || host.hasPrefix("127."))) else {
            throw AWSClientError(
                .credentialSourceFailed,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI must use https or a loopback / container agent host, not \(full)")
        }
        return url
    }

    private func authorizationToken() throws -> String? {
        if let file = nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            guard let token = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw AWSClientError(.credentialSourceFailed, "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(file)")
            }
            return token.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return nonEmpty("AWS_CONTAINER_AUTHORIZATION_TOKEN")
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }
}
