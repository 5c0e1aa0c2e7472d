import Foundation

/// Where the stack's own files are: in the `Stacks` module's resource bundle, so the stack
/// works whatever the current directory (keep `imgstack_Stacks.resources` beside the binary).
enum ImageServerFiles {
    /// The album site uploaded into the bucket (`site/`).
    static var site: URL { directory("site") }

    /// The code of the edge function (`edge-auth/src/`), without its tests.
    static var edgeAuthSource: URL { directory("edge-auth").appendingPathComponent("src") }

    private static func directory(_ name: String) -> URL {
        Bundle.module.url(forResource: name, withExtension: nil) ?? Bundle.module.bundleURL.appendingPathComponent(name)
    }
}
