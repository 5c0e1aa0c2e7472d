/// Where a stack keeps its state: a local file (the default) or an object in S3 shared by a
/// team and its CI.
///
/// ```swift
/// let site = Stack("site", backend: .s3(bucket: "acme-imgstack-state", key: "site/prod.state.json",
///                                       region: "eu-west-1")) { stack in … }
/// ```
///
/// `--backend URL` and `IMGSTACK_BACKEND` override the stack's choice for one run.
public enum StateBackendChoice: Sendable, Equatable, CustomStringConvertible {
    /// `<state-dir>/<stack>.state.json`, locked with an OS file lock.
    case local
    /// The object `key` in `bucket`, locked with the object `<key>.lock` written with
    /// conditional writes. A key that is empty or ends in `/` is a prefix: the stack's
    /// `<name>.state.json` is added to it.
    /// - Parameters:
    ///   - bucket: the state bucket (versioning on, so every state ever written can be restored).
    ///   - key: the state object's key.
    ///   - region: the bucket's region; the run's region when nil.
    ///   - kmsKeyID: a KMS key (id, ARN or alias) for SSE-KMS; SSE-S3 (`AES256`) when nil.
    case s3(bucket: String, key: String, region: String? = nil, kmsKeyID: String? = nil)

    /// The choice as `--backend` takes it: `local` or `s3://bucket/key?region=R&kms_key=K`.
    public var description: String {
        switch self {
        case .local:
            return "local"
        case .s3(let bucket, let key, let region, let kmsKeyID):
            var query: [String] = []
            if let region { query.append("region=" + BackendURL.encodeQueryValue(region)) }
            if let kmsKeyID { query.append("kms_key=" + BackendURL.encodeQueryValue(kmsKeyID)) }
            return "s3://\(bucket)/\(key)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        }
    }

    /// The S3 key of stack `name`'s state: `key` itself, or `key` + `<name>.state.json` when
    /// `key` is a prefix. Nil for `.local`.
    public func stateKey(stack name: String) -> String? {
        guard case .s3(_, let key, _, _) = self else { return nil }
        return key.isEmpty || key.hasSuffix("/") ? key + "\(name).state.json" : key
    }
}
