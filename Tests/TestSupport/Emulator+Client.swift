import AWS
import Foundation

extension Emulator {
    /// The static test key pair the verifying proxy knows the secret of, as credentials.
    public static var credentials: AWSCredentials {
        AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey)
    }

    /// Returns an AWS client that signs with the static test key and talks to the verifying
    /// proxy, so every request it sends has its signature checked by botocore.
    ///
    /// No environment is read: `AWS_ENDPOINT_URL` and the like on the test machine cannot
    /// redirect it.
    /// - Parameters:
    ///   - region: The client's region, which signs its requests.
    ///   - retry: When to retry; by default three attempts a few milliseconds apart, so a
    ///     test that injects faults does not wait for real back-off.
    ///   - credentials: What to sign with; the static test key by default. Pass other keys to
    ///     see the proxy refuse them.
    ///   - endpoint: Where requests go; ``endpoint`` (the proxy) by default. Pass
    ///     ``motoEndpoint`` to skip signature checks, e.g. to measure moto alone.
    ///   - timeout: Seconds a request may make no progress before it is retried
    ///     (`AWSClient.Configuration.defaultTimeout` by default).
    ///   - transport: What carries the requests; a new `HTTPClientTransport` by default. Pass
    ///     one wrapping it to watch the requests on their way.
    /// - Returns: A new client with its own retry budget and connection pool.
    public func client(region: String = "us-east-1", retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: 0.01),
                       credentials: AWSCredentials = Emulator.credentials, endpoint: URL? = nil,
                       timeout: TimeInterval = AWSClient.Configuration.defaultTimeout,
                       transport: any HTTPTransport = HTTPClientTransport()) -> AWSClient {
        let configuration = AWSClient.Configuration(region: region, endpointURL: endpoint ?? self.endpoint, environment: [:], retry: retry,
                                                    timeout: timeout)
        return AWSClient(configuration: configuration, credentials: { credentials }, transport: transport)
    }
}
