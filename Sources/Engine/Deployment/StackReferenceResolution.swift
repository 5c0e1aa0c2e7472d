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
    /// - Returns: the resolved stack and what was read, for the plan.
    /// - Throws: ``StackReferenceError`` for a stack with no state, a state of another stack, or
    ///   a missing output; the backend's error for an unreadable state.
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
        return (try stack.resolvingStackReferences(outputs), reads)
    }
}
