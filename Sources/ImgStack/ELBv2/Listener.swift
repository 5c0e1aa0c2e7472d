import AWS
import Engine
import Foundation

extension ELBv2 {
    /// A listener of an application load balancer that forwards every request to one target
    /// group (`aws_lb_listener` with one `forward` default action).
    ///
    /// ```swift
    /// stack.add(ELBv2.Listener("http", loadBalancerARN: web.arn, port: 80, targetGroupARN: app.arn))
    /// stack.add(ELBv2.Listener("https", loadBalancerARN: web.arn, port: 443, protocolName: "HTTPS",
    ///                          certificateARN: certificateARN, targetGroupARN: app.arn))
    /// ```
    public struct Listener: Resource {
        public static let terraformType = "aws_lb_listener"

        public var name: String
        /// The load balancer. Changing it replaces the listener.
        public var loadBalancerARN: Text
        /// The port, 1–65535; one listener per port on a load balancer.
        public var port: Int
        /// `HTTP` (the default) or `HTTPS`.
        public var protocolName: String
        /// The default certificate of an `HTTPS` listener: an ACM or IAM server certificate ARN.
        /// Required with `HTTPS`, refused with `HTTP`.
        public var certificateARN: Text?
        /// The security policy of an `HTTPS` listener (`ELBSecurityPolicy-…`); unset, AWS uses its
        /// default and imgstack does not compare it. Refused with `HTTP`.
        public var sslPolicy: String?
        /// The target group every request is forwarded to.
        public var targetGroupARN: Text
        /// Tags (at most 49: imgstack keeps one for itself).
        public var tags: [String: Text]
        public var dependsOn: [Address] = []

        /// Declares a listener.
        public init(_ name: String, loadBalancerARN: Text, port: Int, protocolName: String = "HTTP", certificateARN: Text? = nil,
                    sslPolicy: String? = nil, targetGroupARN: Text, tags: [String: Text] = [:]) {
            self.name = name
            self.loadBalancerARN = loadBalancerARN
            self.port = port
            self.protocolName = protocolName
            self.certificateARN = certificateARN
            self.sslPolicy = sslPolicy
            self.targetGroupARN = targetGroupARN
            self.tags = tags
        }

        public var properties: [String: Engine.Expression] {
            let property = Self.property
            var list = PropertyList()
            list.set(property.loadBalancerARN, loadBalancerARN)
            list.set(property.port, port)
            list.set(property.protocolName, protocolName)
            list.set(property.certificateARN, certificateARN)
            list.set(property.sslPolicy, sslPolicy)
            list.set(property.targetGroupARN, targetGroupARN)
            list.set(property.tags, tags)
            return list.values
        }

        /// The listener ARN.
        public var arn: Text { attribute("arn") }

        public static func makeType() -> any ResourceType { ListenerType() }
    }
}

extension ELBv2.Listener {
    /// A listener's properties, each declared once.
    struct Properties: PropertySet {
        let loadBalancerARN = Property<String>("loadBalancerARN", terraform: "load_balancer_arn", forcesReplacement: true)
        let port = Property<Int>("port")
        let protocolName = Property<String>("protocol", default: "HTTP")
        let certificateARN = Property<String>("certificateARN", terraform: "certificate_arn")
        /// No default: AWS picks the policy of an HTTPS listener declared without one.
        let sslPolicy = Property<String>("sslPolicy")
        let targetGroupARN = Property<String>("targetGroupARN", terraform: ListenerTerraform.defaultAction)
        let tags = Property<[String: String]>("tags", default: [:])
    }

    static let property = Properties()
}

/// Creates, reads, updates and deletes listeners. The id is the listener ARN.
struct ListenerType: ResourceType {
    static let schema = ResourceSchema(ELBv2.Listener.self, ELBv2.Listener.Properties.self, attributes: [AttributeSchema("arn")])

    var schema: ResourceSchema { Self.schema }
    private var property: ELBv2.Listener.Properties { ELBv2.Listener.property }

    func validate(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let port = properties.literal(property.port), let problem = ELBv2Rules.portProblem(port) {
            issues.append(ValidationIssue(address, property.port, problem))
        }
        let protocolName = properties.literal(property.protocolName) ?? "HTTP"
        switch protocolName {
        case "HTTPS":
            if properties[property.certificateARN] == nil {
                issues.append(ValidationIssue(address, property.certificateARN,
                                              "an HTTPS listener needs a certificate: set certificateARN to an ACM or IAM server certificate ARN"))
            }
        case "HTTP":
            for secureOnly in [property.certificateARN, property.sslPolicy] where properties[secureOnly] != nil {
                issues.append(ValidationIssue(address, secureOnly, "applies to HTTPS listeners only; this listener is HTTP"))
            }
        default:
            issues.append(ValidationIssue(address, property.protocolName,
                                          "must be HTTP or HTTPS for an application load balancer, not \"\(protocolName)\""))
        }
        if let certificate = properties.literal(property.certificateARN),
           !(certificate.hasPrefix("arn:") && (certificate.contains(":acm:") || certificate.contains(":iam:"))) {
            issues.append(ValidationIssue(address, property.certificateARN, "must be an ACM or IAM server certificate ARN, not \"\(certificate)\""))
        }
        if let policy = properties.literal(property.sslPolicy), !policy.hasPrefix("ELBSecurityPolicy-") {
            issues.append(ValidationIssue(address, property.sslPolicy,
                                          "must name one of AWS's predefined policies (ELBSecurityPolicy-…), not \"\(policy)\""))
        }
        return issues + ELBv2Rules.tagIssues(properties, property.tags, address: address)
    }

    func validateImportID(_ id: String) -> String? {
        ELBv2Rules.importIDProblem(id, kind: "listener/app/")
    }

    func create(_ properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot {
        let created = try await context.elbv2.createListener(Self.listener(properties),
                                                             tags: ELBv2Rules.taggedWithIntent(properties[property.tags.name], context))
        return ResourceSnapshot(id: created.arn, properties: properties, attributes: ["arn": .string(created.arn)])
    }

    func read(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(recorded.id, declared: Set(recorded.properties.keys), elbv2: try context.elbv2)
    }

    /// The listener and, when declared, its tags, read at once by its ARN.
    private func read(_ arn: String, declared: Set<String>, elbv2: AWS.ELBV2) async throws -> ResourceSnapshot? {
        guard let (listener, tags) = try await ConcurrentReads.withTags(
            { try await elbv2.listener(arn: arn) }, arn: \.arn, recordedARN: arn, readsTags: declared.contains(property.tags),
            tags: { try await elbv2.tags($0) }) else { return nil }
        return snapshot(listener, declared: declared, tags: tags)
    }

    func readForDestroy(_ recorded: ResourceSnapshot, context: OperationContext) async throws -> ResourceSnapshot? {
        try await recordedIfExists(recorded) { try await context.elbv2.listener(arn: recorded.id) }
    }

    private func snapshot(_ listener: AWS.ELBV2.Listener, declared: Set<String>, tags: [String: String]?) -> ResourceSnapshot {
        var actual: [String: Value] = [:]
        actual[property.loadBalancerARN] = listener.loadBalancerARN
        actual[property.port] = listener.port
        actual[property.protocolName] = listener.protocolName
        actual[property.certificateARN] = listener.certificateARN
        actual[property.sslPolicy] = listener.sslPolicy
        actual[property.targetGroupARN] = listener.targetGroupARN
        if let tags { actual[property.tags.name] = TagRules.visible(tags) }
        return ResourceSnapshot(id: listener.arn, properties: actual.filter { declared.contains($0.key) && $0.value != .null },
                                attributes: ["arn": .string(listener.arn)])
    }

    func update(_ current: ResourceSnapshot, to desired: [String: Value], changed: Set<String>,
                context: OperationContext) async throws -> ResourceSnapshot {
        let elbv2 = try context.elbv2
        // ModifyListener sets port, protocol, policy, certificate and default action together.
        if !changed.subtracting([property.tags.name]).isEmpty {
            var listener = Self.listener(desired)
            listener.arn = current.id
            try await elbv2.modifyListener(listener)
        }
        try await ELBv2Rules.retag(elbv2, current.id, from: current, to: desired, changed: changed, tags: property.tags)
        return ResourceSnapshot(id: current.id, properties: desired, attributes: current.attributes)
    }

    func delete(_ current: ResourceSnapshot, context: OperationContext) async throws {
        let elbv2 = try context.elbv2
        _ = try await nilWhenMissing(.listenerNotFound) { try await elbv2.deleteListener(current.id) }
    }

    func importResource(id: String, context: OperationContext) async throws -> ResourceSnapshot? {
        try await read(id, declared: ELBv2.Listener.Properties.names, elbv2: try context.elbv2)
    }

    func findCreated(from properties: [String: Value], context: OperationContext) async throws -> ResourceSnapshot? {
        // A load balancer has one listener per port; adopt it only when this create tagged it.
        let elbv2 = try context.elbv2
        guard let balancer = properties[property.loadBalancerARN], let port = properties[property.port] else { return nil }
        for listener in try await elbv2.listeners(loadBalancerARN: balancer) where listener.port == port {
            let tags = try await elbv2.tags(listener.arn)
            guard ELBv2Rules.isTagged(tags, with: context) else { return nil }
            return snapshot(listener, declared: Set(properties.keys), tags: properties[property.tags.name] == nil ? nil : tags)
        }
        return nil
    }

    static func listener(_ properties: [String: Value]) -> AWS.ELBV2.Listener {
        let property = ELBv2.Listener.property
        return AWS.ELBV2.Listener(loadBalancerARN: properties[property.loadBalancerARN] ?? "", port: properties[property.port] ?? 80,
                                  protocolName: properties[property.protocolName] ?? "HTTP", sslPolicy: properties[property.sslPolicy],
                                  certificateARN: properties[property.certificateARN], targetGroupARN: properties[property.targetGroupARN] ?? "")
    }
}

extension ListenerType: AccessDeclaring {
    /// Elastic Load Balancing actions per the Service Authorization Reference (Elastic Load
    /// Balancing V2): `Describe*` takes no resource; `CreateListener` acts on the load
    /// balancer, and its tags (`AddTags`) on the new listener.
    static let access: ResourceAccess = {
        let balancer = ARNPattern.heldIn("loadBalancerARN",
                                         ofReferenced: "arn:{partition}:elasticloadbalancing:{region}:{account}:loadbalancer/app/{loadBalancerName}/*")
        // `listener/*`: parliament (the policy linter the tests run) refuses a name-scoped `listener/app/NAME/*/*` for DeleteListener.
        let listener = ARNPattern.arn("arn:{partition}:elasticloadbalancing:{region}:{account}:listener/*")
        let noResource = { (action: String) in ARNPattern.anyResource(reason: "elasticloadbalancing:\(action) takes no resource") }
        return ResourceAccess([
            IAMCall(.elbv2, "CreateListener", in: [.create], on: [balancer],
                    alsoNeeds: [IAMGrant(["elasticloadbalancing:AddTags"], on: [listener])]),
            IAMCall(.elbv2, "DescribeListeners", in: .readingBack, on: [noResource("DescribeListeners")]),
            IAMCall(.elbv2, "DescribeTags", in: .readingBack, on: [noResource("DescribeTags")]),
            IAMCall(.elbv2, "ModifyListener", in: [.update], on: [listener]),
            IAMCall(.elbv2, "AddTags", in: [.update], on: [listener]),
            IAMCall(.elbv2, "RemoveTags", in: [.update], on: [listener]),
            IAMCall(.elbv2, "DeleteListener", in: [.delete], on: [listener]),
        ])
    }()
}
