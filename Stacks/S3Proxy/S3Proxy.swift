import Foundation
import ImgStack

/// Seed 003's S3 proxy for Kubernetes, the AWS half: a private bucket with sample content, a
/// policy allowing exactly what the proxy does (read objects; list the bucket so a missing key is
/// a 404, not a 403), a role the proxy pod assumes as its service account through the cluster's
/// OIDC provider, and an ECR repository for the proxy's image with a lifecycle policy. Helm and
/// kubectl stay outside; `imgstack output --json` feeds them.
///
/// The cluster's OIDC issuer comes from the cluster's own stack (a stack reference, when
/// `cluster_stack` names it) or from `oidc_issuer`, so the stack plans with no other stack present.
public let s3Proxy = Stack(
    "s3-proxy",
    summary: "Private bucket with content, a pod role through the cluster's OIDC (IRSA), and an ECR repository"
) { stack in
    let bucketPrefix = stack.variable("s3_bucket_prefix", default: "s3proxy-bucket",
                                      description: "Prefix of the bucket's name (<prefix>-<eks_namespace>, unique in S3)")
    let namespace = stack.variable("eks_namespace", default: "s3proxy", description: "The proxy's Kubernetes namespace")
    let serviceAccount = stack.variable("eks_service_account_name", default: "s3proxy",
                                        description: "The Kubernetes service account the proxy pod runs as")
    let imageName = stack.variable("docker_image_name", default: "s3proxy-api", description: "The ECR repository's name")
    let tags = stack.variable("tags", default: ["CostCenter": "Automation", "Project": "S3Proxy"],
                              description: "Tags of every resource")
    let clusterStack = stack.variable("cluster_stack", default: "",
                                      description: "The cluster's imgstack stack, whose outputs give the OIDC issuer and provider (empty: use oidc_issuer)")
    let clusterBackend = stack.variable("cluster_backend", default: "",
                                        description: "Where the cluster stack's state is (s3://BUCKET/KEY); empty for this run's state directory")
    let givenIssuer = stack.variable("oidc_issuer", default: "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
                                     description: "The cluster's OIDC issuer URL, when cluster_stack is empty")
    let givenProvider = stack.variable("oidc_provider_arn", default: "",
                                       description: "The cluster's IAM OIDC provider ARN, when cluster_stack is empty (empty: this account's provider for oidc_issuer)")
    for (name, value) in [("eks_namespace", namespace), ("eks_service_account_name", serviceAccount)] where !isKubernetesName(value) {
        stack.invalid("var.\(name)", "\"\(value)\" is not a Kubernetes name: lowercase letters, digits and '-', at most 63 characters")
    }
    let tagged = tags.mapValues { Text($0) }
    if clusterStack.isEmpty && !clusterBackend.isEmpty {
        stack.invalid("var.cluster_backend", "is set but cluster_stack is empty; name the cluster's stack with --var cluster_stack=NAME")
    }
    if clusterStack.isEmpty && givenIssuer.contains("EXAMPLE") {
        stack.warn("oidc_issuer is the example issuer: the pod role trusts no real cluster. Set --var cluster_stack=NAME or --var oidc_issuer=URL.")
    }

    let repository = stack.add(ECR.Repository("image", name: Text(imageName), scanOnPush: true, tags: tagged))
    stack.add(ECR.LifecyclePolicy("image", repository: repository, rules: [
        .expireUntagged(afterDays: 7, description: "Untagged images go after a week"),
        .keepLast(20, description: "Keep the last 20 images"),
    ]))

    let bucket = stack.add(S3.Bucket("content", bucket: Text("\(bucketPrefix)-\(namespace)"), encryption: .s3Managed,
                                     publicAccessBlock: S3.PublicAccessBlock(), ownership: .bucketOwnerEnforced, tags: tagged,
                                     forceDestroy: true))
    stack.add(S3.BucketPolicy("content", bucket: bucket.bucketName, policy: PolicyDocument([
        Statement(sid: "DenyWithoutTLS", effect: .deny, actions: ["s3:*"], resources: [bucket.arn, "\(bucket.arn)/*"],
                  principal: .anyone, conditions: [.bool("aws:SecureTransport", false)]),
    ])))
    stack.add(S3.Objects("content", bucket: bucket.bucketName, directory: S3ProxyFiles.content))

    let issuer: Text
    let provider: Text
    if clusterStack.isEmpty {
        issuer = Text(givenIssuer)
        provider = givenProvider.isEmpty
            ? "arn:aws:iam::\(repository.registryID):oidc-provider/\(Text(givenIssuer).trimmingPrefix("https://"))"
            : Text(givenProvider)
    } else {
        let cluster = stack.reference("cluster", stack: clusterStack, backend: clusterBackend.isEmpty ? nil : clusterBackend)
        issuer = cluster.output("cluster_oidc_issuer_url")
        provider = cluster.output("oidc_provider_arn")
    }
    let role = stack.add(IAM.Role("pod", name: "\(namespace)-\(serviceAccount)-s3proxy",
                                  assumeRolePolicy: .assumableByServiceAccount(serviceAccount, namespace: namespace,
                                                                               oidcProviderARN: provider, issuer: issuer),
                                  description: "Assumed by the \(namespace)/\(serviceAccount) service account to read the content bucket",
                                  tags: tagged))
    let read = stack.add(IAM.Policy("read", name: "\(namespace)-\(serviceAccount)-s3proxy-read", document: PolicyDocument([
        Statement(sid: "ReadObjects", effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"]),
        Statement(sid: "ListForNotFound", effect: .allow, actions: ["s3:ListBucket"], resources: [bucket.arn]),
    ]), description: "Read the s3-proxy content bucket", tags: tagged))
    stack.add(IAM.RolePolicyAttachment("read", role: role.roleName, policyARN: read.arn))

    stack.output("role_arn", role.arn, description: "eks.amazonaws.com/role-arn annotation of the service account")
    stack.output("bucket", bucket.bucketName, description: "S3_BUCKET of the proxy")
    stack.output("image_repository", repository.repositoryURL, description: "Where docker push sends the proxy's image")
    stack.output("region", Text(stack.region), description: "AWS_REGION of the proxy")
    stack.output("namespace", Text(namespace), description: "The Helm release's namespace")
    stack.output("service_account", Text(serviceAccount), description: "The service account the Helm chart creates")
}

/// The stack's own files, in the `Stacks` module's resource bundle.
enum S3ProxyFiles {
    /// The sample content uploaded into the bucket (`content/`).
    static var content: URL {
        Bundle.module.url(forResource: "content", withExtension: nil) ?? Bundle.module.bundleURL.appendingPathComponent("content")
    }
}

/// A Kubernetes object name (RFC 1123 label): lowercase letters, digits and `-`, 1–63
/// characters, starting and ending with a letter or digit.
private func isKubernetesName(_ text: String) -> Bool {
    guard (1...63).contains(text.count), let first = text.first, let last = text.last,
          first.isLetter || first.isNumber, last.isLetter || last.isNumber else { return false }
    return text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "-" }
}
