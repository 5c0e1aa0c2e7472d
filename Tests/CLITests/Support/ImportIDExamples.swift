/// For every resource type imgstack ships, an `imgstack import` id of the form the type documents
/// (docs/resources, README) and ids that cannot name one. `ImportIDTests` holds every type's
/// `validateImportID` to them; `ImportRefusalTests` runs the CLI with the malformed ones.
enum ImportIDExamples {
    /// One example per type name.
    struct Example {
        /// An id of the documented form.
        var valid: String
        /// Ids that cannot be one, the first the most likely mistake (a name for an ARN, an ARN for a name).
        var malformed: [String]
    }

    static let account = "123456789012"
    static let keyID = "1234abcd-12ab-34cd-56ef-1234567890ab"
    static let bucket = "images-data-1234"
    static let userPool = "us-east-1_aB3dE5fG7"
    static let identityPool = "us-east-1:1cf667a2-49a6-454b-9e45-23199e0a1234"
    static let loadBalancer = "arn:aws:elasticloadbalancing:us-east-1:\(account):loadbalancer/app/web/50dc6c495c0c9188"

    /// Keyed by type name (`sns.topic`); a registered type missing here fails `ImportIDTests`.
    static let byType: [String: Example] = [
        "s3.bucket": Example(valid: bucket, malformed: ["Images_Data", "arn:aws:s3:::\(bucket)", "ab"]),
        "s3.bucket_policy": Example(valid: bucket, malformed: ["Images_Data", "\(bucket)/policy"]),
        "s3.bucket_notification": Example(valid: bucket, malformed: ["Images_Data", "s3://\(bucket)"]),
        "s3.object": Example(valid: "\(bucket)/site/index.html", malformed: ["index.html", "\(bucket)/", "Images_Data/index.html"]),
        "s3.objects": Example(valid: "\(bucket)/site/", malformed: [bucket, "Images_Data/site/"]),
        "kms.key": Example(valid: keyID, malformed: ["not-a-key", "alias/images-data", "arn:aws:kms:us-east-1:\(account):alias/images"]),
        "kms.alias": Example(valid: "alias/images-data", malformed: ["images-data", "alias/aws/s3"]),
        "kms.key_policy": Example(valid: "arn:aws:kms:us-east-1:\(account):key/\(keyID)", malformed: ["images-data-key", "alias/images-data"]),
        "iam.role": Example(valid: "image-server-lambda", malformed: ["arn:aws:iam::123:role/x/", "image server", String(repeating: "r", count: 65)]),
        "iam.policy": Example(valid: "arn:aws:iam::\(account):policy/service/upload-access",
                              malformed: ["upload-access", "arn:aws:iam::\(account):role/upload", "arn:aws:iam::\(account):policy/"]),
        "iam.role_policy_attachment": Example(valid: "upload/arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
                                              malformed: ["upload", "upload/AWSLambdaBasicExecutionRole", "/arn:aws:iam::aws:policy/ReadOnlyAccess"]),
        "iam.instance_profile": Example(valid: "web-servers", malformed: ["arn:aws:iam::\(account):instance-profile/web-servers", "web servers"]),
        "iam.openid_connect_provider": Example(valid: "arn:aws:iam::\(account):oidc-provider/token.actions.githubusercontent.com",
                                               malformed: ["https://token.actions.githubusercontent.com", "token.actions.githubusercontent.com"]),
        "cloudfront.origin_access_control": Example(valid: "E2QWRUHEXAMPLE", malformed: ["e2qwruhexample", "site-oac"]),
        "cloudfront.response_headers_policy": Example(valid: "67f7725c-6f97-4210-82d7-5512b31e9d03", malformed: ["security-headers", "67f7725c"]),
        "cloudfront.distribution": Example(valid: "E2QWRUHEXAMPLE", malformed: ["e2qwruhexample", "d111111abcdef8.cloudfront.net",
                                                                                "arn:aws:cloudfront::\(account):distribution/E2QWRUHEXAMPLE"]),
        "cognito.user_pool": Example(valid: userPool, malformed: ["images-users", "us-east-1-aB3dE5fG7"]),
        "cognito.user_pool_client": Example(valid: "\(userPool)/1example23456789", malformed: ["1example23456789", "\(userPool)/", "images-users/1example23456789"]),
        "cognito.user_pool_domain": Example(valid: "images-login", malformed: ["Images-Login", "login.example.com", "-login"]),
        "cognito.identity_provider": Example(valid: "\(userPool)/Google", malformed: ["Google", "\(userPool)/"]),
        "cognito.identity_pool": Example(valid: identityPool, malformed: ["images-identities", "1cf667a2-49a6-454b-9e45-23199e0a1234"]),
        "cognito.identity_pool_roles": Example(valid: identityPool, malformed: ["images-identities", "us-east-1:ZZZ"]),
        "lambda.function": Example(valid: "image-resize", malformed: ["image resize", "arn:aws:lambda:us-east-1:\(account):function:image-resize",
                                                                      String(repeating: "f", count: 65)]),
        "lambda.permission": Example(valid: "image-resize:live/AllowSNS",
                                     malformed: ["image-resize", "image resize/AllowSNS", "image-resize/Allow SNS", "image-resize/"]),
        "cloudwatch.metric_alarm": Example(valid: "image-server 5xx errors", malformed: [String(repeating: "a", count: 256), "errors\tnow"]),
        "cloudwatch.log_group": Example(valid: "/aws/lambda/image-resize", malformed: ["arn:aws:logs:us-east-1:\(account):log-group:/aws/lambda/x", "/aws/lambda/image resize"]),
        "sns.topic": Example(valid: "arn:aws:sns:us-east-1:\(account):alerts", malformed: ["not-an-arn", "alerts", "arn:aws:sns:us-east-1:123:alerts"]),
        "sns.topic_subscription": Example(valid: "arn:aws:sns:us-east-1:\(account):alerts:5b8c4d0e-1f2a-4b3c-9d8e-7f6a5b4c3d2e",
                                          malformed: ["arn:aws:sns:us-east-1:\(account):alerts", "ops@example.com"]),
        "ssm.parameter": Example(valid: "/images/api-key", malformed: ["images/api-key", "/images/api key"]),
        "ecr.repository": Example(valid: "team/images", malformed: ["Team/Images", "\(account).dkr.ecr.us-east-1.amazonaws.com/team/images:latest", "a"]),
        "ecr.lifecycle_policy": Example(valid: "team/images", malformed: ["Team/Images", "arn:aws:ecr:us-east-1:\(account):repository/team/images"]),
        "apigateway.rest_api": Example(valid: "a1b2c3d4e5", malformed: ["upload-api", "A1B2C3D4E5"]),
        "apigateway.resource": Example(valid: "a1b2c3d4e5/x9y8z7", malformed: ["x9y8z7", "a1b2c3d4e5/upload/x9y8z7"]),
        "apigateway.method": Example(valid: "a1b2c3d4e5/x9y8z7/GET", malformed: ["a1b2c3d4e5/x9y8z7", "a1b2c3d4e5/x9y8z7/FETCH", "a1b2c3d4e5/x9y8z7/get"]),
        "apigateway.integration": Example(valid: "a1b2c3d4e5/x9y8z7/POST", malformed: ["a1b2c3d4e5/x9y8z7", "a1b2c3d4e5//POST"]),
        "apigateway.authorizer": Example(valid: "a1b2c3d4e5/abc123", malformed: ["abc123", "a1b2c3d4e5/cognito users"]),
        "apigateway.deployment": Example(valid: "a1b2c3d4e5/dep123", malformed: ["dep123", "a1b2c3d4e5/dep123/extra"]),
        "apigateway.stage": Example(valid: "a1b2c3d4e5/prod", malformed: ["prod", "a1b2c3d4e5/prod stage"]),
        "wafv2.web_acl": Example(valid: "0fb1d8f5-689b-4c77-a141-7e844608d687/upload-api/CLOUDFRONT",
                                 malformed: ["upload-api", "0fb1d8f5/upload-api/GLOBAL", "0fb1d8f5-689b-4c77-a141-7e844608d687/upload api/REGIONAL"]),
        "ec2.security_group": Example(valid: "sg-0123456789abcdef0", malformed: ["web-servers", "sg-xyz", "sg-0123456789ABCDEF0"]),
        "ec2.security_group_rule": Example(valid: "sgr-0123456789abcdef0", malformed: ["sg-0123456789abcdef0", "sgr-http"]),
        "ec2.launch_template": Example(valid: "lt-0123456789abcdef0", malformed: ["web-template", "lt-web"]),
        "autoscaling.group": Example(valid: "web-servers", malformed: [String(repeating: "g", count: 256), "web\tservers"]),
        "autoscaling.scaling_policy": Example(valid: "web-servers/cpu-50", malformed: ["cpu-50", "web-servers/", "/cpu-50"]),
        "elbv2.load_balancer": Example(valid: loadBalancer, malformed: ["web", "arn:aws:elasticloadbalancing:us-east-1:\(account):targetgroup/web/73e2d6bc24d8a067"]),
        "elbv2.target_group": Example(valid: "arn:aws:elasticloadbalancing:us-east-1:\(account):targetgroup/web/73e2d6bc24d8a067",
                                      malformed: ["web", loadBalancer]),
        "elbv2.listener": Example(valid: "arn:aws:elasticloadbalancing:us-east-1:\(account):listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
                                  malformed: ["web:443", loadBalancer]),
    ]
}
