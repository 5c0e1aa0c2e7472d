import Engine
import Foundation

/// The rules a `Lambda.Function` is checked against before any call.
enum FunctionValidation {
    /// Runtimes Lambda@Edge accepts: Node.js and Python only.
    static let edgeRuntimePrefixes = ["nodejs", "python"]

    static func issues(_ properties: [String: Engine.Expression], address: Address) -> [ValidationIssue] {
        let property = Lambda.Function.property
        var issues: [ValidationIssue] = []
        func add(_ property: any PropertyDeclaration, _ problem: String?) { issues += LambdaRules.issue(address, property, problem) }

        if let name = properties.literal(property.functionName) { add(property.functionName, LambdaRules.functionNameProblem(name)) }
        if let source = properties.literal(property.source) {
            do {
                _ = try DeploymentPackage.zipping(directory: source)
            } catch {
                add(property.source, "\(error)")
            }
        }
        if properties.literal(property.runtime)?.isEmpty == true { add(property.runtime, "must name a runtime, e.g. nodejs20.x") }
        if properties.literal(property.handler)?.isEmpty == true { add(property.handler, "must name the entry point, e.g. index.handler") }
        // An empty or missing source is reported above, once.
        if let source = properties.literal(property.source), let runtime = properties.literal(property.runtime),
           let handler = properties.literal(property.handler), !handler.isEmpty, case let files = DirectoryListing.files(in: source), !files.isEmpty {
            let packaged = Set(files).union(generatedPaths(properties[property.files]))
            add(property.handler, HandlerRules.problem(handler: handler, runtime: runtime, packaged: packaged))
        }
        if let memory = properties.literal(property.memorySize), !(128...10240).contains(memory) {
            add(property.memorySize, "must be 128 to 10240 MB, not \(memory)")
        }
        if let seconds = properties.literal(property.timeout), !(1...900).contains(seconds) {
            add(property.timeout, "must be 1 to 900 seconds, not \(seconds)")
        }
        let architectures = properties[property.architectures]?.literal?.listValue?.compactMap(\.stringValue) ?? []
        for architecture in architectures where !["x86_64", "arm64"].contains(architecture) {
            add(property.architectures, "must be x86_64 or arm64, not \"\(architecture)\"")
        }
        for path in generatedPaths(properties[property.files]) { add(property.files, pathProblem(path)) }
        for problem in TagRules.problems(properties[property.tags]?.literal, limit: 49) { add(property.tags, problem) }

        guard properties.literal(property.edge) == true else { return issues }
        // Lambda@Edge: https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html
        if let region = properties.literal(property.region), region != "us-east-1" {
            add(property.region, "a Lambda@Edge function must be created in us-east-1, not \(region); leave the region out")
        }
        if environmentCount(properties[property.environment]) > 0 {
            add(property.environment, "Lambda@Edge functions cannot have environment variables; write the values into the package with files:")
        }
        if let runtime = properties.literal(property.runtime), !edgeRuntimePrefixes.contains(where: runtime.hasPrefix) {
            add(property.runtime, "Lambda@Edge runs only Node.js and Python runtimes, not \(runtime)")
        }
        if let seconds = properties.literal(property.timeout), seconds > 30 {
            add(property.timeout, "Lambda@Edge functions may run at most 30 seconds, not \(seconds)")
        }
        if architectures.contains("arm64") { add(property.architectures, "Lambda@Edge runs only on x86_64") }
        if properties.literal(property.publish) == false {
            add(property.publish, "CloudFront associates a numbered version of a Lambda@Edge function: set publish to true")
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
