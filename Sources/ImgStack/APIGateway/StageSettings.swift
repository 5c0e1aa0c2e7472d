import AWS
import Engine
import Foundation

/// The `UpdateStage` patch operations that take a stage from one set of properties to another
/// (API Gateway "Patch Operations" for stages: `/deploymentId`, `/description`,
/// `/variables/<name>`, `/tracingEnabled`, `/accessLogSettings/…`, `/*/*/throttling/…`).
struct StagePatch {
    let property: APIGateway.Stage.Properties

    func operations(from current: [String: Value], to desired: [String: Value], changed: Set<String>) -> [AWS.APIGateway.PatchOperation] {
        var operations: [AWS.APIGateway.PatchOperation] = []
        if changed.contains(property.deploymentID) { operations.append(.replace("/deploymentId", desired[property.deploymentID] ?? "")) }
        if changed.contains(property.description) { operations.append(.replace("/description", desired.value(property.description) ?? "")) }
        if changed.contains(property.variables) {
            let now = current.value(property.variables) ?? [:]
            let wanted = desired.value(property.variables) ?? [:]
            for name in Set(now.keys).subtracting(wanted.keys).sorted() { operations.append(.remove("/variables/\(name)")) }
            for (name, value) in wanted.sorted(by: { $0.key < $1.key }) where now[name] != value {
                operations.append(.replace("/variables/\(name)", value))
            }
        }
        if changed.contains(property.tracingEnabled) {
            operations.append(.replace("/tracingEnabled", String(desired.value(property.tracingEnabled) ?? false)))
        }
        operations += accessLog(current, desired, changed)
        operations += throttling(current, desired, changed)
        return operations
    }

    private func accessLog(_ current: [String: Value], _ desired: [String: Value], _ changed: Set<String>) -> [AWS.APIGateway.PatchOperation] {
        guard changed.contains(property.accessLogDestinationARN) || changed.contains(property.accessLogFormat) else { return [] }
        let destination = desired.value(property.accessLogDestinationARN) ?? ""
        if destination.isEmpty {
            return (current.value(property.accessLogDestinationARN) ?? "").isEmpty ? [] : [.remove("/accessLogSettings")]
        }
        return [.replace("/accessLogSettings/destinationArn", destination),
                .replace("/accessLogSettings/format", desired.value(property.accessLogFormat) ?? "")]
    }

    private func throttling(_ current: [String: Value], _ desired: [String: Value], _ changed: Set<String>) -> [AWS.APIGateway.PatchOperation] {
        guard changed.contains(property.throttlingBurstLimit) || changed.contains(property.throttlingRateLimit) else { return [] }
        let burst = desired[property.throttlingBurstLimit.name]?.intValue
        let rate = desired[property.throttlingRateLimit.name].flatMap(Double.init(propertyValue:))
        guard let burst, let rate else {
            let had = !(current[property.throttlingBurstLimit.name] ?? .null).isNull || !(current[property.throttlingRateLimit.name] ?? .null).isNull
            return had ? [.remove("/*/*")] : []
        }
        return [.replace("/*/*/throttling/burstLimit", String(burst)), .replace("/*/*/throttling/rateLimit", String(rate))]
    }
}

/// What API Gateway refuses in a stage, checked before any call.
struct StageValidation {
    let address: Address
    let properties: [String: Engine.Expression]
    private var property: APIGateway.Stage.Properties { APIGateway.Stage.property }

    static let stageNamePattern = #"^[A-Za-z0-9_-]{1,128}$"#
    static let variableNamePattern = #"^[A-Za-z0-9_]+$"#
    static let variableValuePattern = #"^[A-Za-z0-9\-._~:/?#&=,]{0,512}$"#
    static let logGroupARNPattern = #"^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[\.\-_/#A-Za-z0-9]+$"#

    func issues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: some PropertyDeclaration, _ message: String) { issues.append(ValidationIssue(address, property, message)) }
        if let name = properties.literal(property.stageName), name.range(of: Self.stageNamePattern, options: .regularExpression) == nil {
            add(property.stageName, "\"\(name)\" must be 1 to 128 letters, digits, '-' and '_'")
        }
        if let variables = properties[property.variables]?.literal?.mapValue {
            for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
                if name.range(of: Self.variableNamePattern, options: .regularExpression) == nil {
                    add(property.variables, "variable name \"\(name)\" may contain only letters, digits and '_'")
                }
                if let text = value.stringValue, text.range(of: Self.variableValuePattern, options: .regularExpression) == nil {
                    add(property.variables, "variable \(name): values are at most 512 letters, digits and -._~:/?#&=,")
                }
            }
        }
        if let destination = properties.literal(property.accessLogDestinationARN) {
            if destination.hasSuffix(":*") {
                add(property.accessLogDestinationARN, "\"\(destination)\" ends with ':*': API Gateway takes the log group ARN without it (CloudWatch.LogGroup.arn)")
            } else if destination.range(of: Self.logGroupARNPattern, options: .regularExpression) == nil {
                add(property.accessLogDestinationARN, "\"\(destination)\" is not a CloudWatch Logs log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>)")
            }
        }
        if let format = properties.literal(property.accessLogFormat), !format.contains("$context.requestId") {
            add(property.accessLogFormat, "must include $context.requestId (API Gateway's rule for access log formats)")
        }
        if let burst = properties[property.throttlingBurstLimit]?.literal?.intValue, burst < 0 {
            add(property.throttlingBurstLimit, "must be at least 0, not \(burst)")
        }
        if let rate = properties[property.throttlingRateLimit]?.literal.flatMap(Double.init(propertyValue:)), rate < 0 {
            add(property.throttlingRateLimit, "must be at least 0, not \(rate)")
        }
        return issues
    }
}

/// How a stage's settings land in the Terraform AWS provider's `aws_api_gateway_stage`
/// (provider docs, "Argument Reference").
enum StageTerraform {
    /// `access_log_settings { destination_arn, format }`, none without access logging.
    static let accessLogSettings: TerraformAttribute = .block("access_log_settings", presentWith: ["destination_arn"]) {
        ["destination_arn": APIGateway.Stage.property.accessLogDestinationARN, "format": APIGateway.Stage.property.accessLogFormat]
    }

    /// The provider's `aws_api_gateway_method_settings` for every method (`method_path = "*/*"`)
    /// holding the stage's throttling, its `stage_name` the stage's; none without throttling.
    static let methodSettings: TerraformAttribute = .companion("aws_api_gateway_method_settings",
                                                               link: TerraformLink("stage_name", to: "stage_name"), assembled: { values in
        let property = APIGateway.Stage.property
        var settings: [String: Value] = [:]
        for (name, limit) in [("throttling_burst_limit", property.throttlingBurstLimit), ("throttling_rate_limit", property.throttlingRateLimit)] {
            if let value = values[limit.name], value != .null { settings[name] = value }
        }
        guard !settings.isEmpty else { return nil }
        return ["rest_api_id": values[property.restAPIID.name] ?? .unknown, "method_path": "*/*", "settings": .list([.map(settings)])]
    })
}
