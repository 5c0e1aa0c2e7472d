import Foundation

/// Sends calls to AWS services: resolves the endpoint, encodes the request in the service's
/// wire protocol, signs it (again on every attempt), retries by the `RetryPolicy`, and
/// decodes answers and errors.
///
/// The per-service files (`Services/`) build on the protocol entry points `query`, `json`,
/// `rest`, `restJSON` and `s3`. One client is meant to be shared by all calls of a run: its
/// retry budget and the transport's connection pool are per client.
public final class AWSClient: Sendable {
    /// Everything a client is configured with.
    public struct Configuration: Sendable {
        /// The default region of calls (a call may name another).
        public var region: String
        /// The `--endpoint-url` flag; the highest-precedence endpoint.
        public var endpointURL: URL?
        /// The environment read for `AWS_ENDPOINT_URL` and `AWS_ENDPOINT_URL_<SERVICE>`.
        public var environment: [String: String]
        /// The active profile's `endpoint_url`.
        public var profileEndpointURL: URL?
        /// When to retry.
        public var retry: RetryPolicy
        /// Seconds an attempt may go without sending or receiving a byte before it fails as
        /// timed out (and is retried). An idle limit, not a total: an upload or download
        /// that keeps moving takes as long as it needs.
        public var timeout: TimeInterval

        /// The default ``timeout``: AWS's control-plane calls answer within a few seconds, so
        /// a request silent for 10 s has most likely lost its connection and is better
        /// retried than waited for (botocore waits 60 s).
        public static let defaultTimeout: TimeInterval = 10

        /// Creates a configuration.
        /// - Parameters:
        ///   - region: default region, e.g. `eu-west-1`.
        ///   - endpointURL: the `--endpoint-url` flag, if given.
        ///   - environment: defaults to the process environment.
        ///   - profileEndpointURL: the profile's `endpoint_url`, if any.
        ///   - retry: the retry policy (SDK standard mode by default).
        ///   - timeout: seconds an attempt may make no progress (``defaultTimeout``).
        public init(region: String, endpointURL: URL? = nil, environment: [String: String] = ProcessInfo.processInfo.environment,
                    profileEndpointURL: URL? = nil, retry: RetryPolicy = RetryPolicy(), timeout: TimeInterval = Configuration.defaultTimeout) {
            self.region = region
            self.endpointURL = endpointURL
            self.environment = environment
            self.profileEndpointURL = profileEndpointURL
            self.retry = retry
            self.timeout = timeout
        }
    }

    /// How a request is authenticated.
    enum Authentication: Sendable {
        /// Signed with the client's credentials.
        case client
        /// Signed with these credentials (STS `AssumeRole` from a source profile).
        case credentials(AWSCredentials)
        /// Not signed (STS `AssumeRoleWithWebIdentity`, which the token itself authenticates).
        case unsigned
    }

    /// The configuration the client was made with.
    public let configuration: Configuration
    /// The client's retry budget, shared by all its calls.
    public let retryBudget: RetryBudget
    private let credentialSource: @Sendable () async throws -> AWSCredentials
    private let transport: any HTTPTransport
    private let resolver: EndpointResolver
    private let observer: (@Sendable (AttemptOutcome) -> Void)?
    private let recorder: (@Sendable (CallRecord) -> Void)?
    /// Who makes the calls through this client (a resource type's name), told to the recorder.
    private let caller: String?
    /// The resource whose operation makes the calls (its address), told to the recorder.
    private let resource: String?
    /// When set, a `Create…` call whose attempt ended with an unknown outcome is not retried.
    private let creating: Bool
    /// When set, every attempt waits for a place in it before going on the wire.
    private let gate: (any CallGate)?

    /// How one attempt of a call ended, as told to an observer (``observing(_:)``).
    public enum AttemptOutcome: Sendable, Equatable {
        /// A 2xx answer.
        case succeeded
        /// A 4xx answer: AWS refused the request before acting on it.
        case refused
        /// No answer (a dropped connection, a timeout) or a 5xx server fault: the request may
        /// or may not have taken effect.
        case unknown
    }

    /// One attempt of one call, as told to a recorder (``recording(_:)``): which operation of
    /// which service ran, for whom, and how it ended.
    public struct CallRecord: Sendable, Equatable {
        /// The service called.
        public var service: AWSService
        /// The API operation, as botocore's model names it (`PutBucketEncryption`).
        public var operation: String
        /// The caller named by ``observing(creating:caller:resource:_:)``: a resource type's name
        /// (`s3.bucket`), or nil for calls made outside a resource's operation.
        public var caller: String?
        /// The resource named by ``observing(creating:caller:resource:_:)``: the address of the
        /// resource whose operation made the call (`s3.bucket.images`), or nil.
        public var resource: String?
        /// How the attempt ended.
        public var outcome: AttemptOutcome
        /// When the attempt was signed and sent, and when its answer (or the transport's error)
        /// came; nil in records made by hand.
        public var timing: ClosedRange<Date>?

        /// Creates a record.
        public init(service: AWSService, operation: String, caller: String?, resource: String? = nil, outcome: AttemptOutcome,
                    timing: ClosedRange<Date>? = nil) {
            self.service = service
            self.operation = operation
            self.caller = caller
            self.resource = resource
            self.outcome = outcome
            self.timing = timing
        }
    }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: region, endpoints, retries, timeout.
    ///   - credentials: called before each signed attempt; pass the credential chain's
    ///     `credentials()` (it caches and refreshes).
    ///   - transport: the HTTP transport; tests pass a scripted one.
    public init(configuration: Configuration, credentials: @escaping @Sendable () async throws -> AWSCredentials,
                transport: any HTTPTransport = HTTPClientTransport()) {
        self.configuration = configuration
        self.credentialSource = credentials
        self.transport = transport
        self.retryBudget = RetryBudget()
        self.resolver = EndpointResolver(endpointURL: configuration.endpointURL, environment: configuration.environment,
                                         profileEndpointURL: configuration.profileEndpointURL)
        self.observer = nil
        self.recorder = nil
        self.caller = nil
        self.resource = nil
        self.creating = false
        self.gate = nil
    }

    private init(_ client: AWSClient, observer: (@Sendable (AttemptOutcome) -> Void)?, recorder: (@Sendable (CallRecord) -> Void)?,
                 caller: String?, resource: String?, creating: Bool, gate: (any CallGate)?) {
        configuration = client.configuration
        credentialSource = client.credentialSource
        transport = client.transport
        retryBudget = client.retryBudget
        resolver = client.resolver
        self.observer = observer
        self.recorder = recorder
        self.caller = caller
        self.resource = resource
        self.creating = creating
        self.gate = gate
    }

    /// The principal the client's credentials act as, when their source said so
    /// (``AWSCredentials/principalARN``: role sessions from STS); nil for keys that do not say.
    /// - Throws: the credential source's errors (`AWSClientError`: no credentials, a failing provider).
    public func credentialsPrincipalARN() async throws -> String? {
        try await credentialSource().principalARN
    }

    /// This client (same connections, credentials and retry budget), telling `observer` how
    /// every attempt of every call made through it ended: how the engine learns whether a
    /// failed create can have made anything.
    /// - Parameter creating: for a resource's create: a `Create…` call (KMS `CreateKey`, IAM
    ///   `CreateRole`, …) whose attempt may have taken effect without an answer is not retried
    ///   blindly — a second attempt could make a second resource; the caller looks first.
    ///   - caller: who makes the calls (a resource type's name), told to this client's recorder.
    ///   - resource: the address of the resource whose operation makes them, told to the recorder.
    public func observing(creating: Bool = false, caller: String? = nil, resource: String? = nil,
                          _ observer: @escaping @Sendable (AttemptOutcome) -> Void) -> AWSClient {
        AWSClient(self, observer: observer, recorder: recorder, caller: caller ?? self.caller, resource: resource ?? self.resource,
                  creating: creating, gate: gate)
    }

    /// This client (same connections, credentials and retry budget), telling `recorder` the
    /// operation, caller, outcome and timing of every attempt made through it and through every
    /// client derived from it with ``observing(creating:caller:resource:_:)``: how a test learns
    /// which operations each resource type calls, to compare them with the IAM actions the type
    /// declares, and how a benchmark learns each resource's chain of calls.
    public func recording(_ recorder: @escaping @Sendable (CallRecord) -> Void) -> AWSClient {
        AWSClient(self, observer: observer, recorder: recorder, caller: caller, resource: resource, creating: creating, gate: gate)
    }

    /// This client (same connections, credentials, retry budget, observer and recorder), with
    /// every attempt of every call made through it, and through clients derived from it,
    /// waiting for a place in `gate` while its request is on the wire: how a refresh holds
    /// `--parallelism` to calls in flight.
    public func gated(by gate: any CallGate) -> AWSClient {
        AWSClient(self, observer: observer, recorder: recorder, caller: caller, resource: resource, creating: creating, gate: gate)
    }

    /// Where calls to `service` go.
    /// - Parameters:
    ///   - service: the service.
    ///   - region: the call's region; the configured region when nil.
    /// - Returns: the base URL and signing region.
    /// - Throws: `AWSClientError(.invalidConfiguration)` for a malformed region.
    public func endpoint(for service: AWSService, region: String? = nil) throws -> ResolvedEndpoint {
        try resolver.resolve(service, region: region ?? configuration.region)
    }

    // MARK: - Protocol entry points

    /// Calls a query-protocol operation (IAM, STS, SNS, CloudWatch).
    /// - Parameters:
    ///   - service: a service whose protocol is `.query`.
    ///   - operation: the `Action`, e.g. `ListRoles`.
    ///   - parameters: flattened members (see `QueryParameters`).
    ///   - region: overrides the configured region for this call.
    /// - Returns: the `<OperationResult>` element, or the root element when there is none.
    /// - Throws: `AWSError` for an AWS error answer, `AWSClientError` otherwise.
    public func query(_ service: AWSService, _ operation: String, _ parameters: QueryParameters = QueryParameters(),
                      region: String? = nil) async throws -> XMLNode {
        try await query(service, operation, parameters, region: region, authentication: .client)
    }

    func query(_ service: AWSService, _ operation: String, _ parameters: QueryParameters, region: String?,
               authentication: Authentication) async throws -> XMLNode {
        guard case .query(let version) = service.wireProtocol else {
            throw AWSClientError(.invalidConfiguration, "\(service.signingName) does not speak the query protocol")
        }
        let body = QueryProtocol.body(operation: operation, version: version, parameters: parameters.values)
        let response = try await perform(service, operation, region: region, authentication: authentication) { endpoint in
            HTTPRequest(method: "POST", url: try Self.url(endpoint, path: "/", query: []),
                        headers: ["Content-Type": QueryProtocol.contentType], body: body)
        }
        return try QueryProtocol.result(of: response, operation: operation)
    }

    /// Calls an EC2-protocol operation.
    /// - Parameters:
    ///   - service: a service whose protocol is `.ec2`.
    ///   - operation: the `Action`, e.g. `DescribeVpcs`.
    ///   - parameters: flattened members with EC2's names (`Filter.1.Name`; see
    ///     ``QueryParameters/addIndexedList(_:_:)``).
    ///   - region: overrides the configured region for this call.
    /// - Returns: the `<OperationResponse>` root, whose children are the output members.
    /// - Throws: `AWSError` for an AWS error answer, `AWSClientError` otherwise.
    public func ec2Query(_ service: AWSService, _ operation: String, _ parameters: QueryParameters = QueryParameters(),
                         region: String? = nil) async throws -> XMLNode {
        guard case .ec2(let version) = service.wireProtocol else {
            throw AWSClientError(.invalidConfiguration, "\(service.signingName) does not speak the EC2 protocol")
        }
        let body = EC2Protocol.body(operation: operation, version: version, parameters: parameters.values)
        let response = try await perform(service, operation, region: region, authentication: .client) { endpoint in
            HTTPRequest(method: "POST", url: try Self.url(endpoint, path: "/", query: []),
                        headers: ["Content-Type": QueryProtocol.contentType], body: body)
        }
        return try EC2Protocol.result(of: response)
    }

    /// Calls a JSON-protocol operation (KMS, Cognito, SSM, Logs).
    /// - Parameters:
    ///   - service: a service whose protocol is `.json`.
    ///   - operation: e.g. `ListKeys`; sent as `X-Amz-Target: <prefix>.<operation>`.
    ///   - input: the request members, encoded with botocore's member names.
    ///   - as: the output type (`AWSEmpty` when the answer does not matter).
    ///   - region: overrides the configured region for this call.
    /// - Returns: the decoded output.
    /// - Throws: `AWSError` for an AWS error answer, `AWSClientError` otherwise.
    public func json<I: Encodable, O: Decodable>(_ service: AWSService, _ operation: String, _ input: I, as: O.Type = O.self,
                                                 region: String? = nil) async throws -> O {
        guard case .json(let version, let targetPrefix) = service.wireProtocol else {
            throw AWSClientError(.invalidConfiguration, "\(service.signingName) does not speak the JSON protocol")
        }
        let body: Data
        do {
            body = try JSONProtocol.encoder().encode(input)
        } catch {
            throw AWSClientError(.invalidConfiguration, "cannot encode \(operation) request: \(error)")
        }
        let headers = JSONProtocol.headers(operation: operation, version: version, targetPrefix: targetPrefix)
        let response = try await perform(service, operation, region: region, authentication: .client) { endpoint in
            HTTPRequest(method: "POST", url: try Self.url(endpoint, path: "/", query: []), headers: headers, body: body)
        }
        return try JSONProtocol.decode(O.self, from: response.body, operation: operation)
    }

    /// Calls a REST operation (REST-JSON or REST-XML) and returns the raw answer.
    /// - Parameters:
    ///   - service: the service.
    ///   - operation: the operation name, for errors and retries.
    ///   - method: `GET`, `PUT`, `POST`, `DELETE`, `HEAD`.
    ///   - path: the encoded path, e.g. from `URITemplate.expand`.
    ///   - query: query-string members in order, unencoded.
    ///   - headers: header members and the body's content type.
    ///   - body: the payload.
    ///   - region: overrides the configured region for this call.
    /// - Returns: the 2xx response.
    /// - Throws: `AWSError` for a non-2xx answer, `AWSClientError` otherwise.
    public func rest(_ service: AWSService, _ operation: String, method: String, path: String, query: [(String, String)] = [],
                     headers: HTTPHeaders = HTTPHeaders(), body: Data = Data(), region: String? = nil) async throws -> HTTPResponse {
        try await perform(service, operation, region: region, authentication: .client) { endpoint in
            HTTPRequest(method: method, url: try Self.url(endpoint, path: path, query: query), headers: headers, body: body)
        }
    }

    /// Calls a REST-JSON operation (Lambda) with an optional JSON payload and decodes the answer.
    /// - Parameters:
    ///   - service: a REST-JSON service.
    ///   - operation: the operation name.
    ///   - method: the HTTP method.
    ///   - path: the encoded path (`URITemplate.expand`).
    ///   - query: query-string members, unencoded.
    ///   - headers: header members.
    ///   - input: the body members, or nil for operations without a body.
    ///   - as: the output type.
    ///   - region: overrides the configured region (Lambda@Edge lives in `us-east-1`).
    /// - Returns: the decoded output.
    /// - Throws: `AWSError` for an AWS error answer, `AWSClientError` otherwise.
    public func restJSON<O: Decodable>(_ service: AWSService, _ operation: String, method: String, path: String,
                                       query: [(String, String)] = [], headers: HTTPHeaders = HTTPHeaders(),
                                       input: (any Encodable)? = nil, as: O.Type = O.self, region: String? = nil) async throws -> O {
        let (body, bodyHeaders) = try RESTJSONProtocol.body(input)
        var allHeaders = headers
        for (name, value) in bodyHeaders { allHeaders[name] = value }
        let response = try await rest(service, operation, method: method, path: path, query: query, headers: allHeaders, body: body, region: region)
        return try JSONProtocol.decode(O.self, from: response.body, operation: operation)
    }

    /// Calls an S3 operation on a bucket and/or key, addressed virtual-hosted on AWS and
    /// path-style on a custom endpoint.
    /// - Parameters:
    ///   - operation: the operation name, e.g. `PutObject`.
    ///   - method: the HTTP method.
    ///   - bucket: the bucket, nil for service-level calls (`ListBuckets`).
    ///   - key: the object key, raw (encoded here so it round-trips).
    ///   - query: query-string members, unencoded (`("tagging", "")` for a sub-resource).
    ///   - headers: header members and content type.
    ///   - body: the payload.
    ///   - region: the bucket's region when it differs from the configured one.
    /// - Returns: the 2xx response.
    /// - Throws: `AWSError` (S3 HEAD errors carry codes from the status: `NotFound`,
    ///   `Forbidden`, `PermanentRedirect`), `AWSClientError` otherwise.
    public func s3(_ operation: String, method: String, bucket: String? = nil, key: String? = nil, query: [(String, String)] = [],
                   headers: HTTPHeaders = HTTPHeaders(), body: Data = Data(), region: String? = nil) async throws -> HTTPResponse {
        try await perform(.s3, operation, region: region, authentication: .client) { endpoint in
            HTTPRequest(method: method, url: try S3Addressing.url(endpoint: endpoint, bucket: bucket, key: key, query: query), headers: headers, body: body)
        }
    }

    /// The URL an S3 call on `bucket`/`key` goes to (virtual-hosted on AWS, path-style on a
    /// custom endpoint).
    /// - Throws: `AWSClientError(.invalidConfiguration)` for a malformed region.
    public func s3URL(bucket: String?, key: String? = nil, query: [(String, String)] = [], region: String? = nil) throws -> URL {
        try S3Addressing.url(endpoint: endpoint(for: .s3, region: region), bucket: bucket, key: key, query: query)
    }

    // MARK: - Sending

    /// Resolves, builds, signs, sends and retries one call; returns a 2xx answer or throws the
    /// decoded error.
    func perform(_ service: AWSService, _ operation: String, region: String?, authentication: Authentication,
                 build: (ResolvedEndpoint) throws -> HTTPRequest) async throws -> HTTPResponse {
        let endpoint = try endpoint(for: service, region: region)
        let request = try build(endpoint)
        let timeout = configuration.timeout
        do {
            let blind = creating && operation.hasPrefix("Create")
            return try await configuration.retry.run(budget: retryBudget, retrying: { !(blind && RetryPolicy.outcomeUnknown($0)) }) { _ in
                let signed = try await self.sign(request, service: service, signingRegion: endpoint.signingRegion, authentication: authentication)
                let response: HTTPResponse
                var sent = Date()
                do {
                    response = try await self.send(signed, timeout: timeout, sent: &sent)
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    self.report(.unknown, service, operation, sent: sent)
                    throw error
                }
                guard (200..<300).contains(response.statusCode) else {
                    self.report(response.statusCode >= 500 ? .unknown : .refused, service, operation, sent: sent)
                    throw Self.decodeError(response, service: service, operation: operation)
                }
                self.report(.succeeded, service, operation, sent: sent)
                return response
            }
        } catch let error as TransportError {
            throw AWSClientError(.endpointUnreachable, "cannot reach \(service.signingName) at \(endpoint.url.absoluteString): \(error)")
        }
    }

    /// Sends one attempt, in a place of the gate when there is one; sets `sent` to when it went
    /// out (after any wait for a place).
    /// - Throws: `CancellationError`, sending nothing, when the task was cancelled while it
    ///   waited for a place (a read whose answer is no longer wanted leaves it to another); the
    ///   transport's errors.
    private func send(_ request: HTTPRequest, timeout: TimeInterval, sent: inout Date) async throws -> HTTPResponse {
        guard let gate else { return try await transport.send(request, timeout: timeout) }
        await gate.acquire()
        guard !Task.isCancelled else {
            await gate.release()
            throw CancellationError()
        }
        sent = Date()
        do {
            let response = try await transport.send(request, timeout: timeout)
            await gate.release()
            return response
        } catch {
            await gate.release()
            throw error
        }
    }

    private func report(_ outcome: AttemptOutcome, _ service: AWSService, _ operation: String, sent: Date) {
        observer?(outcome)
        recorder?(CallRecord(service: service, operation: operation, caller: caller, resource: resource, outcome: outcome,
                             timing: sent...max(sent, Date())))
    }

    private func sign(_ request: HTTPRequest, service: AWSService, signingRegion: String, authentication: Authentication) async throws -> HTTPRequest {
        let credentials: AWSCredentials
        switch authentication {
        case .unsigned: return request
        case .credentials(let given): credentials = given
        case .client: credentials = try await credentialSource()
        }
        let signer = SigV4Signer(credentials: credentials, signingName: service.signingName, region: signingRegion)
        if service.signingName == AWSService.s3.signingName {
            // S3 wants the payload hash in `x-amz-content-sha256` and the path encoded once
            // (keys are already encoded; encoding again would change the key it names).
            return signer.sign(request, date: Date(), payload: .computed, contentSHA256Header: true, doubleEncodePath: false)
        }
        return signer.sign(request, date: Date())
    }

    static func decodeError(_ response: HTTPResponse, service: AWSService, operation: String) -> AWSError {
        switch service.wireProtocol {
        case .query: return QueryProtocol.error(from: response, service: service, operation: operation)
        case .ec2: return EC2Protocol.error(from: response, service: service, operation: operation)
        case .json: return JSONProtocol.error(from: response, service: service, operation: operation)
        case .restJSON: return RESTJSONProtocol.error(from: response, service: service, operation: operation)
        case .restXML: return RESTXMLProtocol.error(from: response, service: service, operation: operation)
        }
    }

    static func url(_ endpoint: ResolvedEndpoint, path: String, query: [(String, String)]) throws -> URL {
        let text = endpoint.url.absoluteString + (path.hasPrefix("/") ? path : "/" + path)
            + (query.isEmpty ? "" : "?" + PercentEncoding.query(query))
        guard let url = URL(string: text) else {
            throw AWSClientError(.invalidConfiguration, "cannot form a URL from \(text)")
        }
        return url
    }
}
