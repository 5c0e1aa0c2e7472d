import Foundation

/// Calls AWS STS to exchange an identity for role credentials.
///
/// The credential providers use it for `role_arn` profiles and web identity (GitHub OIDC);
/// the AWS client implements it on top of the real STS client, so the providers stay free of
/// any service code.
public protocol RoleAssumer: Sendable {
    /// Calls `sts:AssumeRoleWithWebIdentity` (unsigned) with an OIDC token.
    /// - Parameters:
    ///   - roleARN: The role to assume.
    ///   - sessionName: The role session name AWS records in CloudTrail.
    ///   - webIdentityToken: The OIDC token's text.
    /// - Returns: Temporary credentials with an expiration.
    /// - Throws: The STS error (for example `InvalidIdentityToken`, `AccessDenied`).
    func assumeRoleWithWebIdentity(roleARN: String, sessionName: String, webIdentityToken: String) async throws -> AWSCredentials

    /// Calls `sts:AssumeRole`, signed with `source`.
    /// - Parameters:
    ///   - roleARN: The role to assume.
    ///   - sessionName: The role session name.
    ///   - externalID: The external id the role's trust policy requires, if any.
    ///   - source: The credentials that sign the call.
    /// - Returns: Temporary credentials with an expiration.
    /// - Throws: The STS error (for example `AccessDenied`).
    func assumeRole(roleARN: String, sessionName: String, externalID: String?, using source: AWSCredentials) async throws -> AWSCredentials
}
