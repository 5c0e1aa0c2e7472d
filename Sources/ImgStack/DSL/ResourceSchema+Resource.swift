import Engine

extension ResourceSchema {
    /// The schema of `resource`: its type names from the resource, its properties from the
    /// members of `properties` (so none can be left out).
    /// - Parameters:
    ///   - attributes: what AWS computes (`id` is implied).
    ///   - uniqueName: the properties that together name the resource uniquely in the account
    ///     (see ``ResourceSchema/uniqueNameProperties``).
    ///   - capturesDependencies: each object is a snapshot of its dependencies (see
    ///     ``ResourceSchema/capturesDependencies``).
    ///   - terraformConstants: see ``ResourceSchema/terraformConstants``.
    ///   - digests: each property compared through another holding its digest (see
    ///     ``PropertySchema/digest``): `[(property.content, property.md5)]`.
    init<R: Resource, P: PropertySet>(_ resource: R.Type, _ properties: P.Type, attributes: [AttributeSchema] = [],
                                      uniqueName: [any PropertyDeclaration] = [], capturesDependencies: Bool = false,
                                      terraformConstants: [String: Value] = [:],
                                      digests: [(any PropertyDeclaration, digest: any PropertyDeclaration)] = []) {
        self.init(typeName: R.typeName, terraformType: R.terraformType, properties: P.schemas, attributes: attributes,
                  uniqueNameProperties: uniqueName.map(\.schema.name), capturesDependencies: capturesDependencies,
                  terraformConstants: terraformConstants,
                  digests: Dictionary(uniqueKeysWithValues: digests.map { ($0.0.schema.name, $0.digest.schema.name) }))
    }
}

extension PropertySet {
    /// The names of every declared property (what `import` reads).
    static var names: Set<String> { Set(schemas.map(\.name)) }
}
