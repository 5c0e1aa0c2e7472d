/// What this build of imgstack is: its version and the git commit it was built from.
///
/// The commit is written at build time by the `BuildCommitStamp` plugin (`Plugins/`), which asks
/// git on every build; no network is involved and nothing generated is checked in.
public enum BuildInfo {
    /// imgstack's version (semantic versioning).
    public static let version = "0.1.0"

    /// The full git commit hash of the sources this binary was built from, or `unknown` when it
    /// was built outside a git checkout.
    public static let commit = buildCommit

    /// True when tracked files differed from ``commit`` at build time.
    public static let modified = buildCommitModified

    /// `imgstack 0.1.0 (commit 1f2e…, with uncommitted changes)`: what `imgstack --version` prints.
    public static var versionLine: String {
        "imgstack \(version) (commit \(commit)\(modified ? ", with uncommitted changes" : ""))"
    }
}
