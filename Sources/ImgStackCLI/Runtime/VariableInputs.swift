import Engine
import Foundation

/// Gathers variable values from `IMGSTACK_VAR_<name>`, `--var-file` files and `--var`
/// flags, later sources winning, as Terraform orders them.
enum VariableInputs {
    /// The values by name.
    /// - Throws: `CLIError` for a malformed `--var` or an unreadable or non-object var file.
    static func collect(flags: [String], files: [String], environment: [String: String]) throws -> [String: Engine.Value] {
        var values: [String: Engine.Value] = [:]
        for (key, value) in environment where key.hasPrefix("IMGSTACK_VAR_") {
            values[String(key.dropFirst("IMGSTACK_VAR_".count))] = .string(value)
        }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIError("cannot read var file \(path)")
            }
            guard let text = String(data: data, encoding: .utf8), case .map(let entries)? = try? Engine.Value(jsonText: text) else {
                throw CLIError("var file \(path) is not a JSON object of variable values")
            }
            values.merge(entries) { _, new in new }
        }
        for flag in flags {
            guard let equals = flag.firstIndex(of: "="), equals != flag.startIndex else {
                throw CLIError("--var \(flag): expected NAME=VALUE")
            }
            values[String(flag[..<equals])] = .string(String(flag[flag.index(after: equals)...]))
        }
        return values
    }
}
