import Foundation

extension StackDefinition {
    /// This stack with each `stack_reference.NAME.OUTPUT` replaced by that output's value, read
    /// from the other stacks' states. A property or output fed by a sensitive output becomes
    /// sensitive itself.
    /// - Parameter outputs: each reference's outputs, by reference name.
    /// - Throws: ``StackReferenceError`` naming the reference and the missing output.
    func resolvingStackReferences(_ outputs: [String: [String: OutputRecord]]) throws -> StackDefinition {
        guard !stackReferences.isEmpty else { return self }
        var resolved = self
        var missing: StackReferenceError?
        func substitute(_ expression: Expression, sensitive: inout Bool) -> Expression {
            expression.substituting { reference in
                guard reference.address.isStackReference else { return nil }
                guard let output = outputs[reference.address.name]?[reference.attribute] else {
                    let available = outputs[reference.address.name]?.keys.sorted().joined(separator: ", ") ?? ""
                    let other = stackReferences.first { $0.address == reference.address }?.stack ?? reference.address.name
                    missing = missing ?? StackReferenceError(reference.address, "stack \(other) has no output \"\(reference.attribute)\""
                        + (available.isEmpty ? " (it has no outputs)" : "; it has: \(available)"))
                    return nil
                }
                sensitive = sensitive || output.sensitive
                return output.value
            }
        }
        resolved.resources = resources.map { declaration in
            var declaration = declaration
            for (name, expression) in declaration.properties {
                var sensitive = false
                declaration.properties[name] = substitute(expression, sensitive: &sensitive)
                if sensitive { declaration.sensitiveProperties.insert(name) }
            }
            return declaration
        }
        resolved.lookups = lookups.map { lookup in
            var lookup = lookup
            var sensitive = false
            lookup.arguments = lookup.arguments.mapValues { substitute($0, sensitive: &sensitive) }
            return lookup
        }
        resolved.outputs = self.outputs.map { output in
            var output = output
            var sensitive = false
            output.value = substitute(output.value, sensitive: &sensitive)
            output.sensitive = output.sensitive || sensitive
            return output
        }
        if let missing { throw missing }
        return resolved
    }
}

extension Deployment {
    /// Reads every stack reference's state and puts its outputs in place.
    /// The values now known are checked as the stack's literals were when it was evaluated.
    /// - Returns: the resolved stack and what was read, for the plan.
    /// - Throws: ``StackReferenceError`` for a stack with no state, a state of another stack, or
    ///   a missing output; the backend's error for an unreadable state; `StackValidationError`
    ///   for a value from another stack that breaks a rule (a sensitive one is not quoted).
    func resolvingStackReferences() async throws -> (StackDefinition, [StackReferenceRead]) {
        guard !stack.stackReferences.isEmpty else { return (stack, []) }
        guard let stackReferenceBackend else {
            throw StackReferenceError(stack.stackReferences[0].address, "this run cannot read other stacks' state")
        }
        var outputs: [String: [String: OutputRecord]] = [:]
        var reads: [StackReferenceRead] = []
        for reference in stack.stackReferences {
            let backend = try stackReferenceBackend(reference)
            guard let state = try await backend.read() else {
                throw StackReferenceError(reference.address, "stack \(reference.stack) has no state at \(backend.location); apply it first")
            }
            guard state.stack == reference.stack else {
                throw StackReferenceError(reference.address, "the state at \(backend.location) is stack \(state.stack)'s, not \(reference.stack)'s")
            }
            outputs[reference.name] = state.outputs
            reads.append(StackReferenceRead(name: reference.name, stack: reference.stack, location: backend.location, serial: state.serial))
        }
        let resolved = try stack.resolvingStackReferences(outputs)
        let issues = StackValidator.validate(resolved)
        guard issues.isEmpty else {
            let secrets = outputs.values.flatMap(\.values).filter(\.sensitive).compactMap { $0.value.stringValue }.filter { !$0.isEmpty }
            throw StackValidationError(issues: issues.map { issue in
                var issue = issue
                for secret in secrets { issue.message = issue.message.replacingOccurrences(of: secret, with: "(sensitive value)") }
                return issue
            })
        }
        return (resolved, reads)
    }
}

extension StackDefinition {
    /// This stack with sensitivity carried along references, as Terraform carries it through
    /// expressions: a property or output built from a secret (a sensitive property or attribute,
    /// another stack's sensitive output) is a secret too. A resource named by a secret has its
    /// id and attributes redacted as well (a role's ARN holds its name).
    func propagatingSensitivity() -> StackDefinition {
        var secret: [Address: Set<String>] = [:]
        for resource in resources {
            let schema = resource.type.schema
            var names = resource.sensitiveProperties
            names.formUnion(schema.properties.filter(\.sensitive).map(\.name))
            names.formUnion(schema.attributes.filter(\.sensitive).map(\.name))
            secret[resource.address] = names
        }
        guard secret.values.contains(where: { !$0.isEmpty }) else { return self }
        func revealsSecret(_ reference: Reference) -> Bool {
            secret[reference.address]?.contains(reference.attribute) ?? false
        }
        var resolved = self
        var changed = true
        // Each pass carries secrets one reference further; a chain is at most as long as the stack.
        var passes = 0
        while changed && passes <= resources.count {
            changed = false
            passes += 1
            for (index, resource) in resolved.resources.enumerated() {
                var names = secret[resource.address] ?? []
                for (name, expression) in resource.properties where !names.contains(name) && expression.references.contains(where: revealsSecret) {
                    names.insert(name)
                }
                let schema = resource.type.schema
                if !names.isDisjoint(with: schema.uniqueNameProperties), !names.contains("id") {
                    names.insert("id")
                    names.formUnion(schema.attributes.map(\.name))
                }
                if names != secret[resource.address] {
                    secret[resource.address] = names
                    changed = true
                }
                resolved.resources[index].sensitiveProperties = names
            }
        }
        for index in resolved.outputs.indices where resolved.outputs[index].value.references.contains(where: revealsSecret) {
            resolved.outputs[index].sensitive = true
        }
        return resolved
    }
}
