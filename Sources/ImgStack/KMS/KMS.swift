import AWS
import Engine

/// AWS Key Management Service resources: customer managed keys and their aliases.
public enum KMS {}

extension OperationContext {
    /// KMS calls in this operation's region.
    var kms: AWS.KMS {
        get throws { try aws.kms(region: region) }
    }
}

/// Rules shared by the KMS types.
enum KMSRules {
    /// A key policy naming a principal created moments ago is refused until IAM has propagated
    /// it: `MalformedPolicyDocumentException` "…invalid principals" (KMS `PutKeyPolicy` and
    /// `CreateKey` references).
    static let newPrincipals = EventualConsistency([.init(.malformedPolicyDocumentException, messageContains: "principal")])

    /// The progress line while ``newPrincipals`` waits.
    static let notPropagated = "a principal of the key policy is not visible to KMS yet"
}
