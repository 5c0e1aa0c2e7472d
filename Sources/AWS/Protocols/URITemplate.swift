import Foundation

/// Expands REST URI templates from botocore's models (`/2015-03-31/functions/{FunctionName}`,
/// `/{Bucket}/{Key+}`) into an encoded path.
public enum URITemplate {
    /// Replaces each `{Label}` with its percent-encoded value; a greedy `{Label+}` keeps `/`
    /// so an S3 key's folders stay path segments.
    /// - Parameters:
    ///   - template: the `requestUri` without its query part.
    ///   - labels: label name (without `+`) → raw value.
    /// - Returns: the encoded path.
    /// - Throws: `AWSClientError(.invalidConfiguration)` when a label has no value (the
    ///   model marks URI members required, so this is a caller bug caught before sending).
    public static func expand(_ template: String, labels: [String: String]) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw AWSClientError(.invalidConfiguration, "unterminated label in URI template \(template)")
            }
            var label = String(rest[rest.index(after: open)..<close])
            let greedy = label.hasSuffix("+")
            if greedy { label.removeLast() }
            guard let value = labels[label], !value.isEmpty else {
                throw AWSClientError(.invalidConfiguration, "missing value for URI label \(label) in \(template)")
            }
            out += PercentEncoding.encode(value, keepingSlash: greedy)
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
