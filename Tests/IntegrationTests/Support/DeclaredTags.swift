/// A resource's tags as the stack declared them: AWS's tags without imgstack's own
/// (`imgstack:intent`, which every create that AWS lets tag adds for crash recovery;
/// `OwnershipRecoveryTests` checks what it is for).
func declaredTags(_ tags: [String: String]) -> [String: String] {
    tags.filter { !$0.key.hasPrefix("imgstack:") }
}
