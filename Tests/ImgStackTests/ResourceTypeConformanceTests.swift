import Engine
import Foundation
import ImgStack
import XCTest

/// Walks every resource type, as Terraform's provider tests walk a provider's schema: each type
/// under `Sources/ImgStack` is registered in `ResourceCatalog`, declares its schema once and
/// consistently, builds without any AWS client, and has a doc page and a README entry.
final class ResourceTypeConformanceTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private var registered: [String: any Resource.Type] {
        Dictionary(uniqueKeysWithValues: ResourceCatalog.resources.map { (ResourceCatalog.swiftName($0), $0) })
    }

    /// `Service.Type` of every `public struct …: Resource` in the sources, with the service from
    /// the enclosing `extension Service {`.
    private func declaredInSources() throws -> Set<String> {
        let directory = Self.root.appendingPathComponent("Sources/ImgStack")
        guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw CocoaError(.fileReadNoSuchFile)
        }
        let extensionPattern = try NSRegularExpression(pattern: #"^extension (\w+) \{"#)
        let structPattern = try NSRegularExpression(pattern: #"^\s+public struct (\w+)\s*:[^{]*\bResource\b"#)
        var names: Set<String> = []
        for case let file as URL in files where file.pathExtension == "swift" {
            var service: String?
            for line in try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n") {
                let range = NSRange(line.startIndex..., in: line)
                if let match = extensionPattern.firstMatch(in: line, range: range), let name = Range(match.range(at: 1), in: line) {
                    service = String(line[name])
                } else if let match = structPattern.firstMatch(in: line, range: range), let name = Range(match.range(at: 1), in: line),
                          let service {
                    names.insert("\(service).\(line[name])")
                }
            }
        }
        return names
    }

    func testEveryResourceTypeInTheSourcesIsRegistered() throws {
        let declared = try declaredInSources()
        XCTAssertGreaterThanOrEqual(declared.count, 26, "the source scan finds the resource types")
        let missing = declared.subtracting(registered.keys).sorted()
        XCTAssertEqual(missing, [], "add these to ResourceCatalog.resources: without a line there, state holding them can no longer be refreshed or deleted once a stack drops them")
        XCTAssertEqual(Set(registered.keys).subtracting(declared).sorted(), [], "registered but not found in the sources")
        XCTAssertEqual(registered.count, ResourceCatalog.resources.count, "each type registered once")
    }

    func testEveryTypeDeclaresItsSchemaOnceAndConsistently() {
        var typeNames: Set<String> = []
        for (name, resource) in registered.sorted(by: { $0.key < $1.key }) {
            // Built with no AWS client: stacks evaluate without one.
            let schema = resource.makeType().schema
            XCTAssertEqual(schema.typeName, resource.typeName, name)
            XCTAssertTrue(typeNames.insert(schema.typeName).inserted, "\(name): type name \(schema.typeName) used twice")
            XCTAssertNotNil(schema.typeName.range(of: #"^[a-z0-9]+\.[a-z0-9_]+$"#, options: .regularExpression), "\(name): \(schema.typeName)")
            XCTAssertEqual(schema.terraformType, resource.terraformType, name)
            XCTAssertTrue(schema.terraformType.hasPrefix("aws_"), "\(name): Terraform type \(schema.terraformType)")
            XCTAssertFalse(schema.properties.isEmpty, "\(name) declares no property")
            let names = schema.properties.map(\.name)
            XCTAssertEqual(Set(names).count, names.count, "\(name): a property declared twice")
            let terraformNames = schema.properties.map(\.terraformName)
            XCTAssertEqual(Set(terraformNames).count, terraformNames.count, "\(name): two properties share a Terraform name")
            for property in schema.properties {
                XCTAssertNotNil(property.terraformName.range(of: #"^[a-z][a-z0-9_]*$"#, options: .regularExpression),
                                "\(name).\(property.name): Terraform name \(property.terraformName)")
            }
            for unique in schema.uniqueNameProperties {
                XCTAssertTrue(names.contains(unique), "\(name): unique name \(unique) is not a property")
            }
            let attributes = schema.attributes.map(\.name)
            XCTAssertTrue(Set(attributes).isDisjoint(with: names), "\(name): an attribute and a property share a name")
        }
    }

    func testEveryTypeDeclaresItsTerraformProjection() {
        for (name, resource) in registered.sorted(by: { $0.key < $1.key }) {
            XCTAssertEqual(projectionIssues(resource.makeType().schema), [], name)
        }
    }

    func testATypeWithAnUndeclaredProjectionFailsTheCheck() {
        let schema = ResourceSchema(typeName: "example.thing", terraformType: "aws_example_thing",
                                    properties: [Property<String>("name").schema, Property<Value>("rules").schema], attributes: [])
        XCTAssertEqual(projectionIssues(schema), ["rules: a structured value with no Terraform shape (.blocks, .json, .converted or a companion)"])
    }

    /// What keeps a type's Terraform projection from being complete: a structured property with no
    /// shape, a companion resource that is not the provider's, two properties on one attribute,
    /// two `for_each` properties.
    private func projectionIssues(_ schema: ResourceSchema) -> [String] {
        var issues: [String] = []
        var attributes: Set<String> = []
        var forEach = ""
        for property in schema.properties {
            if property.terraform.shape == nil {
                issues.append("\(property.name): a structured value with no Terraform shape (.blocks, .json, .converted or a companion)")
            }
            switch property.terraform.target {
            case .own:
                for name in [property.terraformName] + property.terraform.alsoWrittenAs where !attributes.insert(name).inserted {
                    issues.append("\(property.name): \(name) projected twice")
                }
            case .companion(let type, let link, _):
                if !type.hasPrefix(schema.terraformType + "_") && !type.hasPrefix("aws_") { issues.append("\(property.name): companion \(type)") }
                if link.attribute.isEmpty || link.source.isEmpty { issues.append("\(property.name): companion \(type) has no link attribute") }
            case .forEach:
                if !forEach.isEmpty { issues.append("\(property.name): a second for_each (\(forEach))") }
                forEach = property.name
            case .none(let reason):
                if reason.isEmpty { issues.append("\(property.name): left out of Terraform without a reason") }
            }
        }
        return issues
    }

    func testEveryTypeHasADocPageAndAReadmeEntry() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let headings = readme.components(separatedBy: "\n").filter { $0.hasPrefix("### ") }
        for (name, resource) in registered.sorted(by: { $0.key < $1.key }) {
            let service = name.split(separator: ".")[0].lowercased()
            let page = Self.root.appendingPathComponent("docs/resources/\(service).md")
            guard let text = try? String(contentsOf: page, encoding: .utf8) else {
                XCTFail("\(name): no doc page docs/resources/\(service).md")
                continue
            }
            XCTAssertTrue(text.contains("| `\(name)` (`\(resource.typeName)`) | `\(resource.terraformType)` |"),
                          "\(name): docs/resources/\(service).md has no table row `\(name)` (`\(resource.typeName)`) | `\(resource.terraformType)`")
            for property in resource.makeType().schema.properties where !text.contains("`\(property.name)`") {
                XCTFail("\(name): docs/resources/\(service).md does not mention property `\(property.name)`")
            }
            XCTAssertTrue(headings.contains { $0.contains("`\(name)`") }, "\(name): README's Resource types section has no heading naming it")
        }
    }

    /// Error codes are compared as named `AWSErrorCode` values, declared once beside their
    /// service's calls; a code spelt as a string at a call site is a typo waiting to happen.
    func testNoAWSErrorCodeIsComparedAsAString() throws {
        let pattern = try NSRegularExpression(pattern: #"\.code (==|!=) "|"\]\.contains\(error\.code\)|\.matches\(""#)
        var offenders: [String] = []
        for folder in ["Sources/ImgStack", "Sources/AWS", "Sources/ImgStackCLI", "Stacks"] {
            let directory = Self.root.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in files where file.pathExtension == "swift" {
                let lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
                for (number, line) in lines.enumerated()
                where pattern.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil {
                    offenders.append("\(file.path.replacingOccurrences(of: Self.root.path + "/", with: "")):\(number + 1)")
                }
            }
        }
        XCTAssertEqual(offenders, [], "compare error codes with named AWSErrorCode values (error.code == .noSuchBucket)")
    }
}
