/// Checks a stack before any network call: names, duplicates, properties, references, cycles,
/// and each type's own rules.
public enum StackValidator {
    /// Every problem found, in a stable order; empty when the stack is valid.
    public static func validate(_ stack: StackDefinition) -> [ValidationIssue] {
        var issues = namingIssues(stack.resources.map(\.address), noun: "resource")
        // Each address's type (of its first declaration): all a reference check needs.
        let declared = Dictionary(stack.resources.map { ($0.address, $0.type) }, uniquingKeysWith: { first, _ in first })
        let references = Set(stack.stackReferences.map(\.address))
        let lookups = Dictionary(stack.lookups.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var declarationsOfName: [String: Int] = [:]
        for reference in stack.stackReferences { declarationsOfName[reference.name, default: 0] += 1 }
        for reference in stack.stackReferences {
            if declarationsOfName[reference.name, default: 0] > 1 {
                issues.append(ValidationIssue(subject: reference.address.description, message: "declared more than once; names must be unique"))
            }
            if !Address.isValidName(reference.name) {
                issues.append(ValidationIssue(subject: reference.address.description, message: "invalid name \"\(reference.name)\": use letters, digits, '_' and '-', starting with a letter"))
            }
            if reference.stack == stack.name {
                issues.append(ValidationIssue(subject: reference.address.description, message: "refers to this stack itself; read your own values directly"))
            }
        }

        // The issues are sorted at the end; a valid resource's address is never written out.
        for resource in stack.resources {
            let schema = resource.type.schema
            for (name, referenced) in resource.propertyReferences {
                if schema.property(name) == nil {
                    issues.append(ValidationIssue(subject: resource.address.description, property: name, message: "\(schema.typeName) has no property \"\(name)\""))
                }
                for reference in referenced {
                    issues += check(reference, from: resource.address.description, property: name, declared: declared, stackReferences: references, lookups: lookups)
                }
            }
            for dependency in resource.dependsOn where declared[dependency] == nil {
                issues.append(ValidationIssue(subject: resource.address.description, property: "dependsOn", message: "depends on \(dependency), which the stack does not declare"))
            }
            issues += resource.type.validate(resource.properties, address: resource.address)
        }
        for output in stack.outputs {
            for reference in output.value.references {
                issues += check(reference, from: "output.\(output.name)", property: nil, declared: declared, stackReferences: references, lookups: lookups)
            }
        }
        issues += validateLookups(stack, declared: declared, stackReferences: references, lookups: lookups)
        // Lookups are nodes of their own here, so a resource feeding a lookup that feeds it is a cycle.
        var edges = Dictionary(stack.resources.map { resource in
            let lookupsRead = resource.propertyReferences.values.joined().map(\.address).filter(\.isLookup)
            return (resource.address, lookupsRead.isEmpty ? resource.dependencies : Array(Set(resource.dependencies + lookupsRead)))
        }, uniquingKeysWith: { first, _ in first })
        for lookup in stack.lookups { edges[lookup.address] = lookup.dependencies }
        let graph = DependencyGraph(edges)
        do {
            _ = try graph.topologicalOrder()
        } catch let cycle as DependencyCycleError {
            issues.append(ValidationIssue(subject: cycle.cycle.first?.description ?? stack.name, message: cycle.description))
        } catch {
            issues.append(ValidationIssue(subject: stack.name, message: "\(error)"))
        }
        return issues.sorted { ($0.subject, $0.property ?? "", $0.message) < ($1.subject, $1.property ?? "", $1.message) }
    }

    /// Addresses declared more than once, and names that are not valid, of resources or lookups.
    private static func namingIssues(_ addresses: [Address], noun: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var seen: [Address: Int] = [:]
        for address in addresses { seen[address, default: 0] += 1 }
        for (address, count) in seen where count > 1 {
            issues.append(ValidationIssue(subject: address.description, message: "declared \(count) times; addresses must be unique"))
        }
        for address in addresses where !Address.isValidName(address.name) {
            issues.append(ValidationIssue(subject: address.description, message: "invalid \(noun) name \"\(address.name)\": use letters, digits, '_' and '-', starting with a letter"))
        }
        return issues
    }

    private static func validateLookups(_ stack: StackDefinition, declared: [Address: any ResourceType], stackReferences: Set<Address>,
                                        lookups: [Address: LookupDeclaration]) -> [ValidationIssue] {
        var issues = namingIssues(stack.lookups.map(\.address), noun: "lookup")
        for lookup in stack.lookups {
            let subject = lookup.address.description
            let schema = lookup.type.schema
            for (name, expression) in lookup.arguments.sorted(by: { $0.key < $1.key }) {
                if !schema.arguments.contains(name) {
                    issues.append(ValidationIssue(subject: subject, property: name, message: "lookup \(schema.typeName) has no argument \"\(name)\"; it has: \(schema.arguments.joined(separator: ", "))"))
                }
                for reference in expression.references {
                    issues += check(reference, from: subject, property: name, declared: declared, stackReferences: stackReferences, lookups: lookups)
                }
            }
            issues += lookup.type.validate(lookup.arguments, address: lookup.address)
        }
        return issues
    }

    /// The problem with one reference, if any; `subject` (what refers) is made only to name one.
    private static func check(_ reference: Reference, from subject: @autoclosure () -> String, property: String?,
                              declared: [Address: any ResourceType], stackReferences: Set<Address>,
                              lookups: [Address: LookupDeclaration]) -> [ValidationIssue] {
        if reference.address.isLookup {
            guard let lookup = lookups[reference.address] else {
                return [ValidationIssue(subject: subject(), property: property, message: "refers to \(reference), but the stack declares no \(reference.address)")]
            }
            guard lookup.type.schema.attributes.contains(reference.attribute) else {
                return [ValidationIssue(subject: subject(), property: property, message: "refers to \(reference), but lookup \(lookup.type.schema.typeName) has no attribute \"\(reference.attribute)\"; it has: \(lookup.type.schema.attributes.joined(separator: ", "))")]
            }
            return []
        }
        if reference.address.isStackReference {
            // Which outputs exist is known once the other stack's state is read (the deployment checks it).
            guard stackReferences.contains(reference.address) else {
                return [ValidationIssue(subject: subject(), property: property, message: "refers to \(reference), but the stack declares no \(reference.address)")]
            }
            return []
        }
        guard let target = declared[reference.address] else {
            return [ValidationIssue(subject: subject(), property: property, message: "refers to \(reference), but the stack declares no \(reference.address)")]
        }
        guard target.schema.hasMember(reference.attribute) else {
            return [ValidationIssue(subject: subject(), property: property, message: "refers to \(reference), but \(target.schema.typeName) has no attribute \"\(reference.attribute)\"")]
        }
        return []
    }
}

/// A stack that failed validation; nothing was sent to AWS.
public struct StackValidationError: Error, Sendable, CustomStringConvertible {
    /// The problems, each naming the resource and property.
    public var issues: [ValidationIssue]

    /// Creates the error.
    public init(issues: [ValidationIssue]) {
        self.issues = issues
    }

    public var description: String {
        "the stack is not valid (\(issues.count) problem\(issues.count == 1 ? "" : "s")); nothing was changed:\n"
            + issues.map { "  - \($0)" }.joined(separator: "\n")
    }
}
