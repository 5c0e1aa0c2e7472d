import AWS
import Engine

extension AWSClient {
    /// The account and partition of the client's credentials: what a run compares with the
    /// state's ``StateFile/account`` before any other call, and an apply records.
    ///
    /// Credentials from STS `AssumeRole` or `AssumeRoleWithWebIdentity` (a `role_arn` profile,
    /// GitHub OIDC) already name their principal (``AWSCredentials/principalARN``, the session's
    /// `arn:PARTITION:sts::ACCOUNT:assumed-role/…`, which is what `GetCallerIdentity` answers for
    /// them), so no call is made; other credentials are asked about with STS
    /// `GetCallerIdentity`, one round trip before the run's first read.
    /// - Throws: `AWSError`, `AWSClientError` (no credentials).
    public func callerAccount() async throws -> StateAccount {
        if let arn = try await credentials().principalARN, let account = StateAccount(principalARN: arn) {
            return account
        }
        let identity = try await sts.getCallerIdentity()
        return StateAccount(id: identity.account, partition: identity.partition)
    }
}

extension StateAccount {
    /// The account and partition of a principal's ARN (`arn:aws:sts::123456789012:assumed-role/deploy/ci`
    /// gives `123456789012 (aws)`); nil when `arn` is not an ARN with a 12-digit account.
    init?(principalARN arn: String) {
        let fields = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count >= 6, fields[0] == "arn", !fields[1].isEmpty,
              fields[4].count == 12, fields[4].allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        self.init(id: String(fields[4]), partition: String(fields[1]))
    }
}
