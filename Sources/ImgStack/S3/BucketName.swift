import Foundation

/// S3's bucket naming rules and the names imgstack generates when a stack gives none.
enum BucketName {
    /// Why `name` is not a valid bucket name, or nil when it is. The rules are S3's
    /// general-purpose bucket naming rules.
    static func problem(_ name: String) -> String? {
        let bytes = name.utf8
        // Every rule is about ASCII bytes; characters are counted only for a message.
        let length = bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } ? bytes.count : name.count
        guard (3...63).contains(length) else {
            return "bucket names are 3 to 63 characters long; \"\(name)\" has \(length)"
        }
        if !bytes.allSatisfy(isAllowed), let bad = name.first(where: { $0.utf8.count != 1 || !isAllowed($0.utf8.first ?? 0) }) {
            return "bucket names hold only lowercase letters, digits, '.' and '-'; \"\(name)\" has '\(bad)'"
        }
        guard let first = bytes.first, let last = bytes.last, isLetterOrDigit(first), isLetterOrDigit(last) else {
            return "bucket names start and end with a letter or digit"
        }
        if zip(bytes, bytes.dropFirst()).contains(where: { $0 == UInt8(ascii: ".") && $1 == UInt8(ascii: ".") }) {
            return "bucket names must not hold two adjacent periods"
        }
        if isIPAddressLike(name) { return "bucket names must not look like an IP address" }
        // Prefixes and suffixes S3 reserves for access points, aliases and other bucket kinds.
        for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] where name.hasPrefix(prefix) {
            return "bucket names must not start with \"\(prefix)\""
        }
        for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] where name.hasSuffix(suffix) {
            return "bucket names must not end with \"\(suffix)\""
        }
        return nil
    }

    /// A lowercase ASCII letter, a digit, '.' or '-'.
    private static func isAllowed(_ byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isIPAddressLike(_ name: String) -> Bool {
        guard name.utf8.lazy.filter({ $0 == UInt8(ascii: ".") }).count == 3 else { return false }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }
    }

    /// The first part of every name generated for the resource named `resourceName`:
    /// `imgstack-<resource name>-`, lower-cased with `_` as `-`, short enough to leave room for the suffix.
    static func generatedPrefix(for resourceName: String) -> String {
        let cleaned = String(resourceName.lowercased().map { $0 == "_" ? "-" : $0 }.filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") })
        let trimmed = String(cleaned.prefix(63 - "imgstack-".count - 1 - suffixLength)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        return "imgstack-" + (trimmed.isEmpty ? "bucket" : trimmed) + "-"
    }

    /// A fresh unique name for the resource named `resourceName`: the generated prefix and 12
    /// random lowercase hex digits (at most 63 characters).
    static func generate(for resourceName: String) -> String {
        let random = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(suffixLength)
        return generatedPrefix(for: resourceName) + random
    }

    private static let suffixLength = 12
}
