import Engine

extension PolicyDocument {
    /// The trust policy of a role that a Kubernetes service account assumes through its EKS
    /// cluster's OIDC provider (IAM roles for service accounts): `sts:AssumeRoleWithWebIdentity`
    /// for the provider, limited to one service account (`<issuer>:sub` =
    /// `system:serviceaccount:<namespace>:<name>`) and to STS as the token's audience
    /// (`<issuer>:aud` = `sts.amazonaws.com`), so nobody writes those condition keys by hand.
    ///
    /// ```swift
    /// let cluster = stack.reference("cluster", stack: "eks-cluster")
    /// stack.add(IAM.Role("pod", name: "s3proxy-pod", assumeRolePolicy: .assumableByServiceAccount(
    ///     "s3proxy", namespace: "s3proxy",
    ///     oidcProviderARN: cluster.output("oidc_provider_arn"), issuer: cluster.output("oidc_issuer"))))
    /// ```
    ///
    /// Source: Amazon EKS User Guide, "Assign IAM roles to Kubernetes service accounts" (the
    /// trust policy's `Federated` principal and its `:sub` and `:aud` conditions).
    /// - Parameters:
    ///   - serviceAccount: the service account's name.
    ///   - namespace: its namespace.
    ///   - oidcProviderARN: the IAM OIDC provider of the cluster
    ///     (`arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID`).
    ///   - issuer: the cluster's OIDC issuer, with or without `https://`.
    public static func assumableByServiceAccount(_ serviceAccount: String, namespace: String, oidcProviderARN: Text,
                                                 issuer: Text) -> PolicyDocument {
        let host = issuer.trimmingPrefix("https://")
        let subject = quoted(Text("system:serviceaccount:\(namespace):\(serviceAccount)"))
        var document = PolicyDocument([])
        document.template = """
            {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":\(quoted(oidcProviderARN))},\
            "Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{\
            \(quoted("\(host):sub")):\(subject),\(quoted("\(host):aud")):"sts.amazonaws.com"}}}]}
            """
        return document
    }

    /// `text` as a JSON string: escaped when known now; a reference is placed between quotes
    /// (issuers and ARNs hold no character JSON escapes).
    private static func quoted(_ text: Text) -> Text {
        if let literal = text.literal { return Text(Engine.Value.string(literal).canonicalJSON) }
        return "\"\(text)\""
    }
}
