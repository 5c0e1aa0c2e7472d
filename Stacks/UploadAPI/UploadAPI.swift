import ImgStack

/// Seed 001's image upload API: callers `POST /upload` an image through CloudFront; a WAF web
/// ACL filters requests; API Gateway in the stack's region checks the caller's Cognito token
/// and hands the body to a Python Lambda function that stores it in S3 only when its first
/// bytes are those of an allowed image (200 with the file name; 400 otherwise; 413 over the
/// size limit). Log groups for the function and the stage's access log are part of the stack,
/// so destroy leaves none behind; with `account_id` set, a CI deploy role that one GitHub
/// repository's branch assumes, scoped to these resources.
public let uploadAPI = Stack(
    "upload-api",
    summary: "Image upload API: CloudFront + WAF → API Gateway (Cognito authorizer) → Python Lambda → S3; CI deploy role"
) { stack in
    let settings = UploadAPISettings(stack)
    stack.resourceRegion = settings.region
    let function = UploadAPIFunction(stack, settings: settings)
    let gateway = UploadAPIGateway(stack, settings: settings, function: function)
    let edge = UploadAPIEdge(stack, settings: settings, gateway: gateway)

    stack.output("api_url", "https://\(edge.distribution.domainName)/\(UploadAPIGateway.uploadPath)",
                 description: "POST images here with Authorization: <Cognito ID token> (through CloudFront and WAF)")
    stack.output("invoke_url", gateway.stage.invokeURL, description: "The stage's own URL (API Gateway, bypassing CloudFront and WAF)")
    stack.output("user_pool_id", gateway.userPool.poolID, description: "The Cognito user pool callers sign in to")
    stack.output("client_id", gateway.client.clientID, description: "The app client to sign in with (USER_PASSWORD_AUTH)")
    stack.output("bucket", function.bucket.bucketName, description: "Where the images are stored")
    if !settings.deployment.accountID.isEmpty {
        let deployRole = UploadAPIDeployRole(stack, settings: settings)
        stack.output("deploy_role_arn", deployRole.role.arn,
                     description: "Give it to aws-actions/configure-aws-credentials as role-to-assume")
    }
}
