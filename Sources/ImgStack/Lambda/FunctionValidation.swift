import Engine
import Foundation

/// The rules a `Lambda.Function` is checked against before any call.
enum FunctionValidation {
    /// Runtimes Lambda@Edge accepts: Node.js and Python only.
    static let edgeRuntimePrefixes = ["nodejs", "python"]

    static func issues(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func add(_ property: String, _ problem: String?) { issues += LambdaRules.issue(address, property, problem) }

        if let name = properties["functionName"]?.literal?.stringValue { add("functionName", LambdaRules.functionNameProblem(name)) }
        if let source = properties["source"]?.literal?.stringValue {
            do {
                _ = try DeploymentPackage.zipping(directory: source)
            } catch {
                add("source", "\(error)")
            }
        }
        if properties["runtime"]?.literal?.stringValue?.isEmpty == true { add("runtime", "must name a runtime, e.g. nodejs20.x") }
        if properties["handler"]?.literal?.stringValue?.isEmpty == true { add("handler", "must name the entry point, e.g. index.handler") }
        if let memory = properties["memorySize"]?.literal?.intValue, !(128...10240).contains(memory) {
            add("memorySize", "must be 128 to 10240 MB, not \(memory)")
        }
        if let seconds = properties["timeout"]?.literal?.intValue, !(1...900).contains(seconds) {
            add("timeout", "must be 1 to 900 seconds, not \(seconds)")
        }
        let architectures = properties["architectures"]?.literal?.listValue?.compactMap(\.stringValue) ?? []
        for architecture in architectures where !["x86_64", "arm64"].contains(architecture) {
            add("architectures", "must be x86_64 or arm64, not \"\(architecture)\"")
        }
        for path in generatedPaths(properties["files"]) { add("files", pathProblem(path)) }
        for problem in TagRules.problems(properties["tags"]?.literal, limit: 50) { add("tags", problem) }

        guard properties["edge"]?.literal == true else { return issues }
        // Lambda@Edge: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html
        if let region = properties["region"]?.literal?.stringValue, region != "us-east-1" {
            add("region", "a Lambda@Edge function must be created in us-east-1, not \(region); leave the region out")
        }
        if environmentCount(properties["environment"]) > 0 {
            add("environment", "Lambda@Edge functions cannot have environment variables; write the values into the package with files:")
        }
        if let runtime = properties["runtime"]?.literal?.stringValue, !edgeRuntimePrefixes.contains(where: runtime.hasPrefix) {
            add("runtime", "Lambda@Edge runs only Node.js and Python runtimes, not \(runtime)")
        }
        if let seconds = properties["timeout"]?.literal?.intValue, seconds > 30 {
            add("timeout", "Lambda@Edge functions may run at most 30 seconds, not \(seconds)")
        }
        if architectures.contains("arm64") { add("architectures", "Lambda@Edge runs only on x86_64") }
        if properties["publish"]?.literal == false {
            add("publish", "CloudFront associates a numbered version of a Lambda@Edge function: set publish to true")
        }
        return issues
    }

    /// The paths of the generated files, whether their contents are literal or hold references.
    private static func generatedPaths(_ expression: Engine.Expression?) -> [String] {
        switch expression {
        case .value(.map(let files))?: return files.keys.sorted()
        case .map(let files)?: return files.keys.sorted()
        default: return []
        }
    }

    /// Why a generated file's path cannot be a path inside the package, if it cannot.
    private static func pathProblem(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if path.isEmpty || path.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            return "\"\(path)\" must be a relative path inside the package, such as config.json"
        }
        return nil
    }

    /// The number of variables, whether their values are literal or hold references.
    private static func environmentCount(_ expression: Engine.Expression?) -> Int {
        switch expression {
        case .value(.map(let variables))?: return variables.count
        case .map(let variables)?: return variables.count
        default: return 0
        }
    }
}
