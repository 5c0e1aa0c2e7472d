/// AWS Key Management Service resources: customer managed keys and their aliases.
public enum KMS {}
