import Crypto
import Foundation

/// Signs HTTP requests with AWS Signature Version 4.
///
/// Pure input → output: the signer holds credentials, the service's signing name and the
/// region, and turns a request plus a date into a signed request. It does no I/O, so every
/// stage can be checked against AWS's published examples.
public struct SigV4Signer: Sendable {
    /// What goes into the last line of the canonical request: the body's hash.
    public enum PayloadHash: Sendable, Equatable {
        /// The lower-case hex SHA-256 of the request body.
        case computed
        /// The literal `UNSIGNED-PAYLOAD`, which S3 accepts over TLS and in presigned URLs.
        case unsigned
        /// A hash the caller already knows (a streaming upload, say), used verbatim.
        case precomputed(String)
    }

    /// The algorithm name that starts the string to sign and the `Authorization` header.
    static let algorithm = "AWS4-HMAC-SHA256"
    /// The payload hash value for unsigned payloads.
    static let unsignedPayload = "UNSIGNED-PAYLOAD"

    /// Header names never signed, as botocore's list: hop-by-hop headers a proxy may change,
    /// and headers that tools add or rewrite after signing (`user-agent`, `x-amzn-trace-id`).
    /// `authorization` is left out because it carries the signature itself.
    static let unsignedHeaderNames: Set<String> = [
        "authorization", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id",
    ]

    /// The keys the request is signed with.
    public let credentials: AWSCredentials
    /// The service's signing name (`s3`, `iam`, `sts`, …), the third part of the scope.
    public let signingName: String
    /// The region, the second part of the scope (`us-east-1` for global services).
    public let region: String

    /// Creates a signer.
    /// - Parameters:
    ///   - credentials: The access key, secret and optional session token.
    ///   - signingName: The service's signing name from its model (`signingName`, else `endpointPrefix`).
    ///   - region: The region the request is signed for.
    public init(credentials: AWSCredentials, signingName: String, region: String) {
        self.credentials = credentials
        self.signingName = signingName
        self.region = region
    }

    /// Signs a request with the `Authorization` header.
    ///
    /// Returns the request with `Host` (if absent; with the port when it is not the scheme's
    /// default), `X-Amz-Date`, `x-amz-security-token` (session credentials),
    /// `x-amz-content-sha256` (when `contentSHA256Header` is true — S3 always) and
    /// `Authorization` added. Every other header present is signed, except the few in
    /// botocore's list (`user-agent`, `expect`, `x-amzn-trace-id`, hop-by-hop headers), so a
    /// transport must not add signed headers after this.
    /// - Parameters:
    ///   - request: The request; its URL's path and query must be encoded as they will be sent.
    ///   - date: The signing time; AWS refuses requests more than 5 minutes off.
    ///   - payload: How the body is hashed.
    ///   - contentSHA256Header: Whether to send the payload hash as `x-amz-content-sha256`.
    ///   - doubleEncodePath: false for S3 (path used as given), true for every other service.
    /// - Returns: The signed request.
    public func sign(
        _ request: HTTPRequest, date: Date, payload: PayloadHash = .computed,
        contentSHA256Header: Bool = false, doubleEncodePath: Bool = true
    ) -> HTTPRequest {
        var signed = request
        let timestamp = Self.timestamp(date)
        // A retried request is signed again: drop the previous attempt's signature fields.
        signed.headers["Authorization"] = nil
        signed.headers["X-Amz-Date"] = nil
        signed.headers["X-Amz-Security-Token"] = nil
        if signed.headers["Host"] == nil, let host = Self.hostHeader(for: request.url) {
            signed.headers["Host"] = host
        }
        signed.headers["X-Amz-Date"] = timestamp
        if let token = credentials.sessionToken {
            signed.headers["X-Amz-Security-Token"] = token
        }
        let payloadHash = hash(of: payload, body: request.body)
        if contentSHA256Header {
            signed.headers["X-Amz-Content-SHA256"] = payloadHash
        }

        let canonical = canonicalRequest(
            method: signed.method, url: signed.url, headers: signed.headers,
            payloadHash: payloadHash, doubleEncodePath: doubleEncodePath)
        let scope = credentialScope(timestamp: timestamp)
        let toSign = stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope)
        let signatureHex = signature(stringToSign: toSign, timestamp: timestamp)
        signed.headers["Authorization"] =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(canonical.signedHeaders), Signature=\(signatureHex)"
        return signed
    }

    /// Signs a request in the query string: a presigned URL anyone holding it can use until it expires.
    ///
    /// Adds `X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
    /// `X-Amz-SignedHeaders` (`host`), `X-Amz-Security-Token` (session credentials) and
    /// `X-Amz-Signature` to the URL's query. Only `host` is signed; the payload is
    /// `UNSIGNED-PAYLOAD` for S3 and the body's hash for other services, as
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html> describes.
    /// - Parameters:
    ///   - request: The request to presign.
    ///   - date: The signing time.
    ///   - expires: Seconds the URL stays valid (S3 allows up to 604800).
    ///   - doubleEncodePath: false for S3, true for every other service.
    /// - Returns: The request with the signed URL; its headers are unchanged.
    public func presign(_ request: HTTPRequest, date: Date, expires: Int, doubleEncodePath: Bool = true) -> HTTPRequest {
        let timestamp = Self.timestamp(date)
        let scope = credentialScope(timestamp: timestamp)
        var authParameters: [(String, String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(scope)"),
            ("X-Amz-Date", timestamp),
            ("X-Amz-Expires", String(expires)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken {
            authParameters.append(("X-Amz-Security-Token", token))
        }
        let existingQuery = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery
        let addedQuery = authParameters.map { "\(SigV4Encoding.encode($0.0))=\(SigV4Encoding.encode($0.1))" }
            .joined(separator: "&")
        let query = Self.canonicalQuery([existingQuery, addedQuery].compactMap { $0 }.filter { !$0.isEmpty }
            .joined(separator: "&"))

        var headers = HTTPHeaders()
        headers["host"] = request.headers["Host"] ?? Self.hostHeader(for: request.url) ?? ""
        let payloadHash = signingName == "s3" ? Self.unsignedPayload : Self.hexSHA256(request.body)
        let canonical = canonicalRequest(
            method: request.method, url: Self.replacingQuery(of: request.url, with: query), headers: headers,
            payloadHash: payloadHash, doubleEncodePath: doubleEncodePath)
        let toSign = stringToSign(canonicalRequest: canonical.text, timestamp: timestamp, scope: scope)
        let signatureHex = signature(stringToSign: toSign, timestamp: timestamp)

        var presigned = request
        presigned.url = Self.replacingQuery(of: request.url, with: query + "&X-Amz-Signature=" + signatureHex)
        return presigned
    }

    // MARK: - The three documented stages

    /// Builds the canonical request, stage 1 of
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-canonical-request>.
    ///
    /// - Returns: The canonical request text and the `SignedHeaders` list it names.
    func canonicalRequest(
        method: String, url: URL, headers: HTTPHeaders, payloadHash: String, doubleEncodePath: Bool
    ) -> (text: String, signedHeaders: String) {
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let canonicalHeaders = Self.canonicalHeaders(headers)
        let signedHeaders = canonicalHeaders.map(\.name).joined(separator: ";")
        let lines = [
            method.uppercased(),
            Self.canonicalURI(components?.percentEncodedPath ?? "", doubleEncode: doubleEncodePath),
            Self.canonicalQuery(components?.percentEncodedQuery ?? ""),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaders,
            payloadHash,
        ]
        return (lines.joined(separator: "\n"), signedHeaders)
    }

    /// Builds the string to sign, stage 2 of
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#create-string-to-sign>:
    /// the algorithm, the timestamp, the credential scope and the hex SHA-256 of the canonical request.
    func stringToSign(canonicalRequest: String, timestamp: String, scope: String) -> String {
        [Self.algorithm, timestamp, scope, Self.hexSHA256(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// Computes the signature, stage 3 of
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html#calculate-signature>:
    /// derives the signing key (date → region → service → `aws4_request`) and returns the hex
    /// HMAC-SHA256 of the string to sign.
    func signature(stringToSign: String, timestamp: String) -> String {
        let key = signingKey(day: String(timestamp.prefix(8)))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: key)
        return Self.hex(mac)
    }

    /// The signing key of
    /// <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key>.
    func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [day, region, signingName, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// `yyyyMMdd/region/service/aws4_request`.
    func credentialScope(timestamp: String) -> String {
        "\(timestamp.prefix(8))/\(region)/\(signingName)/aws4_request"
    }

    // MARK: - Canonical forms

    /// The canonical URI from the raw encoded path: `/` when empty; for every service but S3
    /// the path is normalised (dot segments and empty segments removed) and each byte outside
    /// the unreserved set is encoded again, so `%2F` becomes `%252F`, as AWS expects.
    static func canonicalURI(_ rawPath: String, doubleEncode: Bool) -> String {
        if rawPath.isEmpty { return "/" }
        guard doubleEncode else { return rawPath }
        let normalized = SigV4Encoding.normalizedPath(rawPath)
        return normalized.isEmpty ? "/" : SigV4Encoding.encode(normalized.utf8, keepSlash: true)
    }

    /// The canonical query string: each name and value decoded then encoded with the
    /// unreserved set, `key` without `=` kept as `key=`, repeated keys kept, sorted by name
    /// then value (byte order of the encoded forms).
    static func canonicalQuery(_ rawQuery: String) -> String {
        guard !rawQuery.isEmpty else { return "" }
        let pairs = rawQuery.split(separator: "&", omittingEmptySubsequences: true).map { item -> (String, String) in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = SigV4Encoding.encode(SigV4Encoding.decodeQueryComponent(parts[0]))
            let value = parts.count > 1 ? SigV4Encoding.encode(SigV4Encoding.decodeQueryComponent(parts[1])) : ""
            return (name, value)
        }
        return pairs.sorted { lhs, rhs in
            lhs.0 != rhs.0 ? lhs.0.utf8.lexicographicallyPrecedes(rhs.0.utf8) : lhs.1.utf8.lexicographicallyPrecedes(rhs.1.utf8)
        }
        .map { "\($0.0)=\($0.1)" }
        .joined(separator: "&")
    }

    /// The signed headers, lower-cased and sorted, values trimmed with inner whitespace runs
    /// collapsed to one space; repeated names are joined with `,` in the order sent.
    static func canonicalHeaders(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        var values: [String: [String]] = [:]
        for field in headers {
            let name = field.name.lowercased().trimmingCharacters(in: .whitespaces)
            guard !unsignedHeaderNames.contains(name) else { continue }
            let value = field.value.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
            values[name, default: []].append(value)
        }
        return values.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            .map { (name: $0, value: values[$0, default: []].joined(separator: ",")) }
    }

    // MARK: - Helpers

    /// `Host` as the client sends it: the host, and the port when it is not the scheme's default.
    static func hostHeader(for url: URL) -> String? {
        guard let host = URLComponents(url: url, resolvingAgainstBaseURL: false)?.percentEncodedHost else { return nil }
        guard let port = url.port else { return host }
        let defaultPort = url.scheme?.lowercased() == "https" ? 443 : 80
        return port == defaultPort ? host : "\(host):\(port)"
    }

    /// The SigV4 timestamp `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.year, 4) + pad(parts.month, 2) + pad(parts.day, 2) + "T"
            + pad(parts.hour, 2) + pad(parts.minute, 2) + pad(parts.second, 2) + "Z"
    }

    static func hexSHA256(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }

    private func hash(of payload: PayloadHash, body: Data) -> String {
        switch payload {
        case .computed: return Self.hexSHA256(body)
        case .unsigned: return Self.unsignedPayload
        case .precomputed(let value): return value
        }
    }

    private static func replacingQuery(of url: URL, with query: String) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.percentEncodedQuery = query.isEmpty ? nil : query
        return components.url ?? url
    }
}
