import Foundation

extension ELBV2 {
    /// A listener that forwards every request to one target group: the settings
    /// `CreateListener` and `ModifyListener` take and `DescribeListeners` returns.
    public struct Listener: Sendable, Equatable {
        /// The listener ARN (ignored by `createListener`).
        public var arn: String
        /// The load balancer it belongs to.
        public var loadBalancerARN: String
        /// The port it listens on, 1–65535.
        public var port: Int
        /// `HTTP` or `HTTPS`.
        public var protocolName: String
        /// The security policy of an `HTTPS` listener, e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`;
        /// nil lets AWS choose its default (and is what an `HTTP` listener has).
        public var sslPolicy: String?
        /// The default certificate of an `HTTPS` listener (an ACM or IAM certificate ARN).
        public var certificateARN: String?
        /// The target group of the default `forward` action.
        public var targetGroupARN: String

        /// Creates listener settings.
        public init(arn: String = "", loadBalancerARN: String, port: Int, protocolName: String, sslPolicy: String? = nil,
                    certificateARN: String? = nil, targetGroupARN: String) {
            self.arn = arn
            self.loadBalancerARN = loadBalancerARN
            self.port = port
            self.protocolName = protocolName
            self.sslPolicy = sslPolicy
            self.certificateARN = certificateARN
            self.targetGroupARN = targetGroupARN
        }

        func add(to parameters: inout QueryParameters) {
            parameters["Port"] = String(port)
            parameters["Protocol"] = protocolName
            parameters["SslPolicy"] = sslPolicy
            if let certificateARN { parameters.addList("Certificates", structures: [["CertificateArn": certificateARN]]) }
            parameters.addList("DefaultActions", structures: [["Type": "forward", "TargetGroupArn": targetGroupARN]])
        }
    }

    /// Creates a listener (`CreateListener`).
    /// - Parameters:
    ///   - listener: the settings; its `arn` is ignored.
    ///   - tags: tags set at creation.
    /// - Returns: the new listener.
    /// - Throws: `AWSError` (`DuplicateListener`, `CertificateNotFound`, `TargetGroupNotFound`, …), `AWSClientError`.
    public func createListener(_ listener: Listener, tags: [String: String]) async throws -> Listener {
        var parameters: QueryParameters = ["LoadBalancerArn": listener.loadBalancerARN]
        listener.add(to: &parameters)
        if !tags.isEmpty { parameters.addList("Tags", structures: Self.tagStructures(tags)) }
        let result = try await call("CreateListener", parameters)
        guard let created = result.list("Listeners").first.map(Self.decodeListener) else {
            throw AWSClientError(.invalidResponse, "CreateListener answered no listener on \(listener.loadBalancerARN)")
        }
        return created
    }

    /// Reads one listener by ARN (`DescribeListeners` with `ListenerArns`).
    /// - Returns: the listener, nil when there is none.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listener(arn: String) async throws -> Listener? {
        var parameters = QueryParameters()
        parameters.addList("ListenerArns", [arn])
        return try await nilWhenMissing(.listenerNotFound) {
            try await call("DescribeListeners", parameters).list("Listeners").first.map(Self.decodeListener)
        } ?? nil
    }

    /// The listeners of a load balancer (`DescribeListeners` with `LoadBalancerArn`, following `NextMarker`).
    /// - Returns: the listeners, none when the load balancer is gone.
    /// - Throws: `AWSError`, `AWSClientError`.
    public func listeners(loadBalancerARN: String) async throws -> [Listener] {
        try await nilWhenMissing(.loadBalancerNotFound) {
            try await Paginator.collect({ marker in
                var parameters: QueryParameters = ["LoadBalancerArn": loadBalancerARN]
                parameters["Marker"] = marker
                return try await call("DescribeListeners", parameters)
            }, items: { $0.list("Listeners").map(Self.decodeListener) }, next: { $0.string("NextMarker") })
        } ?? []
    }

    /// Changes a listener's port, protocol, policy, certificate and default action (`ModifyListener`).
    /// - Throws: `AWSError` (`ListenerNotFound`, `CertificateNotFound`, …), `AWSClientError`.
    public func modifyListener(_ listener: Listener) async throws {
        var parameters: QueryParameters = ["ListenerArn": listener.arn]
        listener.add(to: &parameters)
        _ = try await call("ModifyListener", parameters)
    }

    /// Deletes a listener (`DeleteListener`).
    /// - Throws: `AWSError` (`ListenerNotFound`), `AWSClientError`.
    public func deleteListener(_ arn: String) async throws {
        _ = try await call("DeleteListener", ["ListenerArn": arn])
    }

    static func decodeListener(_ node: XMLNode) -> Listener {
        let protocolName = node.string("Protocol") ?? ""
        let forward = node.list("DefaultActions").first { $0.string("Type") == "forward" }
        let certificate = node.list("Certificates").first { $0.string("IsDefault") != "false" }
        // Only secure listeners have a policy; some answers carry one on HTTP listeners too.
        let secure = protocolName == "HTTPS" || protocolName == "TLS"
        return Listener(arn: node.string("ListenerArn") ?? "", loadBalancerARN: node.string("LoadBalancerArn") ?? "",
                        port: int(node, "Port") ?? 0, protocolName: protocolName, sslPolicy: secure ? node.string("SslPolicy") : nil,
                        certificateARN: certificate?.string("CertificateArn"),
                        targetGroupARN: forward?.string("TargetGroupArn") ?? forward?.string("ForwardConfig/TargetGroups/member/TargetGroupArn") ?? "")
    }
}
