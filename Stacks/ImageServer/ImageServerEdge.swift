import Foundation
import ImgStack

/// The Lambda@Edge function that checks the Cognito ID token of every write reaching
/// CloudFront (`edge-auth/`), and the role it runs as. Lambda@Edge takes no environment
/// variables, so the pool and client ids travel in a `config.json` written into the package.
struct ImageServerEdge {
    let function: Lambda.Function
    /// The function's timeout in seconds (viewer-request functions may run 5 at most).
    static let timeoutSeconds = 5

    init(_ stack: StackBuilder, settings: ImageServerSettings, identity: ImageServerIdentity) {
        let functionName = "\(settings.service)-edge-auth"
        // Lambda@Edge writes its logs in every region it runs in, under a prefixed group name.
        let logGroups = "arn:aws:logs:*:*:log-group:/aws/lambda/us-east-1.\(functionName):*"
        let role = stack.add(IAM.Role(
            "edge-auth", name: "\(settings.service)-edge-auth",
            assumeRolePolicy: PolicyDocument([
                Statement(effect: .allow, actions: ["sts:AssumeRole"],
                          principal: .service(["lambda.amazonaws.com", "edgelambda.amazonaws.com"])),
            ]),
            description: "Runs the \(settings.service) Lambda@Edge token check",
            inlinePolicies: ["logs": PolicyDocument([
                Statement(sid: "WriteOwnLogs", effect: .allow,
                          actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], resources: [Text(logGroups)]),
            ])],
            tags: settings.tags))
        let config: Text = """
            {"region": "\(stack.region)", "userPoolId": "\(identity.userPool.poolID)", \
            "clientId": "\(identity.client.clientID)", "identityPoolId": "\(identity.identityPool.poolID)"}

            """
        function = stack.add(Lambda.Function(
            "edge-auth", functionName: Text(functionName), source: ImageServerFiles.edgeAuthSource,
            runtime: "nodejs20.x", handler: "index.handler", role: role.arn,
            memorySize: 128, timeout: Self.timeoutSeconds, files: ["config.json": config], edge: true, tags: settings.tags))
    }
}
