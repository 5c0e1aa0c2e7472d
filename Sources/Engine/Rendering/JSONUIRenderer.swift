import Foundation

/// Renders a run as Terraform's machine-readable UI: the stream `terraform plan -json`,
/// `apply -json` and `destroy -json` write, one JSON object a line
/// (developer.hashicorp.com/terraform/internals/machine-readable-ui), for CI systems that parse it.
///
/// Every message has `@level` (`info`, or `error` for an error diagnostic), `@message` (the line a
/// person would read), `@module` (`terraform.ui`, as the format fixes it, so filters written
/// for Terraform keep working), `@timestamp` (RFC 3339 with fractional seconds) and `type`:
/// `version` first, then `log`, `refresh_start`, `refresh_complete`, `resource_drift`,
/// `planned_change`, `change_summary`, `apply_start`, `apply_progress`, `apply_complete`,
/// `apply_errored`, `outputs` and `diagnostic`, with Terraform's `change` and `hook` objects.
/// A resource is named by Terraform's `resource` object (`addr` `aws_s3_bucket.images`,
/// `resource_type`, `resource_name`, `implied_provider` `aws`, `module` "" and `resource_key`
/// null); imgstack's own address is added as `imgstack_address`, a key readers of the format
/// ignore.
///
/// Secrets never appear: the stream carries no attribute values, and a sensitive output is
/// written without its `value` (Terraform writes it).
public struct JSONUIRenderer: Sendable {
    /// The machine-readable UI version written in the `version` message: the format's major
    /// version 1, which readers check.
    public static let uiVersion = "1.0"

    /// The Terraform type of each imgstack type (`s3.bucket` → `aws_s3_bucket`).
    let terraformTypes: [String: String]
    let now: @Sendable () -> Date

    /// Creates a renderer.
    /// - Parameters:
    ///   - schemas: the schemas of the stack's types, which name their Terraform types; a type
    ///     missing here is named by its own name in snake case.
    ///   - now: the clock for `@timestamp`.
    public init(schemas: [ResourceSchema], now: @escaping @Sendable () -> Date = { Date() }) {
        terraformTypes = Dictionary(schemas.map { ($0.typeName, $0.terraformType) }) { first, _ in first }
        self.now = now
    }

    // MARK: - Generic messages

    /// The first message: `version`, with `terraform` (the Terraform release whose plan format
    /// `plan --json` follows) and imgstack's own version.
    public func version(imgstack: String) -> String {
        message("version", "imgstack \(imgstack)", [
            "terraform": .string(JSONPlanRenderer.terraformVersion), "imgstack": .string(imgstack), "ui": .string(Self.uiVersion),
        ])
    }

    /// A `log` message: a line of its own (a lock wait, a recovered create).
    public func log(_ text: String) -> String {
        message("log", text, [:])
    }

    /// An error `diagnostic`: `summary` is its first line, `detail` the rest; `address` the
    /// resource it concerns, when it concerns one.
    public func diagnostic(_ text: String, address: Address? = nil) -> String {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        var diagnostic: [String: Value] = [
            "severity": "error", "summary": .string(String(lines[0])),
            "detail": .string(lines.count > 1 ? String(lines[1]) : ""),
        ]
        if let address {
            diagnostic["address"] = .string(terraformAddress(address))
            diagnostic["imgstack_address"] = .string(address.description)
        }
        return message("diagnostic", "Error: \(lines[0])", ["diagnostic": .map(diagnostic)], level: "error")
    }

    // MARK: - Refresh and plan

    /// `refresh_start` or `refresh_complete` for one resource's read.
    public func refresh(_ progress: RefreshProgress) -> String {
        switch progress {
        case .started(let address, let id):
            return message("refresh_start", "\(terraformAddress(address)): Refreshing state... [id=\(id)]",
                           ["hook": .map(["resource": resource(address), "id_key": "id", "id_value": .string(id)])])
        case .finished(let address, let id, _):
            return message("refresh_complete", "\(terraformAddress(address)): Refresh complete [id=\(id)]",
                           ["hook": .map(["resource": resource(address), "id_key": "id", "id_value": .string(id)])])
        }
    }

    /// What a plan says: a `resource_drift` for each resource changed outside imgstack, a
    /// `planned_change` for each resource with something to do, the plan's `change_summary`,
    /// and its `outputs` with their actions.
    public func planned(_ plan: Plan) -> [String] {
        // The plan names each resource's Terraform type, also of types this build no longer knows.
        let types = Dictionary(plan.changes.map { ($0.address, $0.terraformType) }) { first, _ in first }
        var lines = plan.drift.map { drift in
            let action = drift.deleted ? "delete" : "update"
            let resource = resource(drift.address, terraformType: types[drift.address])
            return message("resource_drift", "\(resource["addr"].stringValue ?? ""): Drift detected (\(action))",
                           ["change": .map(["resource": resource, "action": .string(action)])])
        }
        for change in plan.changes where change.action != .noop {
            let resource = resource(change.address, terraformType: change.terraformType)
            var body: [String: Value] = ["resource": resource, "action": .string(change.action.rawValue)]
            if let reason = Self.reason(change.actionReason) { body["reason"] = .string(reason) }
            lines.append(message("planned_change", "\(resource["addr"].stringValue ?? ""): Plan to \(change.action.rawValue)",
                                 ["change": .map(body)]))
        }
        let counts = plan.counts
        lines.append(summary("Plan: \(counts.add) to add, \(counts.change) to change, \(counts.destroy) to destroy.",
                             counts, operation: "plan"))
        if !plan.outputs.isEmpty {
            lines.append(outputs(Dictionary(uniqueKeysWithValues: plan.outputs.map { output in
                (output.name, Value.map(["sensitive": .bool(output.sensitive), "action": .string(Self.action(output))]))
            })))
        }
        return lines
    }

    /// The machine-readable UI's `reason`, from the plan's action reason.
    private static func reason(_ reason: ActionReason?) -> String? {
        switch reason {
        case .replaceBecauseCannotUpdate: return "cannot_update"
        case .replaceByRequest: return "requested"
        case .deleteBecauseNoResourceConfig: return "delete_because_no_resource_config"
        case nil: return nil
        }
    }

    private static func action(_ output: OutputChange) -> String {
        switch (output.before, output.after) {
        case (nil, _?): return "create"
        case (_?, nil): return "delete"
        default: return output.changes ? "update" : "noop"
        }
    }

    // MARK: - Apply

    /// The messages for one operation's progress: `apply_start`, `apply_progress`,
    /// `apply_complete`, or `apply_errored` followed by the error's `diagnostic`; a note is a `log`.
    public func operation(_ event: ExecutionEvent) -> [String] {
        let address = terraformAddress(event.address) + (event.deposed ? " (deposed object)" : "")
        var hook: [String: Value] = ["resource": resource(event.address), "action": .string(event.operation.rawValue)]
        let words = Self.words(event.operation)
        switch event.kind {
        case .started:
            return [message("apply_start", "\(address): \(words.start)...", ["hook": .map(hook)])]
        case .stillRunning(let elapsed):
            hook["elapsed_seconds"] = .int(Int(elapsed))
            return [message("apply_progress", "\(address): Still \(words.start.lowercased())... [\(Int(elapsed))s elapsed]",
                            ["hook": .map(hook)])]
        case .finished(let elapsed, let id):
            hook["elapsed_seconds"] = .int(Int(elapsed))
            if let id {
                hook["id_key"] = "id"
                hook["id_value"] = .string(id)
            }
            return [message("apply_complete", "\(address): \(words.done) complete after \(Int(elapsed))s" + (id.map { " [id=\($0)]" } ?? ""),
                            ["hook": .map(hook)])]
        case .failed(let elapsed, let error):
            hook["elapsed_seconds"] = .int(Int(elapsed))
            return [message("apply_errored", "\(address): \(words.done) errored after \(Int(elapsed))s", ["hook": .map(hook)]),
                    diagnostic("\(event.operation.noun) failed: \(error)", address: event.address)]
        case .note(let text):
            return [log("\(address): \(text)")]
        }
    }

    /// Terraform's words for an operation: "Creating" / "Creation", "Modifying" / "Modifications",
    /// "Destroying" / "Destruction".
    private static func words(_ operation: OperationKind) -> (start: String, done: String) {
        switch operation {
        case .create: return ("Creating", "Creation")
        case .update: return ("Modifying", "Modifications")
        case .delete: return ("Destroying", "Destruction")
        }
    }

    /// How applying `plan` ended: its `change_summary` and `outputs` when every operation
    /// succeeded, else an error `diagnostic` counting what failed, was skipped or was not started.
    public func applied(_ plan: Plan, _ result: ExecutionSummary, state: StateFile) -> [String] {
        let counts = plan.counts
        let operation = plan.isDestroy ? "destroy" : "apply"
        guard result.succeeded else {
            let stopped = result.interrupted ? "interrupted" : "failed"
            return [diagnostic("\(plan.isDestroy ? "Destroy" : "Apply") \(stopped): \(result.failures.count) failed, "
                               + "\(result.skipped.count) skipped, \(result.notStarted.count) not started, \(result.completed) completed; "
                               + "state records what was done")]
        }
        if plan.isDestroy {
            return [summary("Destroy complete! Resources: \(counts.destroy) destroyed.", counts, operation: operation)]
        }
        var lines = [summary("Apply complete! Resources: \(counts.add) added, \(counts.change) changed, \(counts.destroy) destroyed.",
                             counts, operation: operation)]
        if !state.outputs.isEmpty {
            lines.append(outputs(state.outputs.mapValues { output in
                var entry: [String: Value] = ["sensitive": .bool(output.sensitive), "type": Self.type(of: output.value)]
                if !output.sensitive { entry["value"] = output.value }
                return .map(entry)
            }))
        }
        return lines
    }

    /// The value's type as Terraform writes it in JSON (cty's type notation): `"string"`,
    /// `"number"`, `"bool"`, `["tuple", [...]]`, `["object", {...}]`, `"dynamic"` for null.
    static func type(of value: Value) -> Value {
        switch value {
        case .string: return "string"
        case .int, .double: return "number"
        case .bool: return "bool"
        case .list(let items): return ["tuple", .list(items.map(type(of:)))]
        case .map(let entries): return ["object", .map(entries.mapValues(type(of:)))]
        case .null, .unknown: return "dynamic"
        }
    }

    // MARK: - Pieces

    private func summary(_ text: String, _ counts: (add: Int, change: Int, destroy: Int), operation: String) -> String {
        message("change_summary", text, ["changes": .map([
            "add": .int(counts.add), "change": .int(counts.change), "import": 0, "remove": .int(counts.destroy),
            "operation": .string(operation),
        ])])
    }

    private func outputs(_ outputs: [String: Value]) -> String {
        message("outputs", "Outputs: \(outputs.count)", ["outputs": .map(outputs)])
    }

    /// Terraform's address of an imgstack resource (`s3.bucket.images` → `aws_s3_bucket.images`).
    func terraformAddress(_ address: Address) -> String {
        "\(terraformType(address)).\(address.name)"
    }

    /// The type's Terraform type; a type missing from the schemas keeps its own name in snake case.
    private func terraformType(_ address: Address) -> String {
        terraformTypes[address.type] ?? address.type.replacingOccurrences(of: ".", with: "_")
    }

    /// Terraform's `resource` object.
    private func resource(_ address: Address, terraformType: String? = nil) -> Value {
        let type = terraformType ?? self.terraformType(address)
        return .map([
            "addr": .string("\(type).\(address.name)"), "module": "", "resource": .string("\(type).\(address.name)"),
            "implied_provider": "aws", "resource_type": .string(type), "resource_name": .string(address.name), "resource_key": .null,
            "imgstack_address": .string(address.description),
        ])
    }

    private func message(_ type: String, _ text: String, _ fields: [String: Value], level: String = "info") -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var object = fields
        object["@level"] = .string(level)
        object["@message"] = .string(text)
        object["@module"] = "terraform.ui"
        object["@timestamp"] = .string(formatter.string(from: now()))
        object["type"] = .string(type)
        return Value.map(object).canonicalJSON
    }
}
