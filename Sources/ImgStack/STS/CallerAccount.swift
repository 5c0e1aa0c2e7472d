import AWS
import Engine

extension AWSClient {
    /// The account and partition of the client's credentials: what a run compares with the
    /// state's ``StateFile/account`` before any call on the stack's resources, and an apply records.
    ///
    /// Credentials from STS `AssumeRole` or `AssumeRoleWithWebIdentity` (a `role_arn` profile,
    /// a web identity token) already name their principal (``AWSCredentials/principalARN``, the
    /// session's `arn:PARTITION:sts::ACCOUNT:assumed-role/…`, which is what `GetCallerIdentity`
    /// answers for them), so no call is made; other credentials are asked about with STS
    /// `GetCallerIdentity`, one round trip.
    /// - Throws: `AWSError`, `AWSClientError` (no credentials).
    public func callerAccount() async throws -> StateAccount {
        if let arn = try await credentialsPrincipalARN(), let principal = AWS.STS.PrincipalARN(arn), let account = principal.account {
            return StateAccount(id: account, partition: principal.partition)
        }
        let identity = try await sts.getCallerIdentity()
        return StateAccount(id: identity.account, partition: identity.partition)
    }
}
