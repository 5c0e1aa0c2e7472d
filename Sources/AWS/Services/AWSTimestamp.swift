import Foundation

/// Reads the ISO 8601 timestamps of XML answers (`2024-01-02T03:04:05Z`, with or without
/// fractional seconds, as IAM, STS and S3 vary).
enum AWSTimestamp {
    static func parse(_ text: String?) -> Date? {
        guard let text else { return nil }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = withFraction.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }
}
