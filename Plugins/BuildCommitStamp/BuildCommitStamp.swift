import Foundation
import PackagePlugin

/// Writes the git commit the package is built from into the target, on every build.
///
/// A prebuild command runs before each build, so the commit can never go stale the way a
/// checked-in generated file would; the file is rewritten only when its text changes, so an
/// unchanged commit recompiles nothing. It runs `git` from the system (`/bin/sh`, then `git` on
/// the PATH), reads only the local repository and needs no network. Outside a git checkout (a
/// source archive), or without git, the commit is `unknown`.
@main
struct BuildCommitStamp: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "Generated")
        let file = output.appending(path: "BuildCommit.swift")
        // $1: the package's directory; $2: the file to write. `diff --quiet HEAD` says whether
        // tracked files differ from the commit (a build of edited sources).
        let script = """
            commit=$(git -C "$1" rev-parse HEAD 2>/dev/null) || commit=unknown
            modified=false
            if [ "$commit" != unknown ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then modified=true; fi
            text="// Written by the BuildCommitStamp plugin on every build; not checked in.
            let buildCommit = \\"$commit\\"
            let buildCommitModified = $modified"
            mkdir -p "$(dirname "$2")"
            [ "$(cat "$2" 2>/dev/null)" = "$text" ] || printf '%s\\n' "$text" > "$2"
            """
        return [.prebuildCommand(displayName: "Stamping the build with its git commit", executable: URL(fileURLWithPath: "/bin/sh"),
                                 arguments: ["-c", script, "sh", context.package.directoryURL.path, file.path],
                                 outputFilesDirectory: output)]
    }
}
