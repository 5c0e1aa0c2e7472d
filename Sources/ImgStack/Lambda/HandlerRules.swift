/// Whether a function's handler names a file its package holds, for the runtimes whose handler
/// is `<module path>.<function>`: Python (`upload.handler` → `upload.py`, `pkg.app.handler` →
/// `pkg/app.py`) and Node.js (`index.handler` → `index.js`, `index.mjs` or `index.cjs`;
/// `src/index.handler` → `src/index.js`). Lambda accepts any handler at create and fails only when
/// the function first runs ("Runtime.ImportModuleError"); this catches it before any call.
/// Source: Lambda developer guide, "Define Lambda function handler in Python" and "… in Node.js".
enum HandlerRules {
    /// Why `handler` names no file among `packaged` (paths inside the package), nil when it does
    /// or when the runtime is neither Python nor Node.js.
    static func problem(handler: String, runtime: String, packaged: Set<String>) -> String? {
        guard let candidates = files(handler: handler, runtime: runtime) else { return nil }
        guard !candidates.isEmpty else {
            return "\"\(handler)\" must be <module>.<function>, e.g. \(runtime.hasPrefix("python") ? "upload.handler" : "index.handler")"
        }
        guard candidates.contains(where: packaged.contains) else {
            return "\"\(handler)\" needs \(candidates.joined(separator: " or ")) in the package, which holds no such file"
        }
        return nil
    }

    /// The files that may hold the handler's module: nil for runtimes this does not check, empty
    /// when the handler has no `.function` part.
    static func files(handler: String, runtime: String) -> [String]? {
        guard let dot = handler.lastIndex(of: "."), dot != handler.startIndex, handler.index(after: dot) != handler.endIndex else {
            return runtime.hasPrefix("python") || runtime.hasPrefix("nodejs") ? [] : nil
        }
        let module = String(handler[..<dot])
        if runtime.hasPrefix("python") { return [module.replacingOccurrences(of: ".", with: "/") + ".py"] }
        if runtime.hasPrefix("nodejs") { return ["js", "mjs", "cjs"].map { module + "." + $0 } }
        return nil
    }
}
