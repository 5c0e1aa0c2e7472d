extension Deployment {
    /// Reads every lookup whose arguments are known now: literals, other lookups' attributes,
    /// and attributes of resources `prior` records. A lookup whose arguments wait for a resource
    /// not yet created is left out, to be read during apply (Terraform's "read during apply").
    /// Read before planning and before any write, on every plan whether or not it refreshes.
    /// - Parameter prior: the state as refreshed.
    /// - Returns: what each lookup read, by address.
    /// - Throws: ``LookupError`` naming the lookup that found nothing, more than one match, or
    ///   whose read failed.
    func readLookups(prior: StateFile) async throws -> [Address: LookupRecord] {
        guard !stack.lookups.isEmpty, !options.destroy else { return [:] }
        let graph = DependencyGraph(Dictionary(stack.lookups.map { ($0.address, $0.dependencies) }, uniquingKeysWith: { first, _ in first }))
        var read: [Address: LookupRecord] = [:]
        for address in try graph.topologicalOrder() {
            guard let lookup = stack.lookup(address) else { continue }
            let arguments = lookup.arguments.mapValues { expression in
                expression.resolve { reference in
                    reference.address.isLookup
                        ? read[reference.address]?.attributes[reference.attribute] ?? .unknown
                        : Executor.liveValue(reference, in: prior, types: stack.knownTypes)
                }
            }
            guard !arguments.values.contains(where: \.containsUnknown) else { continue }
            read[address] = try await Deployment.read(lookup, arguments: arguments, region: lookup.region ?? stack.region, client: client)
        }
        return read
    }

    /// Checks the stack with the values the lookups read in place, as its literals were checked
    /// when it was evaluated: a value that breaks a type's or a lookup's rule stops the run
    /// before any write.
    /// - Throws: `StackValidationError` naming the resource and the property.
    func checkLookedUpValues(_ read: [Address: LookupRecord]) throws {
        guard !read.isEmpty else { return }
        let substitute = { (expression: Expression) in
            expression.substituting { reference in
                reference.address.isLookup ? read[reference.address]?.attributes[reference.attribute] : Optional<Value>.none
            }
        }
        var resolved = stack
        resolved.resources = stack.resources.map { declaration in
            var declaration = declaration
            declaration.properties = declaration.properties.mapValues(substitute)
            return declaration
        }
        // A lookup's arguments taken from another lookup meet its rules too.
        resolved.lookups = stack.lookups.map { lookup in
            var lookup = lookup
            lookup.arguments = lookup.arguments.mapValues(substitute)
            return lookup
        }
        let issues = StackValidator.validate(resolved)
        guard issues.isEmpty else { throw StackValidationError(issues: issues) }
    }

    /// Reads one lookup with its arguments known.
    /// - Throws: ``LookupError`` (a failed call is wrapped in one naming the lookup).
    static func read(_ lookup: LookupDeclaration, arguments: [String: Value], region: String,
                     client: (any Sendable)?) async throws -> LookupRecord {
        let context = OperationContext(address: lookup.address, region: region, client: client)
        let attributes: [String: Value]
        do {
            attributes = try await lookup.type.read(arguments, context: context)
        } catch let error as LookupError {
            throw error
        } catch {
            throw LookupError(lookup.address, "read failed: \(error)")
        }
        let known = Set(lookup.type.schema.attributes)
        return LookupRecord(address: lookup.address, region: region, arguments: arguments,
                            attributes: attributes.filter { known.contains($0.key) })
    }
}
