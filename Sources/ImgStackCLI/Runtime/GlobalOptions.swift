import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The stack to work on (see `imgstack stacks`).")
    var stack: String?

    @Option(name: .long, help: "AWS region (else AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1).")
    var region: String?

    @Flag(name: .customLong("skip-region-validation"),
          help: "Accept a region this imgstack does not know (one newer than it); a custom endpoint accepts any region anyway.")
    var skipRegionValidation = false

    @Option(name: .long, help: "Named profile from ~/.aws/config and ~/.aws/credentials.")
    var profile: String?

    @Option(name: .customLong("endpoint-url"), help: "Send every AWS call to this URL (an emulator such as moto_server).")
    var endpointURL: String?

    @Option(name: .customLong("var"), help: ArgumentHelp("Set a variable: NAME=VALUE (repeatable).", valueName: "NAME=VALUE"))
    var variables: [String] = []

    @Option(name: .customLong("var-file"), help: ArgumentHelp("Read variables from a JSON object file (repeatable).", valueName: "FILE"))
    var variableFiles: [String] = []

    @Option(name: .customLong("state-dir"), help: "Directory of local state files.")
    var stateDirectory: String = ".imgstack"

    @Option(name: .long, help: ArgumentHelp("Where state lives: local, or s3://BUCKET/KEY[?region=R&kms_key=K] (else IMGSTACK_BACKEND, the stack's choice, local).", valueName: "URL"))
    var backend: String?

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("How long to wait for the state lock, e.g. 30s or 2m.", valueName: "DURATION"))
    var lockTimeout: String = "0s"

    @Option(name: .customLong("request-timeout"), parsing: .unconditional,
            help: ArgumentHelp("How long one AWS request may go without sending or receiving a byte before it is retried, e.g. 10s (the default) or 1m.",
                               valueName: "DURATION"))
    var requestTimeout: String?

    @Flag(name: .customLong("no-color"), help: "Never colour output (also NO_COLOR).")
    var noColor = false

    /// Refuses malformed global options before any command runs, whether or not the command
    /// uses them (`whoami --lock-timeout=garbage` is as wrong as `apply --lock-timeout=garbage`).
    /// - Throws: `ValidationError` (a usage error, exit 1).
    func validate() throws {
        do {
            _ = try lockTimeoutSeconds()
            _ = try requestTimeoutSeconds()
        } catch let error as CLIError {
            throw ValidationError(error.message)
        }
        if let region, region.isEmpty { throw ValidationError("--region is empty: name a region such as eu-west-1, or leave the flag out") }
        if let endpointURL, endpointURL.isEmpty { throw ValidationError("--endpoint-url is empty: give an http(s) URL, or leave the flag out") }
    }

    /// The lock timeout in seconds.
    func lockTimeoutSeconds() throws -> Double {
        // 0 means "do not wait"; at most a day, as Terraform's users set minutes.
        guard let seconds = Duration.parse(lockTimeout), seconds >= 0, seconds <= 86_400 else {
            throw CLIError("--lock-timeout \(lockTimeout): expected a duration from 0s up to 24h, such as 30s, 2m or 1h")
        }
        return seconds
    }
}

extension GlobalOptions {
    /// The longest `--request-timeout`: a request may make no progress for at most an hour.
    static let longestRequestTimeout: Double = 3600

    /// The shortest `--request-timeout`: below a second a TLS handshake alone may not finish.
    static let shortestRequestTimeout: Double = 1

    /// The request timeout in seconds (`AWSClient.Configuration.defaultTimeout` when not given).
    /// - Throws: `CLIError` for a malformed or infinite duration, or one outside 1s…1h.
    func requestTimeoutSeconds() throws -> Double? {
        guard let requestTimeout else { return nil }
        guard let seconds = Duration.parse(requestTimeout), seconds >= Self.shortestRequestTimeout, seconds <= Self.longestRequestTimeout else {
            throw CLIError("--request-timeout \(requestTimeout): expected a duration from 1s up to 1h, such as 10s or 1m")
        }
        return seconds
    }
}

/// Parses `90`, `30s`, `2m`, `1h`, and Go's compound form that Terraform's `-lock-timeout`
/// takes, `1m30s` or `1h15m`.
enum Duration {
    private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]

    /// Seconds of a decimal number with an optional `s`, `m` or `h`, or of a sequence of
    /// number-and-unit parts (`1m30s`, each unit once, largest first); nil for anything else
    /// (hexadecimal, exponents, `inf`, `nan`).
    static func parse(_ text: String) -> Double? {
        if text.range(of: #"^-?[0-9]+(\.[0-9]+)?[smh]?$"#, options: .regularExpression) != nil {
            var number = Substring(text), unit = 1.0
            if let last = text.last, let scale = units[last] {
                number = number.dropLast()
                unit = scale
            }
            return Double(number).map { $0 * unit }
        }
        guard text.range(of: #"^([0-9]+h)?([0-9]+m)?([0-9]+(\.[0-9]+)?s)?$"#, options: .regularExpression) != nil, !text.isEmpty else { return nil }
        var seconds = 0.0, digits = ""
        for character in text {
            if let scale = units[character] {
                guard let value = Double(digits) else { return nil }
                seconds += value * scale
                digits = ""
            } else {
                digits.append(character)
            }
        }
        return seconds
    }
}
