import ImgStack

/// The Cognito user pool and app client users sign in with, and the SSM parameters the app reads
/// their ids and the client secret from (the secret as a SecureString under the stack's key).
struct FileUploadAppIdentity {
    let userPool: Cognito.UserPool
    let client: Cognito.UserPoolClient
    /// `<prefix>/user_pool_id`, `<prefix>/client_id`, `<prefix>/client_secret` (SecureString).
    let userPoolIDParameter: SSM.Parameter
    let clientIDParameter: SSM.Parameter
    let clientSecretParameter: SSM.Parameter

    /// Every parameter, for the instance role.
    var parameters: [SSM.Parameter] { [userPoolIDParameter, clientIDParameter, clientSecretParameter] }
    /// The parameters' names, as the app reads them.
    var parameterNames: [String] { parameters.compactMap(\.parameterName.literal) }

    init(_ stack: StackBuilder, settings: FileUploadAppSettings, key: KMS.Key) {
        userPool = stack.add(Cognito.UserPool("users", name: Text("\(settings.service)-users"), autoVerifiedAttributes: ["email"],
                                              usernameAttributes: ["email"], tags: settings.tags))
        client = stack.add(Cognito.UserPoolClient("app", userPoolID: userPool.poolID, name: Text("\(settings.service)-app"),
                                                  generateSecret: true,
                                                  explicitAuthFlows: ["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_PASSWORD_AUTH"]))
        let prefix = settings.parameterPrefix
        userPoolIDParameter = stack.add(SSM.Parameter("user_pool_id", name: Text("\(prefix)/user_pool_id"), value: userPool.poolID,
                                                      description: "The Cognito user pool the app signs users in to", tags: settings.tags))
        clientIDParameter = stack.add(SSM.Parameter("client_id", name: Text("\(prefix)/client_id"), value: client.clientID,
                                                    description: "The Cognito app client id", tags: settings.tags))
        clientSecretParameter = stack.add(SSM.Parameter("client_secret", name: Text("\(prefix)/client_secret"), type: .secureString,
                                                        value: client.clientSecret, description: "The Cognito app client secret",
                                                        keyID: key.arn, tags: settings.tags))
    }
}
