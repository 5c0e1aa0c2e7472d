import ImgStack

/// Who may do what: the user pool people sign in to (optionally through Google or Facebook),
/// its app client, and the identity pool with the seed's RBAC — guests may only list and read,
/// signed-in users may also write and delete, but only under their own prefix
/// `${cognito-identity.amazonaws.com:sub}/`.
struct ImageServerIdentity {
    let userPool: Cognito.UserPool
    let client: Cognito.UserPoolClient
    let identityPool: Cognito.IdentityPool
    /// The hosted UI domain prefix, empty without federation.
    let hostedUIDomain: String

    init(_ stack: StackBuilder, settings: ImageServerSettings, storage: ImageServerStorage) {
        let service = settings.service
        userPool = stack.add(Cognito.UserPool("users", name: "\(service)-users", autoVerifiedAttributes: ["email"],
                                              usernameAttributes: ["email"], tags: settings.tags))
        let providers = Self.federatedProviders(stack, settings: settings, userPool: userPool)
        hostedUIDomain = providers.isEmpty ? "" : settings.authDomain
        if !providers.isEmpty {
            stack.add(Cognito.UserPoolDomain("users", domain: Text(settings.authDomain), userPoolID: userPool.poolID))
        }
        let federated = !providers.isEmpty
        var web = Cognito.UserPoolClient(
            "web", userPoolID: userPool.poolID, name: "\(service)-web",
            allowedOAuthFlows: federated ? ["implicit"] : [],
            allowedOAuthScopes: federated ? ["openid", "email", "profile"] : [],
            callbackURLs: federated ? [Text(settings.callbackURL)] : [],
            logoutURLs: federated ? [Text(settings.callbackURL)] : [],
            supportedIdentityProviders: federated ? (["COGNITO"] + settings.providerNames).map { Text($0) } : [],
            // The site signs in with USER_PASSWORD_AUTH (no SDK needed) and refreshes its tokens.
            explicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"])
        // The client names the providers, which must exist first.
        web.dependsOn += providers.map(\.address)
        client = stack.add(web)

        identityPool = stack.add(Cognito.IdentityPool(
            "identities", name: Text(settings.identityPoolName), allowUnauthenticatedIdentities: true,
            cognitoIdentityProviders: [.init(providerName: userPool.endpoint, clientID: client.clientID)], tags: settings.tags))

        let bucket = storage.bucket
        let readAll = PolicyDocument([
            Statement(sid: "ListImages", effect: .allow, actions: ["s3:ListBucket"], resources: [bucket.arn]),
            Statement(sid: "ReadImages", effect: .allow, actions: ["s3:GetObject"], resources: ["\(bucket.arn)/*"]),
            Statement(sid: "DecryptImages", effect: .allow, actions: ["kms:Decrypt"], resources: [storage.key.arn]),
        ])
        let writeOwn = PolicyDocument([
            Statement(sid: "WriteOwnImages", effect: .allow, actions: ["s3:PutObject", "s3:DeleteObject"],
                      resources: ["\(bucket.arn)/${cognito-identity.amazonaws.com:sub}/*"]),
            Statement(sid: "EncryptImages", effect: .allow, actions: ["kms:GenerateDataKey"], resources: [storage.key.arn]),
        ])
        let guest = stack.add(IAM.Role("guest", name: "\(service)-guest", assumeRolePolicy: Self.trust(identityPool, "unauthenticated"),
                                       description: "Guests of the \(service) album: list and read images",
                                       inlinePolicies: ["read-images": readAll], tags: settings.tags))
        let user = stack.add(IAM.Role("user", name: "\(service)-user", assumeRolePolicy: Self.trust(identityPool, "authenticated"),
                                      description: "Signed-in users of the \(service) album: read all, write and delete their own",
                                      inlinePolicies: ["read-images": readAll, "write-own-images": writeOwn], tags: settings.tags))
        stack.add(Cognito.IdentityPoolRoles("identities", identityPoolID: identityPool.poolID,
                                            authenticatedRole: user.arn, unauthenticatedRole: guest.arn))
    }

    /// Lets the identity pool hand out the role's credentials to guests or to signed-in users.
    private static func trust(_ pool: Cognito.IdentityPool, _ kind: String) -> PolicyDocument {
        PolicyDocument([
            Statement(effect: .allow, actions: ["sts:AssumeRoleWithWebIdentity"], principal: .federated("cognito-identity.amazonaws.com"),
                      conditions: [.stringEquals("cognito-identity.amazonaws.com:aud", [pool.poolID]),
                                   .forAnyValueStringLike("cognito-identity.amazonaws.com:amr", [Text(kind)])]),
        ])
    }

    /// Google and Facebook sign-in, for the apps whose credentials are set.
    private static func federatedProviders(_ stack: StackBuilder, settings: ImageServerSettings,
                                           userPool: Cognito.UserPool) -> [Cognito.IdentityProvider] {
        var providers: [Cognito.IdentityProvider] = []
        if let google = settings.google {
            providers.append(stack.add(Cognito.IdentityProvider(
                "google", userPoolID: userPool.poolID, providerName: "Google", providerType: "Google",
                clientID: Text(google.clientID), clientSecret: Text(google.clientSecret), authorizeScopes: "openid email profile",
                attributeMapping: ["email": "email", "username": "sub"])))
        }
        if let facebook = settings.facebook {
            providers.append(stack.add(Cognito.IdentityProvider(
                "facebook", userPoolID: userPool.poolID, providerName: "Facebook", providerType: "Facebook",
                clientID: Text(facebook.clientID), clientSecret: Text(facebook.clientSecret), authorizeScopes: "public_profile,email",
                attributeMapping: ["email": "email", "username": "id"])))
        }
        return providers
    }
}
