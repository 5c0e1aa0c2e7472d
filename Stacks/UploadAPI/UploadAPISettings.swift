import AWS
import ImgStack

/// The upload API's variables, read once, with the checks that span several of them.
struct UploadAPISettings {
    /// The content types the upload function recognises by their first bytes (`upload/upload.py`).
    static let recognisedTypes = ["image/jpeg", "image/png", "image/gif", "image/webp"]
    /// The largest `max_upload_bytes` that can reach the function: Lambda takes at most 6 MB in a
    /// synchronous invocation's payload (Lambda quotas, "Invocation payload"), and API Gateway puts
    /// the body in it base64-encoded (4 characters for every 3 bytes) beside the request's other
    /// fields; 4,500,000 bytes encode to 6,000,000 characters, so this leaves room for them.
    static let largestUpload = 4_400_000
    /// The region of the web ACL: a `CLOUDFRONT` web ACL lives in `us-east-1`.
    static let webACLRegion = "us-east-1"

    /// Added to every name.
    let service: String
    /// Where the API, the function, the pool and the bucket live.
    let region: String
    /// The bucket images are stored in.
    let bucketName: String
    /// The content types accepted, a subset of ``recognisedTypes``.
    let allowedTypes: [String]
    /// The largest image accepted, in bytes.
    let maxUploadBytes: Int
    /// Requests one IP address may make in 5 minutes before WAF blocks it.
    let wafRateLimit: Int
    /// The API Gateway stage, and CloudFront's origin path.
    let stageName: String
    /// How callers of `POST /upload` prove who they are.
    let callerAuth: CallerAuth
    /// Delete the stored images with the bucket on destroy.
    let deleteImagesOnDestroy: Bool
    /// The CI deploy role's settings.
    let deployment: DeploySettings

    /// How callers of `POST /upload` prove who they are.
    enum CallerAuth: String {
        /// A Cognito ID token of the stack's user pool in `Authorization` (the seed's way).
        case cognito
        /// A SigV4 signature by an IAM principal allowed `execute-api:Invoke` (other AWS workloads).
        case iam
    }

    /// Who may deploy the stack from CI, and the account it deploys into.
    struct DeploySettings {
        /// The AWS account, 12 digits; empty leaves the CI deploy role out.
        let accountID: String
        /// `owner/name` of the GitHub repository whose workflow may assume the role.
        let repository: String
        /// The only branch that may.
        let branch: String
        /// The bucket holding imgstack state (`--backend s3://BUCKET/…`).
        let stateBucket: String
    }

    init(_ stack: StackBuilder) {
        service = stack.variable("service", default: "upload-api", description: "Prefix of every name")
        region = stack.variable("region", default: "eu-west-2",
                                description: "Region of the API, the function, the user pool and the bucket (the web ACL is in us-east-1)")
        bucketName = stack.variable("bucket_name", default: "\(service)-images-\(region)",
                                    description: "S3 bucket the images are stored in (globally unique: set your own)")
        allowedTypes = stack.variable("allowed_types", default: Self.recognisedTypes,
                                      description: "Image content types accepted: any of \(Self.recognisedTypes.joined(separator: ", "))")
        maxUploadBytes = stack.variable("max_upload_bytes", default: 4 * 1024 * 1024, description: "Largest image accepted, in bytes")
        wafRateLimit = stack.variable("waf_rate_limit", default: 500,
                                      description: "Requests one IP address may make in 5 minutes before WAF blocks it (10 or more)")
        stageName = stack.variable("stage", default: "prod", description: "API Gateway stage name, the last part of the invoke URL")
        let auth = stack.variable("caller_auth", default: CallerAuth.cognito.rawValue,
                                  description: "How callers authenticate: cognito (an ID token of the user pool) or iam (SigV4)")
        callerAuth = CallerAuth(rawValue: auth) ?? .cognito
        if CallerAuth(rawValue: auth) == nil {
            stack.invalid("var.caller_auth", "\"\(auth)\" must be cognito or iam")
        }
        deleteImagesOnDestroy = stack.variable("delete_images_on_destroy", default: false,
                                               description: "Let destroy delete the bucket with the stored images in it")
        deployment = DeploySettings(
            accountID: stack.variable("account_id", default: "",
                                      description: "AWS account the CI deploy role deploys into (12 digits); empty leaves the role out"),
            repository: stack.variable("github_repository", default: "example-org/upload-api",
                                       description: "owner/name of the only GitHub repository allowed to deploy"),
            branch: stack.variable("branch", default: "main", description: "The only branch allowed to deploy"),
            stateBucket: stack.variable("state_bucket", default: "upload-api-state", description: "The S3 bucket holding imgstack state"))
        check(stack)
    }

    private func check(_ stack: StackBuilder) {
        if AWSRegions.partition(of: region) == nil {
            stack.invalid("var.region", "\"\(region)\" is not a known AWS region (such as eu-west-2)")
        }
        let unknown = allowedTypes.filter { !Self.recognisedTypes.contains($0) }
        if !unknown.isEmpty || allowedTypes.isEmpty {
            stack.invalid("var.allowed_types",
                          "\(allowedTypes) must be one or more of \(Self.recognisedTypes.joined(separator: ", ")): the function recognises only these")
        }
        if !(1...Self.largestUpload).contains(maxUploadBytes) {
            stack.invalid("var.max_upload_bytes",
                          "\(maxUploadBytes) must be 1 to \(Self.largestUpload): the body reaches Lambda base64-encoded in a payload of at most 6 MB")
        }
        if stageName.isEmpty || !stageName.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            stack.invalid("var.stage", "\"\(stageName)\" must be letters, digits, '-' and '_' (it is a URL path segment)")
        }
        let account = deployment.accountID
        if !account.isEmpty, account.count != 12 || !account.allSatisfy(\.isNumber) {
            stack.invalid("var.account_id", "\"\(account)\" is not a 12-digit AWS account id")
        }
        let repository = deployment.repository.split(separator: "/", omittingEmptySubsequences: false)
        if repository.count != 2 || repository.contains(where: \.isEmpty) {
            stack.invalid("var.github_repository", "\"\(deployment.repository)\" must be owner/name")
        }
        if account.isEmpty {
            stack.warn("account_id is empty: the CI deploy role is left out. Set --var account_id=<12 digits> to add it.")
        }
    }

    /// Tags put on what can carry them.
    var tags: [String: Text] { ["service": Text(service), "stack": "upload-api"] }

    /// The upload function's name.
    var functionName: String { "\(service)-upload" }
    /// The upload function's log group (the name Lambda writes to).
    var functionLogGroup: String { "/aws/lambda/\(functionName)" }
    /// The stage's access log group.
    var accessLogGroup: String { "/aws/apigateway/\(service)-access" }
}
