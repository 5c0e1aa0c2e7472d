import Foundation

/// The forms of `imgstack import` ids that resource types check before any call
/// (`validateImportID`): a whole id against a pattern taken from AWS's identifier constraints
/// (botocore's `pattern`, `min` and `max` for the shape), an ARN of one service, or a compound
/// written `<a>/<b>`.
enum ImportIDForm {
    /// Why `id` is not in the form `expected` describes; nil when all of it matches `pattern`.
    /// - Parameters:
    ///   - pattern: an ICU regular expression, matched against the whole id (a trailing newline
    ///     is not forgiven the way `$` forgives it).
    ///   - expected: how the type is imported, in the user's words: "an SNS topic is imported by
    ///     its ARN (arn:aws:sns:REGION:ACCOUNT:NAME)".
    static func problem(_ id: String, matching pattern: String, expected: String) -> String? {
        matches(id, pattern) ? nil : refusal(id, expected: expected)
    }

    /// Whether all of `text` matches `pattern`.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        text.range(of: "^(?:\(pattern))$", options: .regularExpression) == text.startIndex..<text.endIndex
    }

    /// "`expected`, not "`id`"", the id quoted with its escapes so that a newline shows.
    static func refusal(_ id: String, expected: String) -> String {
        "\(expected), not \(id.debugDescription)"
    }

    /// An ARN of `service` whose resource part (after the account) matches `resource`.
    /// - Parameters:
    ///   - regional: false for services whose ARNs carry no region (IAM).
    ///   - account: the account field's pattern (IAM's AWS managed policies use `aws`).
    static func arn(_ service: String, regional: Bool = true, account: String = #"\d{12}"#, resource: String) -> String {
        #"arn:aws(-[a-z]+)*:"# + service + ":" + (regional ? region : "") + ":(?:" + account + "):" + resource
    }

    /// An AWS Region code: `us-east-1`, `us-gov-west-1`.
    static let region = #"[a-z]{2}(-[a-z]+)+-\d{1,2}"#

    /// A UUID in its usual 8-4-4-4-12 hex form.
    static let uuid = #"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"#

    /// Free-form names AWS bounds only by length (an alarm's, an Auto Scaling group's): 1 to
    /// `maximum` characters, none of them a control character.
    static func printable(maximum: Int) -> String {
        #"[^\p{Cc}]{1,"# + String(maximum) + "}"
    }
}
