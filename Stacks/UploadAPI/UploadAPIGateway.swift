import ImgStack

/// The regional REST API: `POST /upload`, authorized by a Cognito user pool (or by SigV4 with
/// `caller_auth=iam`; the pool and its authorizer stay, ready to switch back) and handed to the
/// upload function through a Lambda proxy integration, deployed to a stage that logs every
/// request to its own log group. Images pass through intact as binary media types.
struct UploadAPIGateway {
    let userPool: Cognito.UserPool
    let client: Cognito.UserPoolClient
    let api: APIGateway.RestAPI
    let stage: APIGateway.Stage
    /// The stage's access log group.
    let accessLogGroup: CloudWatch.LogGroup

    /// The path of the upload method, below the stage.
    static let uploadPath = "upload"
    /// One JSON line per request in the access log (API Gateway `$context` variables).
    static let accessLogFormat: Text = #"""
        {"requestId":"$context.requestId","ip":"$context.identity.sourceIp","user":"$context.authorizer.claims.sub",\#
        "requestTime":"$context.requestTime","method":"$context.httpMethod","path":"$context.resourcePath",\#
        "status":"$context.status","length":"$context.responseLength","integrationStatus":"$context.integration.status"}
        """#

    init(_ stack: StackBuilder, settings: UploadAPISettings, function: UploadAPIFunction) {
        userPool = stack.add(Cognito.UserPool("users", name: Text("\(settings.service)-users"), tags: settings.tags))
        // USER_PASSWORD_AUTH lets CI's end-to-end test user get a token with one
        // `aws cognito-idp initiate-auth` call; no secret, so no SECRET_HASH to compute.
        client = stack.add(Cognito.UserPoolClient("callers", userPoolID: userPool.poolID, name: Text("\(settings.service)-callers"),
                                                  explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]))

        api = stack.add(APIGateway.RestAPI("upload", name: Text(settings.service), description: "Image uploads (\(settings.service))",
                                           binaryMediaTypes: ["image/*"]))
        let authorizer = stack.add(APIGateway.Authorizer("users", api: api, name: "cognito-users", userPoolARNs: [userPool.arn]))
        let upload = stack.add(APIGateway.Resource("upload", api: api, parentID: api.rootResourceID, pathPart: Text(Self.uploadPath)))
        let post = stack.add(APIGateway.Method("upload_post", resource: upload, httpMethod: "POST",
                                               authorization: settings.callerAuth == .iam ? .awsIAM : .cognitoUserPools(authorizerID: authorizer.id)))
        stack.add(APIGateway.Integration("upload_post", method: post, target: .lambdaProxy(invokeARN: function.function.invokeARN)))
        stack.add(Lambda.Permission("api_upload", functionName: function.function.arn, statementID: "AllowUploadMethod",
                                    principal: "apigateway.amazonaws.com",
                                    sourceARN: api.executionARN(stage: settings.stageName, method: "POST", path: Self.uploadPath)))

        accessLogGroup = stack.add(CloudWatch.LogGroup("access", name: Text(settings.accessLogGroup),
                                                       retentionInDays: UploadAPIFunction.logRetentionDays, tags: settings.tags))
        let deployment = stack.add(APIGateway.Deployment("live", api: api))
        stage = stack.add(APIGateway.Stage("live", deployment: deployment, stageName: Text(settings.stageName),
                                           accessLog: .init(destinationARN: accessLogGroup.arn, format: Self.accessLogFormat)))
    }
}
