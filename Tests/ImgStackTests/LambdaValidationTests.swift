import AWS
import Engine
import Foundation
@testable import ImgStack
import XCTest

/// Bad input to Lambda functions and permissions is refused before any call, naming the
/// resource's address and the property.
final class LambdaValidationTests: XCTestCase {
    private var source: URL!

    override func setUpWithError() throws {
        source = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-validation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: source, withIntermediateDirectories: true)
        try Data("exports.handler = async () => 1;\n".utf8).write(to: source.appendingPathComponent("index.js"))
    }

    override func tearDownWithError() throws {
        try FileManager.default.removeItem(at: source)
    }

    private func issues<R: Resource>(_ resource: R) -> [ValidationIssue] {
        R.makeType().validate(resource.properties, address: resource.address)
    }

    private func function(functionName: String = "auth", source: URL? = nil, runtime: String = "nodejs20.x", handler: String = "index.handler",
                          memorySize: Int = 128,
                          timeout: Int = 3, architecture: String = "x86_64", environment: [String: Text] = [:],
                          files: [String: Text] = [:], publish: Bool? = nil,
                          edge: Bool = false, region: String? = nil) -> ImgStack.Lambda.Function {
        ImgStack.Lambda.Function("auth", functionName: Text(functionName), source: source ?? self.source, runtime: runtime, handler: handler,
                                 role: "arn:aws:iam::123456789012:role/edge", memorySize: memorySize, timeout: timeout, architecture: architecture,
                                 environment: environment, files: files, publish: publish, edge: edge, region: region)
    }

    /// Asserts exactly one issue, on `property` of `lambda.function.auth`.
    private func assertOneIssue(_ resource: ImgStack.Lambda.Function, _ property: String, containing text: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        let found = issues(resource)
        XCTAssertEqual(found.count, 1, "\(found)", file: file, line: line)
        XCTAssertEqual(found.first?.subject, "lambda.function.auth", file: file, line: line)
        XCTAssertEqual(found.first?.property, property, file: file, line: line)
        XCTAssertTrue(found.first?.message.contains(text) == true, "\(found)", file: file, line: line)
    }

    func testGeneratedFilesMustStayInsideThePackage() {
        let role = IAM.Role("edge", name: "edge", assumeRolePolicy: PolicyDocument([]))
        XCTAssertEqual(issues(function(files: ["config.json": "{\"role\": \"\(role.arn)\"}"], edge: true)), [])
        XCTAssertEqual(issues(function(files: ["conf/settings.json": "{}"])), [])
        for path in ["../outside.json", "/etc/config.json", "", "conf//x.json", "./config.json"] {
            assertOneIssue(function(files: [path: "{}"]), "files", containing: "relative path inside the package")
        }
    }

    func testPythonHandlerMustNameAModuleInThePackage() throws {
        let python = source.appendingPathComponent("python")
        try FileManager.default.createDirectory(at: python.appendingPathComponent("app"), withIntermediateDirectories: true)
        try Data("def handler(event, context):\n    return {}\n".utf8).write(to: python.appendingPathComponent("upload.py"))
        try Data("def handler(event, context):\n    return {}\n".utf8).write(to: python.appendingPathComponent("app/main.py"))
        XCTAssertEqual(issues(function(source: python, runtime: "python3.12", handler: "upload.handler")), [])
        XCTAssertEqual(issues(function(source: python, runtime: "python3.12", handler: "app.main.handler")), [])
        XCTAssertEqual(issues(function(source: python, runtime: "python3.12", handler: "settings.handler", files: ["settings.py": "X = 1"])), [])
        assertOneIssue(function(source: python, runtime: "python3.12", handler: "index.handler"), "handler", containing: "needs index.py in the package")
        assertOneIssue(function(source: python, runtime: "python3.12", handler: "app.handler"), "handler", containing: "needs app.py")
        assertOneIssue(function(source: python, runtime: "python3.12", handler: "upload"), "handler", containing: "must be <module>.<function>")
    }

    func testNodeHandlerMustNameAModuleInThePackage() {
        XCTAssertEqual(issues(function(handler: "index.handler")), [])
        assertOneIssue(function(handler: "main.handler"), "handler", containing: "needs main.js or main.mjs or main.cjs")
        // Runtimes whose handler is not a module path are left to Lambda.
        XCTAssertEqual(issues(function(runtime: "java21", handler: "example.Handler::handleRequest")), [])
    }

    func testAWellFormedFunctionAndEdgeFunctionPass() {
        XCTAssertEqual(issues(function()), [])
        XCTAssertEqual(issues(function(edge: true)), [])
        XCTAssertEqual(issues(function(edge: true, region: "us-east-1")), [])
    }

    func testEdgeFunctionWithEnvironmentIsRefused() {
        assertOneIssue(function(environment: ["STAGE": "prod"], edge: true), "environment", containing: "cannot have environment variables")
    }

    func testEdgeFunctionWithEnvironmentFromAReferenceIsRefusedToo() {
        let bucket = ImgStack.S3.Bucket("images")
        assertOneIssue(function(environment: ["BUCKET": bucket.bucketName], edge: true), "environment", containing: "environment variables")
    }

    func testEdgeFunctionInAnotherRegionIsRefused() {
        assertOneIssue(function(edge: true, region: "eu-west-1"), "region", containing: "us-east-1")
    }

    func testEdgeFunctionIsPlacedInUSEast1() {
        XCTAssertEqual(function(edge: true).region, "us-east-1")
        XCTAssertNil(function().region)
        XCTAssertEqual(function(region: "eu-west-1").region, "eu-west-1")
    }

    func testEdgeFunctionWithoutPublishingIsRefused() {
        assertOneIssue(function(publish: false, edge: true), "publish", containing: "numbered version")
    }

    func testEdgeFunctionRuntimeTimeoutAndArchitectureAreChecked() {
        assertOneIssue(function(runtime: "java21", edge: true), "runtime", containing: "Node.js and Python")
        assertOneIssue(function(timeout: 60, edge: true), "timeout", containing: "at most 30 seconds")
        assertOneIssue(function(architecture: "arm64", edge: true), "architectures", containing: "x86_64")
    }

    func testInvalidFunctionNamesAreRefused() {
        let cases = ["": "1 to 64 characters", "has space": "only letters", "dot.ted": "only letters",
                     String(repeating: "a", count: 65): "1 to 64 characters"]
        for (name, message) in cases {
            assertOneIssue(function(functionName: name), "functionName", containing: message)
        }
    }

    func testMissingOrEmptySourceDirectoryIsRefused() throws {
        let missing = source.appendingPathComponent("nope")
        assertOneIssue(function(source: missing), "source", containing: "no files")
        XCTAssertNil(function(source: missing).properties["sourceHash"])
    }

    func testMemoryTimeoutAndArchitectureRangesAreChecked() {
        assertOneIssue(function(memorySize: 64), "memorySize", containing: "128 to 10240")
        assertOneIssue(function(timeout: 901), "timeout", containing: "1 to 900")
        assertOneIssue(function(architecture: "sparc"), "architectures", containing: "x86_64 or arm64")
    }

    func testSourceHashIsTheZipDigestAndFollowsTheFiles() throws {
        let before = function().properties["sourceHash"]?.literal?.stringValue
        XCTAssertEqual(before, try DeploymentPackage.zipping(directory: source.path).sha256)
        try Data("exports.handler = async () => 2;\n".utf8).write(to: source.appendingPathComponent("index.js"))
        let after = function().properties["sourceHash"]?.literal?.stringValue
        XCTAssertNotEqual(before, after)
    }

    func testPermissionStatementIDAndActionAreChecked() {
        let bad = ImgStack.Lambda.Permission("sns", functionName: "auth", statementID: "has space", action: "s3:GetObject", principal: "")
        let found = issues(bad)
        XCTAssertEqual(Set(found.compactMap(\.property)), ["statementID", "action", "principal"])
        XCTAssertTrue(found.allSatisfy { $0.subject == "lambda.permission.sns" })
        XCTAssertEqual(issues(ImgStack.Lambda.Permission("sns", functionName: "auth", statementID: "AllowSNS", principal: "sns.amazonaws.com")), [])
    }

    func testPermissionIDsRoundTripWithArnsAndQualifiers() {
        let arn = "arn:aws:lambda:us-east-1:123456789012:function:auth"
        for (function, qualifier) in [("auth", nil), ("auth", "3"), (arn, nil), (arn, "live")] as [(String, String?)] {
            let id = PermissionType.id(function: function, qualifier: qualifier, statement: "Allow")
            let parsed = PermissionType.parse(id)
            XCTAssertEqual(parsed?.function, function, id)
            XCTAssertEqual(parsed?.qualifier, qualifier, id)
            XCTAssertEqual(parsed?.statement, "Allow", id)
        }
    }

    func testAccountPrincipalReadsBackAsDeclared() {
        let type = PermissionType()
        let read = PermissionType.principal(["AWS": "arn:aws:iam::123456789012:root"])
        XCTAssertEqual(type.normalize("principal", read), type.normalize("principal", "123456789012"))
        XCTAssertEqual(PermissionType.principal(["Service": "sns.amazonaws.com"]), "sns.amazonaws.com")
    }
}
