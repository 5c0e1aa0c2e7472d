import Foundation

/// Parses the state backend a run names with `--backend` or `IMGSTACK_BACKEND`:
/// `local`, or `s3://BUCKET/KEY[?region=R&kms_key=K]`.
public enum BackendURL {
    /// Why a backend URL was refused.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The text that was given.
        public var text: String
        /// What is wrong with it.
        public var reason: String

        public var description: String {
            "backend \"\(text)\" \(reason); expected local or s3://BUCKET/KEY[?region=REGION&kms_key=KEY_ID]"
        }
    }

    /// Parses `text`.
    /// - Returns: `.local`, or `.s3` with the bucket, the percent-decoded key and the options.
    /// - Throws: `ParseError` for another scheme, a bucket name S3 would refuse, a key that is
    ///   the lock's own name, an unknown or repeated query member, or an empty or malformed value.
    public static func parse(_ text: String) throws -> StateBackendChoice {
        func refuse(_ reason: String) -> ParseError { ParseError(text: text, reason: reason) }
        if text == "local" { return .local }
        guard text.hasPrefix("s3://") else { throw refuse("has an unknown scheme") }
        let rest = text.dropFirst("s3://".count)
        let (location, query) = split(rest, at: "?")
        let (bucket, rawKey) = split(location, at: "/")
        try checkBucket(bucket).map { throw refuse($0) }
        guard let key = rawKey.removingPercentEncoding else { throw refuse("has a malformed percent-encoding in its key") }
        if key.hasSuffix(".lock") {
            throw refuse("names a key ending in .lock, which is the name of the lock object beside the state")
        }
        var region: String?
        var kmsKeyID: String?
        for member in query.split(separator: "&", omittingEmptySubsequences: true) {
            let (name, rawValue) = split(member, at: "=")
            guard let value = rawValue.replacingOccurrences(of: "+", with: " ").removingPercentEncoding, !value.isEmpty else {
                throw refuse("has an empty or malformed value for \(name)")
            }
            switch name {
            case "region":
                guard region == nil else { throw refuse("gives region twice") }
                guard value.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }) else {
                    throw refuse("has region \(value), which is not an AWS region name")
                }
                region = value
            case "kms_key":
                guard kmsKeyID == nil else { throw refuse("gives kms_key twice") }
                kmsKeyID = value
            default:
                throw refuse("has an unknown option \(name) (known: region, kms_key)")
            }
        }
        return .s3(bucket: bucket, key: key, region: region, kmsKeyID: kmsKeyID)
    }

    /// Percent-encodes a query value so `parse` reads it back unchanged.
    static func encodeQueryValue(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~:/")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }

    /// The reason S3 would refuse `bucket` as a name, or nil (the general-purpose bucket rules:
    /// 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit).
    private static func checkBucket(_ bucket: String) -> String? {
        guard !bucket.isEmpty else { return "names no bucket" }
        guard (3...63).contains(bucket.count) else { return "names bucket \(bucket), which is not 3 to 63 characters long" }
        let allowed = bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "." || $0 == "-") }
        guard allowed, let first = bucket.first, let last = bucket.last,
              first.isLetter || first.isNumber, last.isLetter || last.isNumber else {
            return "names bucket \(bucket), which S3 refuses (lower-case letters, digits, . and -; a letter or digit at each end)"
        }
        return nil
    }

    private static func split<S: StringProtocol>(_ text: S, at separator: Character) -> (String, String) {
        guard let index = text.firstIndex(of: separator) else { return (String(text), "") }
        return (String(text[..<index]), String(text[text.index(after: index)...]))
    }
}
